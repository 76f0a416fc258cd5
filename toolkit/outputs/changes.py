"""What changed since the last publication (docs/review-cycle.md): before a run of a year
switches ``reports/<year>`` to itself, its evaluation is compared with the one published
there, and ``changes.json`` (codes only; the report shows labels) lists every unit and
nomination whose outcome or final-list state (proposed / pending / withdrawn / absent)
changed, before and after, with the causes found:

* ``review``: a reviewer's decision on it that one of the two runs has and the other
  has not (file, sheet, row);
* ``correction``: a correction of its unit applied in one run and not, or otherwise,
  in the other (file, row);
* ``objection``: an objection against it added, changed or removed (file, row, number);
* ``input``: an input file whose SHA-256 changed, appeared or went (manifest.json);
* ``rules``: the rules file's SHA-256 changed.

``compared_with`` is the published run's time (manifest.json's ``finished_at``); without
a published run it is null and ``first`` is true (首次发布). :func:`open_changes` reads a
run folder's ``changes.json`` (``toolkit.open_changes``, for notebooks);
:func:`summary_line` is the run's last log line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from toolkit.evaluation.serialize import evaluation_from_json
from toolkit.exceptions import ParameterError
from toolkit.outputs.final.listing import final_states
from toolkit.review.sheet import keyed_results

CHANGES = "changes.json"
EVALUATION = "evaluation.json"
MANIFEST = "manifest.json"


def _results(evaluation) -> dict[str, object]:
    return keyed_results(evaluation)


def _decisions(result) -> set[tuple]:
    out = set()
    for c in result.criteria if result is not None else ():
        for d in (c.detail or {}).get("decisions") or []:
            out.add((c.id, d.get("reviewer"), d.get("decision"), d.get("file"), d.get("sheet"), d.get("row")))
    return out


def _frozen(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, sort_keys=True, default=str)


def _trail_causes(before: list[dict], after: list[dict], kind: str, fields: tuple[str, ...]) -> list[dict]:
    """The entries that one of the two trails has and the other has not, as causes."""
    b, a = {_frozen(x): x for x in before}, {_frozen(x): x for x in after}
    changed = [a[k] for k in a if k not in b] + [b[k] for k in b if k not in a]
    seen, out = set(), []
    for x in changed:
        cause = {"kind": kind, **{f: x.get(f) for f in fields}}
        if _frozen(cause) not in seen:
            seen.add(_frozen(cause))
            out.append(cause)
    return out


def _by(trail: list[dict], field: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for x in trail:
        out.setdefault(str(x.get(field)), []).append(x)
    return out


def _identity(result) -> dict:
    if result is None:
        return {}
    kind = result.kind if hasattr(result, "category") else "collective"
    return {"award": getattr(result, "category", None) or getattr(result, "award", None), "kind": kind,
            "unit_id": result.unit_id, "unit_name": result.unit_name, "nominee": result.nominee}


def compare(before, after, *, inputs_changed: list[str] = (), rules_changed: bool = False,
            rules_file: str | None = None) -> list[dict]:
    """Every unit and nomination whose outcome or final-list state differs between the
    evaluations ``before`` (the published one) and ``after``, with its causes. Both are
    compared as published (``Evaluation.shared``), so their 编号 agree."""
    before, after = before.shared(), after.shared()
    old, new = _results(before), _results(after)
    old_states, new_states = final_states(before), final_states(after)
    review_b, review_a = before.review or {}, after.review or {}
    corr_b = _by(review_b.get("corrections") or [], "unit_id")
    corr_a = _by(review_a.get("corrections") or [], "unit_id")
    obj_b, obj_a = _by(review_b.get("objections") or [], "key"), _by(review_a.get("objections") or [], "key")
    general = [{"kind": "input", "file": f} for f in inputs_changed]
    if rules_changed:
        general.append({"kind": "rules", "file": rules_file})
    out = []
    for key in [*new, *(k for k in old if k not in new)]:
        b, a = old.get(key), new.get(key)
        outcome = (getattr(b, "outcome", None), getattr(a, "outcome", None))
        state = (old_states.get(key, "absent"), new_states.get(key, "absent"))
        if outcome[0] == outcome[1] and state[0] == state[1]:
            continue
        r = a if a is not None else b
        decided = sorted(_decisions(a) ^ _decisions(b), key=lambda t: tuple(str(x) for x in t))
        causes = [{"kind": "review", "file": d[3], "sheet": d[4], "row": d[5], "reviewer": d[1]} for d in decided]
        causes += _trail_causes(corr_b.get(r.unit_id, []), corr_a.get(r.unit_id, []), "correction",
                                ("file", "row"))
        causes += _trail_causes(obj_b.get(key, []), obj_a.get(key, []), "objection", ("file", "row", "number"))
        out.append({"key": key, **_identity(r), "outcome": {"before": outcome[0], "after": outcome[1]},
                    "state": {"before": state[0], "after": state[1]}, "causes": _unique(causes) + general})
    return out


def _unique(causes: list[dict]) -> list[dict]:
    seen, out = set(), []
    for c in causes:
        k = _frozen({f: v for f, v in c.items() if f != "reviewer"})
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def changed_inputs(manifest: dict | None, year_data) -> list[str]:
    """The names of the tables' input files whose SHA-256 differs from the published
    run's, that appeared or that went (the award cycle's files are causes of their own:
    review, correction, objection)."""
    if manifest is None:
        return []
    before = {e["file"]: e["sha256"] for e in manifest.get("inputs") or []}
    now = {Path(f.path).name: f.sha256 for f in year_data.files}
    return sorted(n for n in before.keys() | now.keys() if before.get(n) != now.get(n))


def changes_since_published(out_dir: Path, evaluation, year_data, rules) -> dict:
    """``changes.json``'s content: ``evaluation`` against the run published in ``out_dir``."""
    published = Path(out_dir) / EVALUATION
    manifest = read_json(Path(out_dir) / MANIFEST)
    if not published.is_file():
        return {"first": True, "compared_with": None, "inputs_changed": [], "rules_changed": False, "changes": []}
    try:
        before = evaluation_from_json(published)
    except (KeyError, TypeError, ValueError):  # an older version's file: compared as none
        return {"first": True, "compared_with": None, "inputs_changed": [], "rules_changed": False, "changes": [],
                "note": "unreadable published evaluation.json"}
    inputs = changed_inputs(manifest, year_data)
    rules_changed = before.rules_sha256 != rules.sha256
    changes = compare(before, evaluation, inputs_changed=inputs, rules_changed=rules_changed,
                      rules_file=Path(rules.path).name)
    return {"first": False, "compared_with": {"published_at": (manifest or {}).get("finished_at")},
            "inputs_changed": inputs, "rules_changed": rules_changed, "changes": changes}


def write_changes(staging: Path, changes: dict) -> Path:
    path = Path(staging) / CHANGES
    path.write_text(json.dumps(changes, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def open_changes(run_dir: str | Path) -> dict:
    """The ``changes.json`` of a run folder (``reports/<year>``): what changed since the
    publication that run replaced."""
    path = Path(run_dir) / CHANGES
    found = read_json(path)
    if found is None:
        raise ParameterError(f"{path} is missing or unreadable", file=path,
                             hint="a run of this version writes it: run `toolkit run --year <year>`")
    return found


def published_text(changes: dict) -> str | None:
    """When the compared publication was made, as 2026-12-01 10:00; None for the first."""
    if changes.get("first"):
        return None
    at = (changes.get("compared_with") or {}).get("published_at")
    try:
        return dt.datetime.fromisoformat(at).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return "上次"


def summary_line(changes: dict) -> str:
    """The run's last log line: 与 2026-12-01 10:00 发布的结果相比：3 项结论变化."""
    when = published_text(changes)
    if when is None:
        return "首次发布：没有可比较的已发布结果"
    n = len(changes.get("changes") or [])
    return f"与 {when} 发布的结果相比：{n} 项结论变化" if n else f"与 {when} 发布的结果相比：结论无变化"

"""The years of a multi-year index, read from their run folders: each year's
``evaluation.json`` and ``internal/report/meta.json`` (the unit registry's names), never
a pickle or an input file. And what the index derives from them: outcome counts,
criteria passed, province totals, units that joined or left, the eligible nominations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.outputs.report.store import META, REPORT_DATA_DIR
from toolkit.outputs.trends import TREND_UNITS, province_totals
from toolkit.vocabulary import TRACK_LABELS


@dataclass
class YearRun:
    """One year of the span as its run folder holds it."""

    year: int
    run_dir: Path
    evaluation: dict  # evaluation.json
    registry: dict[str, str]  # unit_id -> unit name, as the year's unit registry has them
    unit_reports: dict[str, str] = field(default_factory=dict)  # unit_id -> "units/<stem>" (--per-unit)

    @property
    def labels(self) -> dict:
        return self.evaluation.get("labels") or {}

    def collective(self, track: str | None = None) -> list[dict]:
        """The collective results, one per unit and track (the first award of a track)."""
        seen, out = set(), []
        for e in self.evaluation.get("collective") or []:
            key = (e.get("track"), e.get("unit_id"))
            if key in seen or (track is not None and e.get("track") != track):
                continue
            seen.add(key)
            out.append(e)
        return out

    def entry(self, track: str, unit_id: str) -> dict | None:
        return next((e for e in self.collective(track) if e.get("unit_id") == unit_id), None)


def read_year(run_dir: Path) -> YearRun:
    """The year published in ``run_dir`` (``reports/<year>``)."""
    run_dir = Path(run_dir)
    ev_path, meta_path = run_dir / "evaluation.json", run_dir / REPORT_DATA_DIR / META
    if not ev_path.is_file() or not meta_path.is_file():
        raise ParameterError(_("{run_dir} is not a run folder (evaluation.json or {value} is missing)").format(run_dir=run_dir, value=REPORT_DATA_DIR / META), file=run_dir, hint=_("run `toolkit run --year <year>` first"))
    evaluation = json.loads(ev_path.read_text(encoding="utf-8"))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    try:
        reports = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8")).get("unit_reports") or {}
    except (OSError, ValueError):
        reports = {}
    return YearRun(int(evaluation["year"]), run_dir, evaluation, dict(meta.get("unit_names") or {}),
                   dict(reports))


def read_span(run_dirs) -> list[YearRun]:
    """The years of ``run_dirs`` (folders), oldest first."""
    return sorted((read_year(d) for d in run_dirs), key=lambda y: y.year)


# --- what the index shows ------------------------------------------------------------


def award_labels(span: list[YearRun]) -> dict[str, str]:
    """Every award of the span, key -> label (the latest year's label), in the order
    of the latest year's rules."""
    out: dict[str, str] = {}
    for y in reversed(span):
        for key, label in (y.labels.get("awards") or {}).items():
            out.setdefault(key, label)
    for y in span:
        for key in (y.evaluation.get("summary") or {}):
            out.setdefault(key, key)
    return out


def tracks(span: list[YearRun]) -> list[str]:
    """The tracks with collective results, in the vocabulary's order."""
    found = {e.get("track") for y in span for e in y.collective()}
    return [t for t in TRACK_LABELS if t in found] + sorted(t for t in found - set(TRACK_LABELS) if t)


def collective_awards(span: list[YearRun]) -> dict[str, str]:
    """award key -> track of the collective awards of the span."""
    out: dict[str, str] = {}
    for y in span:
        for e in y.evaluation.get("collective") or []:
            if e.get("award"):
                out.setdefault(e["award"], e.get("track"))
    return out


def criteria_passed(span: list[YearRun], award: str) -> list[tuple[str, str, list]]:
    """Per criterion of ``award``: (id, label, per year (passed, evaluated) or None)."""
    order: dict[str, str] = {}
    for y in reversed(span):
        for cid, label in ((y.labels.get("criteria") or {}).get(award) or {}).items():
            order.setdefault(cid, label)
    rows = []
    for cid, label in order.items():
        per_year = []
        for y in span:
            results = [c for e in y.evaluation.get("collective") or [] if e.get("award") == award
                       for c in e.get("criteria") or [] if c.get("id") == cid]
            per_year.append((sum(c.get("outcome") == "pass" for c in results), len(results))
                            if results else None)
        rows.append((cid, label, per_year))
    return rows


def trend_metrics(span: list[YearRun], track: str) -> list[str]:
    """The metrics of ``track`` that a threshold criterion judges in any year."""
    out: dict[str, None] = {}
    for y in span:
        for e in y.collective(track):
            for c in e.get("criteria") or []:
                if c.get("kind", "threshold") != "qualitative" and c.get("unit") in TREND_UNITS and c.get("metric"):
                    out.setdefault(c["metric"], None)
    return list(out)


def totals(span: list[YearRun], track: str) -> dict[str, list]:
    """metric -> the province's figure per year (see ``trends.province_totals``)."""
    metrics = trend_metrics(span, track)
    per_year = [province_totals(y.collective(track), metrics) for y in span]
    return {m: [t.get(m) for t in per_year] for m in metrics}


def unit_changes(span: list[YearRun]) -> list[tuple[int, int, str, str, str]]:
    """Units in one year's registry but not in the next year's of the span:
    (year, the year before in the span, unit_id, unit name, "joined" or "left")."""
    out = []
    for before, after in zip(span, span[1:], strict=False):
        for uid in sorted(set(after.registry) - set(before.registry)):
            out.append((after.year, before.year, uid, after.registry[uid], "joined"))
        for uid in sorted(set(before.registry) - set(after.registry)):
            out.append((after.year, before.year, uid, before.registry[uid], "left"))
    return out


def unit_list(span: list[YearRun]) -> list[tuple[str, str]]:
    """Every unit with a collective result in some year: (unit_id, latest name)."""
    names: dict[str, str] = {}
    for y in span:
        for e in y.collective():
            names[e["unit_id"]] = y.registry.get(e["unit_id"]) or e.get("unit_name") or e["unit_id"]
    return sorted(names.items())


def eligible_nominations(y: YearRun) -> dict[str, list[str]]:
    """award key -> who was nominated and is eligible that year: the unit's name for
    a collective award, "nominee（unit）" for a person or an innovation."""
    out: dict[str, list[str]] = {}
    for e in y.evaluation.get("collective") or []:
        if e.get("nominated") and e.get("outcome") == "eligible":
            out.setdefault(e.get("award"), []).append(e.get("unit_name") or e.get("unit_id"))
    for part in ("individual", "innovation"):
        for e in y.evaluation.get(part) or []:
            if e.get("outcome") == "eligible":
                who = e.get("nominee") or ""
                unit = e.get("unit_name") or e.get("unit_id") or ""
                out.setdefault(e.get("category"), []).append(f"{who}（{unit}）" if unit and who != unit else who)
    return out

"""A unit's earlier years in its own report (``--per-unit``): when run folders of
earlier years sit beside the output folder (``reports/2021`` beside ``reports/2022``),
the run copies their collective results into ``internal/report/history.json``
(:func:`write_history`: the criteria with value, bound and outcome; no row-level
data), so the unit notebook reads its run folder only. :func:`unit_history` shows the
unit's figures per year, each against its year's bound, as a table and small
multiples. Without earlier years nothing is written and the report is unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from toolkit.outputs import trends
from toolkit.outputs.report.context import ReportContext, collectives, tracks
from toolkit.outputs.report.format import Fragment, badge, esc, fmt_bound, fmt_value, table
from toolkit.outputs.report.store import REPORT_DATA_DIR
from toolkit.vocabulary import CRITERION_MARKS, TRACK_LABELS

HISTORY = "history.json"
#: what a year's collective result keeps in history.json
ENTRY_KEYS = ("track", "unit_id", "unit_name", "award", "outcome")
CRITERION_KEYS = ("id", "label", "kind", "metric", "op", "bound", "unit", "value", "outcome")


def earlier_run_dirs(out_dir: Path, year: int) -> dict[int, Path]:
    """The run folders of years before ``year`` beside ``out_dir`` (``<parent>/<year>``
    holding an ``evaluation.json``), oldest first."""
    parent = Path(out_dir).parent
    found = {}
    try:
        children = list(parent.iterdir())
    except OSError:
        return {}
    for p in children:
        if re.fullmatch(r"\d{4}", p.name) and int(p.name) < year and (p / "evaluation.json").is_file():
            found[int(p.name)] = p
    return dict(sorted(found.items()))


def _entry(e: dict) -> dict:
    out = {k: e.get(k) for k in ENTRY_KEYS}
    out["criteria"] = [{k: c.get(k) for k in CRITERION_KEYS} for c in e.get("criteria") or []]
    return out


def write_history(run_dir: Path, out_dir: Path, year: int) -> Path | None:
    """``internal/report/history.json`` of ``run_dir`` from the earlier years' run
    folders beside ``out_dir``; None (nothing written) when there are none. A year
    whose evaluation.json cannot be read is left out."""
    years = {}
    for y, d in earlier_run_dirs(out_dir, year).items():
        try:
            ev = json.loads((d / "evaluation.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        years[str(y)] = [_entry(e) for e in ev.get("collective") or []]
    if not years:
        return None
    path = Path(run_dir) / REPORT_DATA_DIR / HISTORY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"years": years}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read_history(ctx: ReportContext) -> dict[int, list[dict]]:
    """The earlier years of the run folder, ``{year: [collective results]}`` ({} when none)."""
    if ctx.out_dir is None:
        return {}
    path = Path(ctx.out_dir) / REPORT_DATA_DIR / HISTORY
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {int(y): v for y, v in sorted((data.get("years") or {}).items())}


def _current(ctx: ReportContext, track: str, unit_id: str) -> dict | None:
    r = next((r for r in collectives(ctx, track) if r.unit_id == unit_id), None)
    if r is None:
        return None
    return {"track": track, "unit_id": unit_id, "outcome": r.outcome,
            "criteria": [{k: getattr(c, k, None) for k in CRITERION_KEYS} for c in r.criteria]}


def unit_history(ctx: ReportContext, unit_id: str) -> Fragment:
    """The unit's figures per year (earlier years and this one) per track: a table of
    each figure with its mark and its year's bound, and small multiples. Empty when
    the run folder has no earlier years."""
    history = read_history(ctx)
    if not history:
        return Fragment("", "")
    years = [*history, ctx.year]
    parts = []
    for track in tracks(ctx):
        entries = [next((e for e in history[y] if e.get("track") == track and e.get("unit_id") == unit_id), None)
                   for y in history] + [_current(ctx, track, unit_id)]
        panels = trends.unit_panels(entries)
        if not panels or not any(entries):
            continue
        label = TRACK_LABELS.get(track, track)
        rows = []
        for i, y in enumerate(years):
            row = [str(y), (badge(entries[i]["outcome"]) if entries[i] else "未参评")]
            for p in panels:
                v, b, oc = p.values[i], p.bounds[i], p.outcomes[i]
                if v is None and b is None:
                    row.append("—")
                    continue
                mark = CRITERION_MARKS.get(oc, "") if oc else ""
                bound_text = f"（{fmt_bound(p.op, b, p.unit)}）" if b is not None else ""
                row.append(f"{esc(fmt_value(v, p.unit))} {mark}{esc(bound_text)}")
            rows.append(row)
        name = ctx.unit_name(unit_id)
        chart = trends.small_multiples(
            years, panels, title=f"{name}：{label}历年情况",
            alt=f"{name}{label}各项指标{years[0]}—{years[-1]}年度变化与各年度界限",
            caption="红色虚线为各年度规则文件规定的界限；圆点蓝色为达到、灰色为未达到、黄色为待核实。")
        parts.append(f"<h3>{esc(label)}：历年情况</h3>"
                     + table(["年度", "结论", *(p.label for p in panels)], rows,
                             raw_cols=range(1, len(panels) + 2), col_classes={0: "nowrap"})
                     + chart.html())
    if not parts:
        return Fragment("", "")
    return Fragment("".join(parts), "历年情况")

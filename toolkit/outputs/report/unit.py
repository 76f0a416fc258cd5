"""The sections of one unit's report: the check of the unit parameter, the unit's
criteria per track and its charts."""

from __future__ import annotations

from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.outputs import charts
from toolkit.outputs.report.context import (
    ReportContext,
    award,
    collectives,
    criterion,
    metric,
    monthly,
    rule,
    tracks,
    unit_ids,
)
from toolkit.outputs.report.format import Fragment, badge, esc, fmt_bound, fmt_value, num, table
from toolkit.outputs.report.history import unit_history
from toolkit.vocabulary import CRITERION_MARKS, TRACK_LABELS


def require_unit(ctx: ReportContext, unit_id: str) -> None:
    """A unit notebook's check of its parameter."""
    known = unit_ids(ctx)
    if unit_id not in known:
        hint = None
        if not isinstance(unit_id, str):
            hint = _("unit ids are text: with the papermill command line pass -r unit_id 073100 "
                     "(-p reads 073100 as the number 73100)")
        raise ParameterError(_("unit_id {unit_id!r} is not evaluated in {year}").format(unit_id=unit_id, year=ctx.year),
                             expected=_("one of ") + ", ".join(known[:20]) + ("…" if len(known) > 20 else ""),
                             hint=hint)


def open_unit(ctx: ReportContext, unit_id: str) -> ReportContext:
    """The context of one unit's report: checked, and cut down to the unit."""
    require_unit(ctx, unit_id)
    return ctx.only(unit_id)


def _result(ctx: ReportContext, track: str, unit_id: str):
    rs = [r for r in collectives(ctx, track) if r.unit_id == unit_id]
    return rs[0] if rs else None


def unit_summary(ctx: ReportContext, unit_id: str) -> Fragment:
    parts = []
    for track in tracks(ctx):
        results = [r for r in collectives(ctx, track) if r.unit_id == unit_id]
        for r in results:
            parts.append(_summary_of(ctx, track, r, several=len(results) > 1))
    if not parts:
        parts.append("<p>本单位不在集体评估范围内（无合同且无本年度业务）。</p>")
    return Fragment("".join(parts), "单位结论")


def _summary_of(ctx: ReportContext, track: str, r, several: bool) -> str:
    """One collective result's criteria, under the track's heading (the award's label
    where the track has several collective awards)."""
    rows = []
    for c in r.criteria:
        rc = rule(ctx, track, c.id, r.award)
        if rc is not None:
            label, unit, bound_text = rc.label, rc.unit, fmt_bound(rc.op, rc.bound_number(), rc.unit)
        else:
            label, unit, bound_text = c.id, c.unit, fmt_bound(c.op, c.bound, None)
        oc = c.outcome or "unknown"
        rows.append([label, c.clause or "", fmt_value(c.value, unit), bound_text,
                     (CRITERION_MARKS.get(oc, "?"), oc), c.reason if oc != "pass" and c.reason else ""])
    head = (r.award_label if several and r.award_label else None) or TRACK_LABELS.get(track, track)
    return (f"<h3>{esc(head)}　{badge(r.outcome)}</h3>"
            + table(["条件", "条款", "实际值", "界限", "判定", "原因"], rows, num_cols=(2,)))


def unit_chart_list(ctx: ReportContext, unit_id: str) -> list[charts.Chart]:
    """This unit's figures only: each threshold as a share of its bound, and its months."""
    out = []
    name = ctx.unit_name(unit_id)
    for track in tracks(ctx):
        r = _result(ctx, track, unit_id)
        if r is None:
            continue
        labels, shares, outcomes = [], [], []
        for c in (ctx.rules.awards.get(r.award) or award(ctx, "collective", track)).criteria:
            if c.qualitative or c.unit == "months" or c.op == "==":
                continue
            b = c.bound_number()
            v = num(metric(r, c.metric))
            if not b:
                continue
            labels.append(f"{c.label}\n{fmt_value(v, c.unit)} / {fmt_bound(c.op, b, c.unit)}")
            shares.append(None if v is None else v / b)
            judged = criterion(r, c.id)
            outcomes.append(judged.outcome if judged is not None else None)
        track_label = TRACK_LABELS.get(track, track)
        if labels:
            # each value divided by its own bound: the line at 100% is every bound
            out.append(charts.bars(
                labels, [charts.Panel("实际值 ÷ 界限", shares, bound=1.0, outcomes=outcomes,
                                      bound_label="界限", percent=True)],
                title=f"{name}：{track_label}各项条件",
                caption="每项指标除以其界限；虚线（100%）即规则文件中的界限。“以上”类条件应达到虚线，"
                        "“不超过”类条件（如退费率）应在虚线以内；蓝色为达到，灰色为未达到。",
                alt=f"{name}{track_label}各项量化条件相对界限的条形图"))
        months, series = monthly(ctx, track, unit_id)
        out.append(charts.monthly(
            months, series, scale=10000, axis_label="万元",
            title=f"{name}：{track_label}按月缴费与退费",
            alt=f"{name}{track_label}按月缴费与退费金额柱状图"))
    return out


def unit_figures(ctx: ReportContext, unit_id: str) -> Fragment:
    """The unit's charts, then its earlier years when the run folder holds them
    (:mod:`toolkit.outputs.report.history`; nothing more when it does not)."""
    return Fragment("".join(c.html() for c in unit_chart_list(ctx, unit_id))
                    + unit_history(ctx, unit_id).html, "单位图表")

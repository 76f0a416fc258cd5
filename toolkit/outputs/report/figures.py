"""The provincial report's charts, bounds taken from the rules file."""

from __future__ import annotations

from toolkit.outputs import charts
from toolkit.outputs.report.context import (
    ReportContext,
    bound,
    collectives,
    metric,
    monthly,
    tracks,
)
from toolkit.outputs.report.format import Fragment, num
from toolkit.vocabulary import TRACK_LABELS


def _units(ctx: ReportContext, track: str) -> list:
    """One collective result per unit of ``track`` (the figures are the unit's, whatever
    the award; a track with several collective awards has a result per award)."""
    seen: set[str] = set()
    return [r for r in collectives(ctx, track) if not (r.unit_id in seen or seen.add(r.unit_id))]


def _outcomes(results: list, metric_name: str) -> list[str | None]:
    """Each result's outcome of its criterion on ``metric_name`` (None: it has none)."""
    return [next((c.outcome for c in r.criteria if c.metric == metric_name), None) for r in results]


def _staff_charts(ctx: ReportContext) -> list[charts.Chart]:
    staff = _units(ctx, "staff")
    if not staff:
        return []
    names = [r.unit_name for r in staff]
    b, _, label = bound(ctx, "staff", "paid_trainees")
    rb, _, rlabel = bound(ctx, "staff", "refund_rate")
    xb, _, xl = bound(ctx, "staff", "paid_to_registered")
    yb, _, yl = bound(ctx, "staff", "paid_to_target")
    return [
        charts.bars(
            names,
            [charts.Panel("年度缴费人数", [num(metric(r, "paid_trainees")) for r in staff],
                          bound=b, outcomes=_outcomes(staff, "paid_trainees"), bound_label=label,
                          axis_label="人")],
            title="事业单位项目：各单位缴费人数", caption=f"虚线为条件 {label}；蓝色达到，灰色未达到，黄色无法判定。",
            alt=f"各单位事业单位项目缴费人数条形图，虚线为{label}"),
        charts.ratio_scatter(
            names, [num(metric(r, "paid_to_registered")) for r in staff],
            [num(metric(r, "paid_to_target")) for r in staff],
            x_bound=xb, y_bound=yb, x_label="缴费人数 ÷ 注册人数", y_label="缴费人数 ÷ 应培人数",
            passes=[p == q == "pass" for p, q in zip(_outcomes(staff, "paid_to_registered"),
                                                     _outcomes(staff, "paid_to_target"), strict=True)],
            title="事业单位项目：缴费占注册与缴费占应培",
            caption=f"竖虚线为缴费占注册 {xl}，横虚线为缴费占应培 {yl}；右上区域两项均达到。"
                    f"单位较多时只标注最接近同时达到两项的 {charts.LABEL_ALL_POINTS} 个单位，各单位数值见资格矩阵。",
            alt=f"散点图：各单位缴费占注册比例与缴费占应培比例，界线 {xl} 与 {yl}"),
        charts.bars(
            names,
            [charts.Panel("退费率", [num(metric(r, "refund_rate")) for r in staff],
                          bound=rb, outcomes=_outcomes(staff, "refund_rate"), bound_label=rlabel,
                          percent=True)],
            title="事业单位项目：各单位退费率", caption=f"虚线为条件 {rlabel}（退费金额 ÷ 培训总收入）。",
            alt=f"各单位退费率条形图，虚线为{rlabel}"),
    ]


def _professional_charts(ctx: ReportContext) -> list[charts.Chart]:
    prof = _units(ctx, "professional")
    if not prof:
        return []
    names = [r.unit_name for r in prof]
    pb, _, pl = bound(ctx, "professional", "person_times")
    ib, _, il = bound(ctx, "professional", "income")
    return [charts.bars(
        names,
        [charts.Panel("培训人次", [num(metric(r, "person_times")) for r in prof],
                      bound=pb, outcomes=_outcomes(prof, "person_times"), bound_label=pl,
                      axis_label="人次"),
         charts.Panel("培训金额收入（万元）", [num(metric(r, "income")) for r in prof],
                      bound=ib, outcomes=_outcomes(prof, "income"), bound_label=il, axis_label="万元",
                      scale=10000)],
        title="专业技术人员继续教育培训：人次与收入",
        caption=f"虚线分别为 {pl} 与 {il}。",
        alt=f"各单位专技培训人次与收入条形图，虚线为{pl}与{il}")]


def chart_list(ctx: ReportContext) -> list[charts.Chart]:
    """The provincial charts: staff bounds, the months of each track, professional bounds."""
    out = _staff_charts(ctx)
    for track in tracks(ctx):
        if not collectives(ctx, track):
            continue
        months, series = monthly(ctx, track)
        out.append(charts.monthly(
            months, series, scale=10000, axis_label="万元",
            title=f"{TRACK_LABELS.get(track, track)}：按月缴费与退费",
            caption="缴费按支付时间、退费按退费时间归月，单位万元。",
            alt=f"{TRACK_LABELS.get(track, track)}按月缴费与退费金额柱状图"))
    return out + _professional_charts(ctx)


def figures(ctx: ReportContext) -> Fragment:
    return Fragment("".join(c.html() for c in chart_list(ctx)), "图表")

"""The sections of the multi-year index (``reports/index.html``), as HTML fragments:
every year's outcome counts with a link to its report, the province's trends, each
unit's figures across the years against each year's bound, the units that joined or
left, the eligible nominations of every award per year.

Labels: awards and criteria from the years' rules (as ``evaluation.json`` carries
them), metrics from the metric registry, codes from the vocabulary.
"""

from __future__ import annotations

from pathlib import PurePath

from toolkit.metrics.registry import METRICS
from toolkit.outputs import trends
from toolkit.outputs.index import span as sp
from toolkit.outputs.report.format import Fragment, esc, fmt_value, table
from toolkit.vocabulary import OUTCOME_LABELS, TRACK_LABELS, UNIT_CHANGE_LABELS


def years_text(span: list[sp.YearRun]) -> str:
    years = [y.year for y in span]
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}—{years[-1]}"
    return "、".join(str(y) for y in years)


def title(span: list[sp.YearRun]) -> str:
    return f"湖南开放大学培训工作评估 {years_text(span)}年度总览"


def title_block(span: list[sp.YearRun], generated_at: str) -> Fragment:
    return Fragment(
        f"<h1>{esc(title(span))}</h1>"
        f'<p class="muted">本页汇总各年度运行目录中的评估结果（evaluation.json），各年度均按本年度规则文件评估。'
        f"生成时间：{esc(generated_at)}</p>", "标题")


def _link(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def summary(span: list[sp.YearRun], links: dict[int, dict[str, str]]) -> Fragment:
    """One row per award, one column per year: the outcome counts; the last row links
    to each year's report."""
    awards = sp.award_labels(span)
    order = list(OUTCOME_LABELS)
    rows = []
    for key, label in awards.items():
        row = [label]
        for y in span:
            c = (y.evaluation.get("summary") or {}).get(key)
            row.append("—" if not c else " / ".join(str(c.get(o, 0)) for o in order))
        rows.append(row)
    rows.append(["年度报告", *("　".join(_link(href, kind.upper()) for kind, href in links.get(y.year, {}).items())
                              or "—" for y in span)])
    note = (f"<p>各奖项按结论统计的单位（人选）数，依次为{'、'.join(OUTCOME_LABELS.values())}"
            "（需复核：有条件因数据缺失无法判定，或定性条件待评审判断）。末行链接到该年度的完整报告。</p>")
    years = [str(y.year) for y in span]
    return Fragment(note + table(["奖项", *years], rows, num_cols=range(1, len(years) + 1),
                                 raw_cols=range(1, len(years) + 1), col_classes={0: "unit"}), "各年度结论")


def criteria_trend(span: list[sp.YearRun]) -> Fragment:
    """Per collective award: how many units passed each criterion, per year."""
    awards = sp.award_labels(span)
    parts = []
    years = [str(y.year) for y in span]
    for key in sp.collective_awards(span):
        rows = [[label, *("—" if v is None else f"{v[0]} / {v[1]}" for v in per_year)]
                for _cid, label, per_year in sp.criteria_passed(span, key)]
        if rows:
            parts.append(f"<h3>{esc(awards.get(key, key))}</h3>"
                         + table(["条件", *years], rows, num_cols=range(1, len(years) + 1)))
    note = "<p>每格为达到该项条件的单位数 / 参评单位数；“—”表示该年度规则没有这项条件。</p>"
    return Fragment(note + "".join(parts), "各项条件达标单位数")


def province(span: list[sp.YearRun]) -> Fragment:
    """The province's totals per track and year: a table and small multiples."""
    years = [y.year for y in span]
    parts = []
    for track in sp.tracks(span):
        per_metric = sp.totals(span, track)
        per_metric = {m: v for m, v in per_metric.items() if any(x is not None for x in v)}
        if not per_metric:
            continue
        label = TRACK_LABELS.get(track, track)
        rows = [[METRICS[m].header() if m in METRICS else m, *(fmt_value(x, METRICS[m].unit if m in METRICS
                                                                           else None) for x in vals)]
                for m, vals in per_metric.items()]
        panels = [trends.TrendPanel(m, METRICS[m].unit if m in METRICS else "", values=list(v),
                                    bounds=[None] * len(v), outcomes=[None] * len(v))
                  for m, v in per_metric.items()]
        chart = trends.small_multiples(
            years, panels, title=f"全省{label}主要指标",
            alt=f"全省{label}各项指标{years_text(span)}年度变化折线图",
            caption="全省合计：人数、人次、金额与投诉为各单位之和；比例为合计之比（如退费率 = 全省退费金额 ÷ 全省培训总收入）。")
        parts.append(f"<h3>{esc(label)}</h3>"
                     + table(["指标", *map(str, years)], rows, num_cols=range(1, len(years) + 1))
                     + chart.html())
    return Fragment("".join(parts) or "<p>各年度均无集体奖项的评估结果。</p>", "全省合计")


def _unit_links(span: list[sp.YearRun], uid: str, base: dict[int, str]) -> str:
    """Links to the unit's own report of each year that has one (``--per-unit``)."""
    links = [_link(f"{base[y.year]}/{y.unit_reports[uid]}.html", str(y.year)) for y in span
             if uid in y.unit_reports and y.year in base and (y.run_dir / f"{y.unit_reports[uid]}.html").is_file()]
    return f'<p class="muted">本单位各年度报告：{"　".join(links)}</p>' if links else ""


def units(span: list[sp.YearRun], base: dict[int, str] | None = None) -> Fragment:
    """Each unit: per track, its figures across the years against each year's bound;
    with ``base`` (year -> the year's folder relative to the page), links to its own
    reports."""
    years = [y.year for y in span]
    parts = []
    for uid, name in sp.unit_list(span):
        charts_html = [_unit_links(span, uid, base or {})]
        for track in sp.tracks(span):
            entries = [y.entry(track, uid) for y in span]
            if not any(entries):
                continue
            panels = trends.unit_panels(entries)
            if not panels:
                continue
            label = TRACK_LABELS.get(track, track)
            charts_html.append(trends.small_multiples(
                years, panels, title=f"{name}：{label}",
                alt=f"{name}{label}各项指标{years_text(span)}年度变化与各年度界限").html())
        if any(charts_html):
            parts.append(f'<section class="unit-years"><h3>{esc(name)}（{esc(uid)}）</h3>{"".join(charts_html)}'
                         "</section>")
    note = ("<p>每个小图为一项指标的历年数值；红色虚线为该年度规则文件规定的界限，"
            "圆点蓝色为达到、灰色为未达到、黄色为待核实。未参评的年度不画点。</p>")
    return Fragment(note + "".join(parts), "各单位历年情况")


def changes(span: list[sp.YearRun]) -> Fragment:
    rows = []
    for year, before, uid, name, kind in sp.unit_changes(span):
        why = (f"{before}年单位名册中没有，{year}年名册中有" if kind == "joined"
               else f"{before}年单位名册中有，{year}年名册中没有")
        rows.append([str(year), name, uid, UNIT_CHANGE_LABELS[kind], why])
    if not rows:
        return Fragment("<p>各年度单位名册相同，没有新增或退出的单位。</p>", "单位变动")
    return Fragment(table(["年度", "单位", "单位编码", "变动", "说明"], rows,
                          col_classes={0: "nowrap", 1: "unit", 3: "nowrap"}), "单位变动")


def nominations(span: list[sp.YearRun]) -> Fragment:
    """Per award and year: the nominated units and nominees that are eligible."""
    awards = sp.award_labels(span)
    per_year = {y.year: sp.eligible_nominations(y) for y in span}
    rows = []
    for key, label in awards.items():
        cells = []
        for y in span:
            names = per_year[y.year].get(key, [])
            cells.append(f"{len(names)}：" + "、".join(names) if names else "0")
        rows.append([label, *cells])
    note = ("<p>已申报且符合条件的单位（集体奖项）与人选（先进个人、创新创意奖）；"
            "人选的定性条件由评审专家判断，结论多为“需复核”，故此处常为 0。</p>")
    return Fragment(note + table(["奖项", *(str(y.year) for y in span)], rows, col_classes={0: "unit"}),
                    "各奖项历年符合条件的申报")


def sources(span: list[sp.YearRun]) -> Fragment:
    rows = [[str(y.year), PurePath((y.evaluation.get("rules") or {}).get("path", "")).name,
             ((y.evaluation.get("rules") or {}).get("sha256") or "")[:16],
             str(len(y.collective())), str(len(y.registry))] for y in span]
    return Fragment(table(["年度", "规则文件", "规则 SHA-256（前16位）", "集体评估结果数", "名册单位数"], rows,
                          num_cols=(3, 4)), "数据来源")


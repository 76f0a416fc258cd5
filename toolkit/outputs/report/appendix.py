"""The provincial report's closing sections: data quality (a
:class:`~toolkit.outputs.report.frame.ReportTable`: the ledger, one row per input file),
the comparison with the previous year, how the rules were read, and the forms written
(:class:`~toolkit.outputs.report.format.Fragment` HTML: several tables and lists)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.metrics.registry import DEFINED_METRICS, METRICS, metric_label
from toolkit.outputs.report.context import ReportContext, tracks
from toolkit.outputs.report.format import (
    Fragment,
    change,
    esc,
    fmt_bound,
    fmt_ts,
    fmt_value,
    num,
    pp_change,
    table,
)
from toolkit.outputs.report.frame import ReportTable, report_table
from toolkit.vocabulary import REASON_LABELS, TABLE_LABELS, TRACK_LABELS

#: the metrics compared with the previous year, per track (the first per unit too)
COMPARED = {"staff": ("paid_trainees", "registered_trainees", "income", "refunds"),
            "professional": ("person_times", "income", "refunds")}


def data_quality(ctx: ReportContext) -> ReportTable:
    """The ledger per file and quarantine reasons: counts only, never values."""
    rows = []
    for e in ctx.evaluation.ledger:
        exc = e.get("excluded", {}) or {}
        qua = e.get("quarantined", {}) or {}
        rows.append([
            TABLE_LABELS.get(e.get("table"), e.get("table")),
            e.get("file", "") + (f"［{e['sheet']}］" if e.get("sheet") else ""),
            f"{e.get('rows_read', 0):,}", f"{e.get('rows_used', 0):,}",
            f"{sum(exc.values()):,}", f"{sum(qua.values()):,}",
            "；".join(f"{REASON_LABELS.get(k, k)} {v:,}" for k, v in exc.items() if v),
            "；".join(f"{REASON_LABELS.get(k, k)} {v:,}" for k, v in qua.items() if v),
        ])
    out = ""
    missing_tables = list(ctx.evaluation.missing_tables)
    if missing_tables:
        out += ("<p>缺少的可选数据表（相关条件记为“无法判定”）："
                + "、".join(esc(TABLE_LABELS.get(m, m)) for m in missing_tables) + "。</p>")
    q = ctx.quarantine_counts
    if len(q):
        out += "<h4>隔离原因统计</h4>" + table(
            ["数据表", "原因", "行数"],
            [[TABLE_LABELS.get(r.table, r.table), REASON_LABELS.get(r.reason, r.reason), f"{r.n:,}"]
             for r in q.itertuples()], num_cols=(2,))
        out += ('<p class="note">被隔离的行（含文件、行号与原因，证件号与手机号仅保留后四位）见内部文件 '
                "internal/quarantine/，不对外提供。</p>")
    else:
        out += "<p>没有被隔离的数据行。</p>"
    return report_table(["数据表", "文件", "读取行数", "使用", "排除", "隔离", "排除原因", "隔离原因"],
                        rows, cls="ledger", num_cols=(2, 3, 4, 5), col_classes={0: "nowrap"},
                        after=out, label="数据质量")


def _current_metrics(ctx: ReportContext) -> pd.DataFrame:
    return pd.DataFrame([{"track": r.track, "unit_id": r.unit_id, "unit_name": r.unit_name,
                          **(r.metrics or {})} for r in ctx.evaluation.collective])


def _sum(df, col: str) -> float | None:
    if df is None or df.empty or col not in df.columns:
        return None
    s = pd.to_numeric(df[col], errors="coerce")
    return None if s.notna().sum() == 0 else float(s.sum())


def _ratio(a, b):
    return None if a is None or not b else a / b


def _track_rows(prev_year_metrics, cur, keys) -> list[list]:
    o, c = prev_year_metrics, cur
    rows = [["参评单位数", f"{len(o):,}", f"{len(c):,}", change(len(o), len(c))]]
    for m in keys:
        a, b = _sum(o, m), _sum(c, m)
        unit = "yuan" if m in ("income", "refunds") else None
        rows.append([metric_label(m), fmt_value(a, unit), fmt_value(b, unit), change(a, b)])
    if "income" in keys:
        ra = _ratio(_sum(o, "refunds"), _sum(o, "income"))
        rb = _ratio(_sum(c, "refunds"), _sum(c, "income"))
        rows.append(["整体退费率", fmt_value(ra, "fraction"), fmt_value(rb, "fraction"),
                     pp_change(ra, rb)])
    return rows


def year_over_year(ctx: ReportContext) -> Fragment:
    prev = ctx.previous
    if prev is None:
        return Fragment(f"<p>{esc(ctx.previous_note or '无上一年度数据，不作同比。')}</p>", "同比")
    cur = _current_metrics(ctx)
    old = prev.metrics
    parts = [f"<p>上一年度（{prev.year}年）：{esc(prev.period)}。仅比较指标，不比较评审结论。</p>"]
    for track in tracks(ctx):
        c = cur[cur["track"] == track] if len(cur) else cur
        o = old[old["track"] == track] if len(old) else old
        if c.empty and o.empty:
            continue
        keys = COMPARED.get(track, ())
        parts.append(f"<h3>{esc(TRACK_LABELS.get(track, track))}</h3>" + table(
            ["指标", f"{prev.year}年", f"{ctx.year}年", "变化"], _track_rows(o, c, keys), num_cols=(1, 2, 3)))
        main = keys[0] if keys else None
        if main and not c.empty:  # per unit, the main measure
            merged = pd.merge(c[["unit_id", "unit_name", main]], o[["unit_id", main]] if main in o else
                              pd.DataFrame(columns=["unit_id", main]), on="unit_id", how="left",
                              suffixes=("", "_prev"))
            urows = [[f"{r.unit_name}（{r.unit_id}）", fmt_value(getattr(r, f"{main}_prev")),
                      fmt_value(getattr(r, main)), change(num(getattr(r, f"{main}_prev")),
                                                          num(getattr(r, main)))]
                     for r in merged.itertuples()]
            parts.append(table(["单位", f"{prev.year}年{metric_label(main)}",
                                f"{ctx.year}年{metric_label(main)}", "变化"], urows, num_cols=(1, 2, 3)))
            gone = o[~o["unit_id"].isin(set(c["unit_id"]))] if len(o) else o
            if len(gone):
                parts.append("<p>上一年度参评、本年度未参评的单位（不在上表中）："
                             + "、".join(esc(f"{r.unit_name or r.unit_id}（{r.unit_id}）")
                                        for r in gone.itertuples()) + "。</p>")
    return Fragment("".join(parts), "同比")


def rules_section(ctx: ReportContext) -> Fragment:
    """How the rules were read: the period, each award's bounds with clause and wording,
    and how each metric is counted."""
    r = ctx.rules
    parts = [
        "<ul>"
        f"<li>统计期间：{esc(fmt_ts(r.period_start))} 至 {esc(fmt_ts(r.period_end))}，北京时间，起止时刻均含。</li>"
        f"<li>数据截止：{esc(fmt_ts(getattr(r, 'cutoff', r.period_end)))}；截止日后的退费不计入退费率，单独提示。</li>"
        f"<li>合同与从事培训工作的月数计算至 {esc(fmt_value(r.as_of))}：起始日加满月数（月末对齐）不晚于该日即为“满”。</li>"
        "<li>界限用语按《民法典》第一千二百五十九条：“以上、以下、以内、届满”含本数，“不满、超过、以外”不含本数。</li>"
        "</ul>"
    ]
    for a in r.awards.values():
        rows = [[c.label, c.clause, c.wording,
                 "定性，由评审专家判断" if c.qualitative else fmt_bound(c.op, c.bound_number(), c.unit)]
                for c in a.criteria]
        parts.append(f"<h4>{esc(a.label)}（{esc(a.clause)}）</h4>"
                     + table(["条件", "条款", "通知原文", "判定"], rows))
    defs = [[METRICS[k].label, METRICS[k].definition, METRICS[k].unknown_when] for k in DEFINED_METRICS]
    parts.append("<h4>指标口径</h4>" + table(["指标", "口径", "无法判定的情形"], defs))
    parts.append(f'<p class="note">规则文件 {esc(Path(r.path).name)}，SHA-256：'
                 f"<code>{esc(r.sha256)}</code></p>")
    return Fragment("".join(parts), "规则")


def forms_list(ctx: ReportContext) -> Fragment:
    d = ctx.out_dir / "forms" if ctx.out_dir else None
    files = sorted(p.name for p in d.iterdir() if p.is_file()) if d and d.is_dir() else []
    if not files:
        return Fragment("<p>本次运行未生成表格。</p>", "表格")
    return Fragment("<p>以下文件位于报告目录的 forms/ 下：</p><ol>"
                    + "".join(f"<li>{esc(f)}</li>" for f in files) + "</ol>", "表格")

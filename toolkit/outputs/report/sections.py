"""The provincial report's sections on results: the title block, the summary, the
eligibility matrices, the flags, the near misses and the nominees' screening.

The tables (:func:`matrix`, :func:`flags`, :func:`near_misses`, :func:`nominees`) are
:class:`~toolkit.outputs.report.frame.ReportTable` DataFrames; the title block, the
summary cards and :func:`matrices` (a heading per track) are
:class:`~toolkit.outputs.report.format.Fragment` HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.outputs.report.context import (
    ReportContext,
    award,
    collectives,
    criterion,
    rule,
    tracks,
)
from toolkit.outputs.report.format import (
    Fragment,
    badge,
    esc,
    fmt_bound,
    fmt_shortfall,
    fmt_ts,
    fmt_value,
    keep_dates,
    missing,
    now_text,
    redact,
)
from toolkit.outputs.report.frame import ReportTable, html_of, report_table
from toolkit.vocabulary import (
    CRITERION_MARKS,
    FLAG_LABELS,
    NOMINATED_LABELS,
    OUTCOME_LABELS,
    TRACK_LABELS,
    TRACK_SHORT,
)

#: near misses shown in the report: units that failed at most this many criteria
NEAR_MISS_MAX_FAILED = 2


def report_title(ctx: ReportContext, unit_id: str | None = None) -> str:
    if unit_id is not None:
        return f"{ctx.unit_name(unit_id)} · {ctx.year}年度培训工作评估"
    return f"湖南开放大学{ctx.year}年度培训工作评估报告"


def title_block(ctx: ReportContext, unit_id: str | None = None) -> Fragment:
    """The title and what was evaluated. The provincial report keeps it short (the
    rules file's hash, the data folder and the tool's version are in the provenance note
    at its end, :func:`provenance`); a unit report keeps them here."""
    r = ctx.rules
    rows = [
        ("评估年度", f"{ctx.year}年"),
        ("统计期间", f"{fmt_ts(r.period_start)} 至 {fmt_ts(r.period_end)}（北京时间，含起止时刻）"),
        ("数据截止", fmt_ts(getattr(r, "cutoff", r.period_end))),
        ("生成时间", ctx.generated_at or now_text()),
    ]
    if unit_id is not None:
        rows[3:3] = [("月数计算截止日", fmt_value(r.as_of))]
        rows += provenance_rows(ctx)
    if unit_id is None:  # one line: the decision follows on the same page
        line = "　".join(f"{esc(k)}：{keep_dates(esc(v))}" for k, v in rows)
        return Fragment(f'<header class="title-block"><h1>{esc(report_title(ctx))}</h1>'
                        f'<p class="meta-line">{line}</p></header>', "标题")
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    return Fragment(
        f'<header class="title-block"><h1>{esc(report_title(ctx, unit_id))}</h1>'
        f'<table class="meta"><tbody>{body}</tbody></table></header>', "标题")


def provenance_rows(ctx: ReportContext) -> list[tuple[str, str]]:
    r = ctx.rules
    return [("规则文件", f"{Path(r.path).name}（SHA-256 {r.sha256}）"),
            ("数据目录", f"{ctx.data_dir_name}（输入文件所在的文件夹名）"),
            ("工具版本", f"toolkit {__version__}")]


def provenance(ctx: ReportContext) -> Fragment:
    """A short note at the end of the report: which rules file, data folder and tool
    version made it."""
    items = "".join(f"<li>{esc(k)}：{esc(v)}</li>" for k, v in provenance_rows(ctx))
    return Fragment(f'<section class="provenance note"><p>本报告的来源：</p><ul>{items}</ul></section>', "来源")


def _collective_heads(ctx: ReportContext) -> list[tuple[str, str, str | None]]:
    """(track, heading, award key) of every collective award, track by track: the
    heading is the track's, or the award's label where a track has several (key None:
    no rules to say, every result of the track)."""
    out = []
    for t in tracks(ctx):
        awards = ctx.rules.awards_of("collective", t) if getattr(ctx, "rules", None) is not None else []
        if len(awards) <= 1:
            out.append((t, TRACK_LABELS.get(t, t), awards[0].key if awards else None))
        else:
            out += [(t, a.label, a.key) for a in awards]
    return out


def summary(ctx: ReportContext) -> Fragment:
    parts = []
    for track, head, key in _collective_heads(ctx):
        rs = [r for r in collectives(ctx, track) if key is None or r.award == key]
        counts = {k: sum(1 for r in rs if r.outcome == k) for k in OUTCOME_LABELS}
        n_near = sum(1 for r in rs if len(r.failed) == 1)  # the near misses that failed one criterion
        cards = [("参评单位", len(rs)), (OUTCOME_LABELS["eligible"], counts["eligible"]),
                 (OUTCOME_LABELS["needs_review"], counts["needs_review"]),
                 (OUTCOME_LABELS["not_eligible"], counts["not_eligible"]), ("仅差一项", n_near)]
        card_html = "".join(
            f'<div class="card"><div class="n">{n}</div><div>{esc(label)}</div></div>'
            for label, n in cards)
        eligible = [r for r in rs if r.outcome == "eligible"]
        if eligible:
            names = "".join(f"<li>{esc(r.unit_name)}（{esc(r.unit_id)}）"
                            f"，{NOMINATED_LABELS[bool(r.nominated)]}</li>" for r in eligible)
            listing = f"<p>符合全部量化条件的单位：</p><ol>{names}</ol>"
        else:
            listing = "<p>本项目没有单位符合全部量化条件。</p>"
        review = [r for r in rs if r.outcome == "needs_review"]
        if review:
            listing += (f"<p>{OUTCOME_LABELS['needs_review']}（部分条件因数据缺失无法判定）："
                        + "、".join(esc(r.unit_name) for r in review) + "</p>")
        parts.append(f"<h3>{esc(head)}</h3>"
                     f'<div class="summary-cards">{card_html}</div>{listing}')
    return Fragment("".join(parts), "汇总")


def _cell(c) -> tuple[str, str]:
    """A criterion's mark and value, with its reason in words beside a ✗ or ?."""
    mark = CRITERION_MARKS.get(c.outcome, "?")
    shown = fmt_value(c.value, c.unit) if not missing(c.value) else ""
    text = f"{mark} {shown}".strip()
    if c.outcome != "pass" and c.reason:
        text = f"{text}：{c.reason}"
    return (text, c.outcome)


def matrix(ctx: ReportContext, track: str, unit_id: str | None = None, award_key: str | None = None) -> ReportTable:
    """Units × criteria of a collective award (``award_key``; default the track's first):
    ✓ pass, ✗ fail, ? unknown, each with the value."""
    a = ctx.rules.awards.get(award_key) if award_key is not None else award(ctx, "collective", track)
    rs = [r for r in collectives(ctx, track) if a is None or r.award == a.key]
    if unit_id is not None:
        rs = [r for r in rs if r.unit_id == unit_id]
    if a is None or not rs:
        return report_table(["单位", "结论"], [], empty="<p>本项目无参评单位。</p>", label="资格矩阵")
    crits = list(a.criteria)
    # 结论 next to 单位: it stays in view however wide the table is
    # the bound on a line of its own under the condition (no brackets inside brackets)
    headers = ["单位", "结论"] + [f"{c.label}\n{fmt_bound(c.op, c.bound_number(), c.unit, wan=False)}"
                                  for c in crits]
    rows = []
    for r in rs:
        row: list[Any] = [f"{r.unit_name}（{r.unit_id}）", badge(r.outcome)]
        for c in crits:
            found = criterion(r, c.id)
            row.append(_cell(found) if found is not None else ("?：本单位无此项结果", "unknown"))
        rows.append(row)
    legend = '<p class="note">✓ 达到　✗ 未达到　? 无法判定（数据缺失或分母为零）；比值不四舍五入比较，显示到0.01%。</p>'
    return report_table(headers, rows, cls="matrix", num_cols=range(2, len(crits) + 2),
                        raw_cols={1}, col_classes={0: "unit", 1: "outcome"}, after=legend, label="资格矩阵")


def matrices(ctx: ReportContext) -> Fragment:
    """The matrix of every collective award, each under its heading (the track's, or
    the award's label where a track has several collective awards)."""
    parts = []
    for t in tracks(ctx):
        awards = ctx.rules.awards_of("collective", t)
        for a in awards:
            head = TRACK_LABELS.get(t, t) if len(awards) == 1 else a.label
            parts.append(f"<h3>{esc(head)}</h3>{html_of(matrix(ctx, t, award_key=a.key))}")
    return Fragment("".join(parts), "资格矩阵")


_FLAG_HEADERS = ("类别", "项目", "单位", "数值", "界限", "说明")


def flags(ctx: ReportContext, unit_id: str | None = None) -> ReportTable:
    fl = [f for f in ctx.evaluation.flags if unit_id is None or f.unit_id == unit_id]
    if not fl:
        return report_table(_FLAG_HEADERS, [], empty="<p>未发现退费、投诉或数据方面需要提示的情况。</p>",
                            label="提示")
    rows = []
    for f in fl:
        unit = f"{ctx.unit_name(f.unit_id)}（{f.unit_id}）" if f.unit_id else "—"
        shown = "fraction" if f.unit == "fraction" else None  # shares as percentages, other numbers plain
        rows.append([
            FLAG_LABELS.get(f.kind, f.kind), TRACK_SHORT.get(f.track, f.track or "—"),
            unit, fmt_value(f.value, shown) if not missing(f.value) else "",
            fmt_value(f.bound, shown) if not missing(f.bound) else "",
            redact(f.message or ""),
        ])
    counts: dict[str, int] = {}
    for f in fl:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    head = "；".join(f"{FLAG_LABELS.get(k, k)} {n} 条" for k, n in counts.items())
    return report_table(_FLAG_HEADERS, rows, cls="flags", num_cols=(3, 4),
                        col_classes={0: "nowrap", 1: "nowrap", 2: "unit"}, label="提示",
                        before=f"<p>共 {len(fl)} 条提示：{esc(head)}。提示不改变评审结论，结论只由条件决定。</p>")


_NEAR_HEADERS = ("项目", "单位", "未达到的条件", "实际值", "界限", "差距", "申报")


def near_misses(ctx: ReportContext) -> ReportTable:
    """Units that failed one or two criteria, closest first, with the shortfalls."""
    nm = [m for m in ctx.evaluation.near_misses if m.failed_count <= NEAR_MISS_MAX_FAILED]
    rest = len(ctx.evaluation.near_misses) - len(nm)
    rows = []
    for m in nm:
        for i, f in enumerate(m.failed):
            rc = rule(ctx, m.track, f.get("id"))  # a near miss names its track, not its award
            unit = rc.unit if rc else None
            first = i == 0
            rows.append([
                TRACK_SHORT.get(m.track, m.track) if first else "",
                f"{m.unit_name or m.unit_id}（{m.unit_id}）" if first else "",
                f.get("label") or f.get("id"), fmt_value(f.get("value"), unit),
                fmt_bound(rc.op if rc else None, f.get("bound"), unit, wan=False),
                fmt_shortfall(f.get("shortfall"), f.get("unit"), f.get("shortfall_unit")),
                NOMINATED_LABELS[bool(m.nominated)] if first else "",
            ])
    after = (f'<p class="note">另有 {rest} 个单位未达到三项或以上条件，'
             "完整排序见 tables/ 中的接近达标表。</p>") if rest > 0 else ""
    return report_table(_NEAR_HEADERS, rows, cls="near-misses", num_cols=(3, 4, 5),
                        col_classes={0: "nowrap", 1: "unit", 6: "nowrap"}, after=after,
                        empty="<p>没有仅差一两项条件的单位。</p>", label="接近达标")


#: the nominees' column of the qualitative conditions not decided yet, before and after the review
LEFT_HEADERS = {False: "留待评审", True: "尚待评审"}
#: a qualitative condition the reviewers decided, as its mark says
DECIDED_MARK = "（评审）"


def nominees(ctx: ReportContext, part: str = "individual", unit_id: str | None = None) -> ReportTable:
    """The individual or innovation screening. Before the review every qualitative
    condition is left for the reviewers; after it, those they decided are marked with
    the others (``…（评审）``) and only the open ones are left, and the note says which."""
    items = [n for n in getattr(ctx.evaluation, part) if unit_id is None or n.unit_id == unit_id]
    reviewed = any(c.kind == "qualitative" and c.outcome in ("pass", "fail")
                   for n in getattr(ctx.evaluation, part) for c in n.criteria)
    headers = ["项目"] + (["被推荐人"] if part != "innovation" else []) + [
        "推荐单位", "量化条件" if not reviewed else "已判定的条件", LEFT_HEADERS[reviewed], "结论"]
    if not items:
        return report_table(headers, [], empty="<p>无此类推荐。</p>", label=part)
    rows = []
    qualitative: set[str] = set()
    decided = open_ = 0
    for n in items:
        marks, left = [], []
        for c in n.criteria:
            lab = c.label or c.id
            if c.kind == "qualitative" and c.outcome not in ("pass", "fail"):
                left.append(lab + (f"（{c.reason}）" if reviewed and c.reason else ""))
                qualitative.add(lab)
                open_ += 1
                continue
            if c.kind == "qualitative":
                qualitative.add(lab)
                decided += 1
                marks.append(f"{CRITERION_MARKS.get(c.outcome, '?')} {lab}{DECIDED_MARK}")
                continue
            shown = f" {fmt_value(c.value, c.unit)}" if not missing(c.value) else ""
            why = f"（{c.reason}）" if c.outcome != "pass" and c.reason else ""
            marks.append(f"{CRITERION_MARKS.get(c.outcome, '?')} {lab}{shown}{why}")
        row = [TRACK_SHORT.get(n.track, n.track)]
        if part != "innovation":
            row.append(n.nominee or "")
        row += [f"{ctx.unit_name(n.unit_id)}（{n.unit_id}）" if n.unit_id else "—", "；".join(marks),
                "、".join(left) or "—", badge(n.outcome or "needs_review")]
        rows.append(row)
    names = esc("、".join(sorted(qualitative)))
    if not qualitative:
        note = ""
    elif reviewed:
        note = (f'<p class="note">量化条件由系统核对，{names}等定性条件由评审专家判断：已判定 {decided} 项'
                f"（标“{DECIDED_MARK.strip('（）')}”），尚待评审 {open_} 项。其余条件均达到、仅差待评审条件的推荐，"
                f"结论为“{OUTCOME_LABELS['needs_review']}”。✓ 达到　✗ 未达到　? 无法判定。</p>")
    else:
        note = (f'<p class="note">量化条件由系统核对；{names}等定性条件由评审专家判断，评审前结论至多为'
                f"“{OUTCOME_LABELS['needs_review']}”。✓ 达到　✗ 未达到　? 无法判定。</p>")
    unit_col = 1 if part == "innovation" else 2
    classes = {0: "nowrap", unit_col: "unit", len(headers) - 1: "nowrap"}
    if part != "innovation":
        classes[1] = "person"
    return report_table(headers, rows, cls="nominees", raw_cols={len(headers) - 1},
                        col_classes=classes, after=note, label=part)

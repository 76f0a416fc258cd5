"""The report's first pages: once the review has decided, the final list
(:mod:`toolkit.outputs.report.final_list`); the decision a leader signs (:func:`shortlist`, 拟表彰名单
（初审）: per award of the rules file, who meets every checked condition, who needs
review and why, who does not and the first reason, and whether each applied), then the
risks to see before signing (:func:`risks`: anything that could flip an outcome)."""

from __future__ import annotations

from toolkit.outputs.report import final_list
from toolkit.outputs.report.context import ReportContext
from toolkit.outputs.report.format import Fragment, esc, fmt_bound, fmt_value, table
from toolkit.outputs.report.shortlist import (
    UNACCEPTED_LABEL,
    first_reason,
    shortfall,
    unknown_reasons,
)
from toolkit.vocabulary import (
    FLAG_LABELS,
    NOMINATED_LABELS,
    OUTCOME_LABELS,
    RISK_LABELS,
    TRACK_LABELS,
)

#: a condition met by at most this much is a risk: days of a period, a share of the
#: bound for counts and money (bounds of 100 or more), percentage points of a share
NARROW_DAYS = 31
NARROW_SHARE = 0.02
NARROW_POINTS = 0.5


#: a line of the first page names at most this many; more become a table
LINE_MAX = 5
#: the first page's table of what an award's units or nominees lack
SHORT_HEADERS = ("单位", "申报", "未达到的条件（首项）", "未达到项数")
NOMINEE_SHORT_HEADERS = ("推荐对象", "未达到的条件（首项）", "未达到项数")
REVIEW_HEADERS = ("单位或推荐对象", "待核实的条件")
#: the heading of those tables, after every award's names
FAIL_TABLES = "未达到条件的单位"


def _entries(items) -> str:
    """``name（note）`` entries joined, or 无; ``name：note`` joined by ；where a note has
    brackets of its own (never brackets inside brackets)."""
    if not items:
        return "无"
    if any("（" in str(note) for _name, note in items):
        return "；".join(f"<b>{esc(name)}</b>：{esc(note)}" for name, note in items)
    return "、".join(f"<b>{esc(name)}</b>（{esc(note)}）" for name, note in items)


def _line(outcome: str, items, note: str = "") -> str:
    # the names a leader signs (符合条件) or must settle (需复核) are set large
    lead = " lead" if outcome != "not_eligible" else ""
    return (f'<p class="decision-line{lead}"><span class="badge {outcome}">{esc(OUTCOME_LABELS[outcome])}</span>'
            f" {len(items)} 个{esc(note)}：{_entries(items)}</p>")


def _count_head(outcome: str, n: int, note: str = "") -> str:
    return f'<span class="badge {outcome}">{esc(OUTCOME_LABELS[outcome])}</span> {n} 个{esc(note)}'


def _review(items) -> str:
    """需复核: a line, or a table (never folded) when there are many."""
    if len(items) <= LINE_MAX:
        return _line("needs_review", items)
    return (f'<p class="decision-line lead">{_count_head("needs_review", len(items))}：</p>'
            + table(REVIEW_HEADERS, items, cls="decision-table", col_classes={0: "unit"}))


def _not_eligible(rows, headers, line_items, later: list[str], label: str, note: str = "") -> str:
    """不符合条件: a short line; or, when many, a line with the count here and a compact
    table (what is lacking first, how much in all) at the end of the section (``later``),
    folded on screen, printed in full, so that every award's names stay on page one."""
    if len(rows) <= LINE_MAX and sum(len(str(n)) + len(str(t)) for n, t in line_items) < 200:
        return _line("not_eligible", line_items, note)
    anchor = f"decision-fail-{len(later) + 1}"
    later.append(f'<details class="decision-fold" id="{anchor}"><summary><b>{esc(label)}</b>　'
                 f'{_count_head("not_eligible", len(rows), note)}'
                 f'<span class="fold-hint">（展开查看各单位未达到的条件）</span></summary>'
                 + table(headers, rows, cls="decision-table", num_cols=(len(headers) - 1,),
                         col_classes={0: "unit"}) + "</details>")
    return (f'<p class="decision-line">{_count_head("not_eligible", len(rows), note)}：'
            f'各单位未达到的条件见本节末<a href="#{anchor}">表</a>。</p>')


def _collective_block(ctx: ReportContext, award, later: list[str]) -> str:
    rs = [r for r in ctx.evaluation.collective if r.award == award.key]
    by = {k: [r for r in rs if r.outcome == k] for k in OUTCOME_LABELS}
    applied = lambda r: NOMINATED_LABELS[bool(r.nominated)]  # noqa: E731
    name = lambda r: r.unit_name or r.unit_id  # noqa: E731
    # the units that applied first, then those closest to qualifying
    failing = sorted(by["not_eligible"], key=lambda r: (not r.nominated, shortfall(r.criteria)[1]))
    rows = [[name(r), applied(r), *shortfall(r.criteria)] for r in failing]
    return "".join([
        _line("eligible", [(name(r), applied(r)) for r in by["eligible"]]),
        _review([(name(r), f"{applied(r)}；{unknown_reasons(r.criteria)}") for r in by["needs_review"]]),
        # many units, few of them applied: only those are marked, and the line says so
        _not_eligible(rows, SHORT_HEADERS,
                      [(name(r), (f"{applied(r)}；" if r.nominated else "") + first_reason(r.criteria, "fail"))
                       for r in failing], later, award.label,
                      f"（除注明{NOMINATED_LABELS[True]}者外均{NOMINATED_LABELS[False]}）"),
    ])


def _nominee_block(ctx: ReportContext, award, later: list[str]) -> str:
    items = [n for n in getattr(ctx.evaluation, award.kind, []) if n.category == award.key]

    def name(n) -> str:
        unit = ctx.unit_name(n.unit_id) if n.unit_id else (n.unit_name or "—")
        if award.kind == "innovation" or not n.nominee or n.nominee == unit:
            return unit
        return f"{n.nominee}（{unit}）"

    by = {k: [n for n in items if (n.outcome or "needs_review") == k] for k in OUTCOME_LABELS}
    failing = sorted(by["not_eligible"], key=lambda n: shortfall(n.criteria)[1])
    return "".join([
        _line("eligible", [(name(n), NOMINATED_LABELS[True]) for n in by["eligible"]]),
        _review([(name(n), unknown_reasons(n.criteria)) for n in by["needs_review"]]),
        _not_eligible([[name(n), *shortfall(n.criteria)] for n in failing], NOMINEE_SHORT_HEADERS,
                      [(name(n), first_reason(n.criteria, "fail")) for n in failing], later, award.label),
    ])


def _unaccepted_block(ctx: ReportContext) -> str:
    u = ctx.unaccepted
    if u is None or not len(u):
        return ""
    items = [(r.unit_name or "单位不明",
              f"推荐类别填写为“{r.category}”：{r.reason}" + (f"；最接近“{r.nearest}”" if r.nearest else ""))
             for r in u.itertuples()]
    return (f'<h3>{UNACCEPTED_LABEL}</h3><p class="decision-line">{len(items)} 份推荐表无法对应奖项，'
            f"未参加评选：{_entries(items)}</p>")


def shortlist(ctx: ReportContext) -> Fragment:
    """拟表彰名单（初审）: every award of the rules file, in its order."""
    parts = ['<section class="decision" id="decision"><h2>拟表彰名单（初审）</h2>'
             '<p class="note">按规则文件逐项核对量化条件的初审结果；集体奖项注明是否已提交推荐表'
             f"（{NOMINATED_LABELS[True]} / {NOMINATED_LABELS[False]}），个人与创新创意奖均为已申报的推荐。"
             "定性条件由评审专家判断。</p>"]
    later: list[str] = []  # the tables of the units that fail, after every award's names
    for a in ctx.rules.awards.values():
        body = _collective_block(ctx, a, later) if a.kind == "collective" else _nominee_block(ctx, a, later)
        parts.append(f"<h3>{esc(a.label)}</h3>{body}")
    parts.append(_unaccepted_block(ctx))
    if later:
        parts.append(f'<h3 class="fail-tables">{FAIL_TABLES}</h3>' + "".join(later))
    parts.append("</section>")
    # after the review, the final list comes first (empty before it)
    return final_list.section(ctx) + Fragment("".join(parts), "拟表彰名单")


# --- risks --------------------------------------------------------------------------


def _outcome_of(ctx: ReportContext, track: str | None, unit_id: str | None) -> str:
    r = ctx.evaluation.unit(track, unit_id) if track and unit_id else None
    return OUTCOME_LABELS.get(r.outcome, r.outcome) if r is not None else ""


def _late_refund_risks(ctx: ReportContext) -> list[tuple[str, str]]:
    """Units that pass the refund bound now but would breach it with the refunds dated
    after the cut-off (as the flag judged it: only tracks whose collective award has a
    refund criterion carry the rate if counted)."""
    out = []
    for f in ctx.evaluation.flags:
        counted = f.if_counted
        if f.kind != "refunds_after_cutoff" or not f.unit_id or counted is None or not counted.breach:
            continue
        r = ctx.evaluation.unit(f.track, f.unit_id)
        if r is None or r.outcome == "not_eligible":
            continue
        now = (r.metrics or {}).get("refund_rate")
        text = (f"{ctx.unit_name(f.unit_id)}（{TRACK_LABELS.get(f.track, f.track)}，"
                f"{OUTCOME_LABELS.get(r.outcome, r.outcome)}）：退费率 {fmt_value(now, 'fraction')}；"
                f"截止日后另有 {f.count or 0:,} 笔退费（{fmt_value(f.amount, f.unit)} 元），"
                f"若计入，退费率为 {fmt_value(float(counted.rate), 'fraction')}，"
                f"超过条件 {fmt_bound(counted.op, float(counted.bound), 'fraction')}。")
        out.append((FLAG_LABELS["refunds_after_cutoff"], text))
    return out


def _narrow(c) -> bool:
    """A pass by a narrow margin, read from the margin's unit code: at most
    :data:`NARROW_DAYS` days, under :data:`NARROW_POINTS` percentage points, or under
    :data:`NARROW_SHARE` of a bound of 100 or more (counts, money)."""
    code = c.margin_code
    if c.outcome != "pass" or code is None or c.op not in (">=", ">", "<=", "<"):
        return False
    if c.metric == "refund_rate":
        return False  # the refund rate near its limit is a flag of its own
    m = float(c.margin)
    if code == "days":
        return m <= NARROW_DAYS
    if code == "points":
        return m < NARROW_POINTS
    try:
        b = float(c.bound)
    except (TypeError, ValueError):
        return False
    return b >= 100 and m < NARROW_SHARE * b


def _narrow_risks(ctx: ReportContext) -> list[tuple[str, str]]:
    """Conditions of an eligible or needs-review unit that are met by a narrow margin."""
    out = []
    for r in ctx.evaluation.collective:
        if r.outcome == "not_eligible":
            continue
        for c in r.criteria:
            if _narrow(c):
                margin = f"{float(c.margin):,.2f}".rstrip("0").rstrip(".")
                out.append((RISK_LABELS["narrow_margin"],
                            f"{ctx.unit_name(r.unit_id)}（{TRACK_LABELS.get(r.track, r.track)}，"
                            f"{OUTCOME_LABELS.get(r.outcome, r.outcome)}）：{c.label}，仅余 {margin} {c.margin_unit}。"))
    return out


def _flag_risks(ctx: ReportContext) -> list[tuple[str, str]]:
    out = []
    for f in ctx.evaluation.flags:
        if f.kind == "refund_rate_near_limit":
            r = ctx.evaluation.unit(f.track, f.unit_id)
            if r is None or r.outcome == "not_eligible":
                continue
        elif f.kind == "unresolved_complaint":
            pass
        elif f.kind == "quarantined_rows" and f.table == "nominations":
            if ctx.unaccepted is not None and len(ctx.unaccepted):
                continue  # listed one by one below
        else:
            continue
        who = ctx.unit_name(f.unit_id) if f.unit_id else ""
        state = _outcome_of(ctx, f.track, f.unit_id)
        head = f"{who}（{state}）：" if who and state else (f"{who}：" if who else "")
        out.append((FLAG_LABELS.get(f.kind, f.kind), head + (f.message or "")))
    return out


def risks(ctx: ReportContext) -> Fragment:
    """What a reader must see before signing: refunds after the cut-off that would breach
    the bound if counted, a condition met by a narrow margin, a refund rate near its limit, an unresolved complaint, a
    nomination that could not be used."""
    items = _late_refund_risks(ctx) + _narrow_risks(ctx) + _flag_risks(ctx)
    u = ctx.unaccepted
    for r in (u.itertuples() if u is not None else ()):
        items.append((UNACCEPTED_LABEL, f"{r.unit_name or '单位不明'}：推荐类别“{r.category}”无法识别（{r.reason}）"
                                        + (f"，最接近“{r.nearest}”" if r.nearest else "") + "，未参加评选。"))
    head = '<section class="risks" id="risks"><h2>签批前请注意</h2>'
    if not items:
        return Fragment(head + "<p>没有可能改变初审结论的情况。</p></section>", "风险")
    lis = "".join(f"<li><b>{esc(k)}</b>　{esc(v)}</li>" for k, v in items)
    return Fragment(head + "<p>以下情况可能改变初审结论或需要先核实（提示本身不改变结论）：</p>"
                    f"<ul>{lis}</ul></section>", "风险")

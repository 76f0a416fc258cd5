"""The plan's report sections (``notebooks/planning.ipynb`` displays them): the title,
the rules changes, the outcome counts side by side, the units and nominees whose outcome
changes and why, and per numeric criterion the sensitivity table and chart.

The tables are :class:`~toolkit.outputs.report.frame.ReportTable` frames, the rest
:class:`~toolkit.outputs.report.format.Fragment` HTML; text from data is escaped by the
report's own helpers. The chart is drawn with the report's chart machinery
(:mod:`toolkit.outputs.charts`: CJK font, PNG data URI).
"""

from __future__ import annotations

from toolkit.outputs.charts import (
    BOUND_COLOUR,
    PASS_COLOUR,
    SERIES_COLOURS,
    new_figure,
    render,
    set_value_axis,
    with_cjk_font,
)
from toolkit.outputs.report.format import Fragment, badge, esc, fmt_bound
from toolkit.outputs.report.frame import report_table
from toolkit.plan.compute import PlanResult
from toolkit.rules.diff import value_text
from toolkit.vocabulary import (
    CHANGE_LABELS,
    CRITERION_OUTCOME_LABELS,
    NOMINATED_LABELS,
    OUTCOME_LABELS,
    PLAN_LABELS,
    TRACK_LABELS,
)

OUTCOMES = ("eligible", "needs_review", "not_eligible")


def title(result: PlanResult) -> str:
    return f"{result.year}年度评选规则测算：{result.name}"


def title_block(result: PlanResult) -> Fragment:
    rows = "".join(
        f"<tr><th scope=\"row\">{esc(PLAN_LABELS[side])}</th><td>{esc(d['path'])}</td>"
        f"<td><code>{esc(d['sha256'][:16])}</code></td></tr>"
        for side, d in (("current", result.current), ("candidate", result.candidate)))
    files = list(getattr(result, "review_files", None) or [])
    review = (f"<p>定性条件按已交回的 {len(files)} 份评审意见（{esc('、'.join(files))}）判定，现行规则与拟议规则"
              "各按其评审规则（review）合并评审结论。</p>" if files else
              "<p>尚无评审意见（评审意见/）：定性条件在两种规则下均为待评审，本测算只比较量化条件的初筛结果。</p>")
    return Fragment(f"<h1>{esc(title(result))}</h1><div class=\"table-wrap\"><table class=\"meta\">"
                    f"<tbody>{rows}</tbody></table></div>{review}", "title")


def rule_changes(result: PlanResult):
    """What the candidate changes in the rules (``toolkit rules --diff``)."""
    rows = [(CHANGE_LABELS[c["kind"]], c["text"]) for c in result.rule_changes]
    return report_table(("变化", "内容"), rows, empty="<p>拟议规则与现行规则相同。</p>", label="rule_changes")


def _count(summary, outcome) -> str:
    return "—" if summary is None else str(summary.get(outcome, 0))


def summary(result: PlanResult):
    """Per award: the outcome counts under both rules and how many change."""
    rows = []
    for a in result.awards:
        s0, s1 = a["summary"]["current"], a["summary"]["candidate"]
        rows.append((a["label"], *(f"{_count(s0, o)} → {_count(s1, o)}" for o in OUTCOMES), len(a["changes"])))
    headers = ("奖项", *(f"{OUTCOME_LABELS[o]}（{PLAN_LABELS['current']} → {PLAN_LABELS['candidate']}）"
                         for o in OUTCOMES), "结论变化")
    return report_table(headers, rows, num_cols=(1, 2, 3, 4), label="summary")


def _side(c: dict | None) -> str:
    if c is None:
        return "（无此条件）"
    return (f"{CRITERION_OUTCOME_LABELS.get(c['outcome'], c['outcome'])}：{c['explanation']}"
            if c.get("explanation") else CRITERION_OUTCOME_LABELS.get(c["outcome"], c["outcome"]))


def _outcome(o: str | None) -> str:
    return badge(o) if o else esc(PLAN_LABELS["not_evaluated"])


def changes(result: PlanResult, award: str):
    """The units or nominees of ``award`` whose outcome changes, with the criteria that
    changed result: value, the current and the candidate bound."""
    a = next(x for x in result.awards if x["key"] == award)
    rows = []
    for ch in a["changes"]:
        who = ch["unit_name"] or ch["unit_id"] or ""
        if a["kind"] != "collective":
            who = f"{ch['nominee'] or ''}（{who}）"
        why = "<br/>".join(
            f"<b>{esc(c['label'])}</b>（{esc(c['clause'])}）：{esc(PLAN_LABELS['current'])} "
            f"{esc(_bound(c['current']))} {esc(_side(c['current']))}；{esc(PLAN_LABELS['candidate'])} "
            f"{esc(_bound(c['candidate']))} {esc(_side(c['candidate']))}"
            for c in ch["criteria"]) or esc("（奖项仅在一方规则中评选）")
        rows.append((who, NOMINATED_LABELS[bool(ch["nominated"])], _outcome(ch["current"]),
                     _outcome(ch["candidate"]), why))
    return report_table(("单位" if a["kind"] == "collective" else "推荐人选（单位）", "申报", PLAN_LABELS["current"],
                         PLAN_LABELS["candidate"], "原因"), rows, raw_cols=(2, 3, 4),
                        empty="<p>本奖项无结论变化。</p>", label=f"changes {award}")


def _bound(c: dict | None) -> str:
    if c is None or c.get("bound") is None:
        return ""
    return fmt_bound(c["op"], c["bound"], c["unit"], wan=False)


def _mark(s: dict, b) -> str:
    marks = [PLAN_LABELS[k] for k in ("current", "candidate") if s[f"{k}_bound"] is not None
             and float(s[f"{k}_bound"]) == float(b)]
    return "、".join(marks)


def sensitivity_table(s: dict, kind: str):
    """The counts passing one criterion at each bound tried."""
    collective = kind == "collective"
    headers = ("界限", f"通过数（{PLAN_LABELS['all']}）" if collective else f"通过数（{PLAN_LABELS['nominees']}）")
    if collective:
        headers += (f"通过数（{PLAN_LABELS['nominated']}）",)
    rows = []
    for r in s["rows"]:
        row = (fmt_bound(s["op"], r["bound"], s["unit"], wan=False), r["pass_all"])
        if collective:
            row += (r["pass_nominated"],)
        mark = _mark(s, r["bound"])
        rows.append((*row, mark) if mark else (*row, ""))
    return report_table((*headers, "标记"), rows, num_cols=(1, 2) if collective else (1,),
                        label=f"sensitivity {s['id']}")


@with_cjk_font
def sensitivity_chart(s: dict, kind: str, award_label: str):
    """The counts at each bound as a line, the current and candidate bounds marked."""
    fig = new_figure(6.4, 3.0)
    ax = fig.subplots()
    scale = 100.0 if s["unit"] == "fraction" else 1.0
    xs = [float(r["bound"]) * scale for r in s["rows"]]
    ax.plot(xs, [r["pass_all"] for r in s["rows"]], marker="o", color=PASS_COLOUR,
            label=PLAN_LABELS["all"] if kind == "collective" else PLAN_LABELS["nominees"])
    if kind == "collective":
        ax.plot(xs, [r["pass_nominated"] for r in s["rows"]], marker="s", color=SERIES_COLOURS[2],
                label=PLAN_LABELS["nominated"])
    same = s["current_bound"] is not None and s["current_bound"] == s["candidate_bound"]
    for side, style in (("current", "--"), ("candidate", ":")):
        b = s[f"{side}_bound"]
        if b is None or (same and side == "candidate"):
            continue
        who = "、".join(PLAN_LABELS[k] for k in ("current", "candidate")) if same else PLAN_LABELS[side]
        ax.axvline(float(b) * scale, color=BOUND_COLOUR, linestyle=style, linewidth=1.2)
        ax.text(float(b) * scale, 1.0, f"{who} {value_text(b, s['unit'])}", color=BOUND_COLOUR,
                ha="center", va="bottom", fontsize=7, transform=ax.get_xaxis_transform(), clip_on=False)
    ax.set_xlabel(f"{s['label']}（界限{'，%' if s['unit'] == 'fraction' else ''}）")
    ax.set_ylabel("通过数")
    ax.set_ylim(bottom=0)
    set_value_axis(ax.yaxis)  # counts: whole numbers
    if s["unit"] != "fraction":
        set_value_axis(ax.xaxis)  # 30,000
    ax.legend(frameon=False, fontsize=7, loc="best")
    alt = (f"{award_label} {s['label']}：" + "，".join(
        f"界限 {value_text(r['bound'], s['unit'])} 通过 {r['pass_all']}" for r in s["rows"]))
    return render(fig, alt=alt, caption=f"{award_label} · {s['label']}（{s['clause']}）：各界限下的通过数")


def sensitivity(result: PlanResult, award: str) -> Fragment:
    """Every numeric criterion of ``award``: its table and its chart."""
    a = next(x for x in result.awards if x["key"] == award)
    parts = []
    for s in a["sensitivity"]:
        chart = sensitivity_chart(s, a["kind"], a["label"])
        parts.append(f"<h4>{esc(s['label'])}（{esc(s['clause'])}）</h4>"
                     + sensitivity_table(s, a["kind"])._repr_html_() + chart.html())
    note = ("<p>通过数按本奖项评选的全部单位统计，括号中另列已申报单位。</p>" if a["kind"] == "collective"
            else "<p>通过数按本奖项的全部推荐人选统计。</p>")
    return Fragment(note + "".join(parts), f"sensitivity {award}")


def awards(result: PlanResult) -> Fragment:
    """Per award: a heading, its outcome changes and its sensitivity."""
    parts = []
    for a in result.awards:
        track = TRACK_LABELS.get(a["track"], a["track"])
        parts.append(f"<h3>{esc(a['label'])}</h3><p>{esc(track)}</p><h4>结论变化</h4>"
                     + changes(result, a["key"])._repr_html_() + "<h4>敏感性</h4>"
                     + sensitivity(result, a["key"]).html)
    return Fragment("".join(parts), "awards")

"""The report's part on the public notice (docs/review-cycle.md, "Objections"): the notice
period the rules file states, every objection of 异议登记.xlsx with its finding and its
effect on the list (the same rows as ``final/异议处理情况.xlsx``), the anonymous ones
named as not admitted, and the nominations withdrawn. Without a register, one line
says that no objection was recorded."""

from __future__ import annotations

from toolkit.outputs.final.objections import HEADERS, OBJECTIONS_STEM, objection_rows
from toolkit.outputs.final.write import FINAL_DIR
from toolkit.outputs.report.context import ReportContext
from toolkit.outputs.report.format import Fragment, esc, table
from toolkit.vocabulary import OBJECTION_COLUMN_LABELS, OBJECTION_EFFECT_LABELS

TITLE = "公示与异议"
#: the columns the report shows (说明 and 更正行 stay in the workbook)
SHOWN = tuple(h for h in HEADERS if h not in (OBJECTION_COLUMN_LABELS["note"], OBJECTION_COLUMN_LABELS["correction_row"]))


def _period(ctx: ReportContext) -> str:
    policy = getattr(ctx.rules, "publicity", None)
    if policy is None:
        return "<p>规则文件未规定公示期（publicity），公示期由学校确定。</p>"
    wording = f"：{esc(policy.wording)}" if policy.wording else ""
    return f"<p>{esc(policy.period_text())}{wording}。开始日期由学校确定。</p>"


def section(ctx: ReportContext) -> Fragment:
    """公示与异议: the period, then the objections and their effects."""
    objections = (ctx.evaluation.review or {}).get("objections")
    head = f'<section class="objections" id="objections"><h3>{TITLE}</h3>' + _period(ctx)
    if objections is None:
        return Fragment(head + f'<p class="note">未提供异议登记表（data/{esc(ctx.year)}/异议登记.xlsx），'
                        "未登记公示期间的异议。</p></section>", TITLE)
    rows = objection_rows(ctx.evaluation)
    idx = [HEADERS.index(h) for h in SHOWN]
    shown = [[r[i] for i in idx] for r in rows]
    counts = {k: sum(1 for o in objections if o.get("effect") == k) for k in OBJECTION_EFFECT_LABELS}
    summary = "；".join(f"{esc(OBJECTION_EFFECT_LABELS[k])} {n} 件" for k, n in counts.items() if n)
    anonymous = (f"<p>匿名异议 {counts['anonymous']} 件：{esc(OBJECTION_EFFECT_LABELS['anonymous'])}"
                 "（已登记，不影响任何结论，也不阻止公示稿；学校如记录核查结论和批准人，则按结论处理）。</p>"
                 if counts["anonymous"] else "")
    held = ("<p><b>尚有异议在核查中</b>：相关推荐列为待定，核查结论登记后再次运行方生成公示稿。</p>"
            if counts["held"] else "")
    return Fragment(head + f"<p>共登记异议 {len(objections)} 件（{summary or '无'}），"
                    f"处理情况见 {esc(FINAL_DIR)}/{esc(OBJECTIONS_STEM)}.xlsx。</p>"
                    + (table(list(SHOWN), shown, cls="objections", col_classes={4: "unit"}) if shown else "")
                    + anonymous + held + "</section>", TITLE)

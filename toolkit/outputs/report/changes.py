"""The report's part 与上次发布相比 (docs/review-cycle.md): from the run folder's
``changes.json`` (:mod:`toolkit.outputs.changes`), every unit and nomination whose
outcome or final-list state changed since the publication this run replaced, before →
after, with its causes in words; and a one-line note for the first page when anything
changed. ``changes.json`` keeps codes; this shows labels only."""

from __future__ import annotations

from pathlib import Path

from toolkit.outputs.changes import CHANGES, published_text, read_json, summary_line
from toolkit.outputs.report.context import ReportContext
from toolkit.outputs.report.format import Fragment, esc, table
from toolkit.vocabulary import CHANGE_CAUSE_LABELS, FINAL_STATE_LABELS, OUTCOME_LABELS

TITLE = "与上次发布相比"
HEADERS = ["奖项", "单位名称", "推荐对象", "结论", "名单状态", "原因"]
NONE = "—"


def changes_of(ctx: ReportContext) -> dict | None:
    """The run folder's changes.json, or None (a run folder of an earlier version)."""
    return read_json(Path(ctx.out_dir or ".") / CHANGES)


def cause_text(c: dict) -> str:
    """One cause in words: 评审意见 评审意见/张三.xlsx 评审表 第 3 行."""
    label = CHANGE_CAUSE_LABELS.get(c.get("kind"), c.get("kind") or "")
    if c.get("kind") == "review":
        return f"{label} {c.get('file')} {c.get('sheet') or ''} 第 {c.get('row')} 行".replace("  ", " ")
    if c.get("kind") == "correction":
        return f"{label} {c.get('file')} 第 {c.get('row')} 行"
    if c.get("kind") == "objection":
        return f"{label} {c.get('file')} 第 {c.get('row')} 行（编号 {c.get('number')}）"
    return f"{label} {c.get('file') or ''}".strip()


def _arrow(labels: dict, before, after) -> str:
    b, a = labels.get(before, NONE) if before else NONE, labels.get(after, NONE) if after else NONE
    return a if a == b else f"{b} → {a}"


def rows(ctx: ReportContext, changes: dict) -> list[list[str]]:
    labels = ctx.evaluation.award_labels
    out = []
    for c in changes.get("changes") or []:
        nominee = c.get("nominee") if c.get("kind") != "innovation" else ""
        out.append([labels.get(c.get("award"), c.get("award")), c.get("unit_name") or c.get("unit_id"),
                    nominee or "", _arrow(OUTCOME_LABELS, c["outcome"]["before"], c["outcome"]["after"]),
                    _arrow(FINAL_STATE_LABELS, c["state"]["before"], c["state"]["after"]),
                    "；".join(cause_text(x) for x in c.get("causes") or []) or "（程序或计算口径变化）"])
    return out


def note(ctx: ReportContext) -> Fragment:
    """The first page's one line when anything changed since the last publication."""
    changes = changes_of(ctx)
    if not changes or not changes.get("changes"):
        return Fragment("", "")
    return Fragment(f'<p class="changes-note"><b>{esc(summary_line(changes))}</b>'
                    f"（详见“{TITLE}”）。</p>", TITLE)


def section(ctx: ReportContext) -> Fragment:
    """与上次发布相比: the compared publication, then the changes and their causes."""
    changes = changes_of(ctx)
    head = f'<section class="changes" id="changes"><h3>{TITLE}</h3>'
    if changes is None:
        return Fragment(head + '<p class="note">本次运行没有 changes.json。</p></section>', TITLE)
    when = published_text(changes)
    if when is None:
        return Fragment(head + "<p>首次发布：本年度此前没有已发布的结果可供比较。</p></section>", TITLE)
    lines = [f"<p>比较对象：{esc(when)} 发布的结果。</p>"]
    inputs = changes.get("inputs_changed") or []
    if inputs:
        lines.append(f"<p>{esc(CHANGE_CAUSE_LABELS['input'])}：{esc('、'.join(inputs))}。</p>")
    if changes.get("rules_changed"):
        lines.append(f"<p>{esc(CHANGE_CAUSE_LABELS['rules'])}。</p>")
    found = rows(ctx, changes)
    if not found:
        lines.append("<p>各单位与推荐对象的结论和名单状态均无变化。</p>")
    else:
        lines.append(f"<p>{len(found)} 项结论或名单状态有变化：</p>"
                     + table(HEADERS, found, cls="changes", col_classes={1: "unit"}))
    return Fragment(head + "".join(lines) + "</section>", TITLE)

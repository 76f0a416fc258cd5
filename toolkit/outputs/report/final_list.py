"""The report's opening once the review has decided: 拟表彰名单, the same rows as
``final/拟表彰名单.xlsx`` (:mod:`toolkit.outputs.final.listing`), a table per award in
the rules file's order, then how many entries are pending (待定) and which, and whether
the publicity draft was written. Before the review (no reviewer's file read) the
section is empty, so the report is what it was."""

from __future__ import annotations

from toolkit.outputs.final.documents import LIST_STEM, NONE_PROPOSED, WITHDRAWN_SHEET
from toolkit.outputs.final.listing import (
    SERIAL_HEADER,
    UNIT_HEADER,
    AwardList,
    FinalList,
    final_list,
    is_final,
    pending_rows,
    withdrawn_rows,
)
from toolkit.outputs.final.publicity import PUBLICITY_STEM
from toolkit.outputs.final.write import FINAL_DIR
from toolkit.outputs.report.context import ReportContext
from toolkit.outputs.report.format import Fragment, esc, table
from toolkit.vocabulary import FINAL_STATUS_LABELS, OUTCOME_LABELS

TITLE = "拟表彰名单"
PENDING = FINAL_STATUS_LABELS["pending"]
PRINT_BREAK = "break-after: page; page-break-after: always"


def _award(fl: FinalList, a: AwardList) -> str:
    if not a.entries:  # 无, or 待定 N 项 and why: an award whose nominations are all open is not decided
        klass = "final-none" if fl.none_text(a) == NONE_PROPOSED else "final-none pending-count"
        return f'<h3>{esc(a.label)}</h3><p class="{klass}">{esc(fl.none_text(a, named=True))}</p>'
    headers = [SERIAL_HEADER, UNIT_HEADER] + ([a.name_header] if a.name_header else [])
    rows = [[i, e.unit_name] + ([e.name or ""] if a.name_header else []) for i, e in enumerate(a.entries, 1)]
    return (f"<h3>{esc(a.label)}</h3>"
            + table(headers, rows, cls="final-list", num_cols=(0,), col_classes={1: "unit"}))


def _withdrawn(fl: FinalList) -> str:
    """撤销推荐: the nominations an upheld objection withdrew, with its number and grounds."""
    if not fl.withdrawn:
        return ""
    headers, rows = withdrawn_rows(fl)
    return (f"<h3>{esc(WITHDRAWN_SHEET)}</h3><p>以下推荐经公示期异议核查成立，撤销推荐，不在上列名单中。</p>"
            + table(headers, rows, cls="final-withdrawn", num_cols=(1,), col_classes={2: "unit"}))


def _pending_columns(headers) -> dict[int, str]:
    """The pending table's widths: the award, the unit and the reason get room for a few
    words, the names (先进集体名称, 先进个人姓名) for a name; none is one character a line."""
    last = len(headers) - 1
    return {0: "unit", 2: "unit", last: "unit", **{i: "person" for i in range(3, last)}}


def _pending(fl: FinalList) -> str:
    n = len(fl.pending)
    files = f"{FINAL_DIR}/{LIST_STEM}.docx、.xlsx"
    if not n and fl.open_objections:
        return (f'<p class="pending-count">{PENDING} 0 项；异议核查中：编号 {esc("、".join(fl.open_objections))}。'
                f"异议核查期间不生成公示稿 {esc(FINAL_DIR)}/{esc(PUBLICITY_STEM)}.docx。</p>")
    if not n:
        return (f'<p class="pending-count">{PENDING} 0 项。名单见 {esc(files)}，'
                f"公示稿见 {esc(FINAL_DIR)}/{esc(PUBLICITY_STEM)}.docx（公示期、联系电话和日期留空，由学校填写）。</p>")
    headers, rows = pending_rows(fl)
    return (f'<p class="pending-count"><b>{PENDING} {n} 项</b>：以下推荐尚待评审结论或数据核实'
            f"（结论仍为“{esc(OUTCOME_LABELS['needs_review'])}”），不在上列名单中。</p>"
            + table(headers, rows, cls="final-pending", num_cols=(1,), col_classes=_pending_columns(headers))
            + f"<p>名单见 {esc(files)}（注明尚有待定项；待定项列于 .xlsx 的“{PENDING}”工作表）。"
            f"尚有{PENDING}项或异议核查中时不生成公示稿：公示的应是最终名单，待定项有结论后再次运行即生成"
            f" {esc(FINAL_DIR)}/{esc(PUBLICITY_STEM)}.docx。</p>")


def section(ctx: ReportContext) -> Fragment:
    """拟表彰名单 (after the review), or an empty fragment (before it)."""
    if not is_final(ctx.evaluation):
        return Fragment("", "")
    fl = final_list(ctx.evaluation)
    # on paper the 初审 shortlist that follows starts on a page of its own
    head = (f'<section class="final-list" id="final-list" style="{PRINT_BREAK}"><h2>{TITLE}</h2>'
            f'<p class="note">已读取 {fl.review_files} 份评审意见文件。各奖项列出结论为'
            f"“{esc(OUTCOME_LABELS['eligible'])}”的推荐（集体奖项只列已申报的单位），"
            "名称按推荐表所填。</p>")
    body = "".join(_award(fl, a) for a in fl.awards)
    return Fragment(head + body + _withdrawn(fl) + _pending(fl) + "</section>", TITLE)

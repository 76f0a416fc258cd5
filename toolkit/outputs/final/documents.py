"""The final list as documents: ``拟表彰名单.docx`` (a heading per award of the year, in
the rules file's order, and a table of its proposed units or persons) and
``拟表彰名单.xlsx`` (sheet 拟表彰名单: one row per proposed entry; sheet 待定: the
nominations still pending, with what is open). While entries are pending, the .docx
says so under its title (尚有待定项) and lists none of them.

The documents are laid out as official documents (GB/T 9704-2012,
:mod:`toolkit.outputs.final.official`);
their text is inserted as plain text, and no xlsx cell holding text is a formula."""

from __future__ import annotations

import io

from docx.shared import RGBColor
from openpyxl import Workbook
from openpyxl.styles import Font

from toolkit.outputs.files import put_cell
from toolkit.outputs.final.listing import (
    NONE_PROPOSED,
    SERIAL_HEADER,
    UNIT_HEADER,
    AwardList,
    FinalList,
    pending_rows,
    proposed_rows,
    withdrawn_rows,
)
from toolkit.outputs.final.official import (
    TEXT_WIDTH_MM,
    official_document,
    official_heading,
    official_para,
    official_table,
    official_title,
    one_line,
)
from toolkit.outputs.forms.document import text
from toolkit.outputs.values import cn_number
from toolkit.vocabulary import FINAL_STATUS_LABELS, OBJECTION_ACTION_LABELS

LIST_STEM = "拟表彰名单"
#: the title, broken where the words allow (GB/T 9704: 词意完整，排列对称)
LIST_TITLE = "{year}年度全省开放大学办学体系\n培训工作拟表彰名单"
LIST_SHEET = LIST_STEM
PENDING_SHEET = FINAL_STATUS_LABELS["pending"]
WITHDRAWN_SHEET = OBJECTION_ACTION_LABELS["withdraw"]
#: the mark of a list that is not yet the whole decision
PENDING_MARK = "尚有待定项"
SERIAL_WIDTH_MM = 18
RED = RGBColor(0xC0, 0x00, 0x00)
def pending_note(fl: FinalList) -> str:
    objections = (f"异议核查中：编号 {'、'.join(fl.open_objections)}。" if fl.open_objections else "")
    why = "评审结论、数据核实或异议核查" if fl.open_objections else "评审结论或数据核实"
    return (f"{PENDING_MARK}：另有 {len(fl.pending)} 项推荐尚待{why}，未列入本名单"
            f"（见{LIST_STEM}.xlsx 的“{PENDING_SHEET}”工作表）。" + objections)


def heading(doc, content: str):
    """A first-level heading (一、…) of the official page."""
    return official_heading(doc, content)


def award_table(doc, award: AwardList, empty: str = NONE_PROPOSED):
    """The award's proposed entries: 序号, 单位名称 and, where the award names one,
    先进集体名称 or 先进个人姓名 as the unit wrote it; ``empty`` (无, or 待定 N 项 and
    why) when nobody is proposed."""
    if not award.entries:
        official_para(doc, empty)
        return None
    headers = [SERIAL_HEADER, UNIT_HEADER] + ([award.name_header] if award.name_header else [])
    rest = TEXT_WIDTH_MM - SERIAL_WIDTH_MM
    widths = [SERIAL_WIDTH_MM, rest / 2, rest / 2] if award.name_header else [SERIAL_WIDTH_MM, rest]
    rows = [[str(i), text(e.unit_name)] + ([text(e.name or "")] if award.name_header else [])
            for i, e in enumerate(award.entries, 1)]
    return official_table(doc, headers, rows, widths)


def award_sections(doc, fl: FinalList) -> None:
    """一、<award>, its table; for every award of the year, in order."""
    for i, award in enumerate(fl.awards, 1):
        heading(doc, f"{cn_number(i)}、{award.label}")
        award_table(doc, award, fl.none_text(award))


def list_docx(fl: FinalList):
    """``拟表彰名单.docx``: the title, 尚有待定项 while entries are pending, then each
    award with its proposed entries."""
    title = LIST_TITLE.format(year=fl.year)
    doc = official_document(fl.year, title)
    official_title(doc, title)
    if not fl.complete:
        run = official_para(doc, pending_note(fl)).runs[0]
        run.bold, run.font.color.rgb = True, RED
    award_sections(doc, fl)
    withdrawn_section(doc, fl)
    return doc


def withdrawn_section(doc, fl: FinalList) -> None:
    """撤销推荐: the nominations an upheld objection withdrew, each with the objection's
    number and grounds (nothing when none was withdrawn)."""
    if not fl.withdrawn:
        return
    heading(doc, f"{cn_number(len(fl.awards) + 1)}、{WITHDRAWN_SHEET}")
    headers, rows = withdrawn_rows(fl)
    headers, rows = headers[:1] + headers[2:], [r[:1] + r[2:] for r in rows]
    official_table(doc, headers, [[text(str(v or "")) for v in row] for row in rows])


def _sheet(wb, name: str, headers: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(name)
    widths = [_width(h) for h in headers]
    for j, h in enumerate(headers, 1):
        put_cell(ws.cell(row=1, column=j), h).font = Font(bold=True)
    for i, row in enumerate(rows, 2):
        for j, v in enumerate(row, 1):
            if v is None or v == "":
                continue
            put_cell(ws.cell(row=i, column=j), text(v) if isinstance(v, str) else v)
            widths[j - 1] = max(widths[j - 1], _width(str(v)))
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = min(w, 60) + 2
    ws.freeze_panes = "A2"


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def list_xlsx(fl: FinalList) -> bytes:
    """``拟表彰名单.xlsx``: sheet 拟表彰名单 (the proposed entries, 序号 from 1 in each
    award) and sheet 待定 (the pending ones, with what is open; only its header row when
    none is pending)."""
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, LIST_SHEET, *proposed_rows(fl))
    _sheet(wb, PENDING_SHEET, *pending_rows(fl))
    if fl.withdrawn:
        _sheet(wb, WITHDRAWN_SHEET, *withdrawn_rows(fl))
    wb.properties.creator = "toolkit"
    wb.properties.lastModifiedBy = "toolkit"
    wb.properties.title = one_line(LIST_TITLE.format(year=fl.year))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

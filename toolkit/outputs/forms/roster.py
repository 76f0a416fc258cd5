"""The meeting roster (attachment 5): the ``rsvp`` table's receipts by unit, rooms to
reserve and late receipts, as a .docx like the attachment and as an .xlsx with a
summary sheet. The deadline is the rules' ``rsvp_deadline``; without one, no receipt
is late."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Font

from toolkit.outputs.files import put_cell
from toolkit.outputs.forms.document import (
    TITLE_SIZE,
    cell,
    new_document,
    para,
    set_widths,
    text,
)
from toolkit.outputs.values import missing
from toolkit.rules.load import Rules

ROSTER_TITLE = "{year}年度全省开放大学办学体系事业单位工作人员培训、专业技术人员继续教育培训工作会议参会回执"
ROSTER_COLUMNS = ("姓名", "性别", "职务", "电话", "备注")
ROSTER_STEM = "附件5_参会回执汇总"
NO_DEADLINE = "未规定回执截止时间"
#: the most characters an Excel cell holds (openpyxl cuts longer text without a word)
EXCEL_CELL_MAX = 32_767
CUT_NOTE = "…（以下 {n:,} 字未显示，全文见回执原件）"


@dataclass(frozen=True)
class Deadline:
    """The last moment a receipt is on time, and how to say it."""

    at: pd.Timestamp
    label: str


def rsvp_deadline(rules: Rules) -> Deadline | None:
    """``rules.rsvp_deadline``: a date means the whole of that day ("3月7日前" read as
    on or before 7 March). None when the rules set none."""
    if rules.rsvp_deadline is None:
        return None
    ts = pd.Timestamp(rules.rsvp_deadline)
    label = f"{ts.year}年{ts.month}月{ts.day}日"
    if ts == ts.normalize():
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    else:
        label += ts.strftime("%H:%M")
    return Deadline(ts, label)


@dataclass
class Attendee:
    unit_id: str
    unit_name: str
    name: str
    gender: str
    title: str
    phone: str
    note: str
    needs_room: bool | None
    submitted_at: pd.Timestamp | None
    late: bool
    row: int | None

    def remark(self, deadline: Deadline | None) -> str:
        bits = [self.note] if self.note else []
        if self.needs_room is True:
            bits.append("需预留住宿")
        elif self.needs_room is False:
            bits.append("不需住宿")
        if self.late and self.submitted_at is not None and deadline is not None:
            t = self.submitted_at
            when = f"{t.month}月{t.day}日" if t.year == deadline.at.year else f"{t.year}年{t.month}月{t.day}日"
            bits.append(f"逾期回执（{when}）")
        return "；".join(bits)


def attendees(rsvp: pd.DataFrame, names: dict[str, str], deadline: Deadline | None) -> list[Attendee]:
    """The receipts, by unit and row; late when submitted after the deadline."""
    out = []
    for rec in rsvp.to_dict("records"):
        uid = text(rec.get("unit_id"))
        room = rec.get("needs_room")
        room = None if missing(room) else bool(room)
        sub = rec.get("submitted_at")
        sub = None if missing(sub) else pd.Timestamp(sub)
        row = rec.get("row")
        out.append(Attendee(
            unit_id=uid, unit_name=names.get(uid, uid), name=text(rec.get("name")),
            gender=text(rec.get("gender")), title=text(rec.get("title")),
            phone=text(rec.get("phone")), note=text(rec.get("note")), needs_room=room,
            submitted_at=sub, late=sub is not None and deadline is not None and sub.floor("s") > deadline.at,
            row=None if missing(row) else int(row),
        ))
    out.sort(key=lambda a: (a.unit_id, a.row if a.row is not None else 0))
    return out


def roster_summary(people: list[Attendee]) -> dict[str, int]:
    """Rooms: one per attendee whose receipt asks for one (needs_room true), late
    receipts included; attendees who did not say are counted apart, never as a room."""
    return {
        "attendees": len(people),
        "units": len({a.unit_id for a in people}),
        "rooms": sum(a.needs_room is True for a in people),
        "rooms_unstated": sum(a.needs_room is None for a in people),
        "late": sum(a.late for a in people),
        "late_rooms": sum(a.late and a.needs_room is True for a in people),
    }


def _by_unit(people: list[Attendee]) -> dict[str, list[Attendee]]:
    units: dict[str, list[Attendee]] = {}
    for a in people:
        units.setdefault(a.unit_id, []).append(a)
    return units


def roster_docx(people: list[Attendee], year: int, deadline: Deadline | None) -> Document:
    title = ROSTER_TITLE.format(year=year)
    doc = new_document(year, title)
    para(doc, "附件5", bold=True)
    para(doc, title, bold=True, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    s = roster_summary(people)
    late = (f"逾期回执{s['late']}份（回执截止时间为{deadline.label}，逾期者已在备注中注明）"
            if deadline is not None else NO_DEADLINE)
    para(doc, f"共收到{s['units']}个单位的回执，参会{s['attendees']}人；"
              f"需预留住宿房间{s['rooms']}间（按每位注明需要住宿的参会人员预留一间计，"
              f"含逾期回执中需要住宿的{s['late_rooms']}人）；"
              f"未注明是否住宿{s['rooms_unstated']}人；{late}。", indent_first=True)
    if not people:
        para(doc, "暂无回执。")
    for members in _by_unit(people).values():
        para(doc, "")
        para(doc, f"单位名称：{members[0].unit_name}")
        table = doc.add_table(rows=1 + len(members), cols=len(ROSTER_COLUMNS))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        set_widths(table, [26, 16, 34, 34, 50])
        for i, h in enumerate(ROSTER_COLUMNS):
            cell(table.cell(0, i), h, bold=True)
        for r, a in enumerate(members, start=1):
            for i, v in enumerate((a.name, a.gender, a.title, a.phone, a.remark(deadline))):
                cell(table.cell(r, i), v)
    para(doc, "")
    if deadline is not None:
        para(doc, f"（回执请于{deadline.at.month}月{deadline.at.day}日前发送，请注明是否需要预留住宿房间）")
    else:
        para(doc, "（回执请注明是否需要预留住宿房间）")
    return doc


def fit_cell(value: str) -> str:
    """Text that fits an Excel cell: longer text is cut and ends saying how many
    characters are not shown and where the whole text is."""
    if len(value) <= EXCEL_CELL_MAX:
        return value
    keep = EXCEL_CELL_MAX - len(CUT_NOTE.format(n=len(value)))
    while keep + len(CUT_NOTE.format(n=len(value) - keep - 1)) < EXCEL_CELL_MAX:
        keep += 1  # the count of hidden characters has fewer digits: room for one more
    return value[:keep] + CUT_NOTE.format(n=len(value) - keep)


def _safe_cell(ws, row: int, col: int, value: Any):
    """Write a value (see files.put_cell: text never becomes a formula; text too long
    for a cell is cut with a note, see ``fit_cell``); None and "" leave the cell empty
    rather than an empty string."""
    c = ws.cell(row=row, column=col)
    if value is None or value == "":
        return c
    return put_cell(c, fit_cell(value) if isinstance(value, str) else value)


def roster_xlsx(people: list[Attendee], year: int, deadline: Deadline | None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "参会回执"
    headers = ("单位编码", "单位名称", "姓名", "性别", "职务", "电话", "备注", "是否预留住宿", "回执时间", "是否逾期")
    for i, h in enumerate(headers, start=1):
        _safe_cell(ws, 1, i, h).font = Font(bold=True)
    for r, a in enumerate(people, start=2):
        room = {True: "是", False: "否", None: "未注明"}[a.needs_room]
        when = a.submitted_at.strftime("%Y-%m-%d %H:%M:%S") if a.submitted_at is not None else ""
        values = (a.unit_id, a.unit_name, a.name, a.gender, a.title, a.phone, a.remark(deadline),
                  room, when, "是" if a.late else "否")
        for i, v in enumerate(values, start=1):
            _safe_cell(ws, r, i, v).number_format = "@"
    for col, width in zip("ABCDEFGHIJ", (12, 24, 12, 6, 16, 16, 36, 12, 20, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"

    su = wb.create_sheet("汇总")
    for i, h in enumerate(("单位编码", "单位名称", "参会人数", "需预留住宿房间", "未注明是否住宿", "逾期回执"), start=1):
        _safe_cell(su, 1, i, h).font = Font(bold=True)
    r = 2
    for uid, members in _by_unit(people).items():
        s = roster_summary(members)
        for i, v in enumerate((uid, members[0].unit_name, s["attendees"], s["rooms"], s["rooms_unstated"],
                               s["late"]), start=1):
            _safe_cell(su, r, i, v)
        r += 1
    s = roster_summary(people)
    for i, v in enumerate(("合计", "", s["attendees"], s["rooms"], s["rooms_unstated"], s["late"]), start=1):
        _safe_cell(su, r, i, v).font = Font(bold=True)
    late = (f"回执截止时间为{deadline.label}，其后收到的回执为逾期回执。" if deadline is not None
            else f"{NO_DEADLINE}，不计逾期回执。")
    _safe_cell(su, r + 2, 1, "说明")
    _safe_cell(su, r + 2, 2, f"需预留住宿房间按每位注明需要住宿的参会人员预留一间计（含逾期回执）；{late}")
    for col, width in zip("ABCDEF", (12, 24, 10, 16, 16, 10), strict=True):
        su.column_dimensions[col].width = width

    fixed = dt.datetime(year, 12, 31)
    wb.properties.creator = "toolkit"
    wb.properties.title = ROSTER_TITLE.format(year=year)
    wb.properties.created = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

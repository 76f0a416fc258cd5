"""``final/评审记录.xlsx``: the record of every reviewer's decision (docs/review-cycle.md,
"The record") — one row per nomination × criterion × reviewer with 奖项, 单位名称,
推荐对象, 条件, 评审人, 结论, 评审意见 (ID and phone numbers masked), 是否计入 (计入 /
回避：本单位 / 回避：回避单位), 文件, 工作表, 行 (:func:`toolkit.review.record.record_rows`)."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Alignment, Font

from toolkit.outputs.files import put_cell
from toolkit.review.record import record_rows

RECORD_STEM = "评审记录"
SHEET = "评审记录"
WIDTHS = (24, 18, 16, 18, 10, 8, 40, 14, 24, 10, 6)


def record_xlsx(evaluation) -> bytes:
    """The record workbook's bytes (dates fixed by the caller), from the evaluation's
    shared view (:meth:`~toolkit.evaluation.results.Evaluation.shared`: unit and nominee
    names and remarks with ID and phone numbers masked)."""
    headers, rows = record_rows(evaluation.shared())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for j, h in enumerate(headers, 1):
        put_cell(ws.cell(row=1, column=j), h).font = Font(bold=True)
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = WIDTHS[j - 1]
    for i, row in enumerate(rows, 2):
        for j, v in enumerate(row, 1):
            put_cell(ws.cell(row=i, column=j), v).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{openpyxl.utils.get_column_letter(len(headers))}{len(rows) + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

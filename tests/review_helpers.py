"""Helpers of the review-cycle tests: the tiny year copied into a test's folder, a
review workbook filled as a reviewer would (openpyxl), a corrections file written."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from toolkit.review.sheet import KEY, REMARK, REVIEWER, SHEET

#: the 编号 of the tiny year's two nominees (tests/report_helpers.py): year, award, unit, nominee
IND = "2022|staff.individual|U001|王<b>五</b>"
INN = "2022|innovation.staff|U002|株洲<script>alert(1)</script>分校"
CORRECTION_HEADER = ["数据表", "单位", "项目", "字段", "更正值", "原因", "批准人"]


def copy_year(src: Path, dest: Path) -> Path:
    """A copy of a year's folder (the session's folders are shared, read-only)."""
    shutil.copytree(src, dest)
    return dest


def fill(workbook: Path, dest: Path, reviewer: str | None, decisions: dict[str, dict[str, object]],
         remark: str | None = None) -> Path:
    """``workbook`` filled by ``reviewer``: for each 编号 in ``decisions``, the value of
    each criterion column (by header); saved as ``dest``."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb[SHEET]
    heads = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        key = row[heads[KEY] - 1].value
        if key not in decisions:
            continue
        for label, value in decisions[key].items():
            ws.cell(row=row[0].row, column=heads[label]).value = value
        ws.cell(row=row[0].row, column=heads[REVIEWER]).value = reviewer
        if remark is not None:
            ws.cell(row=row[0].row, column=heads[REMARK]).value = remark
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    return dest


def cell_of(path: Path, key: str, header: str) -> tuple[int, str]:
    """(row, column letter) of ``key``'s cell under ``header`` in a review workbook."""
    ws = openpyxl.load_workbook(path)[SHEET]
    heads = {c.value: c.column_letter for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        if row[0].value == key:
            return row[0].row, heads[header]
    raise KeyError(key)


def write_corrections(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    """``更正.xlsx`` with a title row above the header (as offices write them)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年数据更正"])
    ws.append(header or CORRECTION_HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path

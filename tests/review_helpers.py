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


ROSTER_HEADER = ["姓名", "所在单位", "回避单位", "备注"]


def write_roster(path: Path, rows: list[list], header: list[str] | None = None, title: bool = True) -> Path:
    """``评审专家.xlsx``: a title row (as offices write them), the header, the rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评审专家"
    if title:
        ws.append(["2022年度评优评审专家名单"])
    ws.append(header or ROSTER_HEADER)
    for r in rows:
        ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


#: a roster for the tiny year: 张三 works at 长沙 (U001, the staff individual's unit); 李四
#: is an outsider who must not judge U002 (the staff innovation's unit); 王五 and 赵六
#: (who returns nothing) judge everything
GOVERNANCE_ROSTER = [["张三", "长沙开放大学", "", ""], ["李四", "湖南大学", "U002", ""], ["王五", "省校", "", ""],
                     ["赵六", "省校", "", ""]]
GOVERNANCE_IND, GOVERNANCE_INN = IND, INN
GOVERNANCE_YES = {"政治方向与职业道德": "符合", "业务能力": "符合", "贡献与成效": "符合"}
#: a remark with a mobile and an ID number
GOVERNANCE_REMARK = "事迹属实，联系 13912345678，身份证 430102199001011234"


def governance_round(wb: Path, d: Path) -> None:
    """The roster and three reviewers' copies: 张三 recuses from the individual (own
    unit), 李四 from the innovation (回避单位); the individual's 贡献与成效 is a tie of
    the counted decisions (李四 不符合, 王五 符合), its other criteria are unanimous;
    the innovation is split 1:1 between 张三 and 王五."""
    write_roster(d / "评审专家.xlsx", GOVERNANCE_ROSTER)
    fill(wb, d / "评审意见" / "张三.xlsx", "张三", {GOVERNANCE_IND: GOVERNANCE_YES,
                                                 GOVERNANCE_INN: {"突出贡献及特色创意": "符合"}}, GOVERNANCE_REMARK)
    fill(wb, d / "评审意见" / "李四.xlsx", "李四", {GOVERNANCE_IND: {**GOVERNANCE_YES, "贡献与成效": "不符合"},
                                                 GOVERNANCE_INN: {"突出贡献及特色创意": "符合"}}, "贡献不够突出")
    fill(wb, d / "评审意见" / "王五.xlsx", "王五", {GOVERNANCE_IND: GOVERNANCE_YES,
                                                 GOVERNANCE_INN: {"突出贡献及特色创意": "不符合"}})

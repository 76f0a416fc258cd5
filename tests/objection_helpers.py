"""Helpers of the objections tests: a register 异议登记.xlsx written as an office would
(a title row above the header), and the decided year's evaluation with a register read."""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl

from toolkit.review.objections import check_objections

HEADER = ["编号", "收到日期", "异议人", "奖项", "单位名称", "推荐对象", "事由", "核查结论", "处理", "更正行", "批准人", "说明"]
STAFF_INDIVIDUAL = "事业单位工作人员培训先进个人"
#: the decided year's proposed nominee (final_helpers.HOSTILE_NOMINEE) and its 编号
NOMINEE = "王<b>五</b>"
NOMINEE_KEY = "2022|staff.individual|U001|王<b>五</b>"
PROFESSIONAL_KEY = "2022|professional.individual|U003|赵六"


def row(number="1", objector="张某", award=STAFF_INDIVIDUAL, unit="长沙开放大学", nominee=NOMINEE,
        grounds="事迹材料与实际不符，联系电话13912345678", finding="", action="", correction_row="",
        approver="", note="", received="2022-12-05") -> list:
    """One register row; the defaults: a signed objection under check against the
    proposed staff nominee."""
    return [number, received, objector, award, unit, nominee, grounds, finding, action, correction_row,
            approver, note]


def write_register(data_dir: Path, rows: list[list], header: list[str] | None = None) -> Path:
    """``data_dir/异议登记.xlsx`` with a title row, the header and ``rows`` (row 3 on)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "异议登记"
    ws.append(["2022年度拟表彰名单公示异议登记"])
    ws.append(header or HEADER)
    for r in rows:
        ws.append(r)
    path = Path(data_dir) / "异议登记.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def with_register(evaluation, data_dir: Path, rows: list[list], units=None, corrections=None):
    """``evaluation`` (copied) with ``rows`` as the year's register read; ``corrections``
    (trail dicts) stand for the corrections the run applied."""
    ev = copy.deepcopy(evaluation)
    if corrections is not None:
        ev.review = {**ev.review, "corrections": list(corrections)}
    write_register(data_dir, rows)
    return check_objections(ev, data_dir, units)

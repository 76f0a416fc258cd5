"""The corrections template 更正模板.xlsx (toolkit/review/corrections_template.py): the
header and words the corrections reader accepts, no data row, deterministic bytes; filled
with one row and saved as 更正.xlsx it is read back by the real reader and applied, its
原因 kept as typed (full-width brackets too)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from review_helpers import copy_year

from toolkit import paths
from toolkit.analysis import open_year
from toolkit.clean.corrections import COLUMNS, read_corrections
from toolkit.review.corrections_template import SHEET, field_words, table_words, template_bytes
from toolkit.rules.load import load_rules

RULES = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")
REASON = "市州补报（见株洲市局2023年1月函）"


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))[SHEET]


def test_the_header_is_the_readers_and_there_is_no_data_row():
    ws = _sheet(template_bytes(2022))
    header = [c.value for c in ws[1]]
    assert header == ["数据表", "单位", "项目", "合同编号", "字段", "更正值", "原因", "批准人"]
    assert {h for h in header} == {zh for zh, _aliases in COLUMNS.values()}
    assert ws.max_row == 1 or all(c.value is None for row in ws.iter_rows(min_row=2) for c in row)
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "应培人数" in lists["A"] and "事业单位工作人员培训" in lists["C"] and "签订日期" in lists["E"]


def test_the_bytes_are_the_same_each_time():
    assert template_bytes(2022) == template_bytes(2022)


@pytest.mark.parametrize("table_word, field_word, unit, track, value", [
    ("应培人数", "应培人数", "长沙开放大学", None, 120),
    ("培训团队", "专职人员数", "U002", "专业技术人员继续教育培训", "3"),
])
def test_a_filled_template_is_read_back_by_the_reader(tiny_year, tmp_path, table_word, field_word, unit, track,
                                                      value):
    assert table_word in table_words() and field_word in field_words()  # words the template offers
    year = copy_year(tiny_year, tmp_path / "2022")
    template = tmp_path / "更正模板.xlsx"
    template.write_bytes(template_bytes(2022))
    wb = openpyxl.load_workbook(template)
    wb[SHEET].append([table_word, unit, track, None, field_word, value, REASON, "省校培训部 李主任"])
    wb.save(year / "更正.xlsx")
    (c,) = read_corrections(year / "更正.xlsx", year)
    assert (c.table, c.field) == field_words()[field_word]
    assert c.reason == REASON  # as typed: full-width brackets kept
    yd = open_year(2022, year, rules=RULES, use_cache=False, progress=False)
    assert [x["reason"] for x in yd.corrections] == [REASON]
    assert yd.corrections[0]["new"] == int(value)

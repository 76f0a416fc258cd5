"""The corrections file 更正.xlsx (toolkit.clean.corrections): values replaced or added
before the evaluation, an alias that changes unit resolution (and the cache key), the
trail, and a correction that matches nothing an error naming its row and column."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from review_helpers import copy_year, write_corrections

from toolkit import paths
from toolkit.clean.year import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import InputError
from toolkit.rules.load import load_rules

RULES = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")
WHY, WHO = "市州补报", "省校培训部 李主任"


@pytest.fixture
def year(tiny_year, tmp_path):
    return copy_year(tiny_year, tmp_path / "2022")


def _load(d, cache=False):
    return load_year(2022, d, rules=RULES, use_cache=cache)


def _append(d, table: str, row: list) -> None:
    with open(d / f"{table}.csv", "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(row)


def _drop_rows(d, table: str, unit: str) -> None:
    rows = list(csv.reader(open(d / f"{table}.csv", encoding="utf-8")))
    with open(d / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([r for r in rows if r[0] != unit])


def test_a_target_is_replaced_and_the_trail_says_so(year):
    write_corrections(year / "更正.xlsx", [["应培人数", "长沙开放大学", None, "应培人数", 120, WHY, WHO]])
    yd = _load(year)
    assert yd.tables["targets"].set_index("unit_id")["target"].to_dict()["U001"] == 120
    assert yd.corrections == [{
        "file": "更正.xlsx", "sheet": "Sheet", "row": 3, "table": "targets", "unit_id": "U001",
        "unit_name": "长沙开放大学", "track": None, "field": "target", "old": 100, "new": 120,
        "reason": WHY, "approver": WHO}]
    ev = evaluate(yd, RULES)
    assert ev.to_dict()["review"]["corrections"] == yd.corrections
    assert ev.unit("staff", "U001").metrics["target_trainees"] == 120


def test_a_missing_target_row_is_added(year):
    _drop_rows(year, "targets", "U003")
    write_corrections(year / "更正.xlsx", [["targets", "U003", "", "target", "80", WHY, WHO]])
    yd = _load(year)
    assert yd.tables["targets"].set_index("unit_id")["target"].to_dict() == {"U001": 100, "U002": 50, "U003": 80}
    assert yd.corrections[0]["old"] is None and yd.corrections[0]["new"] == 80


def test_team_and_contract_dates_by_chinese_names_and_aliases(year):
    write_corrections(year / "更正.xlsx", [
        ["培训团队", "U002", "事业单位", "专职人员数", 4, WHY, WHO],
        ["合同台账", "U001", "事业单位工作人员培训", "终止日期", "2022年9月30日", WHY, WHO],
        ["contracts", "湘潭开放大学", "专技", "signed_on", "2021/6/1", WHY, WHO],
        ["contracts", "U002", "professional", "签订日期", "2022-02-01", WHY, WHO],
    ])
    yd = _load(year)
    teams = yd.tables["teams"].set_index(["unit_id", "track"])["dedicated_staff"]
    assert teams[("U002", "staff")] == 4
    c = yd.tables["contracts"].set_index(["unit_id", "track"])
    assert str(c.loc[("U001", "staff"), "terminated_on"].date()) == "2022-09-30"
    assert str(c.loc[("U003", "professional"), "signed_on"].date()) == "2021-06-01"
    assert str(c.loc[("U002", "professional"), "signed_on"].date()) == "2022-02-01"  # added
    trail = [(t["table"], t["field"], t["old"], t["new"]) for t in yd.corrections]
    assert trail == [("teams", "dedicated_staff", 1, 4), ("contracts", "terminated_on", None, "2022-09-30"),
                     ("contracts", "signed_on", "2022-01-05", "2021-06-01"),
                     ("contracts", "signed_on", None, "2022-02-01")]
    ev = evaluate(yd, RULES)
    months = next(x for x in ev.unit("staff", "U001").criteria if x.id == "contract_months")
    assert months.outcome == "fail" and "2022-09-30 终止" in months.explanation


def test_an_alias_resolves_rows_that_were_quarantined(year):
    _append(year, "complaints", ["湘潭电大", "专技", "2022-06-01", "一般", "课程无法播放", "已办结"])
    before = _load(year)
    assert (before.quarantine["reason"] == "unknown_unit").sum() == 1
    write_corrections(year / "更正.xlsx", [["办学单位", "U003", None, "别名", "湘潭电大", "曾用名", WHO]])
    after = _load(year)
    assert (after.quarantine["reason"] == "unknown_unit").sum() == 0
    assert list(after.tables["complaints"]["unit_id"]).count("U003") == 1
    assert after.corrections[0]["field"] == "aliases" and after.corrections[0]["new"] == "湘潭电大"
    assert evaluate(after, RULES).unit("professional", "U003").metrics["complaints"] == 1


def test_the_cache_serves_the_corrected_year_and_knows_the_file(year):
    _append(year, "complaints", ["湘潭电大", "专技", "2022-06-01", "一般", "课程无法播放", "已办结"])
    assert (_load(year, cache=True).quarantine["reason"] == "unknown_unit").sum() == 1
    write_corrections(year / "更正.xlsx", [["units", "U003", None, "aliases", "湘潭电大", "曾用名", WHO],
                                         ["targets", "U003", None, "target", 99, WHY, WHO]])
    first = _load(year, cache=True)  # a new key: the corrections file is in it
    assert not first.from_cache and (first.quarantine["reason"] == "unknown_unit").sum() == 0
    second = _load(year, cache=True)
    assert second.from_cache and second.corrections == first.corrections
    assert second.tables["targets"].set_index("unit_id")["target"]["U003"] == 99


@pytest.mark.parametrize("row,column,words", [
    (["应培人数", "长沙电大", None, "应培人数", 120, WHY, WHO], "单位", "no unit"),
    (["缴费明细", "U001", None, "金额", 120, WHY, WHO], "数据表", "no table that can be corrected"),
    (["培训团队", "U001", "事业单位", "应培人数", 3, WHY, WHO], "字段", "no field of teams"),
    (["应培人数", "U001", None, "应培人数", "一百", WHY, WHO], "更正值", "cannot be read"),
    (["合作协议", "U001", "事业单位", "签订日期", "2022-13-45", WHY, WHO], "更正值", "cannot be read"),
    (["应培人数", "U001", None, "应培人数", 120, "", WHO], "原因", "原因 is empty"),
    (["应培人数", "U001", None, "应培人数", 120, WHY, None], "批准人", "批准人 is empty"),
    (["应培人数", "U001", None, "应培人数", 120, WHY, "\u200b\ufeff"], "批准人", "names nobody"),
    (["应培人数", "U001", None, "应培人数", 120, WHY, "——/…"], "批准人", "names nobody"),
    (["培训团队", "U001", None, "专职人员数", 3, WHY, WHO], "项目", "needs the 项目"),
    (["应培人数", "U001", "事业单位", "应培人数", 3, WHY, WHO], "项目", "has no 项目"),
    (["应培人数", "U001", None, "应培人数", "=100+20", WHY, WHO], "更正值", "formula"),
    (["合作协议", "U002", "专技", "终止日期", "2022-10-01", WHY, WHO], "字段", "no professional contract"),
    (["办学单位", "U001", None, "别名", "湘潭开放大学", WHY, WHO], "更正值", "already names the unit"),
])
def test_a_correction_that_matches_nothing_names_its_row_and_column(year, row, column, words):
    write_corrections(year / "更正.xlsx", [["应培人数", "U002", None, "应培人数", 60, WHY, WHO], row])
    with pytest.raises(InputError) as err:
        _load(year)
    e = err.value
    assert (e.row, e.column) == (4, column), str(e)
    assert words in str(e) and e.file.endswith("更正.xlsx")


def test_a_file_without_the_columns_is_an_error(year):
    write_corrections(year / "更正.xlsx", [["U001", 1]], header=["单位", "值"])
    with pytest.raises(InputError, match="数据表"):
        _load(year)


def test_no_corrections_file_no_trail(year):
    assert _load(year).corrections == []


def test_the_trail_holds_numbers_as_json_numbers_and_dates_as_iso_dates(year):
    import json

    write_corrections(year / "更正.xlsx", [["应培人数", "U001", None, "应培人数", "120", WHY, WHO],
                                         ["合作协议", "U003", "专技", "签订日期", "2021年6月1日", WHY, WHO]])
    trail = json.loads(json.dumps(evaluate(_load(year), RULES).to_dict()["review"]["corrections"]))
    assert [(t["old"], t["new"]) for t in trail] == [(100, 120), ("2022-01-05", "2021-06-01")]


def test_two_corrections_of_one_value_name_both_rows(year):
    write_corrections(year / "更正.xlsx", [["应培人数", "U001", None, "应培人数", 120, WHY, WHO],
                                         ["应培人数", "U002", None, "应培人数", 60, WHY, WHO],
                                         ["targets", "长沙开放大学", None, "target", 130, WHY, WHO]])
    with pytest.raises(InputError) as err:
        _load(year)
    e = err.value
    assert e.row == 5 and "rows 3 and 5" in str(e) and e.file.endswith("更正.xlsx")


@pytest.mark.parametrize("words", ["事业单位工作人员培训", "事业单位", "staff"])
def test_the_track_by_its_full_label_its_short_label_or_its_code(year, words):
    write_corrections(year / "更正.xlsx", [["培训团队", "U002", words, "专职人员数", 4, WHY, WHO],
                                         ["培训团队", "U003", "专业技术人员继续教育培训", "专职人员数", 5, WHY, WHO]])
    assert [(t["track"], t["new"]) for t in _load(year).corrections] == [("staff", 4), ("professional", 5)]


def _two_contracts(d, numbers=("HT-1", "HT-2")) -> None:
    """U001 with two staff contracts (the second signed later), numbered."""
    rows = list(csv.reader(open(d / "contracts.csv", encoding="utf-8")))
    with open(d / "contracts.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*rows[0], "contract_no"])
        w.writerows([[*r, numbers[0] if r[:2] == ["U001", "staff"] else ""] for r in rows[1:]])
        w.writerow(["U001", "staff", "2022-02-01", numbers[1]])


def test_a_contract_correction_of_a_unit_with_several_contracts_must_name_the_contract(year):
    _two_contracts(year)
    write_corrections(year / "更正.xlsx", [["合作协议", "U001", "事业单位", "终止日期", "2022-09-30", WHY, WHO]])
    with pytest.raises(InputError) as err:
        _load(year)
    e = err.value
    assert (e.row, e.column) == (3, "合同编号") and "2 staff contracts" in str(e) and "HT-1" in str(e)


def test_a_contract_correction_names_its_contract_by_number(year):
    _two_contracts(year)
    header = ["数据表", "单位", "项目", "合同编号", "字段", "更正值", "原因", "批准人"]
    write_corrections(year / "更正.xlsx", [["合作协议", "U001", "事业单位", "HT-2", "终止日期", "2022-09-30", WHY, WHO]],
                      header=header)
    yd = _load(year)
    c = yd.tables["contracts"]
    c = c[(c["unit_id"] == "U001") & (c["track"] == "staff")].set_index("contract_no")["terminated_on"]
    assert pd.isna(c["HT-1"]) and str(c["HT-2"].date()) == "2022-09-30"  # the other contract untouched
    assert yd.corrections[0]["contract_no"] == "HT-2" and yd.corrections[0]["old"] is None
    write_corrections(year / "更正.xlsx", [["合作协议", "U001", "事业单位", "HT-9", "终止日期", "2022-09-30", WHY, WHO]],
                      header=header)
    with pytest.raises(InputError, match="numbered 'HT-9'"):
        _load(year)


# --- the corrections file in the formats offices use, and its values --------------------------


def _write_as(path, rows):
    """更正.<suffix> with the title row and the header above ``rows``, in the file's
    format (tests/ingest_helpers.write_table; Strict Open XML by ``to_strict``)."""
    from ingest_helpers import to_strict, write_table
    from review_helpers import CORRECTION_HEADER

    table = [["2022年数据更正"], CORRECTION_HEADER, *rows]
    if path.name.endswith(".strict.xlsx"):
        return to_strict(write_table(path.with_name("更正.xlsx"), table))
    return write_table(path, table)


@pytest.mark.parametrize("name", ["更正.xls", "更正.ods", "更正.csv", "更正.xlsm", "更正.et", "更正.strict.xlsx",
                                  "corrections.parquet"])
def test_a_corrections_file_in_every_format_an_export_is_read_in_is_applied(year, name):
    """更正.xls/.ods/.csv were ignored (exit 0, "No corrections file") and
    a Strict Open XML 更正.xlsx was an IndexError (exit 1)."""
    rows = [["应培人数", "长沙开放大学", None, "应培人数", 120, WHY, WHO],
            ["合作协议", "U001", "事业单位", "终止日期", "2022-09-30", WHY, WHO]]
    if name.endswith(".parquet"):  # a Parquet file's first row is its column names
        from ingest_helpers import write_table
        from review_helpers import CORRECTION_HEADER
        path = write_table(year / name, [CORRECTION_HEADER, *[[str(v or "") for v in r] for r in rows]])
    else:
        path = _write_as(year / name, rows)
    yd = _load(year)
    assert yd.tables["targets"].set_index("unit_id")["target"]["U001"] == 120
    assert [(c["file"], c["row"], c["field"], c["new"]) for c in yd.corrections] == [
        (path.name, 3 if not name.endswith(".parquet") else 2, "target", 120),
        (path.name, 4 if not name.endswith(".parquet") else 3, "terminated_on", "2022-09-30")]


def test_a_corrections_workbook_protected_by_a_password_says_so(year):
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).parent / "data" / "spreadsheets" / "protected_passtika.xlsx", year / "更正.xlsx")
    with pytest.raises(InputError) as err:
        _load(year)
    assert "password-protected" in str(err.value) and err.value.file.endswith("更正.xlsx")
    assert err.value.exit_code == 2


@pytest.mark.parametrize("fmt", ["更正.xlsx", "更正.csv"])
@pytest.mark.parametrize(("table", "field", "value", "words", "expected"), [
    ("应培人数", "应培人数", 1e30, "out of range", "0 to 999999999999999"),
    ("应培人数", "应培人数", "1e30", "out of range", "0 to 999999999999999"),
    ("应培人数", "应培人数", 10**20, "out of range", "0 to 999999999999999"),
    ("应培人数", "应培人数", -5, "out of range", "0 to 999999999999999"),
    ("应培人数", "应培人数", "1,234", "ambiguous", "without separators"),
    ("应培人数", "应培人数", "1.234", "ambiguous", "without separators"),
    ("应培人数", "应培人数", "12,5", "decimal comma", "whole number"),
    ("应培人数", "应培人数", 12.5, "not a whole number", "whole number"),
    ("合作协议", "终止日期", "9999-12-31", "cannot be read as a date", "1950-01-01 to 2100-12-31"),
    ("合作协议", "终止日期", "1900-01-01", "out of range", "1950-01-01 to 2100-12-31"),
])
def test_a_correction_value_out_of_range_or_ambiguous_is_an_error_naming_the_cell(
        year, fmt, table, field, value, words, expected):
    """A value 1e30 was an OverflowError (exit 1); 12,5 was read as 125."""
    track = "事业单位" if table == "合作协议" else None
    _write_as(year / fmt, [["应培人数", "U002", None, "应培人数", 60, WHY, WHO],
                           [table, "U001", track, field, value, WHY, WHO]])
    with pytest.raises(InputError) as err:
        _load(year)
    e = err.value
    assert (e.row, e.column, e.exit_code) == (4, "更正值", 2), str(e)
    assert words in str(e) and expected in e.expected and e.file.endswith(fmt)

"""Reviewers' workbooks read back (toolkit.review.decisions): what counts as a
decision, and every hostile sheet an error naming file, sheet, row and column."""

from __future__ import annotations

import openpyxl
import pytest
from review_helpers import IND, INN, cell_of, fill

from toolkit import paths
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import InputError
from toolkit.review.apply import read_review, results_by_key
from toolkit.review.sheet import SHEET
from toolkit.review.workbook import write_workbook
from toolkit.rules.load import load_rules

ALL_IND = {"政治方向与职业道德": "符合", "业务能力": "符合", "贡献与成效": "不符合"}


@pytest.fixture(scope="module")
def year(tiny_year, tmp_path_factory):
    rules = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")
    ev = evaluate(open_year(2022, tiny_year, rules=rules, use_cache=False), rules)
    wb = write_workbook(ev, rules, tmp_path_factory.mktemp("out") / "评审表.xlsx")
    return ev, rules, wb


def _read(year, data_dir):
    ev, rules, _ = year
    got = read_review(ev, rules, data_dir)
    return got.decisions, got.files


def _error(year, data_dir) -> InputError:
    with pytest.raises(InputError) as err:
        _read(year, data_dir)
    return err.value


def test_each_filled_cell_is_a_decision_with_its_place(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "张三.xlsx", " 张三 ", {IND: ALL_IND, INN: {"突出贡献及特色创意": " 符合 "}})
    decisions, files = _read(year, tmp_path)
    got = {(d.key, d.criterion): (d.decision, d.reviewer, d.row, d.file, d.sheet) for d in decisions}
    row, _ = cell_of(f, IND, "业务能力")
    assert got[(IND, "competence")] == ("pass", "张三", row, "评审意见/张三.xlsx", SHEET)
    assert got[(IND, "contribution")][0] == "fail"
    assert got[(INN, "innovation_merit")][0] == "pass"
    assert len(decisions) == 4
    assert files[0]["path"] == "评审意见/张三.xlsx" and len(files[0]["sha256"]) == 64


def test_blank_cells_and_sheets_without_the_header_are_not_decisions(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "a.xlsx", None, {IND: {"业务能力": "   "}})
    decisions, files = _read(year, tmp_path)  # the 说明 sheet has no 编号/评审人 header
    assert decisions == [] and len(files) == 1 and f.is_file()


def test_files_in_sub_folders_and_rows_of_several_reviewers_in_one_file(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "第一组" / "汇总.xlsx", "张三", {IND: ALL_IND})
    wb = openpyxl.load_workbook(f)
    ws = wb[SHEET]
    row, _ = cell_of(f, IND, "业务能力")
    copied = [c.value for c in ws[row]]
    copied[copied.index("张三")] = "李四"
    ws.append(copied)  # the row copied below for a second reviewer
    wb.save(f)
    decisions, _ = _read(year, tmp_path)
    assert sorted({d.reviewer for d in decisions}) == ["张三", "李四"]
    assert len(decisions) == 6


def test_the_same_decision_twice_counts_once(year, tmp_path):
    fill(year[2], tmp_path / "评审意见" / "1.xlsx", "张三", {IND: ALL_IND})
    fill(year[2], tmp_path / "评审意见" / "2.xlsx", "张 三", {IND: ALL_IND})
    decisions, files = _read(year, tmp_path)
    assert len(decisions) == 3 and len(files) == 2


def test_one_reviewer_deciding_a_cell_twice_differently(year, tmp_path):
    fill(year[2], tmp_path / "评审意见" / "1.xlsx", "张三", {IND: ALL_IND})
    f = fill(year[2], tmp_path / "评审意见" / "2.xlsx", "张三", {IND: {"贡献与成效": "符合"}})
    e = _error(year, tmp_path)
    row, _ = cell_of(f, IND, "贡献与成效")
    assert (e.file, e.sheet, e.row, e.column, e.value) == (str(f), SHEET, row, "贡献与成效", "符合")
    assert "1.xlsx" in str(e) and "twice" in str(e)


def test_a_value_other_than_the_two_words(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", "张三", {IND: {"业务能力": "基本符合"}})
    e = _error(year, tmp_path)
    assert (e.file, e.row, e.column, e.value) == (str(f), cell_of(f, IND, "业务能力")[0], "业务能力", "基本符合")
    assert "符合" in e.expected


def test_a_formula(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", "张三", {IND: {"业务能力": '=IF(1,"符合","不符合")'}})
    e = _error(year, tmp_path)
    assert "formula" in str(e) and e.column == "业务能力" and e.row == cell_of(f, IND, "业务能力")[0]


@pytest.mark.parametrize("key,nominee", [
    ("2022|staff.individual|U001|赵六", "赵六"),  # no such nominee
    ("2022|staff.individual|U009|王<b>五</b>", "王<b>五</b>"),  # no such unit
    ("2022|staff.professional|U001|王<b>五</b>", None),  # no such award
    ("随便写的", None),
])
def test_a_key_that_names_no_nomination_of_the_year(year, tmp_path, key, nominee):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", "张三", {IND: {"业务能力": "符合"}})
    wb = openpyxl.load_workbook(f)
    row, _ = cell_of(f, IND, "业务能力")
    wb[SHEET].cell(row=row, column=1).value = key
    wb[SHEET].cell(row=row, column=5).value = nominee
    wb.save(f)
    e = _error(year, tmp_path)
    assert (e.file, e.sheet, e.row, e.column, e.value) == (str(f), SHEET, row, "编号", key)
    assert "no nomination of 2022" in str(e)


def test_a_criterion_the_award_does_not_have(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", "张三", {IND: {"事业心与责任感": "符合"}})
    e = _error(year, tmp_path)
    assert (e.row, e.column) == (cell_of(f, IND, "事业心与责任感")[0], "事业心与责任感")
    assert "does not apply" in str(e)


def test_a_criterion_column_the_rules_do_not_have(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", "张三", {IND: {"业务能力": "符合"}})
    wb = openpyxl.load_workbook(f)
    ws = wb[SHEET]
    ws.cell(row=1, column=9).value = "业务水平"  # a renamed criterion column
    wb.save(f)
    e = _error(year, tmp_path)
    assert e.column == "业务水平" and "no qualitative criterion" in str(e)


def test_a_decision_without_a_reviewer(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", None, {IND: {"业务能力": "符合"}})
    e = _error(year, tmp_path)
    assert (e.file, e.row, e.column) == (str(f), cell_of(f, IND, "业务能力")[0], "评审人")


def _changed_year(year, tiny_year, tmp_path, rows: list[list[str]]):
    """The tiny year with its nominations table re-written as ``rows`` (after the
    header), evaluated: (evaluation, the data folder)."""
    import csv
    import shutil

    d = tmp_path / "data"
    shutil.copytree(tiny_year, d)
    with open(d / "nominations.csv", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with open(d / "nominations.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    ev = evaluate(open_year(2022, d, rules=year[1], use_cache=False), year[1])
    return ev, d


def _original_rows(tiny_year) -> list[list[str]]:
    import csv

    with open(tiny_year / "nominations.csv", encoding="utf-8") as fh:
        return list(csv.reader(fh))[1:]


def _nominee_of(ev, decision) -> str:
    return results_by_key(ev)[decision.key].nominee


@pytest.mark.parametrize("drop_nominee_column", [False, True], ids=["as-is", "推荐对象-deleted"])
def test_a_row_inserted_into_the_nominations_table_does_not_move_decisions(year, tiny_year, tmp_path,
                                                                           drop_nominee_column):
    """The issue's case: the reviewer deleted the 推荐对象 column, then a nomination was
    inserted above 王五 in the nominations table: the decisions stay 王五's."""
    original = _original_rows(tiny_year)  # 王<b>五</b> at row 2
    other = [original[0][0], original[0][1], "李四", "踏实肯干" * 20, original[0][4]]
    ev, d = _changed_year(year, tiny_year, tmp_path, [other, *original])  # 李四 now at row 2
    f = fill(year[2], d / "评审意见" / "张三.xlsx", "张三", {IND: ALL_IND})  # the workbook of before
    if drop_nominee_column:
        wb = openpyxl.load_workbook(f)
        wb[SHEET].delete_cols(5)
        wb.save(f)
    got = read_review(ev, year[1], d)
    assert {_nominee_of(ev, x) for x in got.decisions} == {original[0][2]}
    assert {x.key for x in got.decisions} == {IND}


def test_a_nominee_no_longer_in_the_nominations_table_is_an_error_naming_the_key(year, tiny_year, tmp_path):
    original = _original_rows(tiny_year)
    other = [original[0][0], original[0][1], "李四", "踏实肯干" * 20, original[0][4]]
    ev, d = _changed_year(year, tiny_year, tmp_path, [other, *original[1:]])  # 王五 replaced by 李四
    f = fill(year[2], d / "评审意见" / "张三.xlsx", "张三", {IND: ALL_IND})
    with pytest.raises(InputError) as err:
        read_review(ev, year[1], d)
    e = err.value
    assert (e.file, e.sheet, e.row, e.column, e.value) == (str(f), SHEET, cell_of(f, IND, "业务能力")[0], "编号", IND)


def test_true_duplicates_get_a_disambiguator_and_keep_their_decisions_apart(year, tiny_year, tmp_path):
    original = _original_rows(tiny_year)
    again = [*original[0][:3], "另一份事迹" * 20, original[0][4]]
    ev, d = _changed_year(year, tiny_year, tmp_path, [original[0], again, *original[1:]])
    keys = [k for k, r in results_by_key(ev).items() if r.nominee == original[0][2]]
    assert keys == [IND, IND + "|2"]
    wb = write_workbook(ev, year[1], tmp_path / "out" / "评审表.xlsx")
    fill(wb, d / "评审意见" / "张三.xlsx", "张三", {IND: {"业务能力": "符合"}, IND + "|2": {"业务能力": "不符合"}})
    got = read_review(ev, year[1], d)
    assert {(x.key, x.decision) for x in got.decisions} == {(IND, "pass"), (IND + "|2", "fail")}


@pytest.mark.parametrize("column,value", [(2, "事业单位工作人员培训先进集体"), (3, "湘潭开放大学"), (4, "U002"),
                                          (5, "李四")], ids=["奖项", "单位名称", "单位编码", "推荐对象"])
def test_a_visible_cell_that_is_not_the_nomination_of_the_key_is_an_error(year, tmp_path, column, value):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", "张三", {IND: {"业务能力": "符合"}})
    wb = openpyxl.load_workbook(f)
    row, _ = cell_of(f, IND, "业务能力")
    ws = wb[SHEET]
    ws.cell(row=row, column=column).value = value  # the key pasted onto another nominee's row
    header = ws.cell(row=1, column=column).value
    wb.save(f)
    e = _error(year, tmp_path)
    assert (e.file, e.sheet, e.row, e.column, e.value) == (str(f), SHEET, row, header, value)


def test_a_file_with_no_review_sheet_is_an_error_naming_it(year, tmp_path):
    f = tmp_path / "评审意见" / "张三.xlsx"
    f.parent.mkdir()
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "姓名", "结论"])  # a broken copy: no 编号 / 评审人 header
    wb.active.append([1, "王五", "符合"])
    wb.save(f)
    e = _error(year, tmp_path)
    assert e.file == str(f) and "编号" in e.expected and "评审人" in e.expected


# --- a copy belongs to one year ------------------------------------------------------


def _copy_of(year, tmp_path, other_year: int):
    """The review workbook the same nominations had in ``other_year``."""
    import copy

    ev = copy.copy(year[0])
    ev.year = other_year
    return write_workbook(ev, year[1], tmp_path / "out" / f"{other_year}.xlsx")


def test_last_years_filled_copy_is_refused_naming_the_file(year, tmp_path):
    old = _copy_of(year, tmp_path, 2021)
    f = fill(old, tmp_path / "评审意见" / "张三.xlsx", "张三", {IND.replace("2022", "2021", 1): ALL_IND})
    e = _error(year, tmp_path)
    assert e.file == str(f) and "2021" in str(e) and "not of 2022" in str(e)


def test_a_row_of_another_year_pasted_into_this_years_copy_is_refused_naming_its_cell(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "张三.xlsx", "张三", {IND: ALL_IND})
    wb = openpyxl.load_workbook(f)
    row, _ = cell_of(f, IND, "业务能力")
    wb[SHEET].cell(row=row, column=1).value = IND.replace("2022", "2021", 1)
    wb.save(f)
    e = _error(year, tmp_path)
    assert (e.file, e.sheet, e.row, e.column) == (str(f), SHEET, row, "编号") and "2021" in str(e)


def test_a_copy_of_an_earlier_version_without_the_year_is_refused(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "张三.xlsx", "张三", {IND: ALL_IND})
    wb = openpyxl.load_workbook(f)
    wb.properties.keywords = None  # the earlier versions wrote neither
    row, _ = cell_of(f, IND, "业务能力")
    wb[SHEET].cell(row=row, column=1).value = "staff.individual|U001|2"
    wb.save(f)
    e = _error(year, tmp_path)
    assert (e.row, e.column, e.value) == (row, "编号", "staff.individual|U001|2") and "earlier version" in str(e)


# --- what the reviewer sees ----------------------------------------------------------


def _filled(year, tmp_path, reviewer="张三", decisions=None):
    f = fill(year[2], tmp_path / "评审意见" / "张三.xlsx", reviewer,
             decisions or {IND: ALL_IND, INN: {"突出贡献及特色创意": "符合"}})
    return f, openpyxl.load_workbook(f)


@pytest.mark.parametrize("header", ["业务能力", "评审人", "编号"])
def test_a_cell_merged_over_two_rows_is_an_error_naming_the_range(year, tmp_path, header):
    f, wb = _filled(year, tmp_path, decisions={IND: {"业务能力": "符合"}, INN: {"突出贡献及特色创意": "符合"}})
    ws = wb[SHEET]
    row, col = cell_of(f, IND, header)
    ws.merge_cells(f"{col}{row}:{col}{row + 1}")  # Excel shows the top value over both rows
    wb.save(f)
    e = _error(year, tmp_path)
    assert (e.file, e.sheet, e.row, e.column, e.value) == (str(f), SHEET, row, header, f"{col}{row}:{col}{row + 1}")
    assert "merged" in str(e)


def test_cells_merged_in_the_remark_column_are_no_matter(year, tmp_path):
    f, wb = _filled(year, tmp_path)
    row, col = cell_of(f, IND, "评审意见")
    wb[SHEET].merge_cells(f"{col}{row}:{col}{row + 1}")
    wb.save(f)
    assert len(_read(year, tmp_path)[0]) == 4


def test_decisions_in_hidden_rows_and_columns_count_and_are_named(year, tmp_path):
    f, wb = _filled(year, tmp_path)
    ws = wb[SHEET]
    row, _ = cell_of(f, IND, "业务能力")
    _, col = cell_of(f, INN, "突出贡献及特色创意")
    ws.row_dimensions[row].hidden = True  # a filter, or hidden by hand
    ws.column_dimensions[col].hidden = True
    wb.save(f)
    got = read_review(year[0], year[1], tmp_path)
    assert len(got.decisions) == 4
    assert {d.hidden for d in got.decisions} == {"隐藏的行", "隐藏的列"}
    notes = got.notes()
    assert sum("not shown in Excel" in n for n in notes) == 4
    assert any(f"row {row} column '业务能力'" in n and "隐藏的行" in n for n in notes)


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_decisions_in_a_hidden_sheet_are_an_error_naming_it(year, tmp_path, state):
    f, wb = _filled(year, tmp_path)
    wb.copy_worksheet(wb[SHEET]).title = "旧版"
    wb["旧版"].sheet_state = state
    wb.save(f)
    e = _error(year, tmp_path)
    assert (e.file, e.sheet) == (str(f), "旧版") and "hidden sheet" in str(e)


def test_a_decision_in_a_column_without_a_header_is_an_error(year, tmp_path):
    f, wb = _filled(year, tmp_path)
    ws = wb[SHEET]
    row, _ = cell_of(f, IND, "业务能力")
    ws.cell(row=row, column=ws.max_column + 2).value = "不符合"
    wb.save(f)
    e = _error(year, tmp_path)
    assert e.row == row and "no header" in str(e)


@pytest.mark.parametrize("name", ["\u200b", "\ufeff\u200b", "……", "\u3164", "-"])
def test_a_reviewer_whose_name_has_no_visible_letters_is_refused(year, tmp_path, name):
    f, _ = _filled(year, tmp_path, reviewer=name)
    e = _error(year, tmp_path)
    assert (e.file, e.column) == (str(f), "评审人") and "no visible letters" in str(e)


def test_invisible_characters_do_not_make_a_second_reviewer(year, tmp_path):
    fill(year[2], tmp_path / "评审意见" / "1.xlsx", "张三", {IND: ALL_IND})
    fill(year[2], tmp_path / "评审意见" / "2.xlsx", "张三\u200b", {IND: ALL_IND})
    got = read_review(year[0], year[1], tmp_path)
    assert len(got.decisions) == 3 and {d.reviewer for d in got.decisions} == {"张三"}
    assert any("decided in 2 files" in n for n in got.notes())


def test_each_decision_keeps_its_remark(year, tmp_path):
    fill(year[2], tmp_path / "评审意见" / "1.xlsx", "张三", {IND: ALL_IND}, remark=" 事迹突出 ")
    assert {d.remark for d in _read(year, tmp_path)[0]} == {"事迹突出"}


def test_a_copy_rewritten_as_it_is_opened_is_read_as_recorded(year, tmp_path, monkeypatch):
    """The reviewer saves again between the hash and the parsing: the decisions read
    are those of the version whose SHA-256 is recorded (ingest.snapshot)."""
    import hashlib

    a = fill(year[2], tmp_path / "a" / "张三.xlsx", "张三", {IND: {"业务能力": "符合"}}).read_bytes()
    b = fill(year[2], tmp_path / "b" / "张三.xlsx", "张三", {IND: {"业务能力": "不符合"}}).read_bytes()
    dest = tmp_path / "y" / "评审意见" / "张三.xlsx"
    dest.parent.mkdir(parents=True)
    dest.write_bytes(a)
    real = openpyxl.load_workbook

    def saved_again(source, *args, **kwargs):
        dest.write_bytes(b)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", saved_again)
    decisions, files = _read(year, tmp_path / "y")
    decided = {d.decision for d in decisions if d.criterion == "competence"}
    version = {hashlib.sha256(a).hexdigest(): {"pass"}, hashlib.sha256(b).hexdigest(): {"fail"}}
    assert version[files[0]["sha256"]] == decided

"""Reviewers' workbooks read back (toolkit.review.decisions): what counts as a
decision, and every hostile sheet an error naming file, sheet, row and column."""

from __future__ import annotations

import openpyxl
import pytest
from review_helpers import cell_of, fill

from toolkit import paths
from toolkit.clean.year import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import InputError
from toolkit.ingest.find import review_files
from toolkit.review.apply import nominations_by_name, results_by_key
from toolkit.review.decisions import read_decisions
from toolkit.review.sheet import SHEET, award_of, result_key
from toolkit.review.workbook import write_workbook
from toolkit.rules.load import load_rules

IND, INN = "staff.individual|U001|2", "innovation.staff|U002|3"
ALL_IND = {"政治方向与职业道德": "符合", "业务能力": "符合", "贡献与成效": "不符合"}


@pytest.fixture(scope="module")
def year(tiny_year, tmp_path_factory):
    rules = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")
    ev = evaluate(load_year(2022, tiny_year, rules=rules, use_cache=False), rules)
    wb = write_workbook(ev, rules, tmp_path_factory.mktemp("out") / "评审表.xlsx")
    return ev, rules, wb


def _read(year, data_dir):
    ev, rules, _ = year
    awards = {k: award_of(r) for k, r in results_by_key(ev).items()}
    return read_decisions(review_files(data_dir), data_dir, rules, awards, nominations_by_name(ev))


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


def test_a_nominee_that_does_not_exist(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", "张三", {IND: {"业务能力": "符合"}})
    wb = openpyxl.load_workbook(f)
    row, _ = cell_of(f, IND, "业务能力")
    wb[SHEET].cell(row=row, column=1).value = "staff.individual|U001|99"
    wb[SHEET].cell(row=row, column=5).value = "赵六"
    wb.save(f)
    e = _error(year, tmp_path)
    assert (e.row, e.column, e.value) == (row, "编号", "staff.individual|U001|99")


def test_a_nomination_that_moved_to_another_row_is_found_by_its_name(year, tmp_path):
    f = fill(year[2], tmp_path / "评审意见" / "x.xlsx", "张三", {IND: {"业务能力": "符合"}})
    wb = openpyxl.load_workbook(f)
    row, _ = cell_of(f, IND, "业务能力")
    wb[SHEET].cell(row=row, column=1).value = "staff.individual|U001|5"  # 推荐申报.xlsx re-written
    wb.save(f)
    (d,), _ = _read(year, tmp_path)
    assert (d.key, d.criterion, d.decision) == (IND, "competence", "pass")


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
    ev = evaluate(load_year(2022, d, rules=year[1], use_cache=False), year[1])
    return ev, d


def _read_against(ev, rules, data_dir):
    by_key = results_by_key(ev)
    return read_decisions(review_files(data_dir), data_dir, rules, {k: award_of(r) for k, r in by_key.items()},
                          nominations_by_name(ev), {k: r.nominee for k, r in by_key.items()})


def _original_rows(tiny_year) -> list[list[str]]:
    import csv

    with open(tiny_year / "nominations.csv", encoding="utf-8") as fh:
        return list(csv.reader(fh))[1:]


def test_a_row_inserted_above_a_nominee_does_not_pass_its_decisions_to_the_new_one(year, tiny_year, tmp_path):
    original = _original_rows(tiny_year)  # 王<b>五</b> at row 2
    other = [original[0][0], original[0][1], "李四", "踏实肯干" * 20, original[0][4]]
    ev, d = _changed_year(year, tiny_year, tmp_path, [other, *original])  # 李四 now at row 2
    assert {r.nominee for r in ev.individual if result_key(r) == IND} == {"李四"}
    fill(year[2], d / "评审意见" / "张三.xlsx", "张三", {IND: ALL_IND})  # the workbook of before
    decisions, _ = _read_against(ev, year[1], d)
    moved = "staff.individual|U001|3"
    assert {r.nominee for r in ev.individual if result_key(r) == moved} == {original[0][2]}
    assert {x.key for x in decisions} == {moved}


@pytest.mark.parametrize("twice", [False, True], ids=["none", "several"])
def test_a_nominee_no_longer_found_at_its_number_nor_by_its_name_is_an_error(year, tiny_year, tmp_path, twice):
    original = _original_rows(tiny_year)
    other = [original[0][0], original[0][1], "李四", "踏实肯干" * 20, original[0][4]]
    again = [*original[0][:3], "另一份事迹" * 20, original[0][4]]
    rows = [other, *([original[0], again] if twice else []), *original[1:]]
    ev, d = _changed_year(year, tiny_year, tmp_path, rows)
    f = fill(year[2], d / "评审意见" / "张三.xlsx", "张三", {IND: ALL_IND})
    with pytest.raises(InputError) as err:
        _read_against(ev, year[1], d)
    e = err.value
    row, _ = cell_of(f, IND, "业务能力")
    assert (e.file, e.sheet, e.row, e.column) == (str(f), SHEET, row, "推荐对象")
    assert ("several" if twice else "no nomination") in str(e) and "李四" in str(e)


def test_a_file_with_no_review_sheet_is_an_error_naming_it(year, tmp_path):
    f = tmp_path / "评审意见" / "张三.xlsx"
    f.parent.mkdir()
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "姓名", "结论"])  # a broken copy: no 编号 / 评审人 header
    wb.active.append([1, "王五", "符合"])
    wb.save(f)
    e = _error(year, tmp_path)
    assert e.file == str(f) and "编号" in e.expected and "评审人" in e.expected


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

"""The reviewer roster (toolkit.review.roster): read and checked (exit 2 naming file,
sheet, row, column and the nearest valid values), every returned 评审人 checked against
it, and recusal (own unit, a listed unit) kept in the trail but not counted."""

from __future__ import annotations

import pytest
from review_helpers import IND, INN, copy_year, fill, write_corrections, write_roster

from toolkit import cli, paths
from toolkit.analysis import open_year
from toolkit.exceptions import InputError
from toolkit.review.apply import apply_review
from toolkit.review.roster import Units, load_roster
from toolkit.rules.load import load_rules

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"
YES = {"政治方向与职业道德": "符合", "业务能力": "符合", "贡献与成效": "符合"}
#: 张三 works at 长沙 (U001: the individual's unit); 李四 is an outsider who must not
#: judge U002 (the innovation's unit); 王五 and 赵六 judge everything
ROSTER = [["张三", "长沙开放大学", "", "电话 13912345678"], ["李四", "湖南大学", "U002", ""],
          ["王五", "省校", "", ""], ["赵六", "省校", None, None]]


@pytest.fixture
def year(governance_year):
    return governance_year


def test_the_roster_resolves_units_by_id_name_or_alias_and_keeps_outsiders(year, tmp_path):
    *_, units = year
    write_roster(tmp_path / "评审专家.xlsx", [
        ["张三", "U001", "湘潭开放大学；U002", "备注照录"], [" 李 四 ", "湖南大学", "长沙开放大学\n湘潭开放大学", ""]])
    roster = load_roster(tmp_path, units)
    a, b = roster.reviewers
    assert (a.unit_id, a.recuse, a.note, a.row) == ("U001", ("U003", "U002"), "备注照录", 3)
    assert (b.name, b.unit, b.unit_id, b.recuse) == ("李 四", "湖南大学", None, ("U001", "U003"))
    assert roster.find("李四\u200b") is b and roster.find("王五") is None
    assert [b.recusal(u) for u in ("U001", "U003", "U002", None)] == ["listed_unit", "listed_unit", None, None]
    assert a.recusal("U001") == "own_unit"


def test_without_a_roster_there_is_none(year, tmp_path):
    assert load_roster(tmp_path, year[3]) is None


@pytest.mark.parametrize("rows,header,row,column,words", [
    ([["张三", "省校"], ["张 三", "U003"]], None, 4, "姓名", ["twice", "first in row 3", "张三（长沙）"]),
    ([["张三", "省校", "长沙开放大学、湘谭开放大学"]], None, 3, "回避单位", ["'湘谭开放大学'", "湘潭开放大学"]),
    ([["\u200b", "U001"]], None, 3, "姓名", ["without a name"]),
    ([["张三", ""]], None, 3, "所在单位", ["no 所在单位"]),
    ([["张三", "长沙开发大学"]], None, 3, "所在单位", ["nearly spells '长沙开放大学'"]),
    ([["张三", "=A1"]], None, 3, "所在单位", ["formula"]),
    ([["张三", "省校"]], ["名字", "单位"], None, None, ["no header row naming 姓名 and 所在单位"]),
    ([["张三", "省校"], ["李四", "湖南大学", "U009"]], ["专家姓名", "工作单位", "需回避单位"], 4, "需回避单位",
     ["'U009'", "nearest"]),
])
def test_a_hostile_roster_is_an_input_error_naming_its_cell(year, tmp_path, rows, header, row, column, words):
    path = write_roster(tmp_path / "评审专家.xlsx", rows, header)
    with pytest.raises(InputError) as err:
        load_roster(tmp_path, year[3])
    e = err.value
    assert (e.file, e.sheet, e.row, e.column) == (str(path), "评审专家", row, column)
    assert all(w in str(e) for w in words), str(e)


@pytest.mark.parametrize("written,nearest", [("李思", "李四"), ("\u200b", None), ("张三丰", "张三")])
def test_a_reviewer_not_on_the_roster_is_exit_2_naming_the_copy(year, tmp_path, written, nearest):
    ev, rules, wb, units = year
    write_roster(tmp_path / "评审专家.xlsx", ROSTER)
    copy = fill(wb, tmp_path / "评审意见" / "x.xlsx", written, {IND: YES})
    with pytest.raises(InputError) as err:
        apply_review(ev, rules, tmp_path, units)
    e = err.value
    assert (e.file, e.sheet, e.row, e.column) == (str(copy), "评审表", 2, "评审人")
    if nearest:
        assert "not on the reviewer roster" in str(e) and nearest in e.expected
    else:  # an invisible name is no name
        assert "without a reviewer" in str(e)


def test_an_invisible_character_is_not_part_of_a_name(year, tmp_path):
    ev, rules, wb, units = year
    write_roster(tmp_path / "评审专家.xlsx", ROSTER)
    fill(wb, tmp_path / "评审意见" / "a.xlsx", "王\u200b五", {IND: YES})
    fill(wb, tmp_path / "评审意见" / "b.xlsx", "王五", {IND: YES})
    c = next(c for c in apply_review(ev, rules, tmp_path, units).individual[0].criteria if c.id == "competence")
    assert [d["reviewer"] for d in c.detail["decisions"]] == ["王五"]  # one reviewer, counted once


def test_a_recused_decision_is_kept_in_the_trail_but_not_counted(year, tmp_path):
    ev, rules, wb, units = year
    write_roster(tmp_path / "评审专家.xlsx", ROSTER)
    fill(wb, tmp_path / "评审意见" / "张三.xlsx", "张三", {IND: {**YES, "贡献与成效": "不符合"},
                                                         INN: {"突出贡献及特色创意": "符合"}})
    fill(wb, tmp_path / "评审意见" / "李四.xlsx", "李四", {IND: YES, INN: {"突出贡献及特色创意": "不符合"}})
    done = apply_review(ev, rules, tmp_path, units)
    ind, inn = done.individual[0], done.innovation[0]
    c = next(c for c in ind.criteria if c.id == "contribution")
    # 张三's 不符合 on his own unit's nominee does not count: 1 of 1 counted says 符合
    assert c.outcome == "pass" and c.explanation.startswith("评审：1 人中 1 人认为符合（多数决）；张三 本单位回避，不计入")
    assert [(d["reviewer"], d["counted"], d["recusal"]) for d in c.detail["decisions"]] == [
        ("张三", False, "own_unit"), ("李四", True, None)]
    m = next(c for c in inn.criteria if c.id == "innovation_merit")
    assert m.outcome == "pass" and [(d["reviewer"], d["recusal"]) for d in m.detail["decisions"]] == [
        ("张三", None), ("李四", "listed_unit")]
    assert done.review["roster"]["path"] == "评审专家.xlsx" and len(done.review["roster"]["reviewers"]) == 4


def test_only_recused_decisions_leave_the_criterion_short_of_reviewers(year, tmp_path):
    ev, rules, wb, units = year
    write_roster(tmp_path / "评审专家.xlsx", ROSTER)
    fill(wb, tmp_path / "评审意见" / "张三.xlsx", "张三", {IND: YES})
    ind = apply_review(ev, rules, tmp_path, units).individual[0]
    assert ind.outcome == "needs_review"
    assert all(c.outcome == "unknown" and c.reason == "评审人数不足（0/1）" and "source" not in c.detail
               for c in ind.criteria if c.kind == "qualitative")


def test_validate_checks_the_roster(tiny_year, tmp_path, capsys):
    d = copy_year(tiny_year, tmp_path / "2022")
    args = ["validate", "--year", "2022", "--data-dir", str(d), "--rules", str(RULES_2022), "--no-cache"]
    assert cli.main(args) == 0
    assert "No reviewer roster (评审专家.xlsx): recusal not checked." in capsys.readouterr().out
    write_roster(d / "评审专家.xlsx", ROSTER)
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "Reviewer roster checked: 评审专家.xlsx (4 reviewers)." in out and "match no table" not in out
    write_roster(d / "评审专家.xlsx", [*ROSTER, ["王五", "U003"]])
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "评审专家.xlsx" in err and "row 7" in err and "'姓名'" in err and "Traceback" not in err


@pytest.mark.parametrize("use_cache", [False, True])
def test_a_corrected_alias_names_a_unit_in_the_roster(tiny_year, tmp_path, use_cache):
    d = copy_year(tiny_year, tmp_path / "2022")
    write_corrections(d / "更正.xlsx", [["办学单位", "U003", None, "别名", "湘潭电大", "补录曾用名", "省校"]])
    write_roster(d / "评审专家.xlsx", [["张三", "湘潭电大", "湘潭电大", ""]])
    rules = load_rules(2022, RULES_2022)
    open_year(2022, d, rules=rules, use_cache=use_cache)  # with the cache: the second read is served from it
    yd = open_year(2022, d, rules=rules, use_cache=use_cache)
    (reviewer,) = load_roster(d, Units.of_year(yd)).reviewers
    assert (reviewer.unit_id, reviewer.recuse) == ("U003", ("U003",))


@pytest.mark.parametrize("written,words", [("李思", "nearest: 李四"), ("\u200b", "without a reviewer")])
def test_validate_stops_a_reviewer_not_on_the_roster_naming_the_copy(year, tiny_year, tmp_path, capsys, written, words):
    d = copy_year(tiny_year, tmp_path / "2022")
    write_roster(d / "评审专家.xlsx", ROSTER)
    copy = fill(year[2], d / "评审意见" / "x.xlsx", written, {IND: YES})
    assert cli.main(["validate", "--year", "2022", "--data-dir", str(d), "--rules", str(RULES_2022)]) == 2
    err = capsys.readouterr().err
    assert words in err and str(copy) in err and "row 2" in err and "'评审人'" in err and "Traceback" not in err

"""The objections register 异议登记.xlsx (toolkit/review/objections.py): each row's
effect on the final list, and every problem an exit-2 error naming the file, sheet,
row and column with the nearest valid values (docs/review-cycle.md, "Objections")."""

from __future__ import annotations

import openpyxl
import pytest
from final_helpers import ALL_DECIDED, decide, final_year  # noqa: F401 - fixture
from objection_helpers import NOMINEE_KEY, PROFESSIONAL_KEY, row, with_register, write_register
from review_helpers import copy_year

from toolkit import cli
from toolkit.exceptions import InputError
from toolkit.outputs.final.listing import final_list, final_states
from toolkit.outputs.final.objections import objection_rows
from toolkit.outputs.final.write import write_final
from toolkit.review.objections import check_objections, objections_summary

CORRECTION = {"file": "更正.xlsx", "sheet": "Sheet", "row": 3, "table": "targets", "unit_id": "U001",
              "unit_name": "长沙开放大学", "track": None, "field": "target", "old": None, "new": 100,
              "reason": "补报", "approver": "李处长"}

#: (case, register rows, expected state of the staff nominee, effect, publicity draft written)
EFFECTS = [
    ("under check holds the nominee back", [row()], "pending", "held", False),
    ("an empty finding is under check", [row(finding="核查中")], "pending", "held", False),
    ("upheld and withdrawn", [row(finding="成立", action="撤销推荐", approver="王处长")], "withdrawn",
     "withdrawn", True),
    ("upheld, corrected by row 3", [row(finding="成立", action="更正", correction_row=3, approver="王处长")],
     "proposed", "corrected", True),
    ("upheld without action", [row(finding="成立", action="无", approver="王处长")], "proposed", "upheld", True),
    ("rejected", [row(finding="不成立", approver="王处长")], "proposed", "rejected", True),
    ("anonymous holds nothing back", [row(objector="")], "proposed", "anonymous", True),
    ("anonymous, explicitly under check", [row(objector="", finding="核查中")], "proposed", "anonymous", True),
    ("anonymous with a recorded finding applies", [row(objector="", finding="成立", action="撤销推荐",
                                                       approver="王处长")], "withdrawn", "withdrawn", True),
]


@pytest.mark.parametrize("case,rows,state,effect,draft", EFFECTS, ids=[c[0] for c in EFFECTS])
def test_an_objections_effect_on_the_final_list(final_year, tmp_path, case, rows, state, effect, draft):  # noqa: F811
    ev = with_register(decide(final_year.evaluation, ALL_DECIDED), tmp_path, rows, corrections=[CORRECTION])
    assert [o["effect"] for o in ev.review["objections"]] == [effect]
    assert final_states(ev)[NOMINEE_KEY] == state
    written = {p.name for p in write_final(ev, tmp_path / "final")}
    assert ("公示稿.docx" in written) is draft
    assert "异议处理情况.xlsx" in written
    fl = final_list(ev)
    if state == "pending":
        assert [e.reason for e in fl.pending] == ["异议核查中（编号 1）"]
    if state == "withdrawn":
        assert [(e.name, e.reason) for e in fl.withdrawn] == [
            ("王<b>五</b>", "异议成立（编号 1）：事迹材料与实际不符，联系电话*******5678")]
        ws = openpyxl.load_workbook(tmp_path / "final" / "拟表彰名单.xlsx")["撤销推荐"]
        got = dict(zip([c.value for c in ws[1]], [c.value for c in ws[2]], strict=True))
        assert (got["单位名称"], got["先进个人姓名"]) == ("长沙开放大学", "王<b>五</b>")


def test_the_register_workbook_lists_every_objection_with_its_effect(final_year, tmp_path):  # noqa: F811
    rows = [row("1", finding="成立", action="撤销推荐", approver="王处长"), row("2", nominee="李四"),
            row("3", objector="", award="专业技术人员继续教育培训先进个人", unit="湘潭开放大学", nominee="赵六"),
            row("4", nominee="李四", finding="不成立", approver="王处长")]
    ev = with_register(decide(final_year.evaluation, ALL_DECIDED), tmp_path, rows)
    got = [(r[0], r[2], r[12], r[13]) for r in objection_rows(ev)]
    assert got == [("1", "实名", "撤销推荐", "撤销"), ("2", "实名", "待定：异议核查中（编号 2）", "未列入"),
                   ("3", "匿名", "匿名异议，按规定不予受理", "拟表彰"), ("4", "实名", "不成立，不影响结果", "未列入")]
    assert final_states(ev)[PROFESSIONAL_KEY] == "proposed"
    assert "张某" not in str(ev.to_dict()["review"]["objections"])  # the objector's name is not shared


#: (case, the row, the column named, words the message or the expected values hold)
HOSTILE = [
    ("an award not in the rules", row(award="先进教师"), "奖项", "事业单位工作人员培训先进个人"),
    ("a unit not in the registry", row(unit="岳阳开放大学"), "单位名称", "长沙开放大学"),
    ("a unit that did not apply", row(award="事业单位工作人员培训先进集体", unit="湘潭开放大学", nominee=""), "单位名称",
     "事业单位工作人员培训先进集体 / 长沙开放大学"),
    ("a nominee not nominated", row(nominee="王六"), "推荐对象", "王<b>五</b>"),
    ("an individual award without nominee", row(nominee=""), "推荐对象", "李四"),
    ("a finding without 批准人", row(finding="成立", action="撤销推荐"), "批准人", "没有批准人"),
    ("a rejection without 批准人", row(finding="不成立"), "批准人", "没有批准人"),
    ("an invisible 批准人", row(finding="不成立", approver="\u200b\u200b"), "批准人", "不可见字符"),
    ("a 批准人 of punctuation only", row(finding="不成立", approver="——"), "批准人", "不是姓名"),
    ("a correction row 更正.xlsx does not carry", row(finding="成立", action="更正", correction_row=9, approver="王处长"),
     "更正行", "3"),
    ("upheld without action", row(finding="成立", approver="王处长"), "处理", "撤销推荐"),
    ("an unknown finding", row(finding="待定"), "核查结论", "成立"),
    ("an action on a rejected objection", row(finding="不成立", action="撤销推荐", approver="王处长"), "处理", "留空"),
    ("a date that is none", row(received="下周一"), "收到日期", "日期"),
    ("no grounds", row(grounds=""), "事由", "事由"),
]


@pytest.mark.parametrize("case,bad,column,words", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_a_hostile_row_is_exit_2_naming_file_row_and_column(final_year, tmp_path, case, bad, column, words):  # noqa: F811
    ev = decide(final_year.evaluation, ALL_DECIDED)
    with pytest.raises(InputError) as err:
        with_register(ev, tmp_path, [row("1", nominee="李四"), bad], corrections=[CORRECTION])
    e = err.value
    assert e.exit_code == 2 and e.file.endswith("异议登记.xlsx")
    assert (e.sheet, e.row, e.column) == ("异议登记", 4, column)
    assert words in f"{e.message} {e.expected}"


def test_a_number_used_twice_names_both_rows(final_year, tmp_path):  # noqa: F811
    with pytest.raises(InputError, match="第 3 行和第 4 行") as err:
        with_register(decide(final_year.evaluation, ALL_DECIDED), tmp_path, [row("7"), row("7", nominee="李四")])
    assert (err.value.row, err.value.column) == (4, "编号")


def test_without_a_register_nothing_changes(final_year, tmp_path):  # noqa: F811
    ev = decide(final_year.evaluation, ALL_DECIDED)
    assert check_objections(ev, tmp_path) is ev
    assert "objections" not in ev.to_dict()["review"]


VALIDATE = [
    ("a settled register", [row("1", finding="不成立", approver="王处长"), row("2", objector="")], 0,
     "objections register checked (异议登记.xlsx): 2 objection(s)（不成立，不影响结果 1 件；匿名异议，按规定不予受理 1 件）"),
    ("an objection naming nobody nominated", [row("1", nominee="王六")], 2, "推荐对象不在推荐名单中"),
    ("a finding without 批准人", [row("1", finding="成立", action="撤销推荐")], 2, "没有批准人"),
]


@pytest.mark.parametrize("case,rows,code,words", VALIDATE, ids=[c[0] for c in VALIDATE])
def test_validate_checks_the_register(final_year, tmp_path, capsys, case, rows, code, words):  # noqa: F811
    data = copy_year(final_year.data, tmp_path / "data" / "2022")
    write_register(data, rows)
    argv = ["validate", "--year", "2022", "--data-dir", str(data), "--rules", str(final_year.rules_path)]
    assert cli.main(argv) == code
    out = capsys.readouterr()
    assert words in (out.out if code == 0 else out.err)
    if code:
        assert "异议登记.xlsx" in out.err and "row 3" in out.err
    else:
        assert "异议登记.xlsx" not in out.out.split("objections register checked")[0]  # not an unrecognised export


def test_validate_without_a_register_says_so(final_year, tmp_path):  # noqa: F811
    lines = objections_summary(final_year.year_data, final_year.rules)
    assert lines == ["no objections register (异议登记.xlsx) was given: the objections of the publicity period "
                     "were not checked"]


def test_a_register_in_another_format_is_exit_2_naming_it(final_year, tmp_path):  # noqa: F811
    (tmp_path / "异议登记.xls").write_bytes(b"old excel")
    with pytest.raises(InputError, match="not an .xlsx file") as err:
        check_objections(decide(final_year.evaluation, ALL_DECIDED), tmp_path)
    assert err.value.file.endswith("异议登记.xls") and err.value.exit_code == 2


def test_an_award_named_by_its_rules_words_is_found_only_through_the_rules(final_year, tmp_path):  # noqa: F811
    """奖项 may be written as the nominations table names the award: the words of its
    rules entry (``words:``), which only the rules know (an award is its rules entry)."""
    from toolkit.rules.load import load_rules

    text = final_year.rules_path.read_text(encoding="utf-8")
    text = text.replace("  staff.individual:\n", "  staff.individual:\n    words: [事业单位人员个人奖]\n", 1)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "2022.yaml").write_text(text, encoding="utf-8")
    rules = load_rules(2022, tmp_path / "rules" / "2022.yaml")
    ev = decide(final_year.evaluation, ALL_DECIDED)
    write_register(tmp_path / "data", [row(award="事业单位人员个人奖")])
    read = check_objections(ev, tmp_path / "data", rules=rules)
    assert [o["effect"] for o in read.review["objections"]] == ["held"]
    with pytest.raises(InputError):
        check_objections(ev, tmp_path / "data")

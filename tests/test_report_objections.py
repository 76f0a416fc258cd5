"""The report's part on the public notice (toolkit/outputs/report/objections.py) and the
final list's 撤销推荐 (toolkit/outputs/report/final_list.py): every objection with its
effect in words, the anonymous ones not admitted, the notice period of the rules file,
one line without a register."""

from __future__ import annotations

import dataclasses

from final_helpers import ALL_DECIDED, decide, final_year, report_ctx  # noqa: F401 - fixture
from objection_helpers import row, with_register

from toolkit.outputs.report import final_list, objections
from toolkit.rules.publicity import PublicityPolicy

ROUND = [row("1", finding="成立", action="撤销推荐", approver="王处长"), row("2", nominee="李四"),
         row("3", objector="", award="专业技术人员继续教育培训先进个人", unit="湘潭开放大学", nominee="赵六"),
         row("4", nominee="李四", finding="不成立", approver="王处长")]


def test_every_objection_is_listed_with_its_effect_and_the_withdrawn_one_in_the_list(final_year, tmp_path):  # noqa: F811
    ev = with_register(decide(final_year.evaluation, ALL_DECIDED), tmp_path / "d", ROUND)
    ctx = report_ctx(final_year, ev, tmp_path / "run")
    page = objections.section(ctx).html
    for words in ("共登记异议 4 件", "匿名异议，按规定不予受理", "待定：异议核查中（编号 2）", "不成立，不影响结果",
                  "尚有异议在核查中", "联系电话*******5678", "规则文件未规定公示期"):
        assert words in page, words
    assert "13912345678" not in page and "张某" not in page
    opening = final_list.section(ctx).html
    assert "<h3>撤销推荐</h3>" in opening and "异议成立（编号 1）" in opening
    assert "异议核查中：编号 2" in opening


def test_without_a_register_one_line_says_so(final_year, tmp_path):  # noqa: F811
    ctx = report_ctx(final_year, decide(final_year.evaluation, ALL_DECIDED), tmp_path / "run")
    page = objections.section(ctx).html
    assert "未提供异议登记表" in page
    assert "撤销推荐" not in final_list.section(ctx).html


def test_the_notice_period_of_the_rules_file_is_printed(final_year, tmp_path):  # noqa: F811
    ctx = report_ctx(final_year, decide(final_year.evaluation, ALL_DECIDED), tmp_path / "run")
    ctx = dataclasses.replace(ctx, rules=dataclasses.replace(
        ctx.rules, publicity=PublicityPolicy(days=5, clause="评选办法 第六条", wording="公示期为5个工作日")))
    assert "公示期 5 天（评选办法 第六条）：公示期为5个工作日" in objections.section(ctx).html

"""The report's part 与上次发布相比 (toolkit/outputs/report/changes.py): labels only, each
change before → after with its causes in words, the first page's note when anything
changed, 首次发布 without an earlier publication."""

from __future__ import annotations

from final_helpers import ALL_DECIDED, DECISIONS, decide, final_year, report_ctx  # noqa: F401 - fixture

from toolkit.outputs.changes import compare, write_changes
from toolkit.outputs.report import changes as report_changes


def _ctx(final_year, tmp_path, content):  # noqa: F811
    ctx = report_ctx(final_year, decide(final_year.evaluation, ALL_DECIDED), tmp_path / "run")
    write_changes(tmp_path / "run", content)
    return ctx


def test_each_change_is_shown_with_labels_and_its_causes(final_year, tmp_path):  # noqa: F811
    before, after = decide(final_year.evaluation, DECISIONS), decide(final_year.evaluation, ALL_DECIDED)
    content = {"first": False, "compared_with": {"published_at": "2026-12-01T10:00:00+08:00"},
               "inputs_changed": ["推荐申报.xlsx"], "rules_changed": False,
               "changes": compare(before, after, inputs_changed=["推荐申报.xlsx"])}
    ctx = _ctx(final_year, tmp_path, content)
    page = report_changes.section(ctx).html
    for words in ("比较对象：2026-12-01 10:00 发布的结果", "赵六", "需复核 → 符合条件", "待定 → 拟表彰",
                  "评审意见 评审意见/专家甲.xlsx 评审表 第 2 行", "输入文件变化 推荐申报.xlsx"):
        assert words in page, words
    assert "needs_review" not in page and "pending" not in page
    assert "与 2026-12-01 10:00 发布的结果相比：1 项结论变化" in report_changes.note(ctx).html


def test_the_first_publication_and_no_change_have_no_note(final_year, tmp_path):  # noqa: F811
    ctx = _ctx(final_year, tmp_path, {"first": True, "compared_with": None, "changes": []})
    assert "首次发布" in report_changes.section(ctx).html
    assert report_changes.note(ctx).html == ""

"""The report's section on the award cycle (toolkit.outputs.report.cycle): every
correction applied, and the review files read."""

from __future__ import annotations

import dataclasses

from toolkit.outputs.report import cycle
from toolkit.outputs.report.frame import html_of

CORRECTION = {"file": "更正.xlsx", "sheet": "Sheet1", "row": 3, "table": "targets", "unit_id": "U002",
              "unit_name": "株洲<script>alert(1)</script>分校", "track": None, "field": "target", "old": None,
              "new": "120", "reason": "市州补报<b>", "approver": "李主任"}


def _with(ctx, **review):
    ev = dataclasses.replace(ctx.evaluation, review={"files": [], "corrections": [], **review})
    return dataclasses.replace(ctx, evaluation=ev)


def test_before_the_review_the_section_says_where_things_go(ctx):
    page = html_of(cycle.corrections(ctx))
    assert "本年度没有数据更正" in page and "review/评审表.xlsx" in page and "data/2022/评审意见/" in page


def test_each_correction_is_listed_with_reason_and_approver(ctx):
    page = html_of(cycle.corrections(_with(ctx, corrections=[CORRECTION])))
    for text in ("更正.xlsx", "应培人数表", "应培人数", "120", "李主任", "原值", "批准人"):
        assert text in page, text
    assert "<script>" not in page and "&lt;script&gt;" in page and "市州补报&lt;b&gt;" in page


def test_the_review_files_read_are_named(ctx):
    page = html_of(cycle.corrections(_with(ctx, files=[{"path": "评审意见/张三.xlsx", "sha256": "0" * 64}])))
    assert "已读取评审意见文件 1 个（评审意见/张三.xlsx）" in page and "0 项定性条件" in page

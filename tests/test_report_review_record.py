"""The report's sections on the review's governance (toolkit.outputs.report.review_record):
the record per nomination (decisions, remarks masked, counts, recusals), the progress
and the meeting's agenda, the one line without a roster; and ``toolkit.review_record``,
the record of a run folder as a table."""

from __future__ import annotations

import dataclasses

import pytest
from review_helpers import IND, fill

import toolkit
from toolkit.outputs.report import review_record, store
from toolkit.outputs.report.frame import html_of
from toolkit.outputs.tables import write_outputs
from toolkit.review.apply import apply_review


@pytest.fixture
def year(governance_year):
    return governance_year


@pytest.fixture(scope="module")
def governed(ctx, governance_decided):
    return dataclasses.replace(ctx, evaluation=governance_decided[1])


def test_the_record_per_nomination_names_each_reviewer_decision_and_remark(governed):
    page = html_of(review_record.record(governed))
    for text in ("评审人已按评审专家名单（评审专家.xlsx，4 人）核对",
                 "贡献与成效：2 人评审，1 人认为符合；张三 本单位回避",
                 "突出贡献及特色创意：2 人评审，1 人认为符合；李四 回避单位回避",
                 "符合（回避，不计入）", "贡献不够突出", "*******5678", "王&lt;b&gt;五&lt;/b&gt;"):
        assert text in page, text
    assert "13912345678" not in page and "430102199001011234" not in page and "<b>五" not in page
    assert review_record.NO_ROSTER not in page


def test_a_number_in_a_unit_or_nominee_name_is_masked_in_both_sections(governed):
    ev = governed.evaluation
    named = [dataclasses.replace(n, unit_name=f"{n.unit_name}13712345678", nominee=f"{n.nominee}43010119850505123X")
             for n in ev.individual]
    ctx = dataclasses.replace(governed, evaluation=dataclasses.replace(ev, individual=named))
    page = html_of(review_record.record(ctx)) + html_of(review_record.progress(ctx))
    assert "13712345678" not in page and "43010119850505123X" not in page
    assert "*******5678" in page and "**************123X" in page


def test_progress_and_agenda(governed):
    page = html_of(review_record.progress(governed))
    for text in ("需评审的推荐对象 2 项（review/评审进度.xlsx）", "回避", "未评", "评审会议程</b>：2 项", "票数相同"):
        assert text in page, text
    assert "staff.individual" not in page and "编号" not in page  # codes stay in the workbook


def test_without_a_roster_one_line_says_recusal_was_not_checked(ctx, year, tmp_path):
    ev, rules, wb, units = year
    fill(wb, tmp_path / "评审意见" / "a.xlsx", "钱七", {IND: {"业务能力": "符合"}})
    plain = dataclasses.replace(ctx, evaluation=apply_review(ev, rules, tmp_path, units))
    assert "未提供评审专家名单，未核对回避。" in html_of(review_record.record(plain))
    assert "未提供评审专家名单，未核对回避。" in html_of(review_record.progress(plain))
    assert "尚无评审记录" in html_of(review_record.record(ctx))


def test_a_notebook_opens_the_record_of_a_run(governed, tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    write_outputs(governed.evaluation, run_dir)
    store.write_report_data(governed, run_dir)
    assert "评审人已按评审专家名单" in html_of(review_record.record(toolkit.open_run(run_dir)))
    frame = toolkit.review_record(run_dir)
    assert list(frame.columns)[:5] == ["奖项", "单位名称", "推荐对象", "条件", "评审人"] and len(frame) == 12
    assert set(frame["是否计入"]) == {"计入", "回避：本单位", "回避：回避单位"}

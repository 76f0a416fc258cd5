"""Draft approval forms for eligible (or needs-review) collectives that were not
nominated, their 主要事迹 written from the evaluation's figures."""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from outputs_helpers import (  # noqa: E402
    RULES,
    STAFF_METRICS,
    YEAR,
    deeds,
    evaluation,
    grid,
    grid_row,
    one,
    unit_result,
    year_data,
)

from toolkit.outputs.forms.drafts import draft_deeds  # noqa: E402
from toolkit.outputs.forms.nominations import deeds_length  # noqa: E402
from toolkit.outputs.forms.write import write_forms  # noqa: E402


@pytest.fixture()
def written(tmp_path):
    out = tmp_path / "forms"
    return out, write_forms(evaluation(), year_data(), RULES, out)


def test_draft_forms_only_for_unnominated_eligible_or_review(written):
    _, paths = written
    drafts = sorted(p.name for p in paths if "草稿" in p.name)
    assert drafts == sorted([
        "附件2_事业单位工作人员培训先进集体_株洲开放大学_草稿.docx",
        "附件4_专业技术人员继续教育培训先进集体_湘潭_开放大学_草稿.docx",
    ])


def test_staff_draft_deeds_from_figures(written):
    _, paths = written
    d = docx.Document(one(paths, "附件2_", "株洲开放大学_草稿"))
    g = grid(d.tables[0])
    assert g[1] == ["☑事业单位工作人员培训先进集体", "□事业单位工作人员培训先进个人"]
    assert grid_row(g, "单位名称")[1] == "株洲开放大学"
    text = deeds(g).removeprefix("（简明扼要，突出特色，700字以内）")
    assert "31234人" in text
    assert "78.09%" in text  # 31234 / 40000 = 78.085% -> 78.09% (half up)
    assert "52.06%" in text  # 31234 / 60000 = 52.0567%
    assert "5234567.50元" in text and "52345.00元" in text
    assert "1.00%" in text  # refund rate
    assert f"{YEAR}年度" in text
    assert deeds_length(text) <= 700


def test_professional_draft_deeds_from_figures(written):
    _, paths = written
    g = grid(docx.Document(one(paths, "附件4_", "草稿")).tables[0])
    text = deeds(g)
    assert "4321人次" in text and "612345.00元" in text
    assert deeds_length(text) <= 700 + len("（简明扼要，突出特色，700字以内）")


def test_unknown_ratios_are_left_out(tmp_path):
    """A ratio without a denominator is unknown: the draft states the counts only."""
    ev = evaluation([unit_result("staff", "U002", "株洲开放大学", "needs_review", paid_trainees=100,
                                 registered_trainees=None, target_trainees=0, income=12345.67,
                                 contract_signed_on="2020-01-01")])
    paths = write_forms(ev, year_data(nominations=None, rsvp=None), RULES, tmp_path)
    text = deeds(grid(docx.Document(one(paths, "草稿")).tables[0]))
    assert "100人" in text and "12345.67元" in text and "%" not in text  # no ratio: unknown


def test_nominated_by_the_evaluation_gets_no_draft(tmp_path):
    """The evaluation's own ``nominated`` (e.g. found by name) stops a draft as a
    nomination row does."""
    ev = evaluation([
        unit_result("staff", "U002", "株洲开放大学", "eligible", **STAFF_METRICS),
        unit_result("professional", "U003", "湘潭/开放大学", "eligible", nominated=True,
                    person_times=5000, income=700000.0),
    ], unit_names={"U001": "长沙开放大学"})
    paths = write_forms(ev, year_data(nominations=None), RULES, tmp_path)
    assert [p.name for p in paths if "草稿" in p.name] == ["附件2_事业单位工作人员培训先进集体_株洲开放大学_草稿.docx"]


def test_draft_deeds_within_the_limit():
    u = unit_result("staff", "U002", "株洲开放大学", "eligible", dedicated_staff=3, **STAFF_METRICS)
    text = draft_deeds(u, YEAR, "株洲开放大学", 700)
    assert "配备专职培训工作人员3名" in text and "全文不超过700字" in text
    assert deeds_length(text) <= 700
    assert "不超过" not in draft_deeds(u, YEAR, "株洲开放大学", None)
    # a limit the figures alone fill: the request to complete them is dropped
    short = draft_deeds(u, YEAR, "株洲开放大学", 150)
    assert "请单位补充" not in short

"""The approval forms of the nominations (attachments 2, 4, 6) and the 主要事迹 limit
the rules set for each award."""

from __future__ import annotations

import dataclasses
import re
import sys
import zipfile
from pathlib import Path

import docx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from outputs_helpers import (  # noqa: E402
    HOSTILE_FORMULA,
    HOSTILE_HTML,
    RULES,
    YEAR,
    all_text,
    deeds,
    evaluation,
    grid,
    grid_row,
    one,
    year_data,
)

from toolkit.outputs.forms.nominations import (  # noqa: E402
    attachment_of,
    deeds_length,
    deeds_limit,
    form_awards,
)
from toolkit.outputs.forms.write import write_forms  # noqa: E402


@pytest.fixture()
def written(tmp_path):
    out = tmp_path / "reports" / str(YEAR) / "forms"
    paths = write_forms(evaluation(), year_data(), RULES, out)
    return out, paths


def test_staff_collective_form(written):
    _, paths = written
    path = one(paths, "附件2_事业单位工作人员培训先进集体_长沙开放大学_长沙开放大学培训部")
    assert path.suffix == ".docx"
    d = docx.Document(path)
    text = all_text(d)
    title = f"{YEAR}年度全省开放大学办学体系事业单位工作人员培训工作先进集体和先进个人推荐审批表"
    assert title in text.replace("\n", "")  # broken into lines as in the attachment
    assert d.core_properties.title == title
    assert "2022年度" not in text
    assert "填报单位（盖章）：长沙开放大学" in text
    assert d.paragraphs[-1].text == "（请双面打印）"
    g = grid(d.tables[0])
    assert g[0] == ["推荐类别"]
    assert g[1] == ["☑事业单位工作人员培训先进集体", "□事业单位工作人员培训先进个人"]
    # the collective (left) side is filled, the individual (right) side is blank
    assert grid_row(g, "单位名称") == ["单位名称", "长沙开放大学", "单位名称", ""]
    assert grid_row(g, "单位负责人") == ["单位负责人", "王校长", "单位负责人", ""]
    assert grid_row(g, "先进集体名称") == ["先进集体名称", "长沙开放大学培训部", "先进个人姓名", ""]
    contact = grid_row(g, "联系人姓名、职务、手机号码")
    assert contact[1] == "李联系、培训部主任、13800000001" and contact[3] == ""
    text = deeds(g)
    assert text.startswith("（简明扼要，突出特色，700字以内）")
    assert "组建专职团队。" in text and "服务到位。" in text
    for label in ("申报单位意见", "省校培训学院意见", "湖南开放大学审批意见"):
        block = grid_row(g, label)[1]
        assert "盖章" in block and re.search("年\\s*月\\s*日", block)


def test_staff_individual_form_hostile_and_over_700(written):
    _, paths = written
    path = one(paths, "附件2_事业单位工作人员培训先进个人_株洲开放大学")
    # written all the same, and its name says the deeds run over 700 characters
    assert path.name.endswith("_超过700字.docx")
    assert "<" not in path.name and ">" not in path.name and "/" not in path.name
    d = docx.Document(path)
    g = grid(d.tables[0])
    assert g[1] == ["□事业单位工作人员培训先进集体", "☑事业单位工作人员培训先进个人"]
    assert grid_row(g, "单位名称") == ["单位名称", "", "单位名称", "株洲开放大学"]
    assert grid_row(g, "先进集体名称")[3] == HOSTILE_HTML  # literally, as text
    contact = grid_row(g, "联系人姓名、职务、手机号码")[3]
    assert contact == f"{HOSTILE_FORMULA}、干事、0731123"  # the vertical tab is dropped
    assert deeds_length(deeds(g)) > 700
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;" in xml


def test_deeds_limit_counts_no_white_space(written):
    _, paths = written
    # 4 + 696 = 700 characters once the 50 spaces are not counted: within the limit
    ok = one(paths, "附件4_专业技术人员继续教育培训先进个人_湘潭_开放大学_张三_第4行")
    assert "超过" not in ok.name
    assert deeds_length("专技事迹" + " " * 50 + "x" * 696) == 700


def test_professional_individual_names_unique_and_sanitised(written):
    _, paths = written
    a = one(paths, "张三_第4行")
    b = one(paths, "张三_第5行")
    assert a != b
    assert "湘潭_开放大学" in a.name  # the slash in the unit name does not make a folder
    g = grid(docx.Document(a).tables[0])
    assert g[1] == ["□专业技术人员继续教育培训先进集体", "☑专业技术人员继续教育培训先进个人"]
    assert grid_row(g, "单位名称")[3] == "湘潭/开放大学"
    assert grid_row(g, "先进集体名称") == ["先进集体名称", "", "先进个人姓名", "张三"]
    assert f"{YEAR}年度全省开放大学办学体系专业技术人员继续教育培训工作先进集体和先进个人推荐审批表" in all_text(
        docx.Document(a)).replace("\n", "")


def test_innovation_form(written):
    _, paths = written
    path = one(paths, "附件6_专业技术人员继续教育培训创新创意_岳阳开放大学")
    d = docx.Document(path)
    assert f"{YEAR}年度全省开放大学办学体系创新创意奖推荐审批表" in all_text(d).replace("\n", "")
    g = grid(d.tables[0])
    assert g[1] == ["☑专业技术人员继续教育培训创新创意", "□事业单位工作人员培训创新创意"]
    labels = [r[0].replace("\n", "") for r in g]
    assert "先进集体名称" not in labels  # attachment 6 has no nominee row
    assert grid_row(g, "单位名称") == ["单位名称", "岳阳开放大学", "单位名称", ""]
    assert grid_row(g, "单位负责人")[1] == "孙校长"
    assert grid_row(g, "联系人姓名、职务、手机号码")[1] == "周联系、13900000004"
    assert "制作特色宣传视频。" in deeds(g)


def test_awards_placed_by_kind_and_track():
    assert {k: attachment_of(a) for k, a in RULES.awards.items()} == {
        "staff.collective": 2, "staff.individual": 2, "professional.collective": 4,
        "professional.individual": 4, "innovation.staff": 6, "innovation.professional": 6}
    left, right = form_awards(RULES, 6)
    assert (left.track, right.track) == ("professional", "staff")
    left, right = form_awards(RULES, 2)
    assert (left.kind, right.kind) == ("collective", "individual")


def _without_deeds_bounds(rules, award_keys):
    awards = dict(rules.awards)
    for k in award_keys:
        a = awards[k]
        awards[k] = dataclasses.replace(a, criteria=tuple(c for c in a.criteria if c.metric != "deeds_chars"))
    return dataclasses.replace(rules, awards=awards)


def test_deeds_limit_from_the_rules():
    # the individual award's bound; its collective shares the form's 主要事迹 box
    assert deeds_limit(RULES, RULES.awards["staff.individual"]) == 700
    assert deeds_limit(RULES, RULES.awards["staff.collective"]) == 700
    a = RULES.awards["innovation.staff"]
    c = next(c for c in a.criteria if c.metric == "deeds_chars")
    tighter = dataclasses.replace(a, criteria=(dataclasses.replace(c, op="<", bound=500),))
    rules = dataclasses.replace(RULES, awards={**RULES.awards, "innovation.staff": tighter})
    assert deeds_limit(rules, tighter) == 499
    # no award of the form bounds the deeds: no limit
    rules = _without_deeds_bounds(RULES, ["staff.individual"])
    assert deeds_limit(rules, rules.awards["staff.collective"]) is None


def test_no_limit_printed_or_checked_without_a_bound(tmp_path):
    rules = _without_deeds_bounds(RULES, ["staff.individual", "staff.collective"])
    paths = write_forms(evaluation(), year_data(rsvp=None), rules, tmp_path)
    path = one(paths, "附件2_事业单位工作人员培训先进个人_株洲开放大学")
    assert "超过" not in path.name  # 701 characters, but no limit to exceed
    text = deeds(grid(docx.Document(path).tables[0]))
    assert text.startswith("（简明扼要，突出特色）") and "字以内" not in text
    draft = deeds(grid(docx.Document(one(paths, "附件2_", "草稿")).tables[0]))
    assert "不超过" not in draft

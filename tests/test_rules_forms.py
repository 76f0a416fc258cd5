"""The awards' approval forms in the rules file (``form:``): 2022's as the notice has
them, a file without them, and each validation error. (The rules loader's other tests
are in tests/test_rules.py.)"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import docx
import pytest
import yaml

from toolkit import paths
from toolkit.exceptions import RulesError
from toolkit.outputs.forms.nominations import (
    FormData,
    attachment_of,
    award_box_label,
    build_form,
    form_awards,
)
from toolkit.outputs.forms.write import form_stem
from toolkit.rules.load import load_rules

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"


def _base() -> dict:
    return yaml.safe_load(RULES_2022.read_text(encoding="utf-8"))


def _load(tmp_path: Path, data: dict):
    p = tmp_path / "2022.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_rules(path=p)


def test_2022_forms():
    r = load_rules(2022)
    got = {k: (a.form.attachment, a.form.number, a.form.side, a.form.category, a.form.nominee)
           for k, a in r.awards.items()}
    assert got == {
        "staff.collective": ("附件2", 2, "left", "事业单位工作人员培训先进集体", "先进集体名称"),
        "staff.individual": ("附件2", 2, "right", "事业单位工作人员培训先进个人", "先进个人姓名"),
        "professional.collective": ("附件4", 4, "left", "专业技术人员继续教育培训先进集体", "先进集体名称"),
        "professional.individual": ("附件4", 4, "right", "专业技术人员继续教育培训先进个人", "先进个人姓名"),
        "innovation.professional": ("附件6", 6, "left", "专业技术人员继续教育培训创新创意", None),
        "innovation.staff": ("附件6", 6, "right", "事业单位工作人员培训创新创意", None),
    }
    assert r.form_numbers() == [2, 4, 6]
    assert r.awards["staff.collective"].form.title_of(2031).replace("\n", "") == \
        "2031年度全省开放大学办学体系事业单位工作人员培训工作先进集体和先进个人推荐审批表"


def test_a_file_without_forms_loads_and_has_no_form(tmp_path):
    data = _base()
    for a in data["awards"].values():
        a.pop("form")
    r = _load(tmp_path, data)
    assert all(a.form is None for a in r.awards.values()) and r.form_numbers() == []
    a = r.awards["staff.collective"]
    assert attachment_of(a) is None and award_box_label(a) == a.label


def test_category_defaults_to_the_label(tmp_path):
    data = _base()
    data["awards"]["staff.collective"]["form"].pop("category")
    assert _load(tmp_path, data).awards["staff.collective"].form.category == "事业单位工作人员培训先进集体"


def _set(award, key, value):
    def f(d):
        if value is None:
            d["awards"][award]["form"].pop(key)
        else:
            d["awards"][award]["form"][key] = value
    return f


CASES = [
    ("no attachment", _set("staff.collective", "attachment", None), "missing 'attachment'"),
    ("bad attachment", _set("staff.collective", "attachment", "第二张"), "附件N"),
    ("unknown key", _set("staff.collective", "colour", "red"), "unknown key 'colour'"),
    ("bad side", _set("staff.collective", "side", "middle"), "unknown side 'middle'"),
    ("placeholder", _set("staff.collective", "title", "{yaer}年度"), "only placeholder"),
    ("same side", _set("staff.individual", "side", "left"), "is on the left of 附件2 already"),
    ("two titles", _set("staff.individual", "title", "另一个标题"), "the title differs"),
    ("nominee row on one side only", _set("staff.individual", "nominee", None), "has a nominee row"),
    ("same words", _set("staff.individual", "category", "事业单位工作人员培训先进集体"), "are those of"),
]


@pytest.mark.parametrize("name,change,message", CASES, ids=[c[0] for c in CASES])
def test_validation_errors(tmp_path, name, change, message):
    data = _base()
    change(data)
    with pytest.raises(RulesError) as e:
        _load(tmp_path, data)
    assert message in str(e.value) and "awards." in str(e.value)


def test_the_forms_writer_reads_the_rules(tmp_path):
    """Another attachment number, title, side and box words in the rules: the
    pre-filled form and its file name follow them."""
    r = load_rules(2022)
    a = r.awards["innovation.staff"]
    form = dataclasses.replace(a.form, attachment="附件9", number=9, title="{year}年度新表\n第二行", side="left",
                               category="新的创新创意")
    b = r.awards["innovation.professional"]
    bform = dataclasses.replace(b.form, attachment="附件9", number=9, title=form.title, side="right")
    r = dataclasses.replace(r, awards={**r.awards, a.key: dataclasses.replace(a, form=form),
                                       b.key: dataclasses.replace(b, form=bform)})
    award = r.awards["innovation.staff"]
    assert [x.key if x else None for x in form_awards(r, 9)] == ["innovation.staff", "innovation.professional"]
    doc = build_form(FormData(award=award, unit_name="长沙开放大学", deeds="事迹"), r, 2031, 700)
    doc.save(tmp_path / "f.docx")
    d = docx.Document(tmp_path / "f.docx")
    assert d.paragraphs[0].text == "附件9" and "2031年度新表\n第二行" in [p.text for p in d.paragraphs]
    assert d.tables[0].cell(1, 0).text == "☑新的创新创意"
    assert form_stem(FormData(award=award, unit_name="长沙开放大学"), 700).startswith("附件9_新的创新创意_长沙开放大学")

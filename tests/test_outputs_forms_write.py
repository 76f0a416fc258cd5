"""Writing the forms of a year: only into the folder, deterministic bytes, safe file
names, no trainee data, and no English code in what a unit reads."""

from __future__ import annotations

import csv
import hashlib
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from outputs_helpers import (  # noqa: E402
    RULES,
    YEAR,
    all_text,
    code_words,
    evaluation,
    small_year,
    year_data,
)
from report_helpers import RULES_2022, write_tiny_year  # noqa: E402

from toolkit.analysis import open_year  # noqa: E402
from toolkit.evaluation.evaluate import evaluate  # noqa: E402
from toolkit.evaluation.results import Criterion  # noqa: E402
from toolkit.exceptions import InputError  # noqa: E402
from toolkit.outputs.forms.nominations import FormData  # noqa: E402
from toolkit.outputs.forms.write import form_stem, name_part, unique_names, write_forms  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402


@pytest.fixture()
def written(tmp_path):
    out = tmp_path / "reports" / str(YEAR) / "forms"
    return out, write_forms(evaluation(), year_data(), RULES, out)


def test_writes_only_inside_out_dir(written, tmp_path):
    out, paths = written
    assert paths and all(p.parent == out and p.is_file() for p in paths)
    everything = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert everything == sorted(paths)


def test_output_is_deterministic(tmp_path):
    def digests(out):
        paths = write_forms(evaluation(), year_data(), RULES, out)
        return [(p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths]

    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    d = docx.Document(next((tmp_path / "a").glob("附件2_*.docx")))
    assert d.core_properties.created.year == YEAR and d.core_properties.modified.year == YEAR


def test_no_nominations_no_rsvp(tmp_path):
    yd = year_data(nominations=None, rsvp=None)
    paths = write_forms(evaluation(), yd, RULES, tmp_path)
    # one draft per eligible/needs_review collective, U001 included now
    assert sorted(p.name for p in paths) == sorted([
        "附件2_事业单位工作人员培训先进集体_长沙开放大学_草稿.docx",
        "附件2_事业单位工作人员培训先进集体_株洲开放大学_草稿.docx",
        "附件4_专业技术人员继续教育培训先进集体_湘潭_开放大学_草稿.docx",
    ])


def test_forms_never_read_trainee_tables(tmp_path):
    """Forms use nominations, rsvp, units and the evaluation only: a trainee's name or
    phone number in a registration table never reaches them."""
    regs = pd.DataFrame({"trainee_id": ["T1"], "unit_id": ["U001"], "name": ["学员王秘密"],
                         "phone": ["13999999999"], "registered_at": [pd.Timestamp(f"{YEAR}-05-01")]})
    paths = write_forms(evaluation(), year_data(staff_registrations=regs), RULES, tmp_path)
    for p in paths:
        with zipfile.ZipFile(p) as z:
            blob = b"".join(z.read(n) for n in z.namelist())
        assert "学员王秘密".encode() not in blob and b"13999999999" not in blob


def test_file_name_parts():
    assert name_part('a<b>:"c/d\\e|f?g*h') == "a_b___c_d_e_f_g_h"
    assert name_part(None) == "未填写" and name_part(" . ") == "未填写"
    assert len(name_part("长" * 40)) == 24
    assert unique_names([("A", 2), ("a", 3), ("B", 4), ("C", None), ("C", None)]) == [
        "A_第2行", "a_第3行", "B", "C", "C_2"]


def test_no_english_code_in_the_forms_of_a_generated_year(tmp_path):
    yd, rules, ev = small_year(tmp_path)
    paths = write_forms(ev, yd, rules, tmp_path / "forms")
    assert any(p.suffix == ".docx" for p in paths) and any(p.suffix == ".xlsx" for p in paths)
    found = {}
    for p in paths:
        if p.suffix == ".docx":
            words = code_words(all_text(docx.Document(p))) + code_words(p.stem)
        else:
            wb = openpyxl.load_workbook(p)
            words = [w for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None for w in code_words(v)]
        if words:
            found[p.name] = sorted(set(words))
    assert not found


def test_free_text_reaches_the_form_as_the_unit_wrote_it(tmp_path):
    """A deeds text with full-width punctuation, from the nominations file to the .docx:
    no NFKC on free text (only keys are normalised)."""
    deeds = "　建立“周调度、月通报”机制，逐一走访；成效：显著（ＡＢ１２）！"
    d = write_tiny_year(tmp_path / "2022")
    with open(d / "nominations.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["category", "unit", "nominee", "deeds", "started_on", "contact_title"])
        w.writerow(["事业单位工作人员培训先进个人", "U001", "张　三", deeds, "2020-01-01", "培训专干（兼）"])
    rules = load_rules(2022, RULES_2022)
    yd = open_year(2022, d, rules=rules)
    ev = evaluate(yd, rules)
    assert ev.individual[0].deeds == deeds.strip()
    out = tmp_path / "forms"
    write_forms(ev, yd, rules, out)
    texts = [all_text(docx.Document(p)) for p in sorted(out.glob("*先进个人*.docx"))]
    assert texts and any(deeds.strip() in t for t in texts)
    assert any("张　三" in t and "培训专干（兼）" in t for t in texts)


def test_a_failing_nominations_form_is_written_and_its_name_says_why():
    award = RULES.awards["staff.individual"]
    form = FormData(award=award, unit_name="益阳开放大学", nominee="贺晓东", deeds="事迹")
    tenure = Criterion(id="tenure_months", label="从事培训工作半年以上", clause="", wording="", outcome="fail",
                       explanation="", metric="tenure_months")
    assert form_stem(form, 700) == "附件2_事业单位工作人员培训先进个人_益阳开放大学_贺晓东"
    assert form_stem(form, 700, [tenure]).endswith("_贺晓东_不符合条件_从事培训工作半年以上")
    long = FormData(award=award, unit_name="郴州开放大学", nominee="邓思雨", deeds="字" * 760)
    deeds = Criterion(id="deeds_length", label="主要事迹700字以内", clause="", wording="", outcome="fail",
                      explanation="", metric="deeds_chars")
    assert form_stem(long, 700, [deeds]).endswith("_邓思雨_超过700字_不符合条件")


def test_a_paragraph_the_unit_indented_itself_keeps_its_indent_on_the_form(tmp_path):
    """Deeds of several paragraphs, the later ones indented with full-width spaces by the
    unit: each paragraph of the .docx is the unit's line, its 　　 included."""
    deeds = "第一段，无缩进。\n　　第二段，单位自己缩进。\n　　第三段。"
    d = write_tiny_year(tmp_path / "2022")
    with open(d / "nominations.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["category", "unit", "nominee", "deeds", "started_on"])
        w.writerow(["事业单位工作人员培训先进个人", "U001", "李四", deeds, "2020-01-01"])
    rules = load_rules(2022, RULES_2022)
    yd = open_year(2022, d, rules=rules)
    ev = evaluate(yd, rules)
    out = tmp_path / "forms"
    write_forms(ev, yd, rules, out)
    (path,) = sorted(out.glob("*先进个人*李四*.docx"))
    paragraphs = [p.text for t in docx.Document(path).tables for row in t.rows for c in row.cells
                  for p in c.paragraphs]
    assert "　　第二段，单位自己缩进。" in paragraphs and "　　第三段。" in paragraphs
    assert "第一段，无缩进。" in paragraphs


def test_an_empty_line_between_two_paragraphs_of_deeds_stays_on_the_form():
    """The unit's blank line between two paragraphs is an empty paragraph of the form
    (toolkit intake reads it back as the same text); no deeds, no paragraph."""
    from toolkit.outputs.forms.nominations import build_form

    award = RULES.awards["staff.individual"]
    form = FormData(award=award, unit_name="长沙开放大学", nominee="李四", deeds="第一段。\n\n　　第二段。")
    cells = [c for t in build_form(form, RULES, YEAR, 700).tables for row in t.rows for c in row.cells]
    deeds = next(c for c in cells if c.paragraphs[0].text.startswith("（简明扼要"))
    assert [p.text for p in deeds.paragraphs[1:]] == ["第一段。", "", "　　第二段。"]
    empty = FormData(award=award, unit_name="长沙开放大学", nominee="李四", deeds="")
    cells = [c for t in build_form(empty, RULES, YEAR, 700).tables for row in t.rows for c in row.cells]
    assert [p.text for p in next(c for c in cells if c.paragraphs[0].text.startswith("（简明扼要")).paragraphs] == [
        "（简明扼要，突出特色，700字以内）"]


def _year_with(tmp_path, nominee: str, deeds: str = "认真负责" * 20, unit_name: str | None = None):
    """The tiny year with one individual nomination of U001 (its name ``unit_name``)."""
    d = write_tiny_year(tmp_path / "2022")
    if unit_name is not None:
        (d / "units.csv").write_text((d / "units.csv").read_text(encoding="utf-8").replace(
            "长沙开放大学", unit_name), encoding="utf-8")
    with open(d / "nominations.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["category", "unit", "nominee", "deeds", "started_on"])
        w.writerow(["事业单位工作人员培训先进个人", "U001", "李四", "踏实肯干" * 20, "2020-01-01"])
        w.writerow(["事业单位工作人员培训先进个人", "U001", nominee, deeds, "2020-01-01"])
    rules = load_rules(2022, RULES_2022)
    yd = open_year(2022, d, rules=rules, use_cache=False)
    return yd, rules, evaluate(yd, rules)


@pytest.mark.parametrize(("nominee", "unit_name", "deeds", "on_the_form"), [
    ("王\u202e五", None, "认真负责" * 20, "王\u202e五"),  # a right-to-left override
    ("王\u200b五\u2066", None, "认真负责" * 20, "王\u200b五\u2066"),  # zero-width space, an isolate
    ("王\x1b[31m五", None, "认真负责" * 20, "王[31m五"),  # a terminal escape (no XML document holds ESC)
    ("\U00020000" * 60, "\U0002A700" * 60, "字" * 760, "\U00020000" * 60),  # four-byte characters, long deeds
])
def test_names_are_cleaned_and_bounded_for_file_names_and_the_form_keeps_them(tmp_path, nominee, unit_name,
                                                                              deeds, on_the_form):
    yd, rules, ev = _year_with(tmp_path, nominee, deeds, unit_name)
    paths = write_forms(ev, yd, rules, tmp_path / "forms")
    names = [p.name for p in paths]
    assert all(len(n.encode("utf-8")) <= 255 - 14 for n in names), names  # the temporary name fits too
    assert not any(ch in n for n in names for ch in "\u202e\u200b\u2066\x1b"), names
    assert len(set(names)) == len(names)
    ours = [p for p in paths if "李四" not in p.name and "先进个人" in p.name]
    assert len(ours) == 1 and on_the_form in all_text(docx.Document(ours[0]))  # the text as the unit wrote it


@pytest.mark.parametrize("nominee", ["\u202e", "\u200b\u200b", "...", "\u2066._\u2069"])
def test_a_nominee_name_that_cannot_name_a_file_is_an_error_naming_the_file_and_row(tmp_path, nominee):
    yd, rules, ev = _year_with(tmp_path, nominee)
    with pytest.raises(InputError) as err:
        write_forms(ev, yd, rules, tmp_path / "forms")
    e = err.value
    assert e.exit_code == 2 and e.row == 3 and str(e.file).endswith("nominations.csv"), str(e)
    assert not (tmp_path / "forms").exists() or not any((tmp_path / "forms").iterdir())

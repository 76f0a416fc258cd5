"""The shared view of an evaluation (toolkit.evaluation.results.Evaluation.shared): free
text from the school's, the reviewers' and the units' files (a correction's 原因 and
批准人, a reviewer's name, the deeds, a nominee's name) holds a trainee's mobile and ID
number; neither reaches evaluation.json, the tables, results.xlsx, the report or the
final list, and the forms keep the unit's words exactly."""

from __future__ import annotations

import csv
import dataclasses
import json

import docx
import openpyxl
import pytest
from final_helpers import DECISIONS, Screened, decide, report_ctx, write_decided_year, write_rules
from outputs_helpers import all_text
from report_helpers import all_sections
from review_helpers import write_corrections

from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.outputs.final.write import write_final
from toolkit.outputs.forms.write import write_forms
from toolkit.outputs.report import cycle
from toolkit.outputs.report.frame import html_of
from toolkit.outputs.tables import write_outputs
from toolkit.rules.load import load_rules

PHONE, ID = "13712345678", "43010119850505123X"
PHONE_SHOWN, ID_SHOWN = "*******5678", "**************123X"
REASON = f"学员来电{PHONE}反映 身份证{ID}"
APPROVER = f"李主任 {PHONE}"
DEEDS = f"认真负责，联系电话{PHONE}，身份证号{ID}。" * 3
COLLECTIVE = f"长沙开放大学培训科{PHONE}"
UNIT = f"湘潭开放大学{PHONE}"  # a unit's name in the registry


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The decided year with a correction, deeds and a collective's name holding the
    numbers, screened, decided by a reviewer whose name holds one too."""
    root = tmp_path_factory.mktemp("shared")
    d = write_decided_year(root / "data" / "2022")
    units = (d / "units.csv").read_text(encoding="utf-8")
    (d / "units.csv").write_text(units.replace("湘潭开放大学", UNIT), encoding="utf-8")
    rows = list(csv.reader(open(d / "nominations.csv", encoding="utf-8")))
    rows[1][2] = COLLECTIVE  # the staff collective's name as its unit wrote it
    rows[4][3] = DEEDS  # 李四's deeds
    with open(d / "nominations.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    write_corrections(d / "更正.xlsx", [["应培人数", "长沙开放大学", None, "应培人数", 120, REASON, APPROVER]])
    rules_path = write_rules(root / "rules" / "2022.yaml")
    rules = load_rules(2022, rules_path)
    yd = open_year(2022, d, rules=rules, use_cache=False, progress=False)
    ev = decide(evaluate(yd, rules), DECISIONS)
    ev.review["corrections"] = list(yd.corrections)
    for n in ev.individual:  # a reviewer who signed with a phone number
        n.criteria = [dataclasses.replace(c, detail={**c.detail, "decisions": [
            {**x, "reviewer": f"专家甲{PHONE}"} for x in c.detail["decisions"]]})
            if c.detail.get("decisions") else c for c in n.criteria]
    return root, rules, yd, ev


def _no_numbers(text: str, where: str) -> None:
    assert PHONE not in text and ID not in text, where


def test_the_evaluation_keeps_the_words_its_shared_view_masks_them(year):
    _root, _rules, yd, ev = year
    assert yd.corrections[0]["reason"] == REASON  # the trail as written
    shared = ev.shared()
    assert shared.review["corrections"][0]["reason"] == f"学员来电{PHONE_SHOWN}反映 身份证{ID_SHOWN}"
    assert shared.review["corrections"][0]["approver"] == f"李主任 {PHONE_SHOWN}"
    staff = next(u for u in shared.collective if u.award == "staff.collective" and u.unit_id == "U001")
    assert staff.nominee == f"长沙开放大学培训科{PHONE_SHOWN}"
    assert all(n.deeds is None and n.contact_phone is None for n in shared.individual)
    assert any(n.deeds == DEEDS for n in ev.individual)  # the evaluation itself: unchanged, for the forms
    assert shared.summary() == ev.summary()  # outcomes unchanged
    assert shared.shared().to_dict() == shared.to_dict() == ev.to_dict()  # masking twice changes nothing


def test_no_number_reaches_a_shared_output_and_the_forms_keep_them(year, tmp_path):
    root, rules, yd, ev = year
    run = tmp_path / "run"
    write_outputs(ev, run)
    for path in [run / "evaluation.json", *sorted((run / "tables").glob("*.csv"))]:
        _no_numbers(path.read_text(encoding="utf-8-sig"), path.name)
    assert "学员来电*******5678反映" in (run / "evaluation.json").read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(run / "results.xlsx")
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    _no_numbers("\n".join(cells), "results.xlsx")
    assert f"长沙开放大学培训科{PHONE_SHOWN}" in cells

    ctx = report_ctx(Screened(root / "data" / "2022", root / "rules" / "2022.yaml", rules, yd, None), ev,
                     tmp_path / "report")
    pages = {**all_sections(ctx), "cycle": html_of(cycle.corrections(ctx))}
    for name, page in pages.items():
        _no_numbers(page, name)
    assert "学员来电*******5678反映" in pages["cycle"]

    final = write_final(ev, tmp_path / "final")
    assert final
    for path in final:
        if path.suffix == ".docx":
            _no_numbers(all_text(docx.Document(path)), path.name)
        else:
            book = openpyxl.load_workbook(path)
            _no_numbers(json.dumps([[*r] for ws in book.worksheets for r in ws.iter_rows(values_only=True)],
                                   ensure_ascii=False, default=str), path.name)

    forms = write_forms(ev, yd, rules, tmp_path / "forms")
    texts = {p.name: all_text(docx.Document(p)) for p in forms if p.suffix == ".docx"}
    assert any(DEEDS.strip() in t for t in texts.values())  # the unit's words, exactly
    assert any(COLLECTIVE in t for t in texts.values()) and any(UNIT in t for t in texts.values())

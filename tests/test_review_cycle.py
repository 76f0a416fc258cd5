"""The review cycle end to end (toolkit.review.cycle): the workbook written by a run,
filled by three reviewers, read back by the next run; ``toolkit validate`` checking the
files; the demo year with a corrections file supplying 郴州's target."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from review_helpers import IND, INN, copy_year, fill, write_corrections

from toolkit import cli, paths
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.pipeline import notebook, run
from toolkit.pipeline.spec import RunSpec
from toolkit.review.cycle import review_cycle, review_summary
from toolkit.review.sheet import SHEET, row_key
from toolkit.rules.load import load_rules

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"
YES = {"政治方向与职业道德": "符合", "业务能力": "符合", "贡献与成效": "符合"}
WHO = "省校培训部"


@pytest.fixture
def year(tiny_year, tmp_path):
    return copy_year(tiny_year, tmp_path / "data" / "2022")


@pytest.fixture
def fake_notebook(monkeypatch):
    """The notebook stage without a kernel: the notebook copied as it is."""
    monkeypatch.setattr(notebook, "execute_notebook", lambda src, dst, parameters, **kw: shutil.copyfile(src, dst))


def _screening(d):
    rules = load_rules(2022, RULES_2022)
    return evaluate(open_year(2022, d, rules=rules, use_cache=False), rules), rules


def test_the_cycle_writes_the_workbook_and_applies_the_returned_copies(year, tmp_path):
    ev, rules = _screening(year)
    out = tmp_path / "out"
    assert review_cycle(ev, rules, year, out) is ev  # nothing returned yet
    wb = out / "review" / "评审表.xlsx"
    assert (out / "review" / "更正模板.xlsx").is_file()  # the corrections file to fill, beside it
    for name in ("张三", "李四", "王五"):
        fill(wb, year / "评审意见" / f"{name}.xlsx", name, {IND: YES, INN: {"突出贡献及特色创意": "符合"}})
    before = wb.read_bytes()
    done = review_cycle(ev, rules, year, out)
    assert wb.read_bytes() == before  # the workbook lists the screening's rows, unchanged
    assert (done.individual[0].outcome, done.innovation[0].outcome) == ("eligible", "eligible")


def test_validate_checks_the_review_files_and_corrections(year, capsys):
    write_corrections(year / "更正.xlsx", [["应培人数", "U001", None, "应培人数", 120, "补报", WHO]])
    ev, rules = _screening(year)
    review_cycle(ev, rules, year, year.parent / "out")
    fill(year.parent / "out" / "review" / "评审表.xlsx", year / "评审意见" / "张三.xlsx", "张三", {IND: YES})
    assert cli.main(["validate", "--year", "2022", "--data-dir", str(year), "--rules", str(RULES_2022)]) == 0
    text = capsys.readouterr().out
    assert "Corrections applied (1)" in text and "targets.target of U001: 100 -> 120" in text
    assert "Review files checked (1): 评审意见/张三.xlsx" in text and "3 qualitative criteria decided" in text
    assert "match no table" not in text  # 更正.xlsx and 评审意见/ are not unrecognised exports


@pytest.mark.parametrize("value,words", [("基本符合", "not a decision"), ("=1", "formula")])
def test_a_hostile_review_file_is_exit_2_naming_its_cell(year, capsys, value, words):
    ev, rules = _screening(year)
    review_cycle(ev, rules, year, year.parent / "out")
    f = fill(year.parent / "out" / "review" / "评审表.xlsx", year / "评审意见" / "x.xlsx", "张三",
             {IND: {"业务能力": value}})
    assert cli.main(["validate", "--year", "2022", "--data-dir", str(year), "--rules", str(RULES_2022)]) == 2
    err = capsys.readouterr().err
    assert words in err and str(f) in err and "sheet '评审表'" in err and "row 2" in err and "'业务能力'" in err
    assert "Traceback" not in err


def test_a_bad_correction_is_exit_2_for_validate(year, capsys):
    write_corrections(year / "更正.xlsx", [["应培人数", "没有这个单位", None, "应培人数", 120, "补报", WHO]])
    assert cli.main(["validate", "--year", "2022", "--data-dir", str(year), "--rules", str(RULES_2022)]) == 2
    err = capsys.readouterr().err
    assert "no unit '没有这个单位'" in err and "row 3" in err and "'单位'" in err


def test_without_review_files_validate_says_so(year):
    lines = review_summary(open_year(2022, year, rules=RULES_2022, use_cache=False), RULES_2022)
    assert "No corrections file (更正.xlsx)." in lines and "No review files (评审意见/*.xlsx)." in lines


@pytest.mark.slow
def test_a_run_publishes_the_workbook_and_the_next_run_reads_the_reviews(year, tmp_path, fake_notebook):
    out = tmp_path / "reports" / "2022"
    run.run_year(RunSpec(2022, data_dir=year, rules=RULES_2022, out=out, formats=("html",), progress=False))
    wb = out / "review" / "评审表.xlsx"
    assert [r[0] for r in openpyxl.load_workbook(wb)[SHEET].iter_rows(min_row=2, values_only=True)] == [IND, INN]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "review/评审表.xlsx" in {o["path"] for o in manifest["outputs"]}
    assert manifest["review_inputs"] == {"corrections": None, "roster": None, "review_files": [],
                                         "objections": None}
    for name in ("张三", "李四", "王五"):
        fill(wb, year / "评审意见" / f"{name}.xlsx", name, {IND: YES})
    write_corrections(year / "更正.xlsx", [["培训团队", "U002", "事业单位", "专职人员数", 2, "补报", WHO]])
    run.run_year(RunSpec(2022, data_dir=year, rules=RULES_2022, out=out, formats=("html",), progress=False))
    ev = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert ev["individual"][0]["outcome"] == "eligible"
    assert ev["review"]["corrections"][0]["new"] == 2
    assert [f["path"] for f in ev["review"]["files"]] == ["评审意见/张三.xlsx", "评审意见/李四.xlsx", "评审意见/王五.xlsx"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["review_inputs"]["corrections"]["path"] == "更正.xlsx"
    assert len(manifest["review_inputs"]["review_files"]) == 3
    page = (out / "evaluation.html").read_text(encoding="utf-8")
    # the notebook's section, found by its title (the fake kernel runs no cell, so no
    # contents list and no numbers; a rendered report numbers it by its place)
    assert re.search(r"<h2[^>]*>(?:[一二三四五六七八九十]+、)?评审与数据更正</h2>", page)


@pytest.mark.slow
def test_the_demo_year_with_a_target_supplied_and_three_reviewers(demo, tmp_path):
    d = copy_year(demo[0], tmp_path / "2022")
    rules = load_rules(2022, RULES_2022)
    ev = evaluate(open_year(2022, d, rules=rules, use_cache=False), rules)
    chenzhou = next(u for u in ev.collective if u.award == "staff.collective" and u.unit_name == "郴州开放大学")
    assert chenzhou.outcome == "needs_review" and [c.id for c in chenzhou.unknown] == ["paid_to_target"]
    review_cycle(ev, rules, d, tmp_path / "out")
    wb = tmp_path / "out" / "review" / "评审表.xlsx"
    keys = [r[0] for r in openpyxl.load_workbook(wb)[SHEET].iter_rows(min_row=2, values_only=True)]
    assert f"2022|staff.collective|{chenzhou.unit_id}|" in keys
    nominees = [n for n in ev.individual + ev.innovation if n.outcome == "needs_review"]
    assert len(nominees) == len(keys) - 1 >= 2
    labels = {n.category: [q["label"] for q in n.qualitative] for n in nominees}
    for name, word in (("张三", "符合"), ("李四", "符合"), ("王五", "不符合")):
        fill(wb, d / "评审意见" / f"{name}.xlsx", name,
             {row_key(2022, n.category, n.unit_id, n.nominee): dict.fromkeys(labels[n.category], word) for n in nominees})
    paid = chenzhou.metrics["paid_trainees"]
    write_corrections(d / "更正.xlsx", [["应培人数", "郴州开放大学", None, "应培人数", paid, "市州补报应培人数", WHO]])
    rules = load_rules(2022, RULES_2022)
    again = evaluate(open_year(2022, d, rules=rules, use_cache=False), rules)
    done = review_cycle(again, rules, d, tmp_path / "out2")
    target = next(c for c in done.unit("staff", chenzhou.unit_id).criteria if c.id == "paid_to_target")
    assert target.outcome == "pass" and done.unit("staff", chenzhou.unit_id).outcome == "eligible"
    assert done.review["corrections"][0]["unit_id"] == chenzhou.unit_id
    for n in done.individual + done.innovation:
        if (n.category, n.row) in {(m.category, m.row) for m in nominees}:
            assert n.outcome == "eligible"
            for c in n.criteria:
                if c.kind == "qualitative":
                    assert c.outcome == "pass" and c.detail["source"] == "review" and len(c.detail["decisions"]) == 3
    # 郴州 is no longer open, so this run's workbook lists the nominees only
    keys2 = [r[0] for r in openpyxl.load_workbook(tmp_path / "out2" / "review" / "评审表.xlsx")[SHEET]
             .iter_rows(min_row=2, values_only=True)]
    assert f"2022|staff.collective|{chenzhou.unit_id}|" not in keys2 and len(keys2) == len(nominees)
    assert Path(d / "更正.xlsx").is_file()


def test_a_copy_in_a_format_not_read_is_exit_2_naming_it_and_what_to_do(year, capsys):
    from ingest_helpers import write_table

    ev, rules = _screening(year)
    review_cycle(ev, rules, year, year.parent / "out")
    f = fill(year.parent / "out" / "review" / "评审表.xlsx", year.parent / "张三.xlsx", "张三", {IND: YES})
    rows = [list(r) for r in openpyxl.load_workbook(f)[SHEET].iter_rows(values_only=True)]
    (year / "评审意见").mkdir()
    xls = write_table(year / "评审意见" / "张三.xls", rows)
    assert cli.main(["validate", "--year", "2022", "--data-dir", str(year), "--rules", str(RULES_2022)]) == 2
    err = capsys.readouterr().err
    assert str(xls) in err and "另存为" in err and "Traceback" not in err


def test_validate_names_decisions_counted_from_hidden_rows_and_files_not_read(year, capsys):
    ev, rules = _screening(year)
    review_cycle(ev, rules, year, year.parent / "out")
    f = fill(year.parent / "out" / "review" / "评审表.xlsx", year / "评审意见" / "张三.xlsx", "张三", {IND: YES})
    wb = openpyxl.load_workbook(f)
    wb[SHEET].row_dimensions[2].hidden = True
    wb.save(f)
    (year / "评审意见" / "签字页.pdf").write_bytes(b"%PDF-1.4\n")
    assert cli.main(["validate", "--year", "2022", "--data-dir", str(year), "--rules", str(RULES_2022)]) == 0
    out = capsys.readouterr().out
    assert "Review notes (4):" in out and "row 2 column '业务能力': a decision in a 隐藏的行" in out
    assert "评审意见/签字页.pdf: not read" in out


def test_last_years_filled_copy_is_exit_2_for_validate_naming_it(year, capsys):
    import copy

    ev, rules = _screening(year)
    last = copy.copy(ev)
    last.year = 2021  # the same nominations reviewed a year earlier
    review_cycle(last, rules, year.parent / "nothing", year.parent / "out2021")
    f = fill(year.parent / "out2021" / "review" / "评审表.xlsx", year / "评审意见" / "张三.xlsx", "张三",
             {IND.replace("2022", "2021", 1): YES})
    assert cli.main(["validate", "--year", "2022", "--data-dir", str(year), "--rules", str(RULES_2022)]) == 2
    err = capsys.readouterr().err
    assert str(f) in err and "review workbook of 2021, not of 2022" in err and "Traceback" not in err


def test_validate_evaluates_the_year_once_for_both_checks(year, monkeypatch):
    # the review files and the objections register are read against the same evaluation
    import toolkit.evaluation.evaluate as evaluation
    import toolkit.review.cycle as cycle
    import toolkit.review.objections as objections

    made, seen = [], []
    monkeypatch.setattr(evaluation, "evaluate", lambda yd, rules: made.append(1) or evaluate(yd, rules))
    monkeypatch.setattr(cycle, "review_summary", lambda yd, path, screening: seen.append(screening()) or [])
    monkeypatch.setattr(objections, "objections_summary", lambda yd, rules, screening: seen.append(screening()) or [])
    assert cli.main(["validate", "--year", "2022", "--data-dir", str(year), "--rules", str(RULES_2022)]) == 0
    assert len(made) == 1 and len(seen) == 2 and seen[0] is seen[1]

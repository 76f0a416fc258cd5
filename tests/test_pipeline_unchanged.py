"""Is a year's published run current (toolkit.pipeline.unchanged)? One decision for
``toolkit run --year`` and ``run --years``: every input the run reads (the tables, the
corrections file, the reviewers' copies, the objections register), the rules (with their extends: chain), the
code and the options; ``run --year`` keeps a current run, ``--force`` runs it again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from objection_helpers import row, write_register
from report_helpers import RULES_2022, write_tiny_year
from review_helpers import fill, write_corrections

from toolkit import cli
from toolkit.pipeline import notebook, run, unchanged, years
from toolkit.pipeline.spec import RunSpec

IND = "staff.individual|U001|2"


@pytest.fixture
def fake_notebook(monkeypatch):
    """The notebook stage without a kernel: the notebook copied as it is."""
    monkeypatch.setattr(notebook, "execute_notebook", lambda src, dst, parameters, **kw: shutil.copyfile(src, dst))


@pytest.fixture
def published(tmp_path, fake_notebook):
    """A year run once (html only) into reports/2022, and its folders."""
    data = write_tiny_year(tmp_path / "data" / "2022")
    out = tmp_path / "reports" / "2022"
    run.run_year(RunSpec(2022, data_dir=data, rules=RULES_2022, out=out, formats=("html",), progress=False))
    return data, out


def _cli(data, out, *extra) -> int:
    return cli.main(["run", "--year", "2022", "--data-dir", str(data), "--rules", str(RULES_2022),
                     "--out", str(out), "--format", "html", *extra])


def _finished(out: Path) -> str:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["finished_at"] + str(out.resolve())


def _why(data, out) -> str | None:
    return unchanged.why_run(RunSpec(2022, data_dir=data, rules=RULES_2022, out=out, formats=("html",)).checked())


def test_run_year_keeps_a_current_run_in_one_line_and_force_runs_it(published, caplog, capsys):
    data, out = published
    before = _finished(out)
    caplog.set_level("INFO")
    assert _cli(data, out) == 0
    said = [r.getMessage() for r in caplog.records if "kept" in r.getMessage() and r.levelname != "DEBUG"]
    printed = capsys.readouterr().out.splitlines()
    assert said == [], said  # said once: by the command line, not also by the log
    assert len(printed) == 1 and printed[0].startswith("report for 2022 unchanged, kept: "), printed
    assert _finished(out) == before  # the same run folder, not run again
    assert _cli(data, out, "--force") == 0
    assert _finished(out) != before


ADDED = {"corrections": "更正.xlsx", "review copy": "评审意见/张三.xlsx", "objections register": "异议登记.xlsx"}


@pytest.mark.parametrize("added", list(ADDED))
def test_a_cycle_file_added_means_the_year_is_run_again(published, added):
    data, out = published
    assert _why(data, out) is None
    if added == "corrections":
        write_corrections(data / "更正.xlsx", [["应培人数", "长沙开放大学", None, "应培人数", 120, "补报", "李主任"]])
    elif added == "review copy":
        fill(out / "review" / "评审表.xlsx", data / "评审意见" / "张三.xlsx", "张三", {IND: {"业务能力": "符合"}})
    else:  # an anonymous objection: recorded, no effect
        write_register(data, [row(objector="")])
    assert _why(data, out) == "input files changed"
    before = _finished(out)
    assert _cli(data, out) == 0
    assert _finished(out) != before
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recorded = unchanged.recorded_inputs(manifest)
    assert ADDED[added] in recorded
    assert recorded == unchanged.current_inputs(data)  # what was read is what is there
    assert _why(data, out) is None  # and now it is current again


def test_a_span_applies_a_correction_added_since(published):
    data, out = published
    span = dict(data_dir=data.parent, rules=RULES_2022.parent, out=out.parent, formats=("html",), progress=False)
    assert years.run_years([2022], RunSpec(**span)).recomputed == []  # the published run is current
    write_corrections(data / "更正.xlsx", [["应培人数", "长沙开放大学", None, "应培人数", 120, "补报", "李主任"]])
    assert years.run_years([2022], RunSpec(**span)).recomputed == [2022]
    ev = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert ev["review"]["corrections"][0]["new"] == 120


def test_rules_carried_over_are_compared_by_their_chain(published, tmp_path):
    """A rules file with ``extends:`` is recorded by its chain's hash: the same chain
    keeps the run; a changed base runs it again."""
    data, out = published
    rules = tmp_path / "rules"
    rules.mkdir()
    text = RULES_2022.read_text(encoding="utf-8")
    (rules / "base.yaml").write_text(text, encoding="utf-8")
    own = rules / "2022.yaml"
    own.write_text("extends: base.yaml\n" + text, encoding="utf-8")
    run.run_year(RunSpec(2022, data_dir=data, rules=own, out=out, formats=("html",), progress=False))
    spec = RunSpec(2022, data_dir=data, rules=own, out=out, formats=("html",)).checked()
    assert unchanged.why_run(spec) is None
    (rules / "base.yaml").write_text(text + "\n# changed\n", encoding="utf-8")
    assert unchanged.why_run(spec) == "rules file changed"


def test_per_unit_reports_are_run_again_when_an_earlier_year_was_published_since(tmp_path):
    for year in (2021, 2022, 2023):
        (tmp_path / str(year)).mkdir()
    (tmp_path / "2022" / "manifest.json").write_text("{}", encoding="utf-8")
    assert unchanged.earlier_published_since(tmp_path / "2022", 2022) is None
    (tmp_path / "2023" / "manifest.json").write_text("{}", encoding="utf-8")  # a later year: not shown
    mine = (tmp_path / "2022" / "manifest.json").stat().st_mtime_ns
    for name in ("2021", "2023"):
        f = tmp_path / name / "manifest.json"
        f.write_text("{}", encoding="utf-8")
        os.utime(f, ns=(mine + 10**9, mine + 10**9))
    assert unchanged.earlier_published_since(tmp_path / "2022", 2022) == 2021


def test_a_settled_objection_means_the_year_is_run_again(published):
    """The register changed (an objection settled): not current; run again, current."""
    data, out = published
    write_register(data, [row(objector="")])
    assert _cli(data, out) == 0
    assert _why(data, out) is None
    write_register(data, [row(objector="", finding="不成立", approver="王处长")])
    assert _why(data, out) == "input files changed"
    assert _cli(data, out) == 0
    assert _why(data, out) is None

"""A run's specification (toolkit.pipeline.spec): built once from the command line,
checked before anything starts, handed to the pipeline as it is and recorded in the
manifest as it is."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from report_helpers import RULES_2022, write_tiny_year

from toolkit import cli
from toolkit.exceptions import ParameterError, RulesError
from toolkit.pipeline import notebook, run, unchanged
from toolkit.pipeline.spec import RunSpec

#: what manifest.json records under "parameters" (and pipeline.unchanged compares)
RECORDED = ["year", "data_dir", "rules", "out", "formats", "per_unit", "use_cache", "timeout", "engine"]


@pytest.fixture
def year_dir(tmp_path) -> Path:
    return write_tiny_year(tmp_path / "data" / "2022")


def test_a_spec_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        RunSpec(2022).per_unit = True


def test_checked_resolves_the_folders_once(year_dir, tmp_path):
    spec = RunSpec(2022, data_dir=year_dir, rules=RULES_2022, out=tmp_path / "out", formats=("PDF", "html", "pdf"))
    checked = spec.checked()
    assert checked.data_dir.is_absolute() and checked.rules == RULES_2022.absolute()
    assert checked.out == (tmp_path / "out").resolve() and checked.formats == ("pdf", "html")
    assert checked.checked() == checked


@pytest.mark.parametrize("change,error,named", [
    ({"data_dir": "nope"}, ParameterError, "nope"),
    ({"rules": "missing.yaml"}, RulesError, "missing.yaml"),
    ({"formats": ("docx",)}, ParameterError, "docx"),
    ({"year": None}, ParameterError, "year"),
])
def test_a_spec_that_cannot_run_is_exit_2_naming_why(year_dir, tmp_path, change, error, named):
    spec = dataclasses.replace(RunSpec(2022, data_dir=year_dir, rules=RULES_2022, out=tmp_path / "out"), **change)
    with pytest.raises(error, match=named) as err:
        spec.checked()
    assert err.value.exit_code == 2


def test_the_record_is_what_decides_the_output_not_how_the_run_goes(year_dir, tmp_path):
    spec = RunSpec(2022, data_dir=year_dir, rules=RULES_2022, out=tmp_path / "out", formats=("html",),
                   per_unit=True, wait=5, progress=False, force=True).checked()
    record = spec.parameters()
    assert list(record) == RECORDED
    assert record["formats"] == ["html"] and record["per_unit"] is True
    assert record["data_dir"] == str(spec.data_dir) and record["out"] == str(spec.out)
    assert dataclasses.replace(spec, wait=0, progress=True, force=False).parameters() == record


def test_the_command_line_builds_the_spec_from_every_option(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(run, "run_year", lambda spec: seen.append(spec) or tmp_path)
    argv = ["-q", "run", "--year", "2022", "--data-dir", "d", "--rules", "r.yaml", "--out", "o",
            "--format", "html", "--per-unit", "--no-cache", "--timeout", "60", "--wait", "2", "--force"]
    assert cli.main(argv) == 0
    assert seen == [RunSpec(2022, data_dir="d", rules="r.yaml", out="o", formats=("html",), per_unit=True,
                            use_cache=False, timeout=60, engine="duckdb", wait=2, progress=False, force=True)]


def test_a_run_records_its_spec_and_the_same_spec_keeps_it(year_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(notebook, "execute_notebook", lambda src, dst, parameters, **kw: shutil.copyfile(src, dst))
    spec = RunSpec(2022, data_dir=year_dir, rules=RULES_2022, out=tmp_path / "out", formats=("html",),
                   progress=False)
    out = run.run_year(spec)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"] == spec.checked().parameters()
    assert unchanged.kept_run(spec) == out
    assert unchanged.why_run(dataclasses.replace(spec, per_unit=True).checked()) == "parameter per_unit: False -> True"

"""`toolkit run --years`: each year with its own rules into its own folder, then the
index; unchanged years kept, a changed year alone recomputed; the span's parameters
(tests/years_fixtures.py runs the span once per session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from years_fixtures import YEARS
from years_helpers import derived_rules, write_rules

from toolkit import cli
from toolkit.exceptions import ParameterError, RulesError
from toolkit.pipeline import unchanged, years
from toolkit.pipeline.spec import RunSpec
from toolkit.pipeline.years import parse_years


@pytest.mark.parametrize("text,expected", [
    ("2021-2023", [2021, 2022, 2023]), ("2021,2023", [2021, 2023]), ("2023,2021", [2021, 2023]),
    ("2018-2020,2022", [2018, 2019, 2020, 2022]), ("2022", [2022]), (" 2021 - 2022 ", [2021, 2022]),
])
def test_parse_years(text, expected):
    assert parse_years(text) == expected


@pytest.mark.parametrize("text", ["2023-2021", "21-23", "2021-", "abc", "", "2021,,2022", "2021,2021",
                                  "1999-2001", "2021-2022-2023", "2000-2040"])
def test_parse_years_rejects(text):
    with pytest.raises(ParameterError):
        parse_years(text)


@pytest.mark.parametrize("argv", [
    ["run", "--years", "2023-2021"], ["run", "--years", "21-23"], ["run", "--years", "x"],
    ["run", "--year", "2022", "--years", "2021-2022"], ["run"],
])
def test_cli_bad_years_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error" in err


def test_cli_force_with_one_year_runs_it_without_asking_whether_it_changed(monkeypatch):
    from toolkit.pipeline import run, unchanged

    ran = []
    monkeypatch.setattr(unchanged, "kept_run", lambda *a, **kw: pytest.fail("--force asks nothing"))
    monkeypatch.setattr(run, "run_year", lambda spec: ran.append(spec.year) or Path("reports/2022"))
    assert cli.main(["run", "--year", "2022", "--force"]) == 0 and ran == [2022]


def test_cli_parses_both_forms():
    p = cli.build_parser()
    assert p.parse_args(["run", "--years", "2021-2023"]).years == [2021, 2022, 2023]
    assert p.parse_args(["run", "--years", "2021,2023"]).years == [2021, 2023]
    assert p.parse_args(["run", "--year", "2022"]).years is None


def test_rules_of_a_span_is_a_folder(tmp_path):
    (tmp_path / "data" / "2021").mkdir(parents=True)
    write_rules(tmp_path / "r", [2021])
    with pytest.raises(ParameterError, match="folder"):
        RunSpec(data_dir=tmp_path / "data", rules=tmp_path / "2021.yaml", out=tmp_path / "out").in_span(2021)
    one = RunSpec(data_dir=tmp_path / "data", rules=tmp_path / "r", out=tmp_path / "out", per_unit=True).in_span(2021)
    assert (one.year, one.data_dir, one.rules, one.out, one.per_unit) == (
        2021, tmp_path / "data" / "2021", tmp_path / "r" / "2021.yaml", (tmp_path / "out").resolve() / "2021", True)


def test_a_year_without_rules_stops_the_span_before_any_work(tmp_path):
    for y in (2021, 2022):
        (tmp_path / "data" / str(y)).mkdir(parents=True)
    write_rules(tmp_path / "rules", [2022])
    with pytest.raises(RulesError, match="2021"):
        years.run_years([2021, 2022], RunSpec(data_dir=tmp_path / "data", rules=tmp_path / "rules",
                        out=tmp_path / "out", progress=False))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_exit_2_for_a_missing_data_folder(tmp_path, capsys):
    write_rules(tmp_path / "rules", [2021, 2022])
    code = cli.main(["run", "--years", "2021-2022", "--data-dir", str(tmp_path / "nodata"),
                     "--rules", str(tmp_path / "rules"), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "nodata" in capsys.readouterr().err


def test_derived_rules_move_every_date():
    text = derived_rules(2019)
    assert "2022-" not in text and "year: 2019" in text and "2020-03-07" in text


# --- the span run (slow: five tiny years, HTML, PDF, per-unit reports) --------------


@pytest.mark.slow
def test_each_year_into_its_own_folder_with_its_own_rules(years_span):
    out, rules = years_span["out"], years_span["rules"]
    for y in YEARS:
        ev = json.loads((out / str(y) / "evaluation.json").read_text(encoding="utf-8"))
        assert ev["year"] == y and ev["period"]["start"].startswith(f"{y}-01-01")
        assert ev["rules"]["path"] == str((rules / f"{y}.yaml").absolute())
        for f in ("evaluation.html", "evaluation.pdf", "manifest.json", "results.xlsx"):
            assert (out / str(y) / f).is_file(), (y, f)
        m = json.loads((out / str(y) / "manifest.json").read_text(encoding="utf-8"))
        assert m["code_sha256"] == unchanged.code_hash()
    assert (out / "index.html").is_file() and (out / "index.pdf").read_bytes().startswith(b"%PDF")
    assert years_span["first"].recomputed == list(YEARS) and years_span["first"].index_rebuilt


@pytest.mark.slow
def test_a_second_run_keeps_everything(years_span, caplog):
    second = years_span["second"]
    assert second.recomputed == [] and not second.index_rebuilt
    first, again, _ = years_span["finished"]
    assert first == again
    assert years_span["index_mtime"][0] == years_span["index_mtime"][1]


@pytest.mark.slow
def test_a_changed_input_year_alone_is_recomputed(years_span):
    third = years_span["third"]
    assert third.recomputed == [2022] and third.index_rebuilt
    assert [y.reason for y in third.years if y.recomputed] == ["input files changed"]
    before, _, after = years_span["finished"]
    assert {y for y in YEARS if before[y] != after[y]} == {2022}
    ev = json.loads((years_span["out"] / "2022" / "evaluation.json").read_text(encoding="utf-8"))
    assert any(e["unit_id"] == "U001" and e["metrics"].get("target_trainees") == 120 for e in ev["collective"])


@pytest.mark.slow
def test_unchanged_years_are_logged_as_kept(years_span, caplog):
    caplog.set_level("DEBUG", logger="toolkit.pipeline.years")  # the kept years: said with -v
    result = years.run_years(YEARS, RunSpec(data_dir=years_span["data"], rules=years_span["rules"],
                             out=years_span["out"], per_unit=True, progress=False))
    assert result.recomputed == []
    assert "2021: unchanged, kept" in caplog.text and "index unchanged, kept" in caplog.text


@pytest.mark.slow
def test_why_changed_names_what_changed(years_span, tmp_path):
    out = years_span["out"] / "2021"
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    params, inputs = m["parameters"], {i["file"]: i["sha256"] for i in m["inputs"]}
    prev = {i["file"]: i["sha256"] for i in m["previous_year"]["inputs"]}
    sha = m["rules"]["sha256"]
    kw = dict(params=params, rules_sha256=sha, inputs=inputs, previous_inputs=prev)
    assert unchanged.why_changed(out, **kw) is None
    assert unchanged.why_changed(out, **{**kw, "rules_sha256": "0" * 64}) == "rules file changed"
    assert unchanged.why_changed(out, **{**kw, "inputs": {**inputs, "x.csv": "1"}}) == "input files changed"
    assert "previous year" in unchanged.why_changed(out, **{**kw, "previous_inputs": {}})
    assert "per_unit" in unchanged.why_changed(out, **{**kw, "params": {**params, "per_unit": False}})
    assert unchanged.why_changed(tmp_path, **kw) == "no published run"


@pytest.mark.slow
def test_force_recomputes(years_span, monkeypatch):
    done = []
    monkeypatch.setattr(years, "run_year", lambda spec: done.append(spec.year))
    monkeypatch.setattr(years, "write_index", lambda out, dirs, **kw: out / "index.html")
    monkeypatch.setattr(years, "atomic_write", lambda *a, **kw: None)
    years.run_years(YEARS, RunSpec(data_dir=years_span["data"], rules=years_span["rules"], out=years_span["out"],
                    per_unit=True, progress=False, force=True))
    assert done == list(YEARS)


@pytest.mark.slow
def test_per_unit_reports_show_the_earlier_years(years_span):
    out = years_span["out"]
    reports = json.loads((out / "2022" / "manifest.json").read_text(encoding="utf-8"))["unit_reports"]
    page = (out / "2022" / f"{reports['U001']}.html").read_text(encoding="utf-8")
    assert "历年情况" in page and "2020" in page and "2021" in page
    earliest = out / str(YEARS[0])  # the span's first year has no earlier one
    first = json.loads((earliest / "manifest.json").read_text(encoding="utf-8"))["unit_reports"]
    assert "历年情况" not in (earliest / f"{first['U001']}.html").read_text(encoding="utf-8")
    assert not (earliest / "internal" / "report" / "history.json").exists()

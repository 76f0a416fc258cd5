"""``toolkit plan`` (toolkit/plan/run.py, toolkit/plan/commands.py): the files it writes
under the plan folder, replaced as a whole; exit 2 for a missing, wrong-year or invalid
candidate; notebooks/planning.ipynb clean, and runnable under papermill."""

from __future__ import annotations

import json
import re

import nbformat
import openpyxl
import pytest
from browser_helpers import measure
from demo_helpers import YEAR
from plan_helpers import AWARD, CANDIDATE, write_candidate

from toolkit.cli import main
from toolkit.exceptions import RunError
from toolkit.outputs.report.html import check_self_contained
from toolkit.pipeline import notebook
from toolkit.plan import run as plan_run

NOTEBOOK = notebook.NOTEBOOKS_DIR / "planning.ipynb"


@pytest.fixture(scope="module")
def written(demo, tmp_path_factory):
    folder, _ = demo
    root = tmp_path_factory.mktemp("plan")
    cand = write_candidate(root / "candidates")
    out = root / "reports" / "plan" / cand.stem
    assert main(["-q", "plan", "--year", str(YEAR), "--rules", str(cand), "--data-dir", str(folder),
                 "--out", str(out)]) == 0
    return folder, cand, out


def test_the_plan_folder_holds_json_workbook_notebook_and_page(written):
    _, cand, out = written
    assert sorted(p.name for p in out.iterdir()) == ["plan.html", "plan.ipynb", "plan.json", "plan.xlsx"]
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no staging left over
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["name"] == cand.stem and plan["candidate"]["path"].endswith("lower_target.yaml")
    page = (out / "plan.html").read_text(encoding="utf-8")
    check_self_contained(page)
    assert 'lang="zh-CN"' in page and "data:image/png;base64," in page
    changed = [c["unit_name"] for c in plan["awards"][0]["changes"]]
    assert changed and all(name in page for name in changed)
    assert "现行规则" in page and "拟议规则" in page and "敏感性" in page
    assert "import" not in re.sub(r"<style.*?</style>", "", page, flags=re.S)  # no code cells


@pytest.mark.parametrize("width", [1400, 390])
def test_the_page_s_tables_fit_and_numbers_keep_their_line(written, tmp_path, width):
    """In Chromium: no table of the plan page scrolls sideways at 1400 px; at 390 px no
    bound or count breaks inside and the 结论对比 table's first column keeps its words."""
    r = measure(written[2] / "plan.html", tmp_path, width)
    assert r["iw"] == width and r["sw"] <= r["iw"] and r["tables"] > 5, r
    if width >= 1400:
        assert not r["scroll"], r["scroll"]
    assert not r["broken"], r["broken"]
    assert not r["squeezed"], r["squeezed"]


def test_the_workbook_has_the_changes_and_the_sensitivity(written):
    _, _, out = written
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(out / "plan.xlsx")
    assert wb.sheetnames == ["规则变化", "结论变化", "敏感性"]
    rows = list(wb["结论变化"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in rows) == sorted(c["unit_id"] for a in plan["awards"] for c in a["changes"])
    # the result tables' headers, one label per concept across the project
    assert [c.value for c in wb["结论变化"][1]][:5] == ["奖项", "单位编码", "单位名称", "推荐对象", "推荐表行号"]
    n_sens = sum(len(s["rows"]) for a in plan["awards"] for s in a["sensitivity"])
    assert wb["敏感性"].max_row == n_sens + 1


def test_the_default_folder_is_under_the_years_reports(tmp_path):
    p = plan_run.plan_folder(YEAR, tmp_path / "my_candidate.yaml")
    assert p.parts[-3:] == (str(YEAR), "plan", "my_candidate")


def test_a_failed_plan_leaves_the_previous_one_in_place(written, monkeypatch):
    _, _, out = written
    before = (out / "plan.json").read_bytes()
    result = plan_run.PlanResult.from_dict(json.loads(before))

    def broken(*args, **kwargs):
        raise RunError("cell 3: boom", stage="plan notebook")

    monkeypatch.setattr(plan_run, "execute_in_process", broken)
    with pytest.raises(RunError):
        plan_run.write_plan(result, out)
    assert (out / "plan.json").read_bytes() == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


def _plan(tmp_path, folder, cand, capsys) -> tuple[int, str]:
    code = main(["-q", "plan", "--year", str(YEAR), "--rules", str(cand), "--data-dir", str(folder),
                 "--out", str(tmp_path / "out")])
    return code, capsys.readouterr().err


def test_a_missing_candidate_exits_2_naming_it(written, tmp_path, capsys):
    folder, _, _ = written
    code, err = _plan(tmp_path, folder, tmp_path / "nope.yaml", capsys)
    assert code == 2 and "nope.yaml" in err and "does not exist" in err
    assert not (tmp_path / "out").exists()


def test_a_candidate_for_another_year_exits_2(written, tmp_path, capsys):
    folder, _, _ = written
    other = CANDIDATE.replace(f"year: {YEAR}", f"year: {YEAR + 1}").replace(f"extends: {YEAR}\n",
                                                                            f"extends: {YEAR}\n" + _dates(YEAR + 1))
    code, err = _plan(tmp_path, folder, write_candidate(tmp_path, "other_year", other), capsys)
    assert code == 2 and f"is for {YEAR + 1}, not {YEAR}" in err and "other_year.yaml" in err


def _dates(y: int) -> str:
    return (f'period: {{start: "{y}-01-01T00:00:00+08:00", end: "{y}-12-31T23:59:59+08:00", clause: x}}\n'
            f"cutoff: null\nas_of: {{date: {y}-12-31, clause: x}}\nmeeting: null\n")


@pytest.mark.parametrize("bad,key", [
    ('        op: "<="\n', "awards.staff.collective.criteria[2] (paid_trainees)"),
    ("        bounds: 1\n", "awards.staff.collective.criteria[2] (paid_trainees)"),
])
def test_an_invalid_candidate_exits_2_naming_the_file_and_the_key(written, tmp_path, capsys, bad, key):
    folder, _, _ = written
    text = CANDIDATE.replace("        bound: 25000\n", "        bound: 25000\n" + bad)
    code, err = _plan(tmp_path, folder, write_candidate(tmp_path, "invalid", text), capsys)
    assert code == 2 and key in err and "invalid.yaml" in err, err


def test_a_bad_range_exits_2(written, tmp_path, capsys):
    folder, cand, _ = written
    assert main(["plan", "--year", str(YEAR), "--rules", str(cand), "--data-dir", str(folder),
                 "--range", "1.5:0.5"]) == 2
    assert "--range" in capsys.readouterr().err


def test_the_notebook_is_committed_clean_and_calls_into_toolkit_only():
    from papermill.translators import PythonTranslator

    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is None and c.outputs == [] for c in code)
    (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    names = {p.name: p for p in PythonTranslator.inspect(params)}
    assert set(names) == {"year", "data_dir", "rules", "candidate", "out"}
    assert all(p.help and p.inferred_type_name in ("int", "str") for p in names.values())
    assert nb.metadata["kernelspec"]["name"] == notebook.KERNEL_NAME
    for c in code:
        if c is params:
            continue
        for line in c.source.splitlines():
            s = line.strip()
            assert not s or s.startswith(("from toolkit.plan", "plan = open_plan(", "report.")), line
    assert any(c.cell_type == "markdown" and re.search(r"[\u4e00-\u9fff]", c.source) for c in nb.cells)


@pytest.mark.slow
def test_the_notebook_runs_under_papermill_from_the_parameters(written, tmp_path):
    folder, cand, out = written
    dst = tmp_path / "planning.ipynb"
    notebook.execute_notebook(NOTEBOOK, dst, {"year": YEAR, "data_dir": str(folder), "candidate": str(cand)},
                              timeout=600, cwd=tmp_path, stage="plan notebook")
    nb = nbformat.read(str(dst), as_version=4)
    shown = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                    for o in c.outputs)
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    for ch in next(a for a in plan["awards"] if a["key"] == AWARD)["changes"]:
        assert ch["unit_name"] in shown
    assert "data:image/png;base64," in shown

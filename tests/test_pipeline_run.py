"""run_year and forms_only: parameter checks, the lock, staging and atomic replacement,
the manifest, the quarantine files. The notebook stage is faked here (copying the
notebook unexecuted) so these tests stay fast; test_end_to_end executes it for real."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import time
from pathlib import Path

import pytest
from report_helpers import RULES_2022, write_tiny_year

from toolkit import cli
from toolkit.exceptions import LockedError, ParameterError, RulesError, RunError
from toolkit.outputs.report import pdf
from toolkit.pipeline import lock, notebook, run
from toolkit.pipeline.spec import RunSpec


@pytest.fixture(scope="module")
def year_dir(tmp_path_factory) -> Path:
    return write_tiny_year(tmp_path_factory.mktemp("data") / "2022")


@pytest.fixture
def fake_notebook(monkeypatch):
    """The notebook stage without a kernel: the notebook copied as it is."""
    calls = []

    def execute(src, dst, parameters, **kwargs):
        calls.append((Path(src).name, parameters))
        shutil.copyfile(src, dst)

    monkeypatch.setattr(notebook, "execute_notebook", execute)
    return calls


def _tree(d: Path) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


def _run(year_dir, out, **kw):
    return run.run_year(RunSpec(2022, data_dir=year_dir, rules=RULES_2022, out=out, progress=False, **kw))


def test_missing_data_folder_is_exit_2_before_any_kernel(tmp_path, fake_notebook):
    with pytest.raises(ParameterError) as err:
        run.run_year(RunSpec(2022, data_dir=tmp_path / "nope", rules=RULES_2022, out=tmp_path / "out"))
    assert err.value.exit_code == 2 and str(tmp_path / "nope") in str(err.value)
    assert fake_notebook == [] and not (tmp_path / "out").exists()


def test_missing_rules_file_is_exit_2(tmp_path, year_dir, fake_notebook):
    with pytest.raises(RulesError) as err:
        run.run_year(RunSpec(2022, data_dir=year_dir, rules=tmp_path / "2022.yaml", out=tmp_path / "out"))
    assert err.value.exit_code == 2 and "2022.yaml" in str(err.value)
    assert fake_notebook == []


def test_cli_exit_codes(tmp_path, capsys):
    assert cli.main(["run", "--year", "2022", "--data-dir", str(tmp_path / "nope"),
                     "--out", str(tmp_path / "out")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_input_error_stops_before_the_notebook(tmp_path, year_dir, fake_notebook):
    broken = tmp_path / "2022"
    shutil.copytree(year_dir, broken)
    (broken / "staff_payments.csv").unlink()  # a required table
    with pytest.raises(Exception) as err:
        _run(broken, tmp_path / "out")
    assert getattr(err.value, "exit_code", None) == 2
    assert fake_notebook == []


def test_a_run_writes_every_output_and_the_manifest(tmp_path, year_dir, fake_notebook):
    out = _run(year_dir, tmp_path / "reports" / "2022")
    files = _tree(out)
    for name in ("evaluation.json", "evaluation.html", "evaluation.pdf", "evaluation.ipynb",
                 "results.xlsx", "manifest.json"):
        assert name in files, name
    assert any(f.startswith("tables/") for f in files)
    assert any(f.startswith("forms/") for f in files)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for key in ("toolkit_version", "parameters", "rules", "inputs", "started_at", "finished_at",
                "stages_s", "outputs"):
        assert key in manifest, key
    assert manifest["rules"]["sha256"] == hashlib.sha256(RULES_2022.read_bytes()).hexdigest()
    for inp in manifest["inputs"]:
        assert inp["sha256"] == hashlib.sha256((year_dir / inp["file"]).read_bytes()).hexdigest()
    assert {i["file"] for i in manifest["inputs"]} == {p.name for p in year_dir.iterdir()}
    assert {"load", "evaluate", "export", "notebook", "html", "pdf"} <= set(manifest["stages_s"])
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    assert listed == {k: v for k, v in files.items() if k != "manifest.json"}
    # parameters went to the notebook as values, not code
    (_, params), = fake_notebook
    assert params == {"year": 2022, "run_dir": "."}  # the notebook reads the run folder it runs in
    # nothing left beside the output but the lock and the run folders
    left = sorted(p.name for p in out.parent.iterdir() if p.name != "2022")
    assert left[0] == ".2022.lock" and len(left) == 2 and left[1].startswith(".2022.run-")
    assert out.is_symlink() and out.resolve().parent == out.parent.resolve()  # the run folder beside the link


def test_json_and_tables_are_byte_identical_across_runs(tmp_path, year_dir, fake_notebook):
    a = _tree(_run(year_dir, tmp_path / "a" / "2022"))
    b = _tree(_run(year_dir, tmp_path / "b" / "2022"))
    same = [k for k in a if k == "evaluation.json" or k.startswith("tables/")]
    assert same and all(a[k] == b[k] for k in same)


def test_a_failed_stage_leaves_the_previous_report(tmp_path, year_dir, fake_notebook, monkeypatch):
    out = _run(year_dir, tmp_path / "2022")
    before = _tree(out)

    def broken_pdf(page, dst):
        Path(dst).write_bytes(b"%PDF-1.7 half written")
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "render_pdf", broken_pdf)
    with pytest.raises(RunError) as err:
        _run(year_dir, out)
    assert err.value.stage == "pdf" and err.value.exit_code == 1 and "disk full" in str(err.value)
    assert _tree(out) == before
    names = sorted(p.name for p in out.parent.iterdir())
    assert len(names) == 3 and names[0] == ".2022.lock" and names[1].startswith(".2022.run-") and names[2] == "2022"


def test_stale_outputs_of_an_earlier_run_are_removed(tmp_path, year_dir, fake_notebook):
    out = _run(year_dir, tmp_path / "2022", formats=("html", "pdf"))
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    _run(year_dir, out, formats=("html",))
    assert not (out / "evaluation.pdf").exists()  # the earlier run's, not written this time
    assert (out / "evaluation.html").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # not ours: kept


def test_lock_makes_a_second_run_wait_then_fail(tmp_path, year_dir, fake_notebook):
    from filelock import FileLock

    out = tmp_path / "2022"
    holder = FileLock(str(lock.lock_path(out)))
    holder.acquire()
    try:
        t0 = time.monotonic()
        with pytest.raises(LockedError) as err:
            _run(year_dir, out, wait=0.5)
        assert time.monotonic() - t0 >= 0.5
        assert str(lock.lock_path(out)) in str(err.value) and err.value.exit_code == 1
    finally:
        holder.release()
    assert fake_notebook == []
    _run(year_dir, out, wait=0.5)  # free again


def test_forms_only_replaces_forms_and_nothing_else(tmp_path, year_dir, fake_notebook):
    out = _run(year_dir, tmp_path / "2022")
    (out / "forms" / "old-form.docx").write_bytes(b"stale")
    before = {k: v for k, v in _tree(out).items() if not k.startswith("forms/")}
    forms = run.forms_only(RunSpec(2022, data_dir=year_dir, rules=RULES_2022, out=out))
    assert forms == out / "forms"
    assert not (out / "forms" / "old-form.docx").exists()
    assert any(p.suffix == ".docx" for p in forms.iterdir())
    assert {k: v for k, v in _tree(out).items() if not k.startswith("forms/")} == before


def test_quarantine_files_are_written_masked(tmp_path, year_dir, fake_notebook):
    broken = tmp_path / "2022"
    shutil.copytree(year_dir, broken)
    with open(broken / "staff_payments.csv", "a", encoding="utf-8") as fh:
        fh.write("O99999,T00001,不存在的单位,180,2022-03-05 11:00:00,成功\n")
        fh.write("O99998,T00001,U001,abc,2022-03-05 11:00:00,成功\n")
    out = _run(broken, tmp_path / "out" / "2022")
    q = out / "internal" / "quarantine" / "staff_payments.csv"
    text = q.read_text(encoding="utf-8-sig")
    assert "unknown_unit" in text and "bad_amount" in text
    assert text.splitlines()[0].startswith("file,sheet,row,column,value,reason")


def test_safe_unit_file_names():
    assert run.safe_name("U001") == "U001"
    assert run.safe_name("../etc/passwd") == "_etc_passwd"


def _year_with_units(src: Path, dest: Path, ids: dict[str, str], unit_names: dict[str, str] | None = None) -> Path:
    """A copy of the tiny year with its unit ids (and names) replaced."""
    shutil.copytree(src, dest)
    for p in dest.glob("*.csv"):
        text = p.read_text(encoding="utf-8")
        for old, new in ids.items():
            text = text.replace(old, new)
        for old, new in (unit_names or {}).items():
            text = text.replace(old, new)
        p.write_text(text, encoding="utf-8")
    return dest


def test_unit_ids_that_clean_alike_each_get_their_own_report(tmp_path, year_dir, fake_notebook, monkeypatch):
    # a/b, a\b and a_b were all units/a_b.html (and shared a work file with two workers)
    ids = {"U001": "a/b", "U002": "a\\b", "U003": "a_b"}
    data = _year_with_units(year_dir, tmp_path / "2022", ids, {"长沙开放大学": "长沙:开放大学", "湘潭开放大学": "长沙?开放大学"})
    out = _run(data, tmp_path / "out" / "2022", per_unit=True, formats=("html",))
    reports = sorted(p.name for p in (out / "units").iterdir())
    assert len(reports) == 3, reports
    pages = {p.read_text(encoding="utf-8") for p in (out / "units").iterdir()}
    assert len(pages) == 3
    assert any(r.startswith("长沙_开放大学_a_b_") for r in reports), reports  # readable, with a hash suffix
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["unit_reports"]) == sorted(["a/b", "a\\b", "a_b"])
    assert all((out / f"{v}.html").is_file() for v in manifest["unit_reports"].values())


def test_a_300_character_unit_id_gets_a_short_report_name(tmp_path, year_dir, fake_notebook):
    long_id = "长" * 100 + "U" * 200
    data = _year_with_units(year_dir, tmp_path / "2022", {"U003": long_id})
    out = _run(data, tmp_path / "out" / "2022", per_unit=True, formats=("html",))
    reports = [p.name for p in (out / "units").iterdir()]
    assert len(reports) == 3
    long_one, = (r for r in reports if "长长长" in r)
    assert len(long_one.encode("utf-8")) < 255 and long_one.startswith("湘潭开放大学_长长")


class _Killed(BaseException):
    pass


def _consistent(out: Path) -> str:
    """The manifest's hash of every file the reader of ``out`` sees; fails on a mix."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    seen = {k: v for k, v in _tree(out).items() if k != "manifest.json" and not k.startswith("failed/")}
    assert seen == listed
    return manifest["finished_at"]


def test_a_run_killed_while_publishing_leaves_the_old_report_or_the_new_one(tmp_path, year_dir, fake_notebook,
                                                                          monkeypatch):
    import logging
    import os

    changed = shutil.copytree(year_dir, tmp_path / "changed" / "2022")
    with open(changed / "staff_payments.csv", "a", encoding="utf-8") as fh:
        fh.write("O99999,T00001,U001,180,2022-03-05 11:00:00,成功\n")  # another evaluation.json
    names = ("replace", "rename", "symlink")
    real = {n: getattr(os, n) for n in names}
    state = {"armed": False, "n": 0, "kill_at": 0}

    class Arm(logging.Handler):  # counts the file operations of the publish stage only
        def emit(self, record):
            if record.getMessage() == "stage publish":
                state["armed"] = True

    def spy(name):
        def f(*a, **kw):
            if state["armed"]:
                state["n"] += 1
                if state["n"] >= state["kill_at"]:
                    raise _Killed(name)
            return real[name](*a, **kw)
        return f

    handler = Arm()
    logging.getLogger("toolkit.pipeline.run").addHandler(handler)
    logging.getLogger("toolkit.pipeline.run").setLevel(logging.INFO)
    try:
        out = _run(year_dir, tmp_path / "reports" / "2022")
        first = _consistent(out)
        for k in (1, 2, 3, 5, 8):
            state.update(armed=False, n=0, kill_at=k)
            for n in names:
                monkeypatch.setattr(os, n, spy(n))
            with contextlib.suppress(_Killed):
                _run(changed, out)
            for n in names:
                monkeypatch.setattr(os, n, real[n])
            assert _consistent(out) in (first, ) or state["n"] < k  # whole old, or the run finished whole
    finally:
        logging.getLogger("toolkit.pipeline.run").removeHandler(handler)


@pytest.mark.parametrize("spelling", ["link", "link-to-parent"])
def test_two_spellings_of_one_output_folder_take_one_lock(tmp_path, year_dir, fake_notebook, spelling):
    from filelock import FileLock

    out = tmp_path / "reports" / "2022"
    _run(year_dir, out)
    if spelling == "link":
        (tmp_path / "o").symlink_to(out)
        other = tmp_path / "o"
    else:
        (tmp_path / "r").symlink_to(tmp_path / "reports")
        other = tmp_path / "r" / "2022"
    holder = FileLock(str(lock.lock_path(out)))
    holder.acquire()
    try:
        with pytest.raises(LockedError) as err:
            _run(year_dir, other)
        assert str(lock.lock_path(out)) in str(err.value)
    finally:
        holder.release()
    assert len(fake_notebook) == 1


def test_an_output_folder_that_cannot_be_written_is_exit_2_before_any_work(tmp_path, year_dir, fake_notebook,
                                                                          capsys):
    code = cli.main(["run", "--year", "2022", "--data-dir", str(year_dir), "--rules", str(RULES_2022),
                     "--out", "/proc/toolkit-test/2022"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("toolkit: error: the output folder /proc/toolkit-test/2022")
    assert "Traceback" not in err and fake_notebook == []


@pytest.mark.parametrize("stage", ["export", "publish"])
def test_a_write_refused_later_is_exit_2_naming_the_folder(tmp_path, year_dir, fake_notebook, monkeypatch, stage):
    import errno

    from toolkit.pipeline import runs

    out = tmp_path / "reports" / "2022"

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(out.parent / ".2022.staging-x" / "tables"))

    monkeypatch.setattr(run, "write_outputs" if stage == "export" else "publish", read_only)
    if stage == "publish":
        monkeypatch.setattr(runs, "publish_run", lambda *a, **kw: None)
    with pytest.raises(ParameterError) as err:
        _run(year_dir, out)
    assert err.value.exit_code == 2 and str(out) in str(err.value) and "Read-only file system" in str(err.value)


def test_a_failed_notebook_is_kept_in_failed_until_the_next_good_run(tmp_path, year_dir, fake_notebook, monkeypatch):
    out = _run(year_dir, tmp_path / "reports" / "2022")
    before = _tree(out)

    def failing(src, dst, parameters, **kwargs):
        shutil.copyfile(src, dst)
        raise RunError("cell In [3] raised ValueError: boom", stage="notebook")

    monkeypatch.setattr(notebook, "execute_notebook", failing)
    with pytest.raises(RunError) as err:
        _run(year_dir, out)
    assert str(out / "failed" / "evaluation.ipynb") in str(err.value)
    after = _tree(out)
    assert {k: v for k, v in after.items() if not k.startswith("failed/")} == before
    assert "failed/evaluation.ipynb" in after
    monkeypatch.setattr(notebook, "execute_notebook", lambda src, dst, parameters, **kw: shutil.copyfile(src, dst))
    _run(year_dir, out, formats=("html",))
    assert not (out / "failed").exists()


def test_per_unit_reports_start_no_kernel_per_unit(tmp_path, year_dir, fake_notebook):
    """--per-unit runs unit.ipynb in this process for each unit: the only notebook a
    kernel executes is the year's own."""
    out = _run(year_dir, tmp_path / "out" / "2022", per_unit=True, formats=("html",))
    assert [name for name, _ in fake_notebook] == ["evaluation.ipynb"]
    reports = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["unit_reports"]
    assert len(reports) >= 3
    for uid, stem in reports.items():
        page = (out / f"{stem}.html").read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in page and "评估结论" in page, uid


def test_a_plain_run_keeps_the_unit_reports_and_says_which_run_made_them(tmp_path, year_dir, fake_notebook):
    out = _run(year_dir, tmp_path / "out" / "2022", per_unit=True, formats=("html",))
    first = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    pages = {stem: (out / f"{stem}.html").read_bytes() for stem in first["unit_reports"].values()}
    assert not (out / "units" / "说明.txt").exists()
    _run(year_dir, out, formats=("html",))  # the nightly run: no --per-unit
    plain = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert plain["unit_reports"] == first["unit_reports"]  # the links keep working
    assert {stem: (out / f"{stem}.html").read_bytes() for stem in pages} == pages
    assert plain["unit_reports_run"] == first["started_at"]
    note = (out / "units" / "说明.txt").read_text(encoding="utf-8")
    assert first["started_at"] in note and "--per-unit" in note
    _run(year_dir, out, formats=("html",))  # kept again, still naming the first run
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["unit_reports_run"] == first["started_at"]
    _run(year_dir, out, per_unit=True, formats=("html",))  # written anew: no note
    again = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "unit_reports_run" not in again and not (out / "units" / "说明.txt").exists()

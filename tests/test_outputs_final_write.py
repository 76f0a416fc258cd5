"""write_final (toolkit/outputs/final/write.py): nothing before the review; the list's
.docx and .xlsx once a reviewer's file was read; 公示稿.docx only when nothing is
pending; the same decision gives the same bytes. And through the pipeline: a run's
``final/`` appears only when the review has decided, and goes with the next run that
has no review (the notebook stage faked, as in test_pipeline_run)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from final_helpers import ALL_DECIDED, DECISIONS, decide

from toolkit.outputs.final.write import write_final
from toolkit.pipeline import notebook, run, runs
from toolkit.pipeline.spec import RunSpec


def names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


def test_nothing_before_the_review(final_year, tmp_path):
    assert write_final(final_year.evaluation, tmp_path / "final") == []
    assert not (tmp_path / "final").exists()


def test_the_list_while_entries_are_pending_and_no_publicity_draft(final_year, tmp_path):
    written = write_final(decide(final_year.evaluation), tmp_path / "final")
    assert [p.name for p in written] == ["拟表彰名单.docx", "拟表彰名单.xlsx", "评审记录.xlsx"]
    assert names(tmp_path / "final") == ["拟表彰名单.docx", "拟表彰名单.xlsx", "评审记录.xlsx"]


def test_the_publicity_draft_once_nothing_is_pending(final_year, tmp_path):
    written = write_final(decide(final_year.evaluation, ALL_DECIDED), tmp_path / "final")
    assert [p.name for p in written] == ["拟表彰名单.docx", "拟表彰名单.xlsx", "评审记录.xlsx", "公示稿.docx"]


def test_the_same_decision_gives_the_same_bytes(final_year, tmp_path):
    a = write_final(decide(final_year.evaluation, ALL_DECIDED), tmp_path / "a")
    b = write_final(decide(final_year.evaluation, ALL_DECIDED), tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


@pytest.fixture
def fake_notebook(monkeypatch):
    """The notebook stage without a kernel: the notebook copied as it is."""
    monkeypatch.setattr(notebook, "execute_notebook", lambda src, dst, parameters, **kw: shutil.copyfile(src, dst))


@pytest.mark.slow
@pytest.mark.parametrize("links", [True, False], ids=["run-folders", "file-by-file"])
def test_a_run_writes_final_only_when_the_review_has_decided(final_year, tmp_path, fake_notebook, monkeypatch, links):
    out = tmp_path / "reports" / "2022"
    if not links:  # where symbolic links cannot be made, files are renamed into place one by one
        monkeypatch.setattr(runs, "publish_run", lambda staging, out_dir, **kw: None)
    real = run.evaluate

    def go(decisions=None):
        monkeypatch.setattr(run, "evaluate", (lambda yd, rules, engine="duckdb": decide(
            real(yd, rules, engine=engine), decisions)) if decisions else real)
        run.run_year(RunSpec(2022, data_dir=final_year.data, rules=final_year.rules_path, out=out, formats=("html",), progress=False))
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))

    manifest = go()
    assert not (out / "final").exists()
    assert not any(o["path"].startswith("final/") for o in manifest["outputs"])

    manifest = go(DECISIONS)
    assert names(out / "final") == ["拟表彰名单.docx", "拟表彰名单.xlsx", "评审记录.xlsx"]
    assert {"final/拟表彰名单.docx", "final/拟表彰名单.xlsx"} <= {o["path"] for o in manifest["outputs"]}
    review = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))["review"]
    assert len(review["files"]) == 2

    go(ALL_DECIDED)
    assert names(out / "final") == ["公示稿.docx", "拟表彰名单.docx", "拟表彰名单.xlsx", "评审记录.xlsx"]

    go()  # the review files removed: the run folder is rebuilt without final/
    assert not (out / "final").exists()
    assert out.is_symlink() == links

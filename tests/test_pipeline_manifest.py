"""manifest.json's record of the award cycle's inputs (toolkit.pipeline.manifest)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from review_helpers import copy_year

from toolkit import __version__
from toolkit.ingest.snapshot import sha256_of
from toolkit.pipeline.manifest import cycle_inputs
from toolkit.pipeline.unchanged import code_hash, current_inputs, why_changed


def test_the_cycle_files_are_recorded_as_read_never_hashed_again(tmp_path):
    read = SimpleNamespace(data_dir=tmp_path,
                           corrections_file={"path": "更正.xlsx", "sha256": "a" * 64, "bytes": 11})
    (tmp_path / "更正.xlsx").write_bytes(b"saved again after the run read it")
    (tmp_path / "异议登记.xlsx").write_bytes(b"saved again after the run read it")
    (tmp_path / "评审专家.xlsx").write_bytes(b"saved again after the run read it")
    reviews = [{"path": "评审意见/张三.xlsx", "sha256": "b" * 64},
               {"path": "评审意见/组/李四.xlsx", "sha256": "c" * 64}]
    roster = {"path": "评审专家.xlsx", "sha256": "d" * 64, "sheet": "评审专家", "reviewers": []}
    register = {"path": "异议登记.xlsx", "sha256": "e" * 64}
    assert cycle_inputs(read, reviews, roster, register) == {
        "corrections": {"path": "更正.xlsx", "sha256": "a" * 64, "bytes": 11},
        "roster": {"path": "评审专家.xlsx", "sha256": "d" * 64},
        "review_files": reviews, "objections": register}


def test_nothing_before_the_review(tmp_path):
    assert cycle_inputs(SimpleNamespace(data_dir=tmp_path, corrections_file=None), []) == \
        {"corrections": None, "roster": None, "review_files": [], "objections": None}


def _publish(out, d, roster: dict | None) -> dict:
    """A manifest in ``out`` recording the tables of ``d`` and ``roster`` as read."""
    out.mkdir(exist_ok=True)
    params = {"year": 2022}
    tables = {k: v for k, v in current_inputs(d).items() if k != "评审专家.xlsx"}
    manifest = {"toolkit_version": __version__, "code_sha256": code_hash(), "parameters": params,
                "rules": {"sha256": "r"}, "inputs": [{"file": k, "sha256": v} for k, v in tables.items()],
                "review_inputs": cycle_inputs(SimpleNamespace(corrections_file=None), [], roster),
                "previous_year": None, "outputs": []}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dict(params=params, rules_sha256="r", previous_inputs=None)


def test_a_roster_added_or_changed_makes_the_published_year_stale(tiny_year, tmp_path):
    d = copy_year(tiny_year, tmp_path / "2022")
    out = tmp_path / "out"
    kw = _publish(out, d, None)
    assert why_changed(out, inputs=current_inputs(d), **kw) is None
    (d / "评审专家.xlsx").write_bytes(b"roster")
    assert why_changed(out, inputs=current_inputs(d), **kw) == "input files changed"
    kw = _publish(out, d, {"path": "评审专家.xlsx", "sha256": sha256_of(d / "评审专家.xlsx")})
    assert why_changed(out, inputs=current_inputs(d), **kw) is None
    (d / "评审专家.xlsx").write_bytes(b"roster, a reviewer added")
    assert why_changed(out, inputs=current_inputs(d), **kw) == "input files changed"

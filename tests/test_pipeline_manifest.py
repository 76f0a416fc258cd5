"""manifest.json's record of the award cycle's inputs (toolkit.pipeline.manifest)."""

from __future__ import annotations

import hashlib
import json

from review_helpers import copy_year

from toolkit import __version__
from toolkit.pipeline.manifest import cycle_inputs
from toolkit.pipeline.unchanged import code_hash, current_inputs, why_changed, year_inputs


def test_every_review_file_and_the_corrections_file_with_its_hash(tmp_path):
    (tmp_path / "评审意见" / "组").mkdir(parents=True)
    (tmp_path / "更正.xlsx").write_bytes(b"corrections")
    (tmp_path / "评审意见" / "张三.xlsx").write_bytes(b"one")
    (tmp_path / "评审意见" / "组" / "李四.xlsx").write_bytes(b"two")
    got = cycle_inputs(tmp_path)
    assert got["corrections"] == {"path": "更正.xlsx", "sha256": hashlib.sha256(b"corrections").hexdigest(),
                                  "bytes": 11}
    assert [(f["path"], f["sha256"]) for f in got["review_files"]] == [
        ("评审意见/张三.xlsx", hashlib.sha256(b"one").hexdigest()),
        ("评审意见/组/李四.xlsx", hashlib.sha256(b"two").hexdigest())]


def test_nothing_before_the_review(tmp_path):
    assert cycle_inputs(tmp_path) == {"corrections": None, "roster": None, "review_files": []}


def test_the_reviewer_roster_is_an_input_of_the_year(tmp_path):
    (tmp_path / "评审专家.xlsx").write_bytes(b"roster")
    assert cycle_inputs(tmp_path)["roster"] == {"path": "评审专家.xlsx", "sha256": hashlib.sha256(b"roster").hexdigest(),
                                                "bytes": 6}


def test_a_changed_roster_makes_the_published_year_stale(tiny_year, tmp_path):
    d = copy_year(tiny_year, tmp_path / "2022")
    out = tmp_path / "out"
    out.mkdir()
    params = {"year": 2022}
    manifest = {"toolkit_version": __version__, "code_sha256": code_hash(), "parameters": params,
                "rules": {"sha256": "r"}, "inputs": [{"file": k, "sha256": v} for k, v in current_inputs(d).items()],
                "review_inputs": cycle_inputs(d), "previous_year": None, "outputs": []}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    kw = dict(params=params, rules_sha256="r", previous_inputs=None)
    assert why_changed(out, inputs=year_inputs(d), **kw) is None
    (d / "评审专家.xlsx").write_bytes(b"roster")
    assert why_changed(out, inputs=year_inputs(d), **kw) == "input files changed"

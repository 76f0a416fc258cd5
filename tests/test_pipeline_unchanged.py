"""Is a published run current (toolkit/pipeline/unchanged.py): the award cycle's files
(review copies, corrections, the objections register) are inputs of the year."""

from __future__ import annotations

import json

import pytest

from toolkit import __version__
from toolkit.pipeline.unchanged import code_hash, cycle_inputs, why_changed

PARAMS = {"year": 2022, "data_dir": "d", "rules": "r", "formats": ["html"], "per_unit": False, "engine": "duckdb"}


def _published(out, data):
    out.mkdir()
    manifest = {"toolkit_version": __version__, "code_sha256": code_hash(), "parameters": PARAMS,
                "rules": {"sha256": "r" * 64}, "inputs": [], "review_inputs": cycle_inputs(data),
                "previous_year": None, "outputs": []}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


CHANGES = [
    ("a register added", lambda d: (d / "异议登记.xlsx").write_bytes(b"new")),
    ("a register changed", lambda d: (d / "objections.xlsx").write_bytes(b"settled")),
    ("a review copy added", lambda d: ((d / "评审意见").mkdir(), (d / "评审意见" / "张三.xlsx").write_bytes(b"1"))),
    ("a corrections file added", lambda d: (d / "更正.xlsx").write_bytes(b"c")),
]


@pytest.mark.parametrize("case,change", CHANGES, ids=[c[0] for c in CHANGES])
def test_an_award_cycle_file_makes_the_run_not_current(tmp_path, case, change):
    data = tmp_path / "data"
    data.mkdir()
    if case == "a register changed":
        (data / "objections.xlsx").write_bytes(b"open")
    _published(tmp_path / "out", data)
    kw = dict(params=PARAMS, rules_sha256="r" * 64, inputs={}, previous_inputs=None)
    assert why_changed(tmp_path / "out", **kw, cycle_inputs=cycle_inputs(data)) is None
    change(data)
    assert why_changed(tmp_path / "out", **kw, cycle_inputs=cycle_inputs(data)) == \
        "review, corrections or objections files changed"

"""manifest.json's record of the award cycle's inputs (toolkit.pipeline.manifest)."""

from __future__ import annotations

import hashlib

from toolkit.pipeline.manifest import cycle_inputs


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
    assert cycle_inputs(tmp_path) == {"corrections": None, "review_files": [], "objections": None}


def test_the_objections_register_with_its_hash(tmp_path):
    (tmp_path / "异议登记.xlsx").write_bytes(b"objections")
    assert cycle_inputs(tmp_path)["objections"] == {
        "path": "异议登记.xlsx", "sha256": hashlib.sha256(b"objections").hexdigest(), "bytes": 10}

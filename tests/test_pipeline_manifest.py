"""manifest.json's record of the award cycle's inputs (toolkit.pipeline.manifest)."""

from __future__ import annotations

from types import SimpleNamespace

from toolkit.pipeline.manifest import cycle_inputs


def test_the_cycle_files_are_recorded_as_read_never_hashed_again(tmp_path):
    read = SimpleNamespace(data_dir=tmp_path,
                           corrections_file={"path": "更正.xlsx", "sha256": "a" * 64, "bytes": 11})
    (tmp_path / "更正.xlsx").write_bytes(b"saved again after the run read it")
    (tmp_path / "异议登记.xlsx").write_bytes(b"saved again after the run read it")
    reviews = [{"path": "评审意见/张三.xlsx", "sha256": "b" * 64},
               {"path": "评审意见/组/李四.xlsx", "sha256": "c" * 64}]
    register = {"path": "异议登记.xlsx", "sha256": "d" * 64}
    assert cycle_inputs(read, reviews, register) == {
        "corrections": {"path": "更正.xlsx", "sha256": "a" * 64, "bytes": 11},
        "review_files": reviews, "objections": register}


def test_nothing_before_the_review(tmp_path):
    assert cycle_inputs(SimpleNamespace(data_dir=tmp_path, corrections_file=None), []) == \
        {"corrections": None, "review_files": [], "objections": None}

"""One snapshot of an input file (toolkit.ingest.snapshot): the bytes hashed are the
bytes parsed, and a file that changes while it is read is exit 2 naming it."""

from __future__ import annotations

import builtins
import hashlib
import os

import pytest

from toolkit.exceptions import FileChangedError, UnreadableFileError
from toolkit.ingest import snapshot
from toolkit.ingest.table import read_table


def test_a_snapshot_holds_the_bytes_it_hashed(tmp_path):
    p = tmp_path / "targets.csv"
    p.write_bytes(b"unit,target\nU001,100\n")
    snap = snapshot.take(p)
    assert snap.data == p.read_bytes() and snap.stream().read() == snap.data
    assert snap.sha256 == hashlib.sha256(snap.data).hexdigest() and snap.size == len(snap.data)
    assert snapshot.take(p, keep=False).sha256 == snap.sha256


def _writer_during_read(monkeypatch, how):
    """``open`` in the snapshot module, rewriting the file (``how``) as soon as it is read."""
    real = builtins.open

    class Racing:
        def __init__(self, f, path):
            self.f, self.path, self.done = f, path, False

        def read(self, *a):
            out = self.f.read(*a)
            if not self.done:
                self.done = True
                how(self.path)
            return out

        def fileno(self):
            return self.f.fileno()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    monkeypatch.setattr(snapshot, "open", lambda path, mode="r": Racing(real(path, mode), path),
                        raising=False)


def _in_place(path):
    with open(path, "ab") as f:  # Excel, pandas and openpyxl write over the same file
        f.write(b"U002,50\n")


def _replaced(path):
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as f:  # toolkit intake, an editor: a new file renamed over it
        f.write(b"unit,target\nU001,999\n")
    os.replace(tmp, path)


@pytest.mark.parametrize("how", [_in_place, _replaced], ids=["rewritten in place", "replaced"])
@pytest.mark.parametrize("keep", [True, False], ids=["held", "hashed only"])
def test_a_file_that_changes_while_it_is_read_is_exit_2_naming_it(tmp_path, monkeypatch, how, keep):
    p = tmp_path / "应培人数.csv"
    p.write_bytes(b"unit,target\nU001,100\n")
    _writer_during_read(monkeypatch, how)
    with pytest.raises(FileChangedError) as err:
        snapshot.take(p, keep=keep)
    assert err.value.exit_code == 2 and err.value.file == str(p)


def test_a_file_that_no_longer_hashes_as_recorded_is_refused(tmp_path):
    p = tmp_path / "targets.csv"
    p.write_bytes(b"unit,target\nU001,100\n")
    recorded = snapshot.take(p).sha256
    p.write_bytes(b"unit,target\nU001,999\n")
    with pytest.raises(FileChangedError):
        snapshot.take(p, expected=recorded)


def test_a_file_that_cannot_be_read_is_unreadable_naming_it(tmp_path):
    with pytest.raises(UnreadableFileError) as err:
        snapshot.take(tmp_path / "gone.csv")
    assert err.value.exit_code == 2 and err.value.file.endswith("gone.csv")


def test_a_table_is_parsed_from_its_snapshot_not_from_the_file(tmp_path):
    p = tmp_path / "targets.csv"
    p.write_bytes(b"unit,target\nU001,100\n")
    snap = snapshot.take(p)
    p.write_bytes(b"unit,target\nU001,999\n")  # rewritten after the hash
    raw = read_table(snap, "targets")
    assert raw.data["target"].tolist() == ["100"] and raw.sha256 == snap.sha256


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".parquet", ".csv"])
def test_every_format_is_parsed_from_the_bytes_held(tmp_path, suffix):
    from ingest_helpers import write_table

    p = write_table(tmp_path / f"targets{suffix}", [["unit", "target"], ["U001", "100"]])
    snap = snapshot.take(p)
    p.unlink()  # nothing opens the file again
    assert read_table(snap, "targets").data["target"].tolist() == ["100"]


def test_year_files_read_a_file_beyond_the_budget_again_and_check_its_hash(tmp_path, monkeypatch):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(b"x" * 10)
    b.write_bytes(b"y" * 10)
    monkeypatch.setattr(snapshot, "KEEP_BYTES", 15)
    files = snapshot.YearFiles({"a": a, "b": b})
    files.hash(["a", "b"])
    assert files.snapshot("a").data == b"x" * 10  # held from its hashing
    b.write_bytes(b"z" * 10)  # not held, and changed since its hash
    with pytest.raises(FileChangedError) as err:
        files.snapshot("b")
    assert err.value.file == str(b)


def test_a_file_read_in_batches_is_checked_after_its_reading(tmp_path):
    p = tmp_path / "big.csv"
    p.write_bytes(b"unit,target\nU001,100\n")
    files = snapshot.YearFiles({"t": p}, unheld={"t"})
    files.hash(["t"])
    files.check_unchanged("t")  # nothing changed
    p.write_bytes(b"unit,target\nU001,100\nU002,5\n")
    with pytest.raises(FileChangedError):
        files.check_unchanged("t")

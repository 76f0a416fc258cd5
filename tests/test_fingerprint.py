"""Content fingerprints (toolkit.fingerprint): a file's SHA-256, and one over named files."""

from __future__ import annotations

import hashlib

from toolkit.fingerprint import file_sha256, files_sha256


def test_a_files_hash_is_the_sha256_of_its_bytes(tmp_path):
    p = tmp_path / "a.bin"
    p.write_bytes(b"x" * (3 << 20) + b"tail")  # several blocks
    assert file_sha256(p) == hashlib.sha256(p.read_bytes()).hexdigest()


def test_a_renamed_changed_or_added_file_changes_the_set_hash(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n")
    b.write_text("y = 2\n")
    base = files_sha256([("pkg/a.py", a), ("pkg/b.py", b)])
    assert base == files_sha256([("pkg/a.py", a), ("pkg/b.py", b)])
    assert base != files_sha256([("pkg/c.py", a), ("pkg/b.py", b)])  # renamed
    assert base != files_sha256([("pkg/a.py", a)])  # removed
    b.write_text("y = 3\n")
    assert base != files_sha256([("pkg/a.py", a), ("pkg/b.py", b)])  # changed

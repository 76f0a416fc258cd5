"""Content fingerprints: the SHA-256 of a file, and of a set of named files (the code a
store partition or a run depends on). Plain hashing: callers that read a user's file
hash the bytes they read instead (``toolkit.ingest.snapshot``: the bytes hashed are the bytes parsed)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read in blocks of 1 MiB."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def files_sha256(named: Iterable[tuple[str, Path]]) -> str:
    """One SHA-256 over ``(name, file)`` pairs in the order given: each name, then the
    digest of its file's bytes. A renamed, added, removed or changed file changes it."""
    h = hashlib.sha256()
    for name, path in named:
        h.update(name.encode())
        h.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return h.hexdigest()

"""One snapshot of an input file: its bytes read once, hashed, and parsed from those
very bytes, so that what a run evaluates is what it records (``manifest.json``, the
clean store's key, ``evaluation.json``).

Every input of a run comes through here: the exports (``ingest.table.read_rows``), the
rules file, the corrections file, the reviewers' copies; a new input (a roster, a
register) calls :func:`take` and parses ``snap.stream()`` (or ``snap.data``), records
``snap.sha256``, and joins the year's list of inputs (``ingest.find.year_inputs``).

:func:`take` reads the file through one open descriptor and compares the file before
and after the read (device, inode, size, modification and change times) and the path
with the descriptor: a file rewritten, truncated or replaced while it is read is a
:class:`~toolkit.exceptions.FileChangedError` naming it (exit 2), never half of one
version and half of another. Given the hash the run recorded earlier (``expected``),
a file that changed since is the same error.

A file too big to hold (a big CSV read in batches, ``ingest.stream``) is not held:
:class:`YearFiles` keeps its :func:`identity` from before it was hashed, and
:meth:`YearFiles.check_unchanged` compares it once the file has been read, so a change
anywhere between the hash and the end of the reading is detected.
"""

from __future__ import annotations

import hashlib
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from toolkit.exceptions import FileChangedError
from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_
from toolkit.ingest.boundary import reading

BLOCK = 1 << 20
#: the bytes of a year's files kept from their hashing to their parsing; a file beyond
#: the budget is read again when it is parsed (and must hash the same)
KEEP_BYTES = 256 * 2**20
_HINT = N_("wait until the program writing it (toolkit intake, Excel, a copy) has finished, "
         "then run again")


def identity(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is written or replaced: device, inode, size,
    modification and change time (ns); None when it cannot be read."""
    try:
        return _identity(os.stat(path))
    except OSError:
        return None


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes as read once (``data``; None when only hashed), their SHA-256 and
    the file's :func:`identity` while they were read. ``path`` names the file in
    messages and records."""

    path: Path
    sha256: str
    size: int
    ident: tuple[int, ...]
    data: bytes | None = None

    def stream(self) -> io.BytesIO:
        """The bytes as a file object, for a parser that wants one (openpyxl, calamine)."""
        if self.data is None:
            raise ValueError(f"the snapshot of {self.path} holds no bytes")
        return io.BytesIO(self.data)


def changed(path: Path, how: str) -> FileChangedError:
    """The error for a file that changed while the run read it."""
    return FileChangedError(_("the file {how}; what was read is not one version of it, so it is not used").format(how=how), file=path, hint=_(_HINT))


def take(path: Path, *, expected: str | None = None, keep: bool = True) -> Snapshot:
    """The snapshot of ``path`` (its bytes kept unless ``keep`` is false). A file that
    changes while it is read, or whose hash is not ``expected``, is a FileChangedError;
    a file that cannot be read, an UnreadableFileError naming it."""
    path = Path(path)
    with reading(path):
        with open(path, "rb") as f:
            before = _identity(os.fstat(f.fileno()))
            h = hashlib.sha256()
            if keep:
                data = f.read()
                h.update(data)
                size = len(data)
            else:
                data, size = None, 0
                for block in iter(lambda: f.read(BLOCK), b""):
                    h.update(block)
                    size += len(block)
            after = _identity(os.fstat(f.fileno()))
        now = identity(path)
    if after != before or size != before[2]:
        raise changed(path, "changed while it was being read")
    if now != before:
        raise changed(path, "was replaced or rewritten while it was being read")
    digest = h.hexdigest()
    if expected is not None and digest != expected:
        raise changed(path, "changed between its hashing and its reading")
    return Snapshot(path, digest, size, before, data)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file read once (see :func:`take`), its bytes not kept."""
    return take(path, keep=False).sha256


class YearFiles:
    """The snapshots of a year's files (``found``: table -> path). The files' identities
    are taken first (:meth:`check_unchanged` compares with them); :meth:`hash` reads
    and hashes files, keeping the bytes of those not in ``unheld`` within
    :data:`KEEP_BYTES`; :meth:`snapshot` hands a table's snapshot to its reader."""

    def __init__(self, found: dict[str, Path], unheld: set[str] = frozenset()):
        self.found = dict(found)
        self.unheld = set(unheld)
        self.before = {t: identity(p) for t, p in self.found.items()}
        self.sha256: dict[str, str] = {}
        self.hashed: set[str] = set()  # hashed from their bytes in this run
        self._kept: dict[str, Snapshot] = {}

    def hash(self, tables: list[str], threads: int = 2) -> dict[str, str]:
        """Hash ``tables`` (two threads: hashlib and file reads release the GIL); their
        hashes (also in ``self.sha256``)."""
        budget = KEEP_BYTES - sum(s.size for s in self._kept.values())
        plan = []
        for t in tables:
            size = (self.before.get(t) or (0, 0, 0))[2]
            keep = t not in self.unheld and size <= budget
            budget -= size if keep else 0
            plan.append((t, keep))
        with ThreadPoolExecutor(max_workers=threads) as pool:
            snaps = list(pool.map(lambda tk: take(self.found[tk[0]], keep=tk[1]), plan))
        for (t, keep), snap in zip(plan, snaps, strict=True):
            if snap.ident != self.before[t]:
                raise changed(snap.path, "changed while the year's files were being hashed")
            self.sha256[t] = snap.sha256
            self.hashed.add(t)
            if keep:
                self._kept[t] = snap
        return {t: self.sha256[t] for t, _ in plan}

    def vouch(self, hashes: dict[str, str]) -> None:
        """Hashes known without reading (the store's record of an unchanged file)."""
        self.sha256.update(hashes)

    def snapshot(self, table: str) -> Snapshot:
        """The table's snapshot, its bytes held (let go here): the one hashed, or the
        file read again, which must hash as it did."""
        snap = self._kept.pop(table, None)
        if snap is not None:
            return snap
        return take(self.found[table], expected=self.sha256.get(table))

    def check_unchanged(self, table: str) -> None:
        """A FileChangedError when the table's file is not the one it was before it
        was hashed (for a file read in batches, after its last reading)."""
        if identity(self.found[table]) != self.before.get(table):
            raise changed(self.found[table], "changed while it was being read")

    def drop(self) -> None:
        """Let go of the bytes held (a store hit: nothing is parsed)."""
        self._kept.clear()

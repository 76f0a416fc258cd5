"""The cleaned year: what ``clean.load_year`` returns and ``evaluate`` consumes.

See docs/architecture.md for the columns of each clean table.
"""

from __future__ import annotations

import io
import os
import threading
import weakref
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.clean.ledger_table import YearView, ledger_frame


@dataclass
class InputFile:
    """One input file as read: for the ledger and the manifest."""

    table: str
    path: Path
    sha256: str
    sheet: str | None = None
    encoding: str | None = None
    header_row: int | None = None  # 1-based, as the user sees it


class LazyTables(MutableMapping):
    """Tables by name, each read from its Parquet file on first use (a year served by
    the store, ``toolkit.clean.store``): a warm year costs only what is asked for.

    ``file(name)`` is the file of a table that nobody has taken as a frame yet: the
    metric engines read it directly (a frame that was handed out may have been
    changed, so from then on the frame is used). Setting a table replaces its file.
    """

    def __init__(self, loaders: dict[str, Callable], files: dict[str, Path], *,
                 hold: bool = False):
        self._names = list(loaders)
        self._loaders = dict(loaders)
        self._files = dict(files)
        self._frames: dict[str, pd.DataFrame] = {}
        self._lock = threading.Lock()  # an evaluation reads tables from two threads
        # with ``hold``, each file is kept open until it is read, so that it can be read
        # even once another write of the store has removed it (POSIX keeps an open file)
        self._held: dict[str, int] = {}
        self._finalizer = None
        if hold:
            for name, path in self._files.items():
                self._held[name] = os.open(path, os.O_RDONLY)
            self._finalizer = weakref.finalize(self, _close, self._held)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            with self._lock:
                if name not in self._frames:  # not read by another thread meanwhile
                    if name not in self._loaders:
                        raise KeyError(name)
                    self._frames[name] = self._loaders[name](self._source(name))
                    self._files.pop(name, None)
                    self._release(name)
        return self._frames[name]

    def __setitem__(self, name: str, df: pd.DataFrame) -> None:
        if name not in self._names:
            self._names.append(name)
        self._frames[name] = df
        self._loaders.pop(name, None)
        self._files.pop(name, None)
        self._release(name)

    def __delitem__(self, name: str) -> None:
        if name not in self._names:
            raise KeyError(name)
        self._names.remove(name)
        for d in (self._frames, self._loaders, self._files):
            d.pop(name, None)
        self._release(name)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def add_file(self, name: str, path: Path, loader: Callable) -> None:
        """``name`` served from its file from now on (held open), its frame let go."""
        if name not in self._names:
            self._names.append(name)
        self._frames.pop(name, None)
        self._release(name)
        self._loaders[name], self._files[name] = loader, Path(path)
        self._held[name] = os.open(path, os.O_RDONLY)
        if self._finalizer is None:
            self._finalizer = weakref.finalize(self, _close, self._held)

    def file(self, name: str) -> Path | None:
        """The Parquet file of ``name`` while it has not been read as a frame and is
        still there, else None (the frame is then read from the file held open)."""
        path = self._files.get(name)
        return path if path is not None and (name not in self._held or path.exists()) \
            else None

    def _release(self, name: str) -> None:
        """The file of ``name`` no longer held open."""
        if name in self._held:
            _close({name: self._held.pop(name)})

    def _source(self, name: str):
        """What the loader reads: the file's path, or the file held open once another
        write of the store has removed it."""
        path = self._files.get(name)
        if name in self._held and (path is None or not path.exists()):
            return io.BytesIO(os.pread(self._held[name], os.fstat(self._held[name]).st_size, 0))
        return path


def _close(fds: dict[str, int]) -> None:
    for fd in list(fds.values()):
        try:
            os.close(fd)
        except OSError:
            pass
    fds.clear()


@dataclass(repr=False)
class YearData(YearView):
    year: int
    data_dir: Path
    period_start: pd.Timestamp  # tz-naive, Beijing time, inclusive
    period_end: pd.Timestamp  # tz-naive, Beijing time, inclusive
    tables: MutableMapping[str, pd.DataFrame] = field(default_factory=dict)
    excluded: MutableMapping[str, pd.DataFrame] = field(default_factory=dict)
    quarantine: pd.DataFrame = field(default_factory=pd.DataFrame)
    ledger: list[dict] = field(default_factory=list)
    files: list[InputFile] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)
    from_cache: bool = False
    #: the corrections applied (``更正.xlsx``; toolkit.clean.corrections), one dict each
    corrections: list[dict] = field(default_factory=list)
    #: the corrections file as read: ``{"path" (in the data folder), "sha256", "bytes"}``
    corrections_file: dict | None = None
    province: str | None = None  # the store partition (toolkit.clean.store)
    #: the rules file whose period the year was read in (``Period.rules_path``); None
    #: without rules (``evaluate(year_data)`` evaluates against this file's rules)
    rules_file: str | None = None

    def has(self, table: str) -> bool:
        return table in self.tables

    def source(self, table: str) -> pd.DataFrame | Path | None:
        """``table`` as a metric engine takes it: its Parquet file in the store while
        nobody has read it as a frame (a warm year), else the frame; None when absent."""
        if isinstance(self.tables, LazyTables) and self.tables.file(table) is not None:
            return self.tables.file(table)
        return self.tables.get(table)

    def unit_names(self) -> dict[str, str]:
        units = self.tables.get("units")
        if units is None or units.empty:
            return {}
        # tolist: iterating an Arrow-backed text column item by item is ten times slower
        return dict(zip(units["unit_id"].tolist(), units["unit_name"].tolist(), strict=False))

    def ledger_frame(self) -> pd.DataFrame:
        """The ledger as a frame: a row per file read, its rows read and used, how many
        were excluded and quarantined, and why (codes; ``year.table()`` shows labels)."""
        return ledger_frame(self.ledger)

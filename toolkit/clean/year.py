"""A year cleaned: ``load_year`` (the stage's entry point, with the clean store) and
``build_year``, which reads the tables ahead of their cleaning in background threads
and cleans them in contract order (see ``toolkit.clean.table`` for a row's fate)."""

from __future__ import annotations

import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from toolkit import paths
from toolkit.clean import store
from toolkit.clean.ledger import Work
from toolkit.clean.model import InputFile, YearData
from toolkit.clean.period import Period, resolve_period
from toolkit.clean.schema import empty_quarantine
from toolkit.clean.table import clean_table
from toolkit.clean.units import UnitRegistry, clean_units
from toolkit.ingest import contract
from toolkit.ingest.find import find_files, sha256_file
from toolkit.ingest.table import RawTable, read_table

log = logging.getLogger(__name__)


def _progress(items, enabled: bool, desc: str):
    if enabled and sys.stderr.isatty():
        return tqdm(items, desc=desc, unit="file", file=sys.stderr)
    return items


def load_year(year: int, data_dir=None, *, rules=None, use_cache: bool = True,
              progress: bool = False, follow_links: bool = False,
              province: str | None = None) -> YearData:
    """Read and clean a year's input folder (default ``data/<year>``).

    ``rules`` is a rules object (with ``period_start``/``period_end``) or a rules file
    path; without it ``rules/<year>.yaml`` is used when present, else the calendar
    year. With ``use_cache`` an unchanged folder is served from the clean store
    (``toolkit.clean.store``; its tables are then read on first use); the store's
    partition (year, ``province``) is (re)written either way. ``province`` defaults to
    the folder's ``province.txt``, else ``hunan``. A file that is a symbolic link out
    of the folder stops the run unless ``follow_links``.
    """
    d = paths.data_dir(year, data_dir)
    period = resolve_period(year, rules)
    found = find_files(d, follow_links=follow_links)
    province = store.province_of(d, province)
    stats = {t: store.file_stat(p) for t, p in found.items()}  # before hashing
    # an unchanged file's hash is the store's (without use_cache every file is read afresh)
    meta = store.read_meta(store.store_dir(), year, province) if use_cache else None
    hashes = store.known_hashes(meta, found, stats)
    todo = [t for t in found if t not in hashes]
    # two threads: hashlib releases the GIL, and the files of a province year are ~240 MB
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes.update(zip(todo, pool.map(sha256_file, [found[t] for t in todo]), strict=True))
    key = store.store_key(year, period, found, hashes)
    if use_cache:
        yd = store.open_partition(year, province, key)
        if yd is not None:
            yd.data_dir = d
            log.info("clean store hit for %d/%s (%s)", year, province, key[:12])
            return yd
    yd = build_year(year, d, period, found, hashes, progress=progress)
    yd.province = province
    try:
        store.write(yd, key, province, stats=stats)
    except (OSError, ValueError) as exc:  # a read-only store must not stop a run
        log.warning("could not write the clean store: %s", exc)
    return yd


def build_year(year: int, d: Path, period: Period, found: dict[str, Path],
               hashes: dict[str, str], *, progress: bool = False) -> YearData:
    """The year cleaned from its files (``found``: table -> path, ``hashes``: table ->
    SHA-256), without the cache."""
    yd = YearData(year=year, data_dir=d, period_start=period.start, period_end=period.end)
    order = [t for t in contract.TABLES if t in found]
    works: dict[str, Work] = {}
    reg = UnitRegistry()
    quarantines = []
    reads = _prefetch(order, found)
    try:
        for table in _progress(order, progress, f"reading {year}"):
            raw = reads[table].result()
            raw.sha256 = hashes[table]
            reg = _build_table(yd, table, raw, reg, period, works, quarantines)
    finally:
        _cancel(reads)
    nonempty = [q for q in quarantines if len(q)]
    yd.quarantine = pd.concat(nonempty, ignore_index=True) if nonempty else empty_quarantine()
    yd.missing_tables = [t for t, spec in contract.TABLES.items()
                         if not spec.required and t not in found]
    return yd


# Tables are read ahead of their cleaning, in two threads: the costliest file from the
# start (a million-row workbook takes seconds in fastexcel, which releases the GIL), the
# others in contract order, so reading overlaps the cleaning of the tables before.
READ_AHEAD_THREADS = 2
# Reading a byte of a workbook (compressed XML) costs about this many bytes of CSV.
WORKBOOK_READ_COST = 8


def _prefetch(order: list[str], found: dict[str, Path]) -> dict:
    def cost(t: str) -> int:
        try:
            size = found[t].stat().st_size
        except OSError:
            return 0
        return size * (1 if found[t].suffix.lower() == ".csv" else WORKBOOK_READ_COST)

    biggest = max(order, key=cost) if order else None
    pool = ThreadPoolExecutor(max_workers=READ_AHEAD_THREADS, thread_name_prefix="toolkit-read")
    reads = {}
    for t in ([biggest] if biggest else []) + [t for t in order if t != biggest]:
        reads[t] = pool.submit(read_table, found[t], t)
    pool.shutdown(wait=False)  # the threads end when the last read is done
    return reads


def _cancel(reads: dict) -> None:
    """After an error: reads not yet started are dropped (a running one finishes in
    the background and is discarded)."""
    for f in reads.values():
        f.cancel()


def _build_table(yd: YearData, table: str, raw: RawTable, reg: UnitRegistry, period: Period,
                 works: dict, quarantines: list) -> UnitRegistry:
    """Clean one table into ``yd``; returns the unit registry (built by the units table)."""
    if table == "units":
        w = Work(raw)
        reg = clean_units(w)
    else:
        w = clean_table(raw, reg, period, works)
    works[table] = w
    yd.tables[table] = w.frame(w.alive, excluded=False)
    yd.excluded[table] = w.frame(w.excluded, excluded=True)
    quarantines.append(w.quarantine_frame())
    yd.ledger.append(w.ledger())
    yd.files.append(InputFile(table=table, path=raw.path, sha256=raw.sha256, sheet=raw.sheet,
                              encoding=raw.encoding, header_row=raw.header_row))
    log.debug("%s: %s", raw.path.name, yd.ledger[-1])
    return reg


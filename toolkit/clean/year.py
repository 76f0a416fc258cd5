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
from toolkit.clean.batched import clean_batches
from toolkit.clean.corrections import add_aliases, apply_corrections, read_corrections
from toolkit.clean.ledger import Cleaned, Work
from toolkit.clean.model import InputFile, LazyTables, YearData
from toolkit.clean.period import Period
from toolkit.clean.refunds import PAYMENTS_OF_REFUNDS, PaymentOrders
from toolkit.clean.schema import empty_quarantine
from toolkit.clean.table import clean_table
from toolkit.clean.units import UnitRegistry, clean_units
from toolkit.i18n import gettext as _
from toolkit.ingest import contract
from toolkit.ingest.find import corrections_file, find_files
from toolkit.ingest.snapshot import YearFiles, take
from toolkit.ingest.stream import NotStreamable, streams
from toolkit.ingest.table import RawTable, read_table

log = logging.getLogger(__name__)


def _progress(items, enabled: bool, desc: str):
    if enabled and sys.stderr.isatty():
        return tqdm(items, desc=desc, unit=_("file"), file=sys.stderr)
    return items


def load_year(year: int, data_dir=None, *, period: Period | None = None, use_cache: bool = True,
              progress: bool = False, follow_links: bool = False,
              province: str | None = None) -> YearData:
    """Read and clean a year's input folder (default ``data/<year>``) in ``period``.

    ``period`` is what the cleaning takes from the year's rules: the caller resolves
    them and passes ``Period.of(rules)`` (``toolkit.open_year`` does, for the analyst).
    Without it the period is the calendar year and no nomination names an award (each
    is quarantined). With ``use_cache`` an unchanged folder is served from the clean store
    (``toolkit.clean.store``; its tables are then read on first use); the store's
    partition (year, ``province``) is (re)written either way. ``province`` defaults to
    the folder's ``province.txt``, else ``hunan``. A file that is a symbolic link out
    of the folder stops the run unless ``follow_links``.

    The corrections file (``更正.xlsx``, :mod:`toolkit.clean.corrections`) is read and
    checked first; its aliases take part in the build (its hash is in the store key),
    its other corrections are applied after the build or the store, and the trail is
    ``YearData.corrections``.

    Every file is parsed from the bytes that were hashed (``ingest.snapshot``): the
    store key, ``YearData.files`` and the manifest name the version evaluated, and a
    file that changes while it is read is a FileChangedError naming it (exit 2).
    """
    d = paths.data_dir(year, data_dir)
    if period is None:
        log.info(_("no period given: the calendar year %d, and no nomination names an award"), year)
        period = Period.calendar(year)
    found = find_files(d, follow_links=follow_links)
    province = store.province_of(d, province)
    stats = {t: store.file_stat(p) for t, p in found.items()}  # before hashing
    # an unchanged file's hash is the store's (without use_cache every file is read afresh)
    meta = store.read_meta(store.store_dir(), year, province) if use_cache else None
    hashes = store.known_hashes(meta, found, stats)
    # a big CSV is read in batches, never held; the other files' bytes are kept from
    # their hashing to their parsing
    files = YearFiles(found, unheld={t for t in found if streams(found[t])})
    files.vouch(hashes)
    hashes.update(files.hash([t for t in found if t not in hashes]))
    cfile = corrections_file(d)
    csnap = take(cfile) if cfile is not None else None
    corrections = read_corrections(cfile, d, snapshot=csnap) if csnap is not None else []
    key = _key(year, period, found, hashes, csnap)
    yd = store.open_partition(year, province, key) if use_cache else None
    if yd is not None:
        files.drop()
        yd.data_dir = d
        log.debug("clean store hit for %d/%s (%s)", year, province, key[:12])
    else:
        # what is parsed is hashed in this run: a hash the store vouched for by the
        # file's size and time is taken again from the bytes read (a big CSV's is
        # checked by its identity after its reading)
        again = [t for t in found if t not in files.unheld and t not in files.hashed]
        if again:
            hashes.update(files.hash(again))
            key = _key(year, period, found, hashes, csnap)
        yd = build_year(year, d, period, found, hashes, progress=progress, corrections=corrections,
                        spill=_spiller(year, province, key), files=files)
        yd.province = province
        try:
            store.write(yd, key, province, stats=stats)
        except (OSError, ValueError) as exc:  # a read-only store must not stop a run
            log.warning(_("could not write the clean store: %s"), exc)
        else:
            _serve_from_store(yd, key)
    yd.rules_file = period.rules_path
    if corrections:
        yd.corrections = apply_corrections(yd, corrections)
    yd.corrections_file = None if csnap is None else {
        "path": cfile.relative_to(d).as_posix(), "sha256": csnap.sha256, "bytes": csnap.size}
    return yd


def _key(year: int, period: Period, found: dict[str, Path], hashes: dict[str, str], corrections) -> str:
    """The store key: the hashes of the files as read, the corrections file's among them."""
    keyed, keyed_hashes = dict(found), dict(hashes)
    if corrections is not None:
        keyed["corrections"], keyed_hashes["corrections"] = corrections.path, corrections.sha256
    return store.store_key(year, period, keyed, keyed_hashes)


def _spiller(year: int, province: str, key: str):
    """How ``build_year`` writes a big table to the store as soon as it is clean (None
    when the store cannot be written: the table is then kept as a frame)."""
    def spill(kind: str, name: str, frame: pd.DataFrame) -> Path | None:
        try:
            return store.spill(frame, kind, name, year, province, key)
        except (OSError, ValueError) as exc:
            log.warning(_("could not write the clean store: %s"), exc)
            return None
    return spill


def _serve_from_store(yd: YearData, key: str) -> None:
    """The year's tables let go for their files in the store, read again on first use
    as a warm year's are: the figures are computed by DuckDB reading those files, and
    a province-size table is not kept twice (a frame, and its Arrow copy for the
    query)."""
    stored = store.open_partition(yd.year, yd.province, key)
    if stored is not None:
        yd.tables, yd.excluded = stored.tables, stored.excluded


def build_year(year: int, d: Path, period: Period, found: dict[str, Path],
               hashes: dict[str, str], *, progress: bool = False, corrections=(),
               spill=None, files: YearFiles | None = None) -> YearData:
    """The year cleaned from its files (``found``: table -> path, ``hashes``: table ->
    SHA-256), without the cache; the alias ``corrections`` join the unit registry
    before the other tables' units are resolved. ``spill(kind, table, frame)``, when
    given, writes a big table's clean or excluded rows somewhere as soon as they are
    clean and returns the file (``store.spill``), which then serves it. ``files``
    holds the snapshots ``hashes`` were taken from (``ingest.snapshot``): each file is
    parsed from them, a file read again must hash the same and a file read in batches
    must be unchanged since (else FileChangedError); without it, each file is parsed
    from a snapshot taken as it is read."""
    if files is None:  # each file hashed as it is read
        files = YearFiles(found, unheld={t for t in found if streams(found[t])})
    yd = YearData(year=year, data_dir=d, period_start=period.start, period_end=period.end,
                  tables=LazyTables({}, {}), excluded=LazyTables({}, {}))
    order = [t for t in contract.TABLES if t in found]
    orders: dict[str, PaymentOrders] = {}  # payments table -> what its refunds need
    reg = UnitRegistry()
    quarantines = []
    # a big CSV is read in batches as it is cleaned; the other files are read ahead
    streamed = {t for t in order if t != "units" and streams(found[t])}
    reads = ReadAhead([t for t in order if t not in streamed], found, files)
    spills = Spills(yd, spill)
    try:
        for table in _progress(order, progress, _("reading {year}").format(year=year)):
            cleaned = _clean_streamed(found[table], table, reg, period, orders) \
                if table in streamed else None
            if cleaned is None:  # parsed from its snapshot (the bytes hashed)
                cleaned, reg = _clean_whole(reads.take(table), reg, period, orders)
            else:  # read in batches: still the file it was before it was hashed
                files.check_unchanged(table)
            _add(yd, cleaned, hashes[table], quarantines)
            if spill is not None and table in streamed:
                spills.submit(table)
            spills.collect()
            if table == "units":
                add_aliases(reg, list(corrections), d)
            # a payments table's orders are kept until its refunds are matched
            if table in PAYMENTS_OF_REFUNDS.values():
                orders[table] = cleaned.orders
            if table in PAYMENTS_OF_REFUNDS:
                orders.pop(PAYMENTS_OF_REFUNDS[table], None)
            del cleaned
            reads.fill()
        spills.collect(wait=True)
    finally:
        reads.cancel()
        spills.close()
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
# At most this many (CSV-equivalent) bytes of files read ahead and not yet cleaned: a
# raw table in memory is a few times its file, so a year several times a province's
# reads its biggest files one after the other (a province year, up to ~3x, reads all
# at once as before).
READ_AHEAD_BYTES = 768 * 2**20


class ReadAhead:
    """The tables' reads, ahead of their cleaning, within :data:`READ_AHEAD_BYTES`
    (always at least one read in flight). Errors surface when a table is taken."""

    def __init__(self, order: list[str], found: dict[str, Path], files: YearFiles):
        self.found, self.files = found, files
        self.cost = {t: _read_cost(found[t]) for t in found}
        biggest = max(order, key=self.cost.__getitem__) if order else None
        self.queue = ([biggest] if biggest else []) + [t for t in order if t != biggest]
        self.pool = ThreadPoolExecutor(max_workers=READ_AHEAD_THREADS,
                                       thread_name_prefix="toolkit-read")
        self.reads: dict = {}
        self.fill()

    def _submit(self, table: str) -> None:
        self.queue.remove(table)
        self.reads[table] = self.pool.submit(self._read, table)

    def _read(self, table: str) -> RawTable:
        return read_table(self.files.snapshot(table), table)

    def fill(self) -> None:
        """Start reads while the bytes read ahead stay within the budget."""
        while self.queue:
            ahead = sum(self.cost[t] for t in self.reads)
            if self.reads and ahead + self.cost[self.queue[0]] > READ_AHEAD_BYTES:
                break
            self._submit(self.queue[0])
        if not self.queue:
            self.pool.shutdown(wait=False)  # the threads end when the last read is done

    def take(self, table: str):
        """The raw table (read now, in this thread, if it was not read ahead: a big
        CSV that could not be read in batches)."""
        if table not in self.reads:
            if table in self.queue:
                self.queue.remove(table)
            return self._read(table)
        return self.reads.pop(table).result()

    def cancel(self) -> None:
        """After an error: reads not yet started are dropped (a running one finishes in
        the background and is discarded)."""
        for f in self.reads.values():
            f.cancel()
        self.queue.clear()
        self.pool.shutdown(wait=False)


def _read_cost(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return size * (1 if path.suffix.lower() == ".csv" else WORKBOOK_READ_COST)


class Spills:
    """Big tables written by ``spill`` in a thread while the next ones are cleaned
    (pyarrow encodes and compresses without the GIL), each served from its file once
    written (its frame then let go)."""

    def __init__(self, yd: YearData, spill):
        self.yd, self.spill = yd, spill
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="toolkit-spill") \
            if spill is not None else None
        self.pending: list = []

    def submit(self, table: str) -> None:
        for kind, tables in (("tables", self.yd.tables), ("excluded", self.yd.excluded)):
            frame = tables[table]
            self.pending.append((kind, table, self.pool.submit(self.spill, kind, table, frame)))

    def collect(self, wait: bool = False) -> None:
        """The written tables served from their files (all of them with ``wait``)."""
        left = []
        for kind, table, future in self.pending:
            if not (wait or future.done()):
                left.append((kind, table, future))
                continue
            path = future.result()
            if path is not None:
                tables = self.yd.tables if kind == "tables" else self.yd.excluded
                tables.add_file(table, path, store.loader_of(kind, table))
        self.pending = left

    def close(self) -> None:
        """After the last table, or an error: the writes under way finish (a file left
        by an error is an older key's to the next write of the store)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)


def _clean_streamed(path: Path, table: str, reg: UnitRegistry, period: Period,
                    orders: dict) -> Cleaned | None:
    """A big CSV cleaned batch by batch, or None when it must be read whole."""
    try:
        return clean_batches(path, table, reg, period, orders)
    except NotStreamable as why:
        log.debug("%s: read whole (%s)", path.name, why)
        return None


def _clean_whole(raw: RawTable, reg: UnitRegistry, period: Period,
                 orders: dict) -> tuple[Cleaned, UnitRegistry]:
    """One file cleaned whole; the unit registry (built by the units table)."""
    if raw.table == "units":
        w = Work(raw)
        reg = clean_units(w)
        return w.outcome(), reg
    w = clean_table(raw, reg, period, orders)
    cleaned = w.outcome()
    if raw.table in PAYMENTS_OF_REFUNDS.values():
        rows = w.index.to_numpy(dtype="int64")
        cleaned.orders = PaymentOrders.of_frames(cleaned.clean, cleaned.excluded,
                                                 rows[w.alive], rows[w.excluded])
    return cleaned, reg


def _add(yd: YearData, cleaned: Cleaned, sha256: str, quarantines: list) -> None:
    """One cleaned file into ``yd``."""
    raw = cleaned.raw
    yd.tables[raw.table] = cleaned.clean
    yd.excluded[raw.table] = cleaned.excluded
    quarantines.append(cleaned.quarantine)
    yd.ledger.append(cleaned.ledger)
    yd.files.append(InputFile(table=raw.table, path=raw.path, sha256=sha256, sheet=raw.sheet,
                              encoding=raw.encoding, header_row=raw.header_row))
    log.debug("%s: %s", raw.path.name, cleaned.ledger)

"""A big file cleaned batch by batch (``ingest.stream``), so that memory holds the
clean rows and one batch, not the whole file's text and work (docs/scale.md).

Every rule of the cleaning but two judges a row by itself (``clean.table.row_rules``),
and runs on each batch as it is read. The two whole-table rules come first in a row's
order of judgement (``clean.table``): an exact duplicate of an earlier row, and a key
shared with a different row. They are decided after the last batch, from a 64-bit
hash of each row's mapped cells and of each key, computed per batch by DuckDB (8 bytes
a row). Only rows whose hash repeats can be duplicates or share a key: the file is
read a second time for those rows alone, and the rules of the whole-file cleaning
(``clean.keys``) decide them on their text, so a hash collision costs a comparison,
never a wrong outcome. Their outcome then replaces the row's own (a duplicate is
excluded ``duplicate`` whatever else is wrong with it, as in the whole-file cleaning).

The result is the whole-file cleaning's, row for row: the same clean and excluded
frames, quarantine rows and ledger entry (tests/test_clean_batched.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.clean.keys import conflict_keys, duplicated_rows, row_hashes, shared_keys
from toolkit.clean.ledger import Cleaned, Work, header_only, ledger_entry, table_frame
from toolkit.clean.period import Period
from toolkit.clean.reasons import Exclusion, Quarantine
from toolkit.clean.refunds import PAYMENTS_OF_REFUNDS, PaymentOrders
from toolkit.clean.schema import SCHEMA, conform, empty_quarantine
from toolkit.clean.table import row_rules
from toolkit.clean.units import UnitRegistry
from toolkit.exceptions import UnreadableFileError
from toolkit.ingest import contract
from toolkit.ingest.stream import NotStreamable, raw_batches, records
from toolkit.ingest.table import RawTable
from toolkit.ingest.text import identifier

ALIVE, EXCLUDED, QUARANTINED = 0, 1, 2


@dataclass
class _Part:
    """One batch cleaned by its row rules, before the whole-table rules."""

    rows: np.ndarray  # the rows' numbers in the file
    fate: np.ndarray  # int8: ALIVE, EXCLUDED, QUARANTINED
    x_reason: np.ndarray  # the reason of each excluded row
    quarantine: pd.DataFrame  # the quarantined rows (their raw cells masked already)
    typed: dict[str, pd.Series]  # the clean columns, conformed (nullable), by position
    row_hash: np.ndarray  # uint64 per row, of its mapped cells
    key_hash: dict[str, tuple[np.ndarray, np.ndarray]]  # key -> (uint64 hash, blank)


def clean_batches(path, table: str, reg: UnitRegistry, period: Period,
                  orders: dict[str, PaymentOrders], batch_bytes: int | None = None) -> Cleaned:
    """The file ``path`` of ``table`` cleaned batch by batch (see the module docstring).
    NotStreamable when the file must be read whole (``ingest.stream``)."""
    parts: list[_Part] = []
    head: RawTable | None = None
    for raw in raw_batches(path, table, batch_bytes):
        head = head or header_only(raw)
        w = Work(raw)
        hashes = _hashes(w)
        row_rules(w, reg, period, orders)
        parts.append(_part(w, hashes))
        del w, raw
    n = sum(len(p.rows) for p in parts)
    if head is None or n == 0:
        raise NotStreamable("no data rows")
    rows = np.concatenate([p.rows for p in parts])
    fate = np.concatenate([p.fate for p in parts])
    dup, conflict, conflict_q = _whole_table_rules(path, table, batch_bytes, head, rows, parts)
    final = fate.copy()
    final[dup] = EXCLUDED
    final[conflict] = QUARANTINED
    x_reason = np.full(n, None, dtype=object)
    x_reason[fate == EXCLUDED] = np.concatenate([p.x_reason for p in parts])
    x_reason[dup] = Exclusion.DUPLICATE.value
    excluded = np.flatnonzero(final == EXCLUDED)
    quarantine = _quarantine(parts, rows[dup | conflict], conflict_q)
    alive = np.flatnonzero(final == ALIVE)
    clean, dropped = _split(parts, alive, excluded)
    del parts
    ledger = ledger_entry(head, n, len(alive), x_reason[excluded],
                          quarantine["reason"].to_numpy(dtype=object))
    clean = table_frame(head, clean, rows[alive])
    dropped = table_frame(head, dropped, rows[excluded], x_reasons=x_reason[excluded])
    pay = PaymentOrders.of_frames(clean, dropped, rows[alive], rows[excluded]) \
        if table in PAYMENTS_OF_REFUNDS.values() else None
    return Cleaned(raw=head, clean=clean, excluded=dropped, quarantine=quarantine,
                   ledger=ledger, orders=pay)


def _split(parts: list[_Part], alive: np.ndarray, excluded: np.ndarray):
    """(the used rows' typed columns, the excluded rows'), column by column: each
    batch's column is let go once it is split."""
    clean, dropped = {}, {}
    for name in list(parts[0].typed):
        col = pd.concat([p.typed.pop(name) for p in parts], ignore_index=True)
        clean[name] = col.iloc[alive].reset_index(drop=True)
        dropped[name] = col.iloc[excluded].reset_index(drop=True)
        del col
    return clean, dropped


def _hashes(w: Work) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """(hash of each row's mapped cells, {key: (hash of the key as an identifier,
    blank)})."""
    keys = {}
    for key in conflict_keys(w):
        k = identifier(w.data[key])
        keys[key] = (row_hashes([k]), (k == "").to_numpy(dtype=bool))
    return row_hashes([w.data[c] for c in w.data.columns]), keys


def _part(w: Work, hashes) -> _Part:
    fate = np.full(w.n, ALIVE, dtype=np.int8)
    fate[w.excluded] = EXCLUDED
    fate[w.quarantined] = QUARANTINED
    names = [n for n in SCHEMA[w.raw.table] if n != "row" and n in w.typed]
    frame = pd.DataFrame({n: w.typed[n].reset_index(drop=True) for n in names},
                         index=pd.RangeIndex(w.n))
    typed = conform(frame, w.raw.table, nullable=True)
    return _Part(rows=w.index.to_numpy(dtype="int64"), fate=fate,
                 x_reason=w.x_reason[w.excluded], quarantine=w.quarantine_frame(),
                 typed={n: typed[n] for n in names}, row_hash=hashes[0], key_hash=hashes[1])


def _whole_table_rules(path, table: str, batch_bytes, head: RawTable, rows: np.ndarray,
                       parts: list[_Part]) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(duplicate rows, rows of a shared key, the quarantine rows of the latter), as
    ``clean.keys.duplicates`` decides them, over the rows whose hashes repeat."""
    n = len(rows)
    hashes = np.concatenate([p.row_hash for p in parts])
    dup_candidate = pd.Series(hashes).duplicated(keep=False).to_numpy()
    key_candidate = {}
    for key in parts[0].key_hash:
        h = np.concatenate([p.key_hash[key][0] for p in parts])
        filled = ~np.concatenate([p.key_hash[key][1] for p in parts])
        c = np.zeros(n, dtype=bool)
        c[filled] = pd.Series(h[filled]).duplicated(keep=False).to_numpy()
        key_candidate[key] = c
    need = dup_candidate.copy()
    for c in key_candidate.values():
        need |= c
    dup = np.zeros(n, dtype=bool)
    conflict = np.zeros(n, dtype=bool)
    if not need.any():
        return dup, conflict, empty_quarantine()
    at = np.flatnonzero(need)
    w = Work(_fetch(path, batch_bytes, head, rows[at]))
    if not np.array_equal(row_hashes([w.data[c] for c in w.data.columns]), hashes[at]):
        raise _changed(head)
    in_dup = dup_candidate[at]
    dup_rows = duplicated_rows(w.data[in_dup])
    d = np.zeros(w.n, dtype=bool)
    d[np.flatnonzero(in_dup)] = dup_rows
    w.exclude(d, Exclusion.DUPLICATE)
    for key, candidate_of_key in key_candidate.items():
        k = identifier(w.data[key])
        candidate = (k != "").to_numpy() & w.alive & candidate_of_key[at]
        w.quarantine(candidate & shared_keys(k, candidate), Quarantine.CONFLICTING_KEY, key, values=k)
    dup[at] = w.excluded
    conflict[at] = w.quarantined
    return dup, conflict, w.quarantine_frame()


def _fetch(path, batch_bytes, head: RawTable, wanted: np.ndarray) -> RawTable:
    """The rows numbered ``wanted`` (ascending) read again from the file, all cells."""
    found = []
    _, frames = records(path, batch_bytes, contract.TABLES[head.table], scan=False)
    for frame in frames:
        lo, hi = np.searchsorted(wanted, [frame.index[0], frame.index[-1] + 1]) \
            if len(frame) else (0, 0)
        if hi > lo:
            found.append(frame.iloc[wanted[lo:hi] - frame.index[0]])
        if len(frame) and frame.index[-1] >= wanted[-1]:
            frames.close()
            break
    cells = pd.concat(found) if found else head.cells
    if len(cells) != len(wanted):
        raise _changed(head)
    return dataclasses.replace(head, cells=cells)


def _changed(head: RawTable) -> UnreadableFileError:
    """The error of a file whose second reading differs from its first."""
    return UnreadableFileError("the file changed while it was read", file=head.path,
                               hint="run again once the file is no longer being written")


def _quarantine(parts: list[_Part], replaced: np.ndarray, conflicts: pd.DataFrame) -> pd.DataFrame:
    """The file's quarantine rows in its order: each batch's own, but for the rows the
    whole-table rules decided (``replaced``), and the rows of a shared key."""
    frames = [p.quarantine for p in parts if len(p.quarantine)]
    frames = [f[~np.isin(f["row"].to_numpy(), replaced)] for f in frames] + [conflicts]
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_quarantine()
    return pd.concat(frames, ignore_index=True).sort_values("row", kind="stable") \
        .reset_index(drop=True)

"""Repeated rows and keys: an exact duplicate of an earlier row is excluded (the first
kept); rows sharing a key (order_id, refund_id, complaint_id) but differing elsewhere
are all quarantined ``conflicting_key``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from toolkit.clean.ledger import Work
from toolkit.clean.reasons import Exclusion, Quarantine
from toolkit.database import connection
from toolkit.ingest.text import arrow_strings, as_text, identifier


def duplicates(w: Work) -> None:
    """Exact duplicates excluded (the first kept); rows sharing a key but differing
    elsewhere all quarantined."""
    if w.n == 0:
        return
    w.exclude(duplicated_rows(w.data), Exclusion.DUPLICATE)
    for key in conflict_keys(w):
        k = identifier(w.data[key])
        candidate = (k != "").to_numpy() & w.alive
        w.quarantine(candidate & shared_keys(k, candidate), Quarantine.CONFLICTING_KEY, key, values=k)


def conflict_keys(w: Work) -> list[str]:
    """The key columns of ``w`` whose sharing is a conflict (the units' ids are the
    registry's own check, ``clean.units``)."""
    return [k for k in w.table.key if w.has(k) and w.raw.table != "units"]


def row_hashes(columns: list) -> np.ndarray:
    """One 64-bit hash per row of the text ``columns`` (Series or Arrow arrays of one
    length; NA as ''), by DuckDB: equal rows have equal hashes. The positions come back
    with the hashes (the database does not keep the rows' order)."""
    cols = {f"c{i}": arrow_strings(as_text(c)) if isinstance(c, pd.Series) else c
            for i, c in enumerate(columns)}
    n = len(next(iter(cols.values())))
    cols["i"] = pa.array(np.arange(n, dtype=np.int64))
    con = connection()
    try:
        con.register("rows", pa.table(cols))
        got = con.sql(f"SELECT i, hash({', '.join(list(cols)[:-1])}) AS h FROM rows") \
            .to_arrow_table()
    finally:
        con.close()
    out = np.empty(n, dtype=np.uint64)
    out[got.column("i").to_numpy()] = got.column("h").to_numpy()
    return out


def duplicated_rows(df: pd.DataFrame) -> np.ndarray:
    """Rows equal in every column to an earlier row, as ``DataFrame.duplicated(keep=
    "first")`` of text columns: only rows whose hash (``row_hashes``) repeats can be,
    and those are compared on their text (pyarrow grouping)."""
    n = len(df)
    dup = np.zeros(n, dtype=bool)
    if df.shape[1] == 0 or n < 2:
        return dup
    repeats = pd.Series(row_hashes([df.iloc[:, i] for i in range(df.shape[1])])) \
        .duplicated(keep=False).to_numpy()
    rows = np.flatnonzero(repeats)
    if len(rows) < 2:
        return dup
    sub = pa.array(rows)
    cols = {f"c{i}": arrow_strings(as_text(df.iloc[:, i])).take(sub)
            for i in range(df.shape[1])}
    cols["__row"] = sub
    first = pa.table(cols).group_by([c for c in cols if c != "__row"], use_threads=False) \
        .aggregate([("__row", "min")]).column("__row_min").to_numpy()
    dup[rows] = True
    dup[first] = False
    return dup


def shared_keys(k: pd.Series, candidate: np.ndarray) -> np.ndarray:
    """Where a candidate row's key is also the key of another candidate row; empty and
    missing keys count as one value."""
    out = np.zeros(len(k), dtype=bool)
    at = np.flatnonzero(candidate)
    if len(at) >= 2:
        out[at] = as_text(k).iloc[at].duplicated(keep=False).to_numpy()
    return out

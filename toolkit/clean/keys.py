"""Repeated rows and keys: an exact duplicate of an earlier row is excluded (the first
kept); rows sharing a key (order_id, refund_id, complaint_id) but differing elsewhere
are all quarantined ``conflicting_key``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from toolkit.clean.ledger import Work
from toolkit.ingest.keys import factorize
from toolkit.ingest.text import arrow_strings, as_text, identifier


def duplicates(w: Work) -> None:
    """Exact duplicates excluded (the first kept); rows sharing a key but differing
    elsewhere all quarantined."""
    if w.n == 0:
        return
    dup, first_repeats = duplicated_rows(w.data)
    w.exclude(dup, "duplicate")
    for key in w.table.key:
        if not w.has(key) or w.raw.table == "units":
            continue
        raw = w.data[key]
        k = identifier(raw)
        candidate = (k != "").to_numpy() & w.alive
        if w.data.columns[0] == key and bool((k == raw).all()):
            # the key is the first column, as read: only rows whose value repeats there
            # can share it (the rest need no second hash pass over a million ids)
            candidate &= first_repeats
        w.quarantine(candidate & shared_keys(k, candidate), "conflicting_key", key, values=k)


def duplicated_rows(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(rows equal in every column to an earlier row, as ``DataFrame.duplicated(keep=
    "first")`` of text columns; rows whose first column's value repeats), by pyarrow
    hashing."""
    n = len(df)
    if df.shape[1] == 0 or n < 2:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    # only rows whose first column (an id, mostly) repeats can be duplicates
    repeats = shared_keys(as_text(df.iloc[:, 0]), np.ones(n, dtype=bool))
    rows = np.flatnonzero(repeats)
    dup = np.zeros(n, dtype=bool)
    if len(rows) < 2:
        return dup, repeats
    sub = pa.array(rows)
    cols = {f"c{i}": arrow_strings(as_text(df.iloc[:, i])).take(sub)
            for i in range(df.shape[1])}
    cols["__row"] = sub
    first = pa.table(cols).group_by([c for c in cols if c != "__row"], use_threads=False) \
        .aggregate([("__row", "min")]).column("__row_min").to_numpy()
    dup[rows] = True
    dup[first] = False
    return dup, repeats


def shared_keys(k: pd.Series, candidate: np.ndarray) -> np.ndarray:
    """Where a candidate row's key is also the key of another candidate row (integer
    codes per distinct key, see ``factorize``, then counts per code); empty and
    missing keys count as one value."""
    t = as_text(k)
    if not candidate.all():
        t = t[candidate]
    out = np.zeros(len(k), dtype=bool)
    if len(t) < 2:
        return out
    blank = (t == "").to_numpy(dtype=bool)
    codes, _ = factorize(t.where(~blank) if blank.any() else t)
    hits = np.zeros(len(t), dtype=bool)
    ok = codes >= 0
    hits[ok] = np.bincount(codes[ok])[codes[ok]] > 1
    hits[blank] = blank.sum() > 1
    out[np.flatnonzero(candidate)] = hits
    return out


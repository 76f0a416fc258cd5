"""The record of one file being cleaned (``Work``): its raw cells, the typed values and
each row's fate (used, excluded or quarantined, with the first reason found), and from
them the file's ledger entry, its quarantine rows and its clean and excluded frames."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.clean.privacy import SENSITIVE_COLUMNS, clip, mask_all, mask_text
from toolkit.clean.reasons import Exclusion, Quarantine, exclusion_code, quarantine_code
from toolkit.clean.schema import SCHEMA, S, conform, conform_excluded, empty_quarantine
from toolkit.ingest import contract
from toolkit.ingest.table import RawTable


class Work:
    """One file being cleaned: the raw cells, typed values and each row's fate."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.table = contract.TABLES[raw.table]
        self.data = raw.data
        self.index = self.data.index
        self.n = len(self.data)
        self.q_reason = np.full(self.n, None, dtype=object)
        self.q_column = np.full(self.n, None, dtype=object)
        self.q_value = np.full(self.n, None, dtype=object)
        self.q_suggestion = np.full(self.n, None, dtype=object)
        self.x_reason = np.full(self.n, None, dtype=object)
        # the fates as booleans too (pd.isna over object arrays on every check is slow)
        self._q = np.zeros(self.n, dtype=bool)
        self._x = np.zeros(self.n, dtype=bool)
        self.typed: dict[str, pd.Series] = {}

    # fates
    @property
    def alive(self) -> np.ndarray:
        return ~(self._q | self._x)

    @property
    def quarantined(self) -> np.ndarray:
        return self._q.copy()

    @property
    def excluded(self) -> np.ndarray:
        return self._x.copy()

    def _mask(self, mask) -> np.ndarray:
        m = np.asarray(mask, dtype=bool) if not isinstance(mask, pd.Series) else \
            mask.fillna(False).to_numpy(dtype=bool)
        return m & self.alive

    def quarantine(self, mask, reason: Quarantine, column: str | None, values=None, suggestions=None):
        """Quarantine the rows of ``mask`` still in use for ``reason`` (a declared
        reason; anything else raises at once), at ``column`` with its value (or
        ``values``) and a suggestion each."""
        code = quarantine_code(reason)
        m = self._mask(mask)
        if not m.any():
            return
        self.q_reason[m] = code
        self._q |= m
        self.q_column[m] = column
        if values is None and column is not None and column in self.data:
            values = self.data[column]
        idx = np.flatnonzero(m)
        if values is not None:
            self.q_value[idx] = values.iloc[idx].to_numpy(dtype=object) \
                if isinstance(values, pd.Series) else np.asarray(values, dtype=object)[idx]
        if suggestions is not None:
            self.q_suggestion[idx] = suggestions.iloc[idx].to_numpy(dtype=object) \
                if isinstance(suggestions, pd.Series) else np.asarray(suggestions, dtype=object)[idx]

    def exclude(self, mask, reason: Exclusion):
        """Exclude the rows of ``mask`` still in use for ``reason`` (a declared reason)."""
        code = exclusion_code(reason)
        m = self._mask(mask)
        self.x_reason[m] = code
        self._x |= m

    def has(self, column: str) -> bool:
        return column in self.raw.columns

    # outcome
    def ledger(self) -> dict:
        return ledger_entry(self.raw, self.n, int(self.alive.sum()), self.x_reason[self.excluded],
                            self.q_reason[self.quarantined])

    def quarantine_frame(self) -> pd.DataFrame:
        m = self.quarantined
        if not m.any():
            return empty_quarantine()
        raw = self.raw
        cells = raw.cells[m]
        headers = _unique_headers(raw.headers)
        sensitive_pos = {raw.columns[c] for c in SENSITIVE_COLUMNS if c in raw.columns}
        raws = []
        for values in cells.itertuples(index=False, name=None):
            d = {}
            for pos, (h, v) in enumerate(zip(headers, values, strict=False)):
                if v == "" and not h:
                    continue
                d[h] = clip(mask_all(v) if pos in sensitive_pos else mask_text(v))
            raws.append(json.dumps(d, ensure_ascii=False))
        columns = self.q_column[m]
        value = []
        for c, v in zip(columns, self.q_value[m], strict=False):
            v = "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
            value.append(clip(mask_all(v) if c in SENSITIVE_COLUMNS else mask_text(v)))
        return pd.DataFrame({
            "table": raw.table,
            "file": raw.path.name,
            "sheet": raw.sheet,
            "row": cells.index.to_numpy(dtype="int64"),
            "column": [raw.header_of(c) if c else None for c in columns],
            "value": value,
            "reason": self.q_reason[m],
            "suggestion": self.q_suggestion[m],
            "raw": raws,
        }).astype({"table": S, "file": S, "sheet": S, "column": S, "value": S, "reason": S,
                   "suggestion": S, "raw": S})

    def frame(self, rows: np.ndarray, excluded: bool) -> pd.DataFrame:
        """The clean columns of the selected rows (with ``excluded``, as excluded rows)."""
        idx = np.flatnonzero(rows)
        return table_frame(self.raw, self.typed, self.index.to_numpy(dtype="int64"), idx,
                           x_reasons=self.x_reason[idx] if excluded else None)

    def outcome(self) -> Cleaned:
        """The file's clean, excluded and quarantined rows and its ledger entry."""
        return Cleaned(raw=header_only(self.raw), clean=self.frame(self.alive, excluded=False),
                       excluded=self.frame(self.excluded, excluded=True),
                       quarantine=self.quarantine_frame(), ledger=self.ledger())


@dataclass
class Cleaned:
    """One file cleaned: its clean rows, excluded rows, quarantine rows and ledger entry
    (``raw``: the file as read, without its cells); for a payments table ``orders``,
    the lookup its refunds are matched with (``clean.refunds.PaymentOrders``)."""

    raw: RawTable
    clean: pd.DataFrame
    excluded: pd.DataFrame
    quarantine: pd.DataFrame
    ledger: dict
    orders: object = None


def header_only(raw: RawTable) -> RawTable:
    """The file as read without its data rows (what the outcome keeps of it)."""
    return dataclasses.replace(raw, cells=raw.cells.iloc[:0])


def ledger_entry(raw: RawTable, n: int, used: int, x_reasons: np.ndarray,
                 q_reasons: np.ndarray) -> dict:
    """A file's ledger entry: rows read, used, and excluded and quarantined by reason
    (``x_reasons`` / ``q_reasons``: the reason of each such row, in the file's order)."""
    excluded = pd.Series(x_reasons).value_counts()
    quarantined = pd.Series(q_reasons).value_counts()
    entry = {
        "table": raw.table,
        "file": raw.path.name,
        "sheet": raw.sheet,
        "rows_read": int(n),
        "rows_used": int(used),
        "excluded": {str(k): int(v) for k, v in excluded.items()},
        "quarantined": {str(k): int(v) for k, v in quarantined.items()},
    }
    total = entry["rows_used"] + sum(entry["excluded"].values()) + sum(entry["quarantined"].values())
    if total != entry["rows_read"]:
        raise AssertionError(f"ledger does not balance for {raw.path.name}: {entry}")
    return entry


def table_frame(raw: RawTable, typed, rownums: np.ndarray, idx: np.ndarray | None = None,
                x_reasons: np.ndarray | None = None) -> pd.DataFrame:
    """The clean columns of the rows at positions ``idx`` of the typed columns
    (``typed``: name -> Series over all rows; ``rownums``: each row's number in the
    file), or of every row given when ``idx`` is None; with ``x_reasons`` (one per
    selected row) as excluded rows, with their file, row and reason."""
    if idx is None:
        idx = np.arange(len(rownums))
        typed = {name: col.reset_index(drop=True) for name, col in typed.items()}
    else:
        typed = {name: col.iloc[idx].reset_index(drop=True) for name, col in typed.items()
                 if name in SCHEMA[raw.table]}
        rownums = rownums[idx]
    schema = SCHEMA[raw.table]
    out = {}
    for name in schema:
        if name == "row":
            out[name] = pd.Series(rownums)
        elif name in typed:
            out[name] = typed[name]
    df = pd.DataFrame(out, index=pd.RangeIndex(len(idx)))
    if x_reasons is None:
        return conform(df, raw.table)
    df = df.rename(columns={"reason": "refund_reason"})
    df["file"] = pd.Series(raw.path.name, index=df.index, dtype=S)
    df["row"] = rownums
    df["reason"] = pd.Series(x_reasons, index=df.index, dtype=S)
    return conform_excluded(df, raw.table)


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        h = h or f"column {i + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h} ({seen[h]})"
        else:
            seen[h] = 1
        out.append(h)
    return out


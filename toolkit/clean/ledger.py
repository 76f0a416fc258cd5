"""The record of one file being cleaned (``Work``): its raw cells, the typed values and
each row's fate (used, excluded or quarantined, with the first reason found), and from
them the file's ledger entry, its quarantine rows and its clean and excluded frames."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from toolkit.clean.privacy import SENSITIVE_COLUMNS, clip, mask_all, mask_text
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

    def quarantine(self, mask, reason: str, column: str | None, values=None, suggestions=None):
        m = self._mask(mask)
        if not m.any():
            return
        self.q_reason[m] = reason
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

    def exclude(self, mask, reason: str):
        m = self._mask(mask)
        self.x_reason[m] = reason
        self._x |= m

    def has(self, column: str) -> bool:
        return column in self.raw.columns

    # outcome
    def ledger(self) -> dict:
        excluded = pd.Series(self.x_reason[self.excluded]).value_counts()
        quarantined = pd.Series(self.q_reason[self.quarantined]).value_counts()
        entry = {
            "table": self.raw.table,
            "file": self.raw.path.name,
            "sheet": self.raw.sheet,
            "rows_read": int(self.n),
            "rows_used": int(self.alive.sum()),
            "excluded": {str(k): int(v) for k, v in excluded.items()},
            "quarantined": {str(k): int(v) for k, v in quarantined.items()},
        }
        total = entry["rows_used"] + sum(entry["excluded"].values()) + sum(entry["quarantined"].values())
        if total != entry["rows_read"]:
            raise AssertionError(f"ledger does not balance for {self.raw.path.name}: {entry}")
        return entry

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
        """The clean columns of the selected rows."""
        schema = SCHEMA[self.raw.table]
        idx = np.flatnonzero(rows)
        out = {}
        for name in schema:
            if name == "row":
                out[name] = pd.Series(self.index.to_numpy(dtype="int64")[idx])
            elif name in self.typed:
                out[name] = self.typed[name].iloc[idx].reset_index(drop=True)
        df = pd.DataFrame(out, index=pd.RangeIndex(len(idx)))
        if not excluded:
            return conform(df, self.raw.table)
        df = df.rename(columns={"reason": "refund_reason"})
        df["file"] = pd.Series(self.raw.path.name, index=df.index, dtype=S)
        df["row"] = self.index.to_numpy(dtype="int64")[idx]
        df["reason"] = pd.Series(self.x_reason[idx], index=df.index, dtype=S)
        return conform_excluded(df, self.raw.table)


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


"""Type the values, resolve units, drop duplicates, apply the period; keep the ledger
and the quarantine. ``load_year`` is the stage's entry point.

Every data row of every file ends in exactly one of three places:

* used: in ``YearData.tables[table]`` (the clean schema of docs/architecture.md);
* excluded for a stated reason: ``YearData.excluded[table]`` (``reason`` column);
* quarantined for a stated reason: ``YearData.quarantine``.

The order in which a row is judged (the first reason found is the one recorded):

1. an exact duplicate of an earlier row (all mapped cells equal) -> excluded
   ``duplicate``;
2. a key (order_id, refund_id, complaint_id) shared with a different row -> every row
   of that key quarantined ``conflicting_key``;
3. column by column in contract order: a required value empty -> ``missing_value``;
   unreadable -> ``bad_amount`` / ``bad_date`` / ``bad_value``;
4. the unit unresolved -> ``unknown_unit``; table rules (``non_positive_amount``,
   conditional requirements of nominations, ``unknown_order`` for refunds);
5. exclusions: ``failed_status``, ``out_of_period``; for refunds ``after_cutoff``,
   ``order_not_in_year``.

So a broken row is quarantined even when it also lies outside the period: the user
sees the problem.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit import paths
from toolkit.clean.model import InputFile, YearData
from toolkit.exceptions import RegistryError
from toolkit.ingest import contract
from toolkit.ingest.amounts import amount_fen, integer
from toolkit.ingest.dates import dates, datetimes
from toolkit.ingest.find import find_files, sha256_file
from toolkit.ingest.keys import coded, factorize, unit_key, word_key
from toolkit.ingest.table import RawTable, read_table
from toolkit.ingest.text import arrow_strings, as_text, identifier, is_blank, map_unique, text

log = logging.getLogger(__name__)

S, DT, I64, B, O = "str", "datetime64[ns]", "int64", "bool", "object"  # noqa: E741

_REFUND_SCHEMA = {"refund_id": S, "order_id": S, "unit_id": S, "amount_fen": I64,
                  "refunded_at": DT, "reason": S}
SCHEMA: dict[str, dict[str, str]] = {
    "units": {"unit_id": S, "unit_name": S, "aliases": O, "level": S, "parent_id": S},
    "contracts": {"unit_id": S, "track": S, "signed_on": DT, "contract_no": S, "terminated_on": DT},
    "targets": {"unit_id": S, "target": I64},
    "teams": {"unit_id": S, "track": S, "dedicated_staff": I64},
    "staff_registrations": {"trainee_id": S, "unit_id": S, "registered_at": DT},
    "staff_payments": {"order_id": S, "trainee_id": S, "unit_id": S, "amount_fen": I64, "paid_at": DT},
    "staff_refunds": _REFUND_SCHEMA,
    "professional_enrollments": {"order_id": S, "trainee_id": S, "unit_id": S, "amount_fen": I64,
                                 "paid_at": DT, "course": S},
    "professional_refunds": _REFUND_SCHEMA,
    "complaints": {"complaint_id": S, "unit_id": S, "track": S, "received_at": DT, "severity": S,
                   "substantiated": B, "status": O, "summary": S},
    "nominations": {"row": I64, "category": S, "track": S, "kind": S, "unit_id": S, "nominee": S,
                    "deeds": S, "started_on": DT, "unit_leader": S, "contact_name": S,
                    "contact_title": S, "contact_phone": S},
    "rsvp": {"row": I64, "unit_id": S, "name": S, "gender": S, "title": S, "phone": S, "note": S,
             "needs_room": O, "submitted_at": DT},
}
# Excluded rows carry the clean columns (numbers as nullable Int64; a refund's own
# `reason` renamed `refund_reason`) plus these.
EXCLUDED_EXTRA = {"file": S, "row": I64, "reason": S}
QUARANTINE_COLUMNS = ["table", "file", "sheet", "row", "column", "value", "reason", "suggestion", "raw"]

# The time that decides whether a row is in the period.
PERIOD_COLUMN = {
    "staff_registrations": "registered_at",
    "staff_payments": "paid_at",
    "professional_enrollments": "paid_at",
    "complaints": "received_at",
}
PAYMENTS_OF_REFUNDS = {"staff_refunds": "staff_payments",
                       "professional_refunds": "professional_enrollments"}
SENSITIVE_COLUMNS = ("id_number", "phone", "contact_phone")
# Read (so a row can be checked and masked) but never carried into clean tables.
PRIVATE_COLUMNS = {"staff_registrations": ("name", "id_number", "phone")}

EXCLUSION_REASONS = ("duplicate", "out_of_period", "failed_status", "after_cutoff",
                     "order_not_in_year")
QUARANTINE_REASONS = ("conflicting_key", "missing_value", "bad_amount", "bad_date", "bad_value",
                      "unknown_unit", "non_positive_amount", "unknown_order")


# --- privacy -------------------------------------------------------------------------

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")


def mask_all(value: str) -> str:
    """Every character but the last four as '*'."""
    value = str(value)
    if len(value) <= 4:
        return value
    return "*" * (len(value) - 4) + value[-4:]


def mask_text(value: str) -> str:
    """ID-like (15 or 18 characters) and mobile-like (11 digits) numbers in a text
    masked but for their last four characters."""
    if not value:
        return value
    value = _ID_NUMBER.sub(lambda m: mask_all(m.group(0)), value)
    return _MOBILE.sub(lambda m: mask_all(m.group(0)), value)


# Cells longer than this are cut in the quarantine (value and raw), with a note of the
# full length: an Excel cell holds at most 32,767 characters, and a report line should
# stay a line. The data itself is never cut.
QUARANTINE_TEXT_MAX = 1_000


def clip(value: str, limit: int = QUARANTINE_TEXT_MAX) -> str:
    """``value`` cut to ``limit`` characters, with a note of its full length."""
    if len(value) <= limit:
        return value
    return value[:limit] + f"… [cut: {len(value):,} characters in all]"


# --- per-file working state ----------------------------------------------------------


class _Work:
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
            return _empty_quarantine()
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


def _empty_quarantine() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=S) for c in QUARANTINE_COLUMNS})
    df["row"] = df["row"].astype("int64")
    return df


def conform(df: pd.DataFrame, table: str, *, nullable: bool = False) -> pd.DataFrame:
    """A frame with exactly the clean columns of ``table`` in their dtypes (missing
    columns added empty). With ``nullable`` integers and booleans may hold NA."""
    schema = SCHEMA[table]
    out = {}
    n = len(df)
    for name, dtype in schema.items():
        s = df[name] if name in df else pd.Series([None] * n, index=df.index, dtype=object)
        if dtype == S:
            if s.dtype != S:  # already text (e.g. from the cache): no round trip via object
                s = s.astype(object).where(s.notna(), None).astype(S)
            if n and _any_empty(s):
                s = s.where(~(s == "").fillna(False), None)
        elif dtype == DT:
            if s.dtype != DT:
                s = pd.to_datetime(s).astype(DT) if n else s.astype(DT)
        elif dtype == I64:
            s = s.astype("Int64") if nullable or s.isna().any() else s.astype("int64")
        elif dtype == B:
            s = s.astype("boolean") if nullable or s.isna().any() else s.astype("bool")
        else:
            s = s.astype(object)
            if name == "aliases":
                s = s.map(lambda v: [] if v is None or (isinstance(v, float) and np.isnan(v))
                          else [str(x) for x in v])
            else:
                s = s.where(s.notna(), None)
        out[name] = s
    return pd.DataFrame(out, index=df.index)


def _any_empty(s: pd.Series) -> bool:
    """Whether a text column holds '' (one pyarrow pass; no boolean Series)."""
    import pyarrow.compute as pc

    return bool(pc.any(pc.equal(arrow_strings(s), "")).as_py())


def conform_excluded(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """An excluded-rows frame in its dtypes: the clean columns (nullable numbers; a
    refund's own reason as ``refund_reason``), then ``file``, ``row``, ``reason``."""
    body = df.drop(columns=[c for c in EXCLUDED_EXTRA if c in df])
    body = body.rename(columns={"refund_reason": "reason"})
    body = conform(body, table, nullable=True).drop(columns=["row"], errors="ignore")
    body = body.rename(columns={"reason": "refund_reason"})
    for name, dtype in EXCLUDED_EXTRA.items():
        body[name] = df[name].astype(dtype)
    return body


# --- typing ---------------------------------------------------------------------------


_UNSUBSTANTIATED = {word_key(x) for x in contract.UNSUBSTANTIATED_WORDS}
_CLOSED = {word_key(x) for x in contract.CLOSED_WORDS}


def _is_unsubstantiated(value: str) -> bool:
    return word_key(value) in _UNSUBSTANTIATED


def _complaint_status(value: str) -> str:
    return "closed" if word_key(value) in _CLOSED else "open"


def _type_columns(w: _Work) -> None:
    """Parse every mapped column by its kind; empty required values and unreadable
    values are quarantined, column by column in contract order."""
    private = PRIVATE_COLUMNS.get(w.raw.table, ())
    for col in w.table.columns:
        if not w.has(col.name) or col.name in private:
            continue
        s = w.data[col.name]
        blank = is_blank(s)
        bad = None
        reason = "bad_value"
        kind = col.kind
        if kind == "id":
            v = identifier(s)
        elif kind in ("text", "unit"):
            v = text(s)
        elif kind == "amount":
            v = amount_fen(s)
            bad, reason = v.isna() & ~blank, "bad_amount"
        elif kind == "datetime":
            v = datetimes(s)
            bad, reason = v.isna() & ~blank, "bad_date"
        elif kind == "date":
            v = dates(s)
            bad, reason = v.isna() & ~blank, "bad_date"
        elif kind == "int":
            v = integer(s)
            bad = (v.isna() | (v.fillna(0) < 0)) & ~blank
        elif kind == "track":
            v = coded(s, contract.TRACK_WORDS)
            bad = v.isna() & ~blank
        elif kind == "status":
            v = coded(s, contract.STATUS_WORDS)
            bad = v.isna() & ~blank
            # an empty cell in a status column is not "every row succeeded"
            w.quarantine(blank, "missing_value", col.name)
        elif kind == "severity":
            v = coded(s, contract.SEVERITY_WORDS)
            bad = v.isna() & ~blank
        elif kind == "substantiated":
            v = ~map_unique(as_text(s), _is_unsubstantiated).astype(bool)
        elif kind == "complaint_status":
            v = map_unique(as_text(s), _complaint_status)
        elif kind == "category":
            v = coded(s, contract.CATEGORY_WORDS)
            bad = v.isna() & ~blank
        elif kind == "bool":
            v = coded(s, contract.BOOL_WORDS)
            bad = v.isna() & ~blank
        else:  # pragma: no cover - the contract names only the kinds above
            raise ValueError(f"unknown column kind {kind!r}")
        if col.required:
            w.quarantine(blank, "missing_value", col.name)
        if bad is not None:
            w.quarantine(bad, reason, col.name)
        _implausible(w, col, v)
        w.typed[col.name] = v
    # clean names
    if "amount" in w.typed:
        w.typed["amount_fen"] = w.typed.pop("amount")


# --- plausibility -----------------------------------------------------------------------
# Values that parse but cannot be true are quarantined with the usual reason and the
# bound in the suggestion column, never used (see data/README.md).

# A single payment or refund above this is taken as a typing or unit error (fen
# written as yuan, a misplaced decimal point): training fees are hundreds of yuan.
MAX_AMOUNT_YUAN = 1_000_000
# Dates and times outside these years are quarantined as bad_date: an empty Excel date
# cell shows as 1900-01-00 (1899-12-30), and no record of the awards predates 1950
# (started_on, a nominee's first year of training work, may lie decades back).
DATE_MIN = pd.Timestamp(1950, 1, 1)
DATE_MAX = pd.Timestamp(2100, 12, 31, 23, 59, 59)
# Identifiers Excel has shown in scientific notation ("4.30102E+17") and saved so:
# the digits are lost and two different ids may now look the same.
_SCIENTIFIC = r"^[0-9](\.[0-9]+)?[eE]\+[0-9]{1,3}$"


def _implausible(w: _Work, col: contract.Column, v: pd.Series) -> None:
    """Quarantine the values of one typed column that were read but cannot be true."""
    if col.kind == "amount":
        over = (v.abs() > MAX_AMOUNT_YUAN * 100).fillna(False)
        if over.any():
            w.quarantine(over, "bad_amount", col.name, suggestions=np.full(
                w.n, f"implausible: more than {MAX_AMOUNT_YUAN:,} yuan for one payment or "
                     "refund; check the value (fen entered as yuan? a misplaced decimal point?)",
                dtype=object))
    elif col.kind in ("date", "datetime"):
        outside = ((v < DATE_MIN) | (v > DATE_MAX)).fillna(False)
        if outside.any():
            w.quarantine(outside, "bad_date", col.name, suggestions=np.full(
                w.n, f"implausible: outside {DATE_MIN.year}-{DATE_MAX.year} (an empty Excel "
                     "date cell shows as 1900-01-00); enter the real date", dtype=object))
    elif col.kind == "id" and col.name not in SENSITIVE_COLUMNS:
        sci = _matches(v, _SCIENTIFIC)
        if sci.any():
            w.quarantine(sci, "bad_value", col.name, suggestions=np.full(
                w.n, "an identifier in scientific notation: Excel has rounded it and its "
                     "digits are lost; export the ids again as text", dtype=object))


def _matches(s: pd.Series, pattern: str) -> np.ndarray:
    """Where a text column matches an RE2 pattern (pyarrow, no per-value Python)."""
    import pyarrow.compute as pc

    return pc.match_substring_regex(arrow_strings(as_text(s)), pattern=pattern).to_numpy(
        zero_copy_only=False).astype(bool)


def _duplicates(w: _Work) -> None:
    """Exact duplicates excluded (the first kept); rows sharing a key but differing
    elsewhere all quarantined."""
    if w.n == 0:
        return
    dup, first_repeats = _duplicated(w.data)
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
        w.quarantine(candidate & _shared(k, candidate), "conflicting_key", key, values=k)


def _duplicated(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(rows equal in every column to an earlier row, as ``DataFrame.duplicated(keep=
    "first")`` of text columns; rows whose first column's value repeats), by pyarrow
    hashing."""
    import pyarrow as pa

    n = len(df)
    if df.shape[1] == 0 or n < 2:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    # only rows whose first column (an id, mostly) repeats can be duplicates
    repeats = _shared(as_text(df.iloc[:, 0]), np.ones(n, dtype=bool))
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


def _shared(k: pd.Series, candidate: np.ndarray) -> np.ndarray:
    """Where a candidate row's key is also the key of another candidate row (integer
    codes per distinct key, see ``keys.factorize``, then counts per code); empty and
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


# --- units ----------------------------------------------------------------------------

_ALIAS_SPLIT = re.compile("[" + re.escape("".join(contract.ALIAS_SEPARATORS)) + "]")


@dataclass
class UnitRegistry:
    ids: dict[str, str] = field(default_factory=dict)  # unit_key -> unit_id
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # name key -> registered name

    def resolve_one(self, value: str) -> str | None:
        k = unit_key(value)
        if not k:
            return None
        return self.ids.get(k) or self.names.get(k) or self.aliases.get(k)

    def suggest(self, value: str, n: int = 3) -> str:
        k = unit_key(value)[:100]  # a pasted essay is not compared in full

        def score(c: str) -> tuple[float, int]:
            # similarity first; among equals, the longer common beginning (unit names
            # start with their city: 株州… is nearer 株洲… than 郴州…)
            prefix = len(os.path.commonprefix([k, c]))
            return (difflib.SequenceMatcher(None, k, c).ratio(), prefix)

        close = sorted(self.display, key=score, reverse=True)[:n]
        return "; ".join(self.display[c] for c in close)


def _clean_units(w: _Work) -> UnitRegistry:
    _duplicates(w)
    _type_columns(w)
    aliases = w.typed.get("aliases", pd.Series("", index=w.index, dtype=S))
    w.typed["aliases"] = map_unique(
        aliases, lambda v: [a.strip() for a in _ALIAS_SPLIT.split(v or "") if a.strip()])
    reg = UnitRegistry()
    path = w.raw.path
    alive = w.alive
    ids = w.typed["unit_id"][alive]
    names = w.typed["unit_name"][alive]
    als = w.typed["aliases"][alive]
    id_rows: dict[str, int] = {}
    name_owner: dict[str, tuple[str, int]] = {}
    for row, uid, name, alias_list in zip(ids.index, ids, names, als, strict=True):
        k = unit_key(uid)
        if k in id_rows:
            raise RegistryError(
                f"the unit id {uid!r} appears twice in the units registry (rows {id_rows[k]} and {row})",
                file=path, sheet=w.raw.sheet, row=int(row), column=w.raw.header_of("unit_id"),
                value=uid, expected="each unit_id once",
            )
        id_rows[k] = int(row)
        reg.ids[k] = uid
        for value in [name, *alias_list]:
            nk = unit_key(value)
            if not nk:
                continue
            owner = name_owner.get(nk)
            if owner is not None and owner[0] != uid:
                raise RegistryError(
                    f"the unit name or alias {value!r} belongs to two units: {owner[0]!r} "
                    f"(row {owner[1]}) and {uid!r} (row {row})",
                    file=path, sheet=w.raw.sheet, row=int(row), value=value,
                    expected="each name and alias naming one unit only",
                )
            name_owner[nk] = (uid, int(row))
        reg.names[unit_key(name)] = uid
        reg.display[unit_key(name)] = name
        for a in alias_list:
            reg.aliases.setdefault(unit_key(a), uid)
    if not reg.ids:
        problems = pd.Series(w.q_reason[w.quarantined]).value_counts()
        found = (f"{w.n} data row(s), none usable ("
                 + ", ".join(f"{k} {v}" for k, v in problems.items()) + ")") if w.n else \
            "no data row below the header"
        raise RegistryError(
            f"the units registry holds no unit: {found}; every other table refers to it",
            file=path, sheet=w.raw.sheet,
            hint="fill in the units table (one row per unit with its unit_id and unit_name)",
        )
    return reg


def _resolve_units(w: _Work, reg: UnitRegistry) -> None:
    if "unit" not in w.typed:
        return
    text = w.typed.pop("unit")
    uid = map_unique(text, reg.resolve_one)
    unresolved = uid.isna() & (text != "")
    if unresolved.any():
        sugg = map_unique(text.where(unresolved.to_numpy(), None), reg.suggest)
        w.quarantine(unresolved, "unknown_unit", "unit", suggestions=sugg)
    w.typed["unit_id"] = uid


# --- period ---------------------------------------------------------------------------


@dataclass
class Period:
    start: pd.Timestamp
    end: pd.Timestamp
    rules_path: str | None = None
    rules_sha256: str | None = None


def calendar_period(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31, 23, 59, 59)


def resolve_period(year: int, rules=None) -> Period:
    """The period from the rules (an object with ``period_start``/``period_end``, or a
    rules file path), from ``rules/<year>.yaml`` when it exists and ``toolkit.rules``
    is available, else the calendar year."""
    if rules is not None and hasattr(rules, "period_start"):
        p = getattr(rules, "path", None)
        return Period(pd.Timestamp(rules.period_start), pd.Timestamp(rules.period_end),
                      str(p) if p else None, getattr(rules, "sha256", None))
    try:
        from toolkit.rules.load import load_rules
    except ImportError:
        load_rules = None
    if rules is not None:
        path = Path(rules).expanduser()
        if load_rules is not None:
            r = load_rules(year=year, path=path)
            return resolve_period(year, r)
        log.warning("toolkit.rules.load is not available; the period is the calendar year %d", year)
        start, end = calendar_period(year)
        sha = sha256_file(path) if path.is_file() else None
        return Period(start, end, str(path), sha)
    default = paths.rules_file(year)
    if load_rules is not None and default.is_file():
        return resolve_period(year, load_rules(year=year, path=default))
    log.info("no rules file %s; the period is the calendar year %d", default, year)
    start, end = calendar_period(year)
    return Period(start, end)


# --- tables ---------------------------------------------------------------------------


def _quarantine_rules(w: _Work) -> None:
    t = w.raw.table
    if t in ("staff_payments", "professional_enrollments", "staff_refunds", "professional_refunds"):
        fen = w.typed["amount_fen"]
        w.quarantine((fen <= 0).fillna(False), "non_positive_amount", "amount")
    if t == "nominations":
        cat = w.typed["category"]
        kind = cat.map(lambda c: None if c is None else ("innovation" if c.startswith("innovation")
                                                          else c.split(".")[1]), na_action="ignore")
        track = cat.map(lambda c: None if c is None else (c.split(".")[1] if c.startswith("innovation")
                                                          else c.split(".")[0]), na_action="ignore")
        w.typed["kind"], w.typed["track"] = kind, track
        nominee = w.typed.get("nominee", pd.Series("", index=w.index, dtype=S))
        needs_nominee = kind.isin(["collective", "individual"]).to_numpy()
        w.quarantine(needs_nominee & (nominee.fillna("") == "").to_numpy(), "missing_value", "nominee")
        started = w.typed.get("started_on", pd.Series(pd.NaT, index=w.index, dtype=DT))
        w.quarantine((kind == "individual").to_numpy() & started.isna().to_numpy(),
                     "missing_value", "started_on")


def _exclusions(w: _Work, period: Period) -> None:
    if "status" in w.typed and w.raw.table in ("staff_payments", "professional_enrollments"):
        w.exclude((w.typed["status"] == "failure").fillna(False), "failed_status")
    col = PERIOD_COLUMN.get(w.raw.table)
    if col is not None:
        at = w.typed[col]
        w.exclude(((at < period.start) | (at > period.end)).fillna(False), "out_of_period")


def _refunds(w: _Work, pay: _Work, period: Period) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    orders = w.typed["order_id"]
    refund_keys = arrow_strings(as_text(orders))
    pay_keys = arrow_strings(as_text(pay.typed["order_id"]))
    # the payments whose order some refund names: one hash table of the (few) refund
    # orders probed by every payment, not one of a million payment orders
    named = pc.is_in(pay_keys, value_set=refund_keys.unique()).to_numpy(zero_copy_only=False)
    readable = np.flatnonzero(named & ~pay.quarantined)
    used = np.flatnonzero(named & pay.alive)
    # the unit of each refund's order: its first readable payment's (index_in gives the
    # first position of a repeated value)
    units = pa.array(pay.typed["unit_id"].to_numpy(dtype=object)[readable], type=pa.string(),
                     from_pandas=True)
    pos = pc.index_in(refund_keys, value_set=pay_keys.take(pa.array(readable)))
    is_known = pos.is_valid().to_numpy(zero_copy_only=False)
    w.quarantine(~is_known & (orders != "").to_numpy(), "unknown_order", "order_id", values=orders)
    is_used = pc.is_in(refund_keys, value_set=pay_keys.take(pa.array(used))).to_numpy(
        zero_copy_only=False).astype(bool)
    at = w.typed["refunded_at"]
    w.exclude(is_used & (at > period.end).fillna(False).to_numpy(), "after_cutoff")
    w.exclude(is_used & (at < period.start).fillna(False).to_numpy(), "out_of_period")
    w.exclude(is_known & ~is_used, "order_not_in_year")
    w.typed["unit_id"] = pd.Series(units.take(pos).to_numpy(zero_copy_only=False), index=w.index,
                                   dtype=object)


def _clean_table(raw: RawTable, reg: UnitRegistry, period: Period,
                 payments: dict[str, _Work]) -> _Work:
    w = _Work(raw)
    _duplicates(w)
    _type_columns(w)
    _resolve_units(w, reg)
    _quarantine_rules(w)
    if raw.table in PAYMENTS_OF_REFUNDS:
        _refunds(w, payments[PAYMENTS_OF_REFUNDS[raw.table]], period)
    else:
        _exclusions(w, period)
    if raw.table == "complaints" and "status" not in w.typed:
        w.typed["status"] = pd.Series([None] * w.n, index=w.index, dtype=object)
    if raw.table == "complaints" and "substantiated" not in w.typed:
        w.typed["substantiated"] = pd.Series(True, index=w.index)
    return w


# --- the year --------------------------------------------------------------------------


def _progress(items, enabled: bool, desc: str):
    if enabled and sys.stderr.isatty():
        try:
            from tqdm import tqdm

            return tqdm(items, desc=desc, unit="file", file=sys.stderr)
        except ImportError:  # pragma: no cover
            pass
    return items


def load_year(year: int, data_dir=None, *, rules=None, use_cache: bool = True,
              progress: bool = False) -> YearData:
    """Read and clean a year's input folder (default ``data/<year>``).

    ``rules`` is a rules object (with ``period_start``/``period_end``) or a rules file
    path; without it ``rules/<year>.yaml`` is used when present, else the calendar
    year. With ``use_cache`` an unchanged folder is served from the Parquet cache
    (``toolkit.cache``); the cache is (re)written either way.
    """
    from toolkit.clean import cache

    d = paths.data_dir(year, data_dir)
    period = resolve_period(year, rules)
    found = find_files(d)
    # two threads: hashlib releases the GIL, and the files of a province year are ~240 MB
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes = dict(zip(found, pool.map(sha256_file, found.values()), strict=True))
    key = cache.cache_key(year, period, found, hashes)
    if use_cache:
        yd = cache.load(key)
        if yd is not None:
            yd.data_dir = d
            log.info("ingest cache hit for %d (%s)", year, key[:12])
            return yd
    yd = build_year(year, d, period, found, hashes, progress=progress)
    try:
        cache.store(key, yd)
    except OSError as exc:  # a read-only cache folder must not stop a run
        log.warning("could not write the ingest cache: %s", exc)
    return yd


def build_year(year: int, d: Path, period: Period, found: dict[str, Path],
               hashes: dict[str, str], *, progress: bool = False) -> YearData:
    yd = YearData(year=year, data_dir=d, period_start=period.start, period_end=period.end)
    order = [t for t in contract.TABLES if t in found]
    works: dict[str, _Work] = {}
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
    yd.quarantine = pd.concat(nonempty, ignore_index=True) if nonempty else _empty_quarantine()
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
    from concurrent.futures import ThreadPoolExecutor

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
        w = _Work(raw)
        reg = _clean_units(w)
    else:
        w = _clean_table(raw, reg, period, works)
    works[table] = w
    yd.tables[table] = w.frame(w.alive, excluded=False)
    yd.excluded[table] = w.frame(w.excluded, excluded=True)
    quarantines.append(w.quarantine_frame())
    yd.ledger.append(w.ledger())
    yd.files.append(InputFile(table=table, path=raw.path, sha256=raw.sha256, sheet=raw.sheet,
                              encoding=raw.encoding, header_row=raw.header_row))
    log.debug("%s: %s", raw.path.name, yd.ledger[-1])
    return reg


# --- the report ----------------------------------------------------------------------


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(d.items(), key=lambda kv: -kv[1])) or "-"


def validation_report(yd: YearData) -> str:
    """The ledger as a text table, then each quarantine reason with up to three
    examples, then the optional tables that are missing."""
    lines = [
        f"Year {yd.year}: {yd.data_dir}",
        f"Period {yd.period_start:%Y-%m-%d %H:%M:%S} to {yd.period_end:%Y-%m-%d %H:%M:%S} "
        f"(Beijing time){'  [from the ingest cache]' if yd.from_cache else ''}",
        "",
    ]
    head = ["table", "file", "read", "used", "excluded", "quarantined"]
    rows = []
    for e in yd.ledger:
        rows.append([
            e["table"], e["file"], str(e["rows_read"]), str(e["rows_used"]),
            f"{sum(e['excluded'].values())} ({_counts(e['excluded'])})" if e["excluded"] else "0",
            f"{sum(e['quarantined'].values())} ({_counts(e['quarantined'])})" if e["quarantined"] else "0",
        ])
    tot = [sum(e[k] for e in yd.ledger) for k in ("rows_read", "rows_used")]
    exc = sum(sum(e["excluded"].values()) for e in yd.ledger)
    qua = sum(sum(e["quarantined"].values()) for e in yd.ledger)
    rows.append(["total", "", str(tot[0]), str(tot[1]), str(exc), str(qua)])
    lines += _table(head, rows, right={2, 3})
    balanced = all(e["rows_read"] == e["rows_used"] + sum(e["excluded"].values())
                   + sum(e["quarantined"].values()) for e in yd.ledger)
    lines.append("")
    lines.append("Every file balances: rows read = used + excluded + quarantined."
                 if balanced else "WARNING: the ledger does not balance (a bug; please report it).")
    q = yd.quarantine
    lines.append("")
    if q is None or q.empty:
        lines.append("No rows were quarantined.")
    else:
        lines.append(f"Quarantined rows: {len(q)}")
        for reason, group in q.groupby("reason", sort=False):
            lines.append(f"  {reason}: {len(group)}")
            for r in group.head(3).itertuples(index=False):
                ex = f"    {r.file} row {r.row}"
                if isinstance(r.column, str) and r.column:
                    ex += f", column {r.column}"
                ex += f": {clip(r.value, 80)!r}" if isinstance(r.value, str) else ""
                if isinstance(r.suggestion, str) and r.suggestion:
                    ex += (f" (did you mean: {r.suggestion})" if r.reason == "unknown_unit"
                           else f" ({r.suggestion})")
                lines.append(ex)
    lines.append("")
    if yd.missing_tables:
        lines.append("Optional tables missing (criteria that need them are unknown): "
                     + ", ".join(yd.missing_tables))
    else:
        lines.append("No optional table is missing.")
    return "\n".join(lines)


def _table(head: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    widths = [max(width(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(r):
        cells = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - width(c))
            cells.append(pad + c if i in right else c + pad)
        return "  ".join(cells).rstrip()

    return [fmt(head), fmt(["-" * w for w in widths]), *[fmt(r) for r in rows]]

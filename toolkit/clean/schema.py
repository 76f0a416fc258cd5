"""The clean tables' schema and the frames that follow it: the columns and dtypes of
each clean table (docs/architecture.md), of excluded rows and of the quarantine, and
``conform``, which brings a frame into them (after cleaning, and after the cache)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from toolkit.ingest.text import arrow_strings

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
# `reason` renamed `refund_reason`) plus these (`reason`: a code of clean.reasons).
EXCLUDED_EXTRA = {"file": S, "row": I64, "reason": S}
QUARANTINE_COLUMNS = ["table", "file", "sheet", "row", "column", "value", "reason", "suggestion", "raw"]



def empty_quarantine() -> pd.DataFrame:
    """The quarantine of no row, in its columns and dtypes."""
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


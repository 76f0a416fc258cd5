"""Small hand-built YearData for the metrics, flags, evaluation and table tests, in the
clean-table shape of docs/architecture.md.

``make_year`` builds a YearData as ``clean.load_year`` would: only used rows in
``tables`` (successful payments in the period), excluded rows with their reason in
``excluded``. ``pay``, ``refund`` and ``enr`` build rows; ``row`` picks a unit's row of a
metrics frame.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.clean.model import YearData

START = pd.Timestamp("2022-01-01 00:00:00")
END = pd.Timestamp("2022-12-31 23:59:59")

COLUMNS = {
    "units": {"unit_id": "str", "unit_name": "str", "aliases": "object", "level": "str", "parent_id": "str"},
    "contracts": {"unit_id": "str", "track": "str", "signed_on": "datetime64[ns]", "contract_no": "str",
                  "terminated_on": "datetime64[ns]"},
    "targets": {"unit_id": "str", "target": "int64"},
    "teams": {"unit_id": "str", "track": "str", "dedicated_staff": "int64"},
    "staff_registrations": {"trainee_id": "str", "unit_id": "str", "registered_at": "datetime64[ns]"},
    "staff_payments": {"order_id": "str", "trainee_id": "str", "unit_id": "str", "amount_fen": "int64",
                       "paid_at": "datetime64[ns]"},
    "staff_refunds": {"refund_id": "str", "order_id": "str", "unit_id": "str", "amount_fen": "int64",
                      "refunded_at": "datetime64[ns]", "reason": "str"},
    "professional_enrollments": {"order_id": "str", "trainee_id": "str", "unit_id": "str", "amount_fen": "int64",
                                 "paid_at": "datetime64[ns]", "course": "str"},
    "professional_refunds": {"refund_id": "str", "order_id": "str", "unit_id": "str", "amount_fen": "int64",
                             "refunded_at": "datetime64[ns]", "reason": "str"},
    "complaints": {"complaint_id": "str", "unit_id": "str", "track": "str", "received_at": "datetime64[ns]",
                   "severity": "str", "substantiated": "boolean", "status": "str", "summary": "str"},
    "nominations": {"row": "int64", "category": "str", "track": "str", "kind": "str", "unit_id": "str",
                    "nominee": "str", "deeds": "str", "started_on": "datetime64[ns]", "unit_leader": "str",
                    "contact_name": "str", "contact_title": "str", "contact_phone": "str"},
}
REQUIRED = ("units", "contracts", "targets", "teams", "staff_registrations", "staff_payments", "staff_refunds",
            "professional_enrollments", "professional_refunds")


def frame(table: str, rows: list[dict] | None = None) -> pd.DataFrame:
    """A clean table with the documented columns and dtypes."""
    cols = COLUMNS[table]
    rows = rows or []
    data = {}
    for c, dtype in cols.items():
        vals = [r.get(c) for r in rows]
        if dtype.startswith("datetime"):
            data[c] = pd.to_datetime(pd.Series(vals, dtype="object"), format="mixed")
            data[c] = data[c].astype("datetime64[ns]")
        elif dtype == "object":
            data[c] = pd.Series(vals, dtype="object")
        else:
            data[c] = pd.Series(vals, dtype=dtype if rows else dtype)
    return pd.DataFrame(data)


def make_year(tables: dict[str, list[dict] | pd.DataFrame] | None = None, *, omit: tuple[str, ...] = (),
              excluded: dict[str, list[dict]] | None = None, ledger: list[dict] | None = None,
              units: tuple[str, ...] = ("U001", "U002", "U003")) -> YearData:
    tables = dict(tables or {})
    tables.setdefault("units", [{"unit_id": u, "unit_name": f"单位{u}", "aliases": []} for u in units])
    out = {}
    for name in REQUIRED + tuple(k for k in tables if k not in REQUIRED):
        if name in omit:
            continue
        v = tables.get(name, [])
        out[name] = v if isinstance(v, pd.DataFrame) else frame(name, v)
    ex = {}
    for name, rows in (excluded or {}).items():
        base = frame(name, rows)
        base["reason"] = [r.get("reason") for r in rows]
        ex[name] = base
    return YearData(year=2022, data_dir=Path("/nonexistent"), period_start=START, period_end=END, tables=out,
                    excluded=ex, ledger=ledger or [], missing_tables=list(omit))


def pay(order, trainee, unit="U001", yuan=180, at="2022-03-01 10:00:00"):
    return {"order_id": order, "trainee_id": trainee, "unit_id": unit, "amount_fen": int(round(yuan * 100)),
            "paid_at": at}


def refund(order, yuan, unit="U001", at="2022-04-01 10:00:00", rid=None):
    return {"refund_id": rid or f"R{order}-{at}", "order_id": order, "unit_id": unit,
            "amount_fen": int(round(yuan * 100)), "refunded_at": at, "reason": "学员申请"}


def row(m: pd.DataFrame, unit="U001", track="staff") -> dict:
    r = m[(m["unit_id"] == unit) & (m["track"] == track)]
    assert len(r) == 1, f"no single row for {track}/{unit}"
    return r.iloc[0].to_dict()



def enr(order, trainee, course, unit="U001", yuan=100, at="2022-06-01 08:00:00"):
    return pay(order, trainee, unit, yuan, at) | {"course": course}

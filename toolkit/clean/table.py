"""One table cleaned, in the order in which a row is judged.

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

import pandas as pd

from toolkit.clean.columns import type_columns
from toolkit.clean.keys import duplicates
from toolkit.clean.ledger import Work
from toolkit.clean.period import PERIOD_COLUMN, Period
from toolkit.clean.reasons import Exclusion, Quarantine
from toolkit.clean.refunds import PAYMENTS_OF_REFUNDS, PaymentOrders, match_refunds
from toolkit.clean.schema import DT, S
from toolkit.clean.units import UnitRegistry, resolve_units
from toolkit.ingest.table import RawTable


def _quarantine_rules(w: Work, period: Period) -> None:
    """Rules of a table beyond its columns: amounts above zero; a nomination's kind and
    track from its award's entry in the rules, its nominee and start date where the
    kind needs them."""
    t = w.raw.table
    if t in ("staff_payments", "professional_enrollments", "staff_refunds", "professional_refunds"):
        fen = w.typed["amount_fen"]
        w.quarantine((fen <= 0).fillna(False), Quarantine.NON_POSITIVE_AMOUNT, "amount")
    if t == "nominations":
        named = {a.award: a for a in period.awards or ()}
        cat = w.typed["category"]
        kind = cat.map(lambda c: getattr(named.get(c), "kind", None), na_action="ignore")
        track = cat.map(lambda c: getattr(named.get(c), "track", None), na_action="ignore")
        w.typed["kind"], w.typed["track"] = kind, track
        nominee = w.typed.get("nominee", pd.Series("", index=w.index, dtype=S))
        needs_nominee = kind.isin(["collective", "individual"]).to_numpy()
        w.quarantine(needs_nominee & (nominee.fillna("") == "").to_numpy(), Quarantine.MISSING_VALUE, "nominee")
        started = w.typed.get("started_on", pd.Series(pd.NaT, index=w.index, dtype=DT))
        w.quarantine((kind == "individual").to_numpy() & started.isna().to_numpy(),
                     Quarantine.MISSING_VALUE, "started_on")


def _exclusions(w: Work, period: Period) -> None:
    """Failed payments and rows outside the period excluded."""
    if "status" in w.typed and w.raw.table in ("staff_payments", "professional_enrollments"):
        w.exclude((w.typed["status"] == "failure").fillna(False), Exclusion.FAILED_STATUS)
    col = PERIOD_COLUMN.get(w.raw.table)
    if col is not None:
        at = w.typed[col]
        w.exclude(period.outside(at).fillna(False), Exclusion.OUT_OF_PERIOD)


def clean_table(raw: RawTable, reg: UnitRegistry, period: Period,
                orders: dict[str, PaymentOrders]) -> Work:
    """A table other than units cleaned whole (see the module docstring); ``orders``:
    the payment tables cleaned before, by name (refunds are matched to them)."""
    w = Work(raw)
    duplicates(w)
    row_rules(w, reg, period, orders)
    return w


def row_rules(w: Work, reg: UnitRegistry, period: Period,
              orders: dict[str, PaymentOrders]) -> None:
    """Every rule of the cleaning after the whole-table ones (duplicates and conflicting
    keys, ``clean.keys``): each judges a row by itself alone, so that a file read in
    batches (``clean.batched``) is judged batch by batch."""
    type_columns(w, period.awards)
    resolve_units(w, reg)
    _quarantine_rules(w, period)
    table = w.raw.table
    if table in PAYMENTS_OF_REFUNDS:
        match_refunds(w, orders[PAYMENTS_OF_REFUNDS[table]], period)
    else:
        _exclusions(w, period)
    if table == "complaints" and "status" not in w.typed:
        w.typed["status"] = pd.Series([None] * w.n, index=w.index, dtype=object)
    if table == "complaints" and "substantiated" not in w.typed:
        w.typed["substantiated"] = pd.Series(True, index=w.index)

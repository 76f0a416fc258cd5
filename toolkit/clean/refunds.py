"""Refunds matched to their payments: a refund takes the unit of its order's payment;
one naming no readable payment is quarantined ``unknown_order``; one of a used payment
is excluded ``after_cutoff`` / ``out_of_period`` by its own time, one of a payment not
used this year ``order_not_in_year``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.clean.ledger import Work
from toolkit.clean.period import Period
from toolkit.clean.reasons import Exclusion, Quarantine
from toolkit.ingest.text import arrow_strings, as_text

# refunds table -> the payments table whose orders they refund
PAYMENTS_OF_REFUNDS = {"staff_refunds": "staff_payments",
                       "professional_refunds": "professional_enrollments"}


@dataclass
class PaymentOrders:
    """What refunds need of a payments table cleaned: the order and unit of each of its
    readable rows (used or excluded, not quarantined), in the file's order, and which
    of them are used. Kept after the payments' own rows are let go."""

    keys: pa.Array  # order_id as text
    units: pa.Array  # unit_id (null when unresolved)
    used: np.ndarray  # bool: the row is used this year
    rows: np.ndarray  # the row's number in the file

    @classmethod
    def of_frames(cls, clean: pd.DataFrame, excluded: pd.DataFrame, clean_rows: np.ndarray,
                  excluded_rows: np.ndarray) -> PaymentOrders:
        """From the table's clean and excluded rows (no copy of their Arrow text) and
        their numbers in the file (a refund takes the unit of the first of them)."""
        keys = [arrow_strings(as_text(f["order_id"])) for f in (clean, excluded)]
        units = [arrow_strings(f["unit_id"]) for f in (clean, excluded)]
        return cls(keys=pa.chunked_array(keys, type=pa.string()),
                   units=pa.chunked_array(units, type=pa.string()),
                   used=np.concatenate([np.ones(len(clean), bool), np.zeros(len(excluded), bool)]),
                   rows=np.concatenate([clean_rows, excluded_rows]).astype(np.int64))


def match_refunds(w: Work, pay: PaymentOrders, period: Period) -> None:
    """The refunds of ``w`` matched to the payments' orders ``pay`` (see the module
    docstring); ``unit_id`` set from the payment."""
    orders = w.typed["order_id"]
    refund_keys = arrow_strings(as_text(orders))
    # the payments whose order some refund names: one hash table of the (few) refund
    # orders probed by every payment, not one of a million payment orders
    named = np.flatnonzero(pc.is_in(pay.keys, value_set=refund_keys.unique())
                           .to_numpy(zero_copy_only=False))
    named = named[np.argsort(pay.rows[named], kind="stable")]  # in the file's order
    readable = pa.array(named)
    used = pa.array(named[pay.used[named]])
    # the unit of each refund's order: its first readable payment's (index_in gives the
    # first position of a repeated value)
    units = pay.units.take(readable)
    pos = pc.index_in(refund_keys, value_set=pay.keys.take(readable))
    is_known = pos.is_valid().to_numpy(zero_copy_only=False)
    w.quarantine(~is_known & (orders != "").to_numpy(), Quarantine.UNKNOWN_ORDER, "order_id", values=orders)
    is_used = pc.is_in(refund_keys, value_set=pay.keys.take(used)).to_numpy(
        zero_copy_only=False).astype(bool)
    at = w.typed["refunded_at"]
    w.exclude(is_used & (at >= period.end_exclusive).fillna(False).to_numpy(), Exclusion.AFTER_CUTOFF)
    w.exclude(is_used & (at < period.start).fillna(False).to_numpy(), Exclusion.OUT_OF_PERIOD)
    w.exclude(is_known & ~is_used, Exclusion.ORDER_NOT_IN_YEAR)
    w.typed["unit_id"] = pd.Series(units.take(pos).to_numpy(zero_copy_only=False), index=w.index,
                                   dtype=object)

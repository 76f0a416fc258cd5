"""Refunds matched to their payments: a refund takes the unit of its order's payment;
one naming no readable payment is quarantined ``unknown_order``; one of a used payment
is excluded ``after_cutoff`` / ``out_of_period`` by its own time, one of a payment not
used this year ``order_not_in_year``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.clean.ledger import Work
from toolkit.clean.period import Period
from toolkit.ingest.text import arrow_strings, as_text

# refunds table -> the payments table whose orders they refund
PAYMENTS_OF_REFUNDS = {"staff_refunds": "staff_payments",
                       "professional_refunds": "professional_enrollments"}

def match_refunds(w: Work, pay: Work, period: Period) -> None:
    """The refunds of ``w`` matched to the payments of ``pay`` (see the module
    docstring); ``unit_id`` set from the payment."""
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
    w.exclude(is_used & (at >= period.end_exclusive).fillna(False).to_numpy(), "after_cutoff")
    w.exclude(is_used & (at < period.start).fillna(False).to_numpy(), "out_of_period")
    w.exclude(is_known & ~is_used, "order_not_in_year")
    w.typed["unit_id"] = pd.Series(units.take(pos).to_numpy(zero_copy_only=False), index=w.index,
                                   dtype=object)


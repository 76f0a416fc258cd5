"""Helpers of the clean tests: a table's ledger entry and quarantine rows, and payment
rows under the usual headers."""

from __future__ import annotations


def ledger(yd, table):
    return next(e for e in yd.ledger if e["table"] == table)


def q(yd, table):
    return yd.quarantine[yd.quarantine["table"] == table]


PAY_HEAD = ["order_id", "trainee_id", "unit", "amount", "paid_at", "status"]


def pay(*rows):
    return [PAY_HEAD, *[list(r) for r in rows]]

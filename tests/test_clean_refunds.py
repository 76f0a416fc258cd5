"""Refunds matched to their payments (toolkit.clean.refunds)."""

from __future__ import annotations

from clean_helpers import ledger, pay
from ingest_helpers import load, minimal_year


def test_refund_fates(tmp_path):
    payments = pay(
        ("P1", "T1", "U002", "180", "2022-03-05", "成功"),
        ("P2", "T2", "U001", "180", "2022-03-05", "失败"),
        ("P3", "T3", "U001", "180", "2021-03-05", "成功"),
        ("P4", "T4", "badunit", "180", "2022-03-05", "成功"),
    )
    refunds = [
        ["退费单号", "订单号", "退费金额", "退费时间", "退费原因"],
        ["R1", "P1", "50", "2022-05-01", "个人原因"],  # used, unit from the payment
        ["R2", "P1", "30", "2023-01-02", ""],  # after the cut-off
        ["R3", "P1", "30", "2021-12-01", ""],  # before the period
        ["R4", "P2", "30", "2022-05-01", ""],  # failed payment
        ["R5", "P3", "30", "2022-05-01", ""],  # payment out of period
        ["R6", "P9", "30", "2022-05-01", ""],  # no such order
        ["R7", "P4", "30", "2022-05-01", ""],  # order only in the quarantine
        ["R8", "P1", "0", "2022-05-01", ""],  # zero
        ["R9", "P1", "10", "2022-05-01", ""],  # conflicting refund id ...
        ["R9", "P1", "20", "2022-05-01", ""],
        ["", "P1", "20", "2022-06-01", ""],  # no refund id: fine
    ]
    yd = load(minimal_year(tmp_path, staff_payments=payments, staff_refunds=refunds))
    r = yd.tables["staff_refunds"]
    assert r["refund_id"].fillna("-").tolist() == ["R1", "-"]
    assert r["unit_id"].tolist() == ["U002", "U002"]
    assert r["amount_fen"].tolist() == [5000, 2000]
    assert r["reason"].fillna("-").tolist() == ["个人原因", "-"]
    e = ledger(yd, "staff_refunds")
    assert e["excluded"] == {"after_cutoff": 1, "out_of_period": 1, "order_not_in_year": 2}
    assert e["quarantined"] == {"unknown_order": 2, "non_positive_amount": 1, "conflicting_key": 2}
    x = yd.excluded["staff_refunds"].set_index("refund_id")
    assert x.loc["R2", "reason"] == "after_cutoff" and x.loc["R2", "unit_id"] == "U002"
    assert x.loc["R2", "amount_fen"] == 3000
    assert "refund_reason" in x.columns

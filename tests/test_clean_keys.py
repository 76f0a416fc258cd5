"""Repeated rows and keys (toolkit.clean.keys): exact duplicates excluded, rows sharing a
key but differing elsewhere quarantined."""

from __future__ import annotations

from clean_helpers import ledger, q
from ingest_helpers import load, minimal_year, write_table


def test_key_in_a_later_column(tmp_path):
    # the key is not the first column: every row is a candidate for a shared key
    rows = [["trainee_id", "order_id", "unit", "amount", "paid_at"],
            ["T1", "P1", "U001", "180", "2022-03-05"],
            ["T1", "P1", "U001", "180", "2022-03-05"],  # exact duplicate of the row above
            ["T2", "P2", "U001", "180", "2022-03-05"],
            ["T3", "P2", "U001", "190", "2022-03-05"],  # P2 again, other values
            ["T4", "P3", "U001", "180", "2022-03-05"]]
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    e = ledger(yd, "staff_payments")
    assert e["excluded"] == {"duplicate": 1}
    assert e["quarantined"] == {"conflicting_key": 2}
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["P1", "P3"]
    qq = q(yd, "staff_payments")
    assert qq["row"].tolist() == [4, 5] and set(qq["value"]) == {"P2"}


def test_rows_without_a_key_never_conflict(tmp_path):
    d = minimal_year(tmp_path)
    write_table(d / "complaints.csv", [["complaint_id", "unit", "track", "received_at", "severity"],
                                       ["", "U001", "staff", "2022-05-01", "minor"],
                                       ["", "U002", "staff", "2022-05-02", "major"]])
    yd = load(d)
    assert ledger(yd, "complaints")["rows_used"] == 2

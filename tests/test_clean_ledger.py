"""The ledger of every file balances (toolkit.clean.ledger)."""

from __future__ import annotations

from clean_helpers import ledger, pay, q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import load, minimal_year, write_table

ROW_KINDS = {
    "good": lambda i: [f"P{i}", f"T{i}", "U001", "180", "2022-03-05", "成功"],
    "failed": lambda i: [f"P{i}", f"T{i}", "U001", "180", "2022-03-05", "失败"],
    "old": lambda i: [f"P{i}", f"T{i}", "U001", "180", "2021-03-05", "成功"],
    "bad_date": lambda i: [f"P{i}", f"T{i}", "U001", "180", "someday", "成功"],
    "bad_amount": lambda i: [f"P{i}", f"T{i}", "U001", "lots", "2022-03-05", "成功"],
    "unknown_unit": lambda i: [f"P{i}", f"T{i}", "Atlantis", "180", "2022-03-05", "成功"],
    "empty": lambda i: [f"P{i}", "", "U001", "180", "2022-03-05", "成功"],
    "blank": lambda i: ["", "", "", "", "", ""],
    "footer": lambda i: ["合计", "", "", "999", "", ""],
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(ROW_KINDS)), st.integers(0, 2)), max_size=25),
       st.sampled_from([".csv", ".xlsx"]))
def test_ledger_balances(tmp_path_factory, spec, suffix):
    rows, expect_read = [], 0
    for i, (kind, copies) in enumerate(spec):
        for _ in range(1 + copies):  # copies: exact duplicates, or conflicting keys
            r = ROW_KINDS[kind](i)
            if copies == 2 and kind == "good":
                r = [*r[:3], str(180 + _), *r[4:]]  # same key, different amount
            rows.append(r)
            expect_read += kind not in ("blank", "footer")
    d = minimal_year(tmp_path_factory.mktemp("y"), skip=("staff_payments",))
    write_table(d / f"缴费明细{suffix}", pay(*rows))
    yd = load(d)
    for e in yd.ledger:
        assert e["rows_read"] == e["rows_used"] + sum(e["excluded"].values()) + sum(
            e["quarantined"].values())
    e = ledger(yd, "staff_payments")
    assert e["rows_read"] == expect_read
    assert len(yd.tables["staff_payments"]) == e["rows_used"]
    assert len(yd.excluded["staff_payments"]) == sum(e["excluded"].values())
    assert len(q(yd, "staff_payments")) == sum(e["quarantined"].values())

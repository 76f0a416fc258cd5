"""Flags: every kind of the spec, on small YearData built as clean.load_year builds it."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from metrics_helpers import enr, make_year, pay, refund  # noqa: E402

from toolkit.evaluation.evaluate import evaluate  # noqa: E402
from toolkit.evaluation.flags import FLAG_KINDS, Flag, breaches, if_counted  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402


@pytest.fixture(scope="module")
def rules():
    return load_rules(2022)


def _flags(yd, rules, kind=None):
    fl = evaluate(yd, rules).flags
    return [f for f in fl if kind is None or f.kind == kind]


def _refund_year(refund_fen: int, income_orders: int = 100, yuan: int = 100):
    """``income_orders`` payments of ``yuan``; one refund of ``refund_fen`` on the first."""
    pays = [pay(f"O{i}", f"T{i}", yuan=yuan) for i in range(income_orders)]
    refs = [refund("O0", refund_fen / 100)] if refund_fen else []
    return make_year({"staff_payments": pays, "staff_refunds": refs})


# income 10,000 yuan = 1,000,000 fen; bound 1.5% = 15,000 fen; near limit 80% = 12,000 fen
@pytest.mark.parametrize("refund_fen,kind", [
    (11999, None),
    (12000, "refund_rate_near_limit"),
    (14999, "refund_rate_near_limit"),
    (15000, "refund_rate_near_limit"),  # at the bound: within it, so near, not over
    (15001, "refund_rate_over_limit"),
])
def test_refund_rate_flags(rules, refund_fen, kind):
    found = [f for f in _flags(_refund_year(refund_fen), rules) if f.kind.startswith("refund_rate")]
    assert [f.kind for f in found] == ([kind] if kind else [])
    if kind:
        f = found[0]
        assert f.track == "staff" and f.unit_id == "U001" and f.unit_name == "单位U001"
        assert f.bound == 0.015 and f.value == pytest.approx(refund_fen / 1_000_000)
        assert "退费率" in f.message


def test_refunds_after_cutoff(rules):
    late = [refund("O1", 50, at="2023-01-03 10:00:00", rid="L1") | {"reason": "after_cutoff"},
            refund("O2", 30, at="2023-02-01 10:00:00", rid="L2") | {"reason": "after_cutoff"},
            refund("O3", 99, at="2021-12-01 10:00:00", rid="E1") | {"reason": "order_not_in_year"}]
    yd = make_year({"staff_payments": [pay(f"O{i}", f"T{i}", yuan=100) for i in range(1, 4)]},
                   excluded={"staff_refunds": late})
    ev = evaluate(yd, rules)
    [f] = [f for f in ev.flags if f.kind == "refunds_after_cutoff"]
    assert (f.unit_id, f.count, f.amount) == ("U001", 2, 80.0)
    assert "80 元" in f.message and "截止日之后" in f.message
    assert f.details["refund_rate_if_counted"] == pytest.approx(80 / 300)
    # not counted in the metrics
    assert ev.unit("staff", "U001").metrics["refunds"] == 0.0
    assert "若计入，退费率为 26.67%" in f.message  # the staff award bounds the refund rate


def test_late_refunds_of_a_track_without_a_refund_bound_quote_no_rate(rules):
    """The professional award has no refund criterion: its late refunds are flagged, but
    no "若计入" rate is quoted as if a bound depended on it."""
    assert rules.bound_for("professional", "refund_rate") is None
    late = [refund("P1", 50, at="2023-01-03 10:00:00", rid="L1") | {"reason": "after_cutoff"}]
    yd = make_year({"professional_enrollments": [enr(f"P{i}", f"T{i}", "A", yuan=100) for i in range(1, 3)]},
                   excluded={"professional_refunds": late})
    [f] = [f for f in evaluate(yd, rules).flags if f.kind == "refunds_after_cutoff"]
    assert f.track == "professional" and "截止日之后" in f.message and "若计入" not in f.message


def test_over_refund_counts_refunds_in_and_after_the_period(rules):
    yd = make_year({
        "staff_payments": [pay("O1", "T1", yuan=100), pay("O2", "T2", yuan=100), pay("O3", "T3", yuan=100)],
        "staff_refunds": [refund("O1", 60, rid="A"), refund("O1", 60, rid="B"), refund("O2", 100, rid="C")],
    }, excluded={"staff_refunds": [refund("O3", 80, rid="D"),
                                   refund("O3", 30, rid="E", at="2023-01-02") | {"reason": "after_cutoff"}]})
    # D was excluded for another reason (not after_cutoff): make it a duplicate, which does not count
    yd.excluded["staff_refunds"].loc[0, "reason"] = "duplicate"
    [f] = _flags(yd, rules, "over_refund")
    assert f.count == 1 and f.amount == 20.0 and f.details["orders"] == ["O1"]
    assert "O1" in f.message and "多退 20 元" in f.message


def test_complaint_flags(rules):
    base = dict(received_at="2022-05-01", substantiated=True)
    yd = make_year({
        "staff_payments": [pay("O1", "T1"), pay("O2", "T2", "U002")],
        "professional_enrollments": [enr("P1", "T1", "A", "U003")],
        "complaints": [
            {"complaint_id": "C1", "unit_id": "U001", "track": "staff", "severity": "major", "status": "open", **base},
            {"complaint_id": "C2", "unit_id": "U002", "track": "staff", "severity": "minor", "status": "closed",
             **base},
            {"complaint_id": "C3", "unit_id": "U003", "track": "professional", "severity": "minor",
             "status": "closed", **base},
            {"complaint_id": "C4", "unit_id": "U002", "track": "staff", "severity": "major", "status": "closed",
             **(base | {"substantiated": False})},
        ],
    })
    fl = _flags(yd, rules)
    kinds = {(f.kind, f.unit_id) for f in fl}
    assert ("major_complaint", "U001") in kinds
    assert ("major_complaint", "U002") not in kinds  # unsubstantiated
    assert ("professional_complaint", "U003") in kinds
    assert ("unresolved_complaint", "U001") in kinds
    assert not any(k == "unresolved_complaint" and u != "U001" for k, u in kinds)
    f = next(f for f in fl if f.kind == "unresolved_complaint")
    assert "C1" in f.message and f.count == 1


def test_quarantined_rows(rules):
    ledger = [
        {"table": "staff_payments", "file": "缴费明细.xlsx", "sheet": "Sheet1", "rows_read": 20, "rows_used": 15,
         "excluded": {"out_of_period": 2}, "quarantined": {"unknown_unit": 2, "bad_amount": 1}},
        {"table": "staff_payments", "file": "缴费明细2.csv", "sheet": None, "rows_read": 5, "rows_used": 4,
         "excluded": {}, "quarantined": {"unknown_unit": 1}},
        {"table": "units", "file": "单位名册.xlsx", "sheet": None, "rows_read": 3, "rows_used": 3,
         "excluded": {}, "quarantined": {}},
    ]
    yd = make_year({"staff_payments": [pay("O1", "T1")]}, ledger=ledger)
    [f] = _flags(yd, rules, "quarantined_rows")
    assert f.table == "staff_payments" and f.count == 4
    assert f.details["reasons"] == {"unknown_unit": 3, "bad_amount": 1}
    assert "4 行" in f.message and "单位无法识别" in f.message


def test_flag_order_and_kinds(rules):
    yd = _refund_year(20000)
    fl = _flags(yd, rules)
    assert all(f.kind in FLAG_KINDS for f in fl)
    order = [FLAG_KINDS.index(f.kind) for f in fl]
    assert order == sorted(order)
    d = fl[0].to_dict()
    assert {"kind", "track", "unit_id", "unit_name", "value", "bound", "count", "amount", "message"} <= set(d)


def test_the_over_refund_lookup_apart_gives_the_flags_of_compute_flags(rules):
    from toolkit.evaluation.flags import compute_flags, over_refund_flags
    from toolkit.metrics.compute import unit_metrics

    yd = make_year({
        "staff_payments": [pay("O1", "T1", yuan=100), pay("O2", "T2", yuan=100)],
        "staff_refunds": [refund("O1", 60, rid="A"), refund("O1", 60, rid="B")],
    })
    m = unit_metrics(yd, as_of=rules.as_of)
    apart = compute_flags(yd, rules, m, over_refund=over_refund_flags(yd))
    together = compute_flags(yd, rules, m)
    assert [f.to_dict() for f in apart] == [f.to_dict() for f in together]
    assert [f.kind for f in apart].count("over_refund") == 1
    # given no over-refund flags, compute_flags does not look them up again
    assert "over_refund" not in [f.kind for f in compute_flags(yd, rules, m, over_refund=[])]


# income 300 yuan = 30,000 fen (three payments of 100); the staff bound is 1.5% = 450 fen
@pytest.mark.parametrize("late_fen,breach", [
    (449, False),
    (450, False),  # exactly at the bound: within it
    (451, True),
])
def test_late_refunds_carry_the_rate_if_counted_and_whether_it_breaches(rules, late_fen, breach):
    late = [refund("O1", late_fen / 100, at="2023-01-03 10:00:00", rid="L1") | {"reason": "after_cutoff"}]
    yd = make_year({"staff_payments": [pay(f"O{i}", f"T{i}", yuan=100) for i in range(1, 4)]},
                   excluded={"staff_refunds": late})
    [f] = [f for f in evaluate(yd, rules).flags if f.kind == "refunds_after_cutoff"]
    assert f.if_counted is not None and f.if_counted.rate == Fraction(late_fen, 30000)
    assert (f.if_counted.op, f.if_counted.bound) == ("<=", Fraction(15, 1000))
    assert f.if_counted.breach is breach and f.breaches is breach
    assert f.unit == "yuan" and f.amount == late_fen / 100


def test_late_refunds_of_a_track_without_a_refund_bound_carry_no_rate_if_counted(rules):
    late = [refund("P1", 50, at="2023-01-03 10:00:00", rid="L1") | {"reason": "after_cutoff"}]
    yd = make_year({"professional_enrollments": [enr(f"P{i}", f"T{i}", "A", yuan=100) for i in range(1, 3)]},
                   excluded={"professional_refunds": late})
    [f] = [f for f in evaluate(yd, rules).flags if f.kind == "refunds_after_cutoff"]
    assert f.if_counted is None and f.breaches is None


@pytest.mark.parametrize("rate,op,bound,breach", [
    (Fraction(3, 200), "<=", Fraction(3, 200), False),  # at the bound
    (Fraction(3, 200) + Fraction(1, 10**12), "<=", Fraction(3, 200), True),
    (Fraction(3, 200), "<", Fraction(3, 200), True),
    (0.015, "<=", 0.015, False),  # evaluation.json's floats, read as the decimals they are
    (0.0150000001, "<=", 0.015, True),
])
def test_breaches_is_exact(rate, op, bound, breach):
    assert breaches(rate, op, bound) is breach
    assert if_counted(rate, op, bound).breach is breach


@pytest.mark.parametrize("kind,unit,breach", [
    ("refund_rate_over_limit", "fraction", True), ("refund_rate_near_limit", "fraction", False),
    ("over_refund", "yuan", None), ("major_complaint", "count", True),
    ("unresolved_complaint", "count", None), ("quarantined_rows", "count", None),
])
def test_a_flag_knows_its_unit_and_whether_it_breaches_whatever_its_message(kind, unit, breach):
    for message in ("退费率 1.60%，超过上限 1.50%", "any other wording"):
        f = Flag(kind=kind, message=message)
        assert (f.unit, f.breaches) == (unit, breach)

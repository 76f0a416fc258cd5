"""unit_metrics on small hand-built YearData (tests/metrics_helpers.py) and on a large
generated year against plain pandas."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from metrics_helpers import START, enr, frame, make_year, pay, refund, row  # noqa: E402

from toolkit.clean.model import YearData  # noqa: E402
from toolkit.metrics.compute import exact_value, unit_metrics  # noqa: E402

# --- the staff metrics ----------------------------------------------------------------


def test_fully_refunded_payer_is_registered_but_not_paid():
    yd = make_year({
        "staff_payments": [pay("O1", "T1"), pay("O2", "T2"), pay("O3", "T3")],
        "staff_refunds": [refund("O2", 100), refund("O2", 80, rid="R2b"), refund("O3", 50)],
        "staff_registrations": [{"trainee_id": "T1", "unit_id": "U001", "registered_at": "2022-02-01"},
                                {"trainee_id": "T9", "unit_id": "U001", "registered_at": "2022-02-01"}],
    })
    r = row(unit_metrics(yd))
    assert r["paid_trainees"] == 2  # T2 fully refunded (100 + 80 = 180); T3 partly
    assert r["registered_trainees"] == 4  # T1, T9 registered; T2, T3 payers without a registration row
    assert r["income_fen"] == 3 * 18000
    assert r["refunds_fen"] == 23000
    assert exact_value(r, "refund_rate") == Fraction(23000, 54000)
    assert exact_value(r, "paid_to_registered") == Fraction(2, 4)
    assert exact_value(r, "income") == Fraction(540)


def test_payer_without_registration_counts_as_registered():
    yd = make_year({"staff_payments": [pay("O1", "T1")]})
    r = row(unit_metrics(yd))
    assert r["paid_trainees"] == 1 and r["registered_trainees"] == 1
    assert exact_value(r, "paid_to_registered") == 1


def test_trainee_paying_twice_counts_once_and_partial_refund_keeps_them():
    yd = make_year({"staff_payments": [pay("O1", "T1"), pay("O2", "T1")],
                    "staff_refunds": [refund("O1", 180)]})
    r = row(unit_metrics(yd))
    assert r["paid_trainees"] == 1  # O2 still stands
    assert r["refunds_fen"] == 18000


def test_refund_after_cutoff_not_counted():
    # as clean builds it: the late refund is excluded with reason after_cutoff
    late = refund("O1", 180, at="2023-01-05 09:00:00") | {"reason": "after_cutoff"}
    yd = make_year({"staff_payments": [pay("O1", "T1")]}, excluded={"staff_refunds": [late]})
    r = row(unit_metrics(yd))
    assert r["refunds_fen"] == 0
    assert r["paid_trainees"] == 1  # not fully refunded in the period


def test_over_refund_counts_as_fully_refunded():
    yd = make_year({"staff_payments": [pay("O1", "T1")], "staff_refunds": [refund("O1", 200)]})
    r = row(unit_metrics(yd))
    assert r["paid_trainees"] == 0
    assert r["refunds_fen"] == 20000
    assert exact_value(r, "refund_rate") == Fraction(200, 180)


def test_payment_at_the_last_second_counts():
    # a payment at 2023-01-01 00:00:00 never reaches tables: ingest excludes it as out_of_period
    yd = make_year({"staff_payments": [pay("O1", "T1", at="2022-12-31 23:59:59")]},
                   excluded={"staff_payments": [pay("O2", "T2", at="2023-01-01 00:00:00") | {"reason": "out_of_period"}]})
    r = row(unit_metrics(yd))
    assert r["paid_trainees"] == 1 and r["income_fen"] == 18000


def test_rows_outside_the_period_are_ignored_even_if_present():
    yd = make_year({"staff_payments": [pay("O1", "T1", at="2022-12-31 23:59:59"),
                                       pay("O2", "T2", at="2023-01-01 00:00:00")]})
    r = row(unit_metrics(yd))
    assert r["paid_trainees"] == 1 and r["income_fen"] == 18000


def test_target_missing_conflicting_and_zero():
    yd = make_year({
        "staff_payments": [pay("O1", "T1", "U001"), pay("O2", "T2", "U002"), pay("O3", "T3", "U003")],
        "targets": [{"unit_id": "U002", "target": 10}, {"unit_id": "U002", "target": 12},
                    {"unit_id": "U003", "target": 0}],
    })
    m = unit_metrics(yd)
    assert pd.isna(row(m, "U001")["target_trainees"])
    assert pd.isna(row(m, "U002")["target_trainees"])  # two different targets: unknown
    assert row(m, "U003")["target_trainees"] == 0
    assert exact_value(row(m, "U003"), "paid_to_target") is None  # zero denominator


def test_money_is_exact_fen():
    yd = make_year({"staff_payments": [pay(f"O{i}", f"T{i}", yuan=0.1) for i in range(3)]})
    r = row(unit_metrics(yd))
    assert r["income_fen"] == 30
    assert exact_value(r, "income") == Fraction(3, 10)


def test_units_evaluated_contract_or_activity():
    yd = make_year({
        "contracts": [{"unit_id": "U003", "track": "staff", "signed_on": "2020-01-01"}],
        "staff_payments": [pay("O1", "T1", "U001")],
        "complaints": [{"complaint_id": "C1", "unit_id": "U002", "track": "professional",
                        "received_at": "2022-05-01", "severity": "minor", "substantiated": True}],
    })
    m = unit_metrics(yd)
    assert sorted(m[m["track"] == "staff"]["unit_id"]) == ["U001", "U003"]
    assert sorted(m[m["track"] == "professional"]["unit_id"]) == ["U002"]
    assert row(m, "U002", "professional")["complaints"] == 1


def test_complaints_counted():
    c = dict(track="staff", received_at="2022-05-01", status="open")
    yd = make_year({
        "staff_payments": [pay("O1", "T1")],
        "complaints": [
            {"complaint_id": "C1", "unit_id": "U001", "severity": "major", "substantiated": True, **c},
            {"complaint_id": "C2", "unit_id": "U001", "severity": "major", "substantiated": False, **c},
            {"complaint_id": "C3", "unit_id": "U001", "severity": "major", "substantiated": None, **c},
            {"complaint_id": "C4", "unit_id": "U001", "severity": "minor", "substantiated": True, **c},
            {"complaint_id": "C5", "unit_id": "U001", "severity": "major", "substantiated": True,
             **(c | {"received_at": "2021-12-31 23:59:59"})},
        ],
    })
    assert row(unit_metrics(yd))["major_complaints"] == 2  # C1 and C3 (not marked unsubstantiated)


def test_no_complaints_table_means_unknown():
    yd = make_year({"staff_payments": [pay("O1", "T1")]})
    assert pd.isna(row(unit_metrics(yd))["major_complaints"])


def test_empty_complaints_table_means_zero():
    yd = make_year({"staff_payments": [pay("O1", "T1")], "complaints": []})
    assert row(unit_metrics(yd))["major_complaints"] == 0


def test_contract_in_force_and_teams():
    yd = make_year({
        "contracts": [
            {"unit_id": "U001", "track": "staff", "signed_on": "2020-01-01", "terminated_on": "2021-06-30"},
            {"unit_id": "U001", "track": "staff", "signed_on": "2022-03-01"},
            {"unit_id": "U001", "track": "staff", "signed_on": "2023-02-01"},
            {"unit_id": "U002", "track": "staff", "signed_on": "2021-01-01", "terminated_on": "2022-10-01"},
        ],
        "teams": [{"unit_id": "U001", "track": "staff", "dedicated_staff": 3},
                  {"unit_id": "U001", "track": "professional", "dedicated_staff": 0}],
    })
    m = unit_metrics(yd, as_of="2022-12-31")
    r1, r2 = row(m, "U001"), row(m, "U002")
    assert r1["contract_signed_on"] == pd.Timestamp("2022-03-01") and pd.isna(r1["contract_terminated_on"])
    assert r1["dedicated_staff"] == 3
    assert r2["contract_terminated_on"] == pd.Timestamp("2022-10-01")
    assert pd.isna(r2["dedicated_staff"])


# --- professional person-times ------------------------------------------------------------




def test_person_times_distinct_trainee_course_and_orders_without_course():
    yd = make_year({
        "professional_enrollments": [
            enr("P1", "T1", "A"), enr("P2", "T1", "A"),  # same (trainee, course): once
            enr("P3", "T1", "B"), enr("P4", "T2", "A"),
            enr("P5", "T3", None), enr("P6", "T3", None), enr("P7", "T3", ""),  # no course: each order
            enr("P8", "T4", "A"),  # fully refunded: not counted
        ],
        "professional_refunds": [refund("P8", 100)],
    })
    r = row(unit_metrics(yd), "U001", "professional")
    assert r["person_times"] == 6
    assert r["income_fen"] == 80000 and r["refunds_fen"] == 10000


def test_person_times_without_course_column():
    df = frame("professional_enrollments", [enr("P1", "T1", None), enr("P2", "T1", None)]).drop(columns="course")
    yd = make_year({"professional_enrollments": df})
    assert row(unit_metrics(yd), "U001", "professional")["person_times"] == 2


# --- a large year, against plain pandas -------------------------------------------------------
# (speed is measured by the benchmark, `make bench`, not here)


def province_year(n_pay: int = 1_000_000, n_units: int = 150, seed: int = 1,
                  digit_ids: bool = False) -> YearData:
    rng = np.random.default_rng(seed)
    units = [f"{i:06d}" if digit_ids else f"U{i:03d}" for i in range(n_units)]
    u = np.array(units)[rng.integers(0, n_units, n_pay)]
    t_num = rng.integers(0, n_pay // 2, n_pay).astype(str)  # trainees pay about twice
    # digit ids as exports write them: leading zeros that matter (007 is not 7)
    trainees = np.char.zfill(t_num, 12) if digit_ids else np.char.add("T", t_num)
    trainees[: n_pay // 100] = t_num[: n_pay // 100]  # some without the zeros
    orders = np.char.add("2022" if digit_ids else "O", np.arange(n_pay).astype(str))
    paid_at = START + pd.to_timedelta(rng.integers(0, 365 * 86400, n_pay), unit="s")
    payments = pd.DataFrame({"order_id": pd.array(orders, dtype="str"), "trainee_id": pd.array(trainees, dtype="str"),
                             "unit_id": pd.array(u, dtype="str"), "amount_fen": np.full(n_pay, 18000, dtype=np.int64),
                             "paid_at": paid_at.astype("datetime64[ns]")})
    k = n_pay // 50
    refunds = pd.DataFrame({"refund_id": pd.array(np.char.add("R", np.arange(k).astype(str)), dtype="str"),
                            "order_id": payments["order_id"].iloc[:k].to_numpy(),
                            "unit_id": payments["unit_id"].iloc[:k].to_numpy(),
                            "amount_fen": np.where(np.arange(k) % 2 == 0, 18000, 9000).astype(np.int64),
                            "refunded_at": pd.Series(paid_at[:k]).astype("datetime64[ns]").to_numpy(),
                            "reason": pd.array(["学员申请"] * k, dtype="str")})
    regs = pd.DataFrame({"trainee_id": payments["trainee_id"], "unit_id": payments["unit_id"],
                         "registered_at": payments["paid_at"]})
    courses = np.array(["A", "B", "C", "D"])[rng.integers(0, 4, n_pay // 5)]
    enrol = payments.iloc[: n_pay // 5].copy()
    enrol["course"] = pd.array(courses, dtype="str")
    return make_year({
        "units": [{"unit_id": x, "unit_name": f"单位{x}", "aliases": []} for x in units],
        "staff_payments": payments, "staff_refunds": refunds, "staff_registrations": regs,
        "professional_enrollments": enrol,
        "contracts": [{"unit_id": x, "track": "staff", "signed_on": "2020-01-01"} for x in units],
        "targets": [{"unit_id": x, "target": 20000} for x in units],
    })


@pytest.mark.parametrize("digit_ids", [False, True], ids=["text-ids", "digit-ids"])
def test_a_large_year_agrees_with_plain_pandas(digit_ids):
    # ids of digits only and ids of letters and digits alike
    yd = province_year(n_pay=200_000, digit_ids=digit_ids)
    m = unit_metrics(yd)
    staff = m[m["track"] == "staff"].set_index("unit_id")
    pay, ref = yd.tables["staff_payments"], yd.tables["staff_refunds"]
    refunded = pay["order_id"].map(ref.groupby("order_id")["amount_fen"].sum()).fillna(0)
    kept = pay[refunded < pay["amount_fen"]]
    expected = pd.DataFrame({
        "income_fen": pay.groupby("unit_id")["amount_fen"].sum(),
        "refunds_fen": refunded.groupby(pay["unit_id"]).sum().astype("int64"),
        "paid_trainees": kept.groupby("unit_id")["trainee_id"].nunique(),
        "registered_trainees": yd.tables["staff_registrations"].groupby("unit_id")["trainee_id"].nunique(),
    })
    assert len(staff) == 150
    got = staff[expected.columns].loc[expected.index].astype("int64")
    pd.testing.assert_frame_equal(got, expected.astype("int64"), check_names=False)



def test_the_last_second_of_the_period_counts():
    """The rules' end 23:59:59 covers that whole second: a payment and a
    refund at 23:59:59.6 are in the period's figures; one at the next midnight is not."""
    yd = make_year({
        "staff_payments": [pay("P1", "T1", yuan=100), pay("P2", "T2", yuan=200, at="2022-12-31 23:59:59.600"),
                           pay("P3", "T3", yuan=400, at="2023-01-01 00:00:00")],
        "staff_refunds": [refund("P1", 10, at="2022-12-31 23:59:59.900")],
    })
    r = row(unit_metrics(yd))
    assert r["income_fen"] == 30000 and r["paid_trainees"] == 2 and r["refunds_fen"] == 1000

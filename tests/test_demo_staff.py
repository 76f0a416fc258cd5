"""toolkit.demo.staff: the staff scenarios' figures (computed with plain pandas) and the
refund cases."""

from __future__ import annotations

import pandas as pd
import pytest
from demo_helpers import END, staff_failures

from toolkit.demo import SCENARIOS


@pytest.mark.parametrize("role", ["staff_pass_a", "staff_pass_b"])
def test_staff_passers(sm, role):
    row = sm.loc[SCENARIOS[role]]
    assert staff_failures(row) == set()
    assert row["paid_trainees"] >= 30000 and not pd.isna(row["paid_to_target"])


def test_staff_near_miss_fails_one_criterion_by_a_small_margin(sm):
    row = sm.loc[SCENARIOS["staff_near_miss"]]
    assert staff_failures(row) == {"paid_trainees"}
    assert 29_900 <= row["paid_trainees"] < 30_000


def test_staff_major_complaint_only(sm):
    assert staff_failures(sm.loc[SCENARIOS["staff_major_complaint"]]) == {"major_complaints"}


def test_refund_rates(sm):
    near = sm.loc[SCENARIOS["staff_refund_near_limit"], "refund_rate"]
    assert 0.012 <= near <= 0.015
    assert sm.loc[SCENARIOS["staff_high_refund"], "refund_rate"] > 0.015


def test_many_small_units_fail_several(sm):
    several = [u for u, row in sm.iterrows() if len(staff_failures(row)) >= 2]
    assert len(several) >= 15


def test_refund_cases(frames):
    ref, pay = frames["staff_refunds"], frames["staff_payments"]
    assert (ref["refunded_at"] > END).any()
    merged = ref.groupby("order_id")["amount"].sum().to_frame("r").join(pay.set_index("order_id")["amount"])
    assert (merged["r"] > merged["amount"]).sum() == 1
    assert ((merged["r"] < merged["amount"]) & (merged["r"] > 0)).any()
    assert (merged["r"] == merged["amount"]).any()


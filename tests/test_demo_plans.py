"""toolkit.demo.plans: the sizes of the demo scale and of an earlier year."""

from __future__ import annotations

from demo_helpers import YEAR

from toolkit.demo import generate_frames


def test_sizes(frames):
    assert 250_000 <= len(frames["staff_payments"]) <= 310_000
    assert 20_000 <= len(frames["professional_enrollments"]) <= 40_000


def test_previous_year_is_smaller(frames):
    prev = generate_frames(YEAR - 1, "demo")
    assert prev["staff_payments"]["paid_at"].dt.year.mode()[0] == YEAR - 1
    assert set(prev["units"]["unit_id"]) == set(frames["units"]["unit_id"])
    assert 0.8 * len(frames["staff_payments"]) < len(prev["staff_payments"]) < len(frames["staff_payments"])


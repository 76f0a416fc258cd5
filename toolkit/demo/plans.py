"""How much data each unit gets: the scale factor of a scale and year, each unit's plan
(staff trainees, refund rate, professional person-times...), and the seeded random
streams every part of the generator draws from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from toolkit.demo.units import SCENARIOS, Unit

REF_YEAR = 2022
SCALES = ("demo", "province", "small")

# (scenario unit, paid trainees, paid/registered, paid/target or None, refund rate)
STAFF_BIG = (
    ("staff_pass_a", 36200, 0.83, 0.60, 0.0050),
    ("staff_pass_b", 33400, 0.81, 0.58, 0.0135),
    ("staff_near_miss", 29962, 0.84, 0.56, 0.0060),
    ("staff_major_complaint", 31800, 0.82, 0.57, 0.0070),
    ("staff_no_target", 32100, 0.80, None, 0.0060),
    ("staff_late_contract", 30900, 0.82, 0.55, 0.0050),
)
# (scenario unit, person-times, price factor)
PROF_BIG = (
    ("professional_pass_a", 5200, 1.0),
    ("professional_pass_b", 4600, 1.0),
    ("professional_near_miss", 4100, 0.7),
    ("professional_complaint", 4400, 1.0),
)


# The province scale's ordinary units are sized so that its staff payments come to about a
# million rows and still fit one worksheet (XLSX_MAX_DATA_ROWS): the payments table is then
# a real workbook in the benchmark's .xlsx set, as a province-wide export usually is.
PROVINCE_STAFF_SIZE = 0.93


def scale_factor(scale: str, year: int) -> float:
    """The size of a scale and year relative to the demo scale in the reference year."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    g = 1.0 if year >= REF_YEAR else 0.9 ** (REF_YEAR - year)
    return g * (0.02 if scale == "small" else 1.0)


def random_stream(seed: int, year: int, stream: int = 0) -> np.random.Generator:
    """The random generator of a seed, year and stream (0 records, 1 rendering, 2 rows to
    quarantine)."""
    return np.random.default_rng(seed + 7919 * (year - 2000) + 104729 * stream)


@dataclass
class StaffPlan:
    n_paid: int
    reg_ratio: float
    target_ratio: float | None
    refund_rate: float
    fee_p: tuple[float, float, float] = (0.05, 0.90, 0.05)


@dataclass
class ProfPlan:
    n_pt: int
    price_factor: float = 1.0


def unit_plans(units: list[Unit], scale: str, year: int, rng) -> tuple[dict, dict]:
    """Each unit's staff plan and, for the units with professional training, its
    professional plan (both keyed by unit id)."""
    g = scale_factor(scale, year)
    staff: dict[str, StaffPlan] = {}
    prof: dict[str, ProfPlan] = {}
    for role, n, rr, tr, rate in STAFF_BIG:
        staff[SCENARIOS[role]] = StaffPlan(round(n * g), rr, tr, rate)
    for role, n, pf in PROF_BIG:
        prof[SCENARIOS[role]] = ProfPlan(round(n * g), pf)
    province = scale == "province"
    for u in units:
        r = rng.random(8)
        if u.unit_id not in staff:
            if u.level == "市级":
                n = 10000 + r[0] * 14000 if province else 2500 + r[0] * 4000
            else:
                n = 1500 + r[0] * 7000 if province else 500 + r[0] * 2200
            if province:
                n *= PROVINCE_STAFF_SIZE
            rate = 0.002 + r[1] * 0.010
            if u.unit_id == SCENARIOS["staff_high_refund"]:
                rate = 0.024
            staff[u.unit_id] = StaffPlan(max(3, round(n * g)), 0.55 + r[2] * 0.35,
                                         0.15 + r[3] * 0.45, rate,
                                         (0.2, 0.6, 0.2) if r[4] < 0.3 else (0.05, 0.9, 0.05))
        if u.unit_id not in prof and (r[5] < (0.9 if province else 0.65)
                                      or u.unit_id == SCENARIOS["professional_no_agreement"]):
            n = 400 + r[6] * 1250 if province else 100 + r[6] * 800
            prof[u.unit_id] = ProfPlan(max(2, round(n * g)), 0.8 + r[7] * 0.4)
    return staff, prof

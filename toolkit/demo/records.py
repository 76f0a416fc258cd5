"""The clean, logical records of a year: every table of the data contract as a frame,
assembled from the unit plans and the record builders."""

from __future__ import annotations

import pandas as pd

from toolkit.demo.plans import random_stream, unit_plans
from toolkit.demo.professional import professional_tables
from toolkit.demo.small_tables import (
    complaints_table,
    nominations_table,
    registry_tables,
    rsvp_table,
)
from toolkit.demo.staff import staff_tables
from toolkit.demo.units import build_units
from toolkit.ingest import contract

DEFAULT_SEED = 20221231


def generate_frames(year: int, scale: str = "demo", seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The clean, logical records of a year (before they are rendered messy).

    Canonical column names; ``unit`` holds a unit_id, or the misspelt name of a row that
    must be quarantined; amounts are whole yuan (int64); times are ``datetime64[ns]``;
    ``status`` is ``success``/``failure``; complaints' severity is ``major``/``minor``,
    ``substantiated`` True/False/None, ``status`` ``closed``/``open``; nominations'
    ``category`` is the canonical code. Rows outside the period, failed payments and
    refunds after the cut-off are included (the evaluation must exclude them); exact
    duplicate rows are added only when writing.
    """
    rng = random_stream(seed, year)
    units = build_units("province" if scale == "province" else "demo")
    staff_plans, prof_plans = unit_plans(units, scale, year, rng)
    frames = registry_tables(units, staff_plans, prof_plans, year, rng)
    frames.update(staff_tables(units, staff_plans, year, rng))
    frames.update(professional_tables(units, prof_plans, year, rng))
    frames["complaints"] = complaints_table(units, year)
    frames["nominations"] = nominations_table(units, year, rng)
    frames["rsvp"] = rsvp_table(units, year)
    return {name: frames[name] for name in contract.TABLES}

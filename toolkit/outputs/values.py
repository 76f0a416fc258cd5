"""What every output counts as no value: ``None``, NaN, ``pd.NA`` and ``pd.NaT`` (one test
for the report, the charts and the forms)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def missing(value: Any) -> bool:
    """Whether a value is absent: None, NaN, ``pd.NA`` or ``pd.NaT``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)

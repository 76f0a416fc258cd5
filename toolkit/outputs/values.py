"""What every output counts as no value: ``None``, NaN, ``pd.NA`` and ``pd.NaT`` (one test
for the report, the charts and the forms); and how every output numbers its headings
(一、二、…, :func:`cn_number`)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def missing(value: Any) -> bool:
    """Whether a value is absent: None, NaN, ``pd.NA`` or ``pd.NaT``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (headings are numbered 一、二、…)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[ones] if ones else "")

"""Values as every output shows them: what counts as no value (``None``, NaN,
``pd.NA`` and ``pd.NaT``; one test for the report, the charts and the forms), a value of
a unit code as a table cell or a chart label (:func:`fmt_value`), and how every output
numbers its headings (一、二、…, :func:`cn_number`).

The sentences of the evaluation (explanations, margins, flag messages) are written
from exact numbers by :func:`toolkit.metrics.format.fmt_measure`; the outputs read
``evaluation.json``'s numbers and show them here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
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


def fmt_value(v, unit: str | None = None, *, digits: int = 2) -> str:
    """A value of ``unit`` (a unit code) for a table cell or a chart label: ``31,000``,
    ``75.21%`` (fraction, ``digits`` decimals), ``5,010,000.00`` (yuan), a date as
    ``2022-06-30``, ``?`` when missing."""
    if missing(v):
        return "?"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime | dt.date):
        return v.strftime("%Y-%m-%d")
    if hasattr(v, "isoformat") and hasattr(v, "year"):  # pandas Timestamp
        return str(v)[:10]
    if isinstance(v, str):
        return v[:10] if re.match(r"\d{4}-\d\d-\d\d", v) else v
    try:
        num = float(v)
    except (TypeError, ValueError):
        return str(v)
    if unit == "fraction":
        return f"{num * 100:.{digits}f}%"
    if unit == "yuan":
        return f"{num:,.2f}"
    return f"{int(num):,}" if num.is_integer() else f"{num:,.2f}"

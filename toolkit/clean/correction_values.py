"""A correction's 更正值 read as what its field holds: a whole number, a date or text.

A value typed by hand decides an award, so nothing is guessed: a number with digit
grouping (``1,234``, ``1.234``, ``1 234``) may be a thousand or a decimal, a decimal
comma (``12,5``) may be twelve and a half; both are refused, as are values outside
what the field can hold (``1e30``, a negative count, a date in 9999). The exports are
read by ``ingest.amounts``, which accepts ``1,234`` in a platform's export (a
machine's thousands separator, groups of exactly three) and refuses ``1.234`` and
``12,5`` there too; a correction is typed by a person, so it is held to the plain
form.
"""

from __future__ import annotations

import re

import pandas as pd

from toolkit.clean.plausibility import DATE_MAX, DATE_MIN
from toolkit.ingest.amounts import MAX_INTEGER_DIGITS
from toolkit.ingest.dates import dates

#: the largest whole number a correction may set (what an export's cell may hold)
MAX_WHOLE = 10 ** MAX_INTEGER_DIGITS - 1
WHOLE_EXPECTED = f"a whole number from 0 to {MAX_WHOLE} typed in digits without separators, e.g. 1200"
DATE_EXPECTED = (f"a date from {DATE_MIN.date().isoformat()} to {DATE_MAX.date().isoformat()}, "
                 "e.g. 2022-03-01")

_DIGITS = re.compile(r"^[0-9]+(?:\.0*)?$")
# groups of three after a separator: 1,234 / 1.234 / 1 234 / 1'234 / 12,345,678
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(?:([,. '])[0-9]{3})(?:\1[0-9]{3})*(?:[.,][0-9]+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?[0-9]+,[0-9]+$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


class ValueUnreadable(ValueError):
    """A correction's value that is not used: ``problem`` says why, ``expected`` what
    would be."""

    def __init__(self, problem: str, expected: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.expected = expected


def correction_value(kind: str, text: str):
    """The value of a field of ``kind`` ('int', 'date', anything else: text) from the
    cell's text: an int, a ``pd.Timestamp`` (midnight) or the text; a
    ``ValueUnreadable`` saying why it is not used."""
    if kind == "int":
        return whole_number(text)
    if kind == "date":
        return calendar_date(text)
    if not text:
        raise ValueUnreadable("the value is empty", "text")
    return text


def whole_number(text: str) -> int:
    """A count (``1200``, ``1200人``, ``1200.0``) within 0..MAX_WHOLE."""
    t = re.sub(r"\s+", " ", text).strip().removesuffix("人").strip()
    if _DIGITS.match(t):
        digits = t.split(".")[0].lstrip("0") or "0"
        if len(digits) > MAX_INTEGER_DIGITS:
            raise ValueUnreadable(f"the value is out of range (more than {MAX_INTEGER_DIGITS} digits)",
                                  WHOLE_EXPECTED)
        return int(digits)
    if _GROUPED.match(t):
        raise ValueUnreadable(f"the value {t} is ambiguous: its separator may group digits (a thousand) or "
                              "mark decimals, and the toolkit does not guess", WHOLE_EXPECTED)
    if _DECIMAL_COMMA.match(t):
        raise ValueUnreadable(f"the value {t} has a decimal comma (or misplaced digit grouping): not a "
                              "whole number, and the toolkit does not guess", WHOLE_EXPECTED)
    if _NUMBER.match(t):
        v = float(t)
        if v < 0 or v > MAX_WHOLE:
            raise ValueUnreadable("the value is out of range", WHOLE_EXPECTED)
        raise ValueUnreadable("the value is not a whole number as typed", WHOLE_EXPECTED)
    raise ValueUnreadable("the value cannot be read as a whole number", WHOLE_EXPECTED)


def calendar_date(text: str) -> pd.Timestamp:
    """A date (``2022-03-01``, ``2022年3月1日``, ``2022/3/1``, a date cell) within
    plausibility's DATE_MIN..DATE_MAX."""
    d = dates(pd.Series([text], dtype=object)).iloc[0]
    if pd.isna(d):
        raise ValueUnreadable("the value cannot be read as a date (or is not a real date)", DATE_EXPECTED)
    d = pd.Timestamp(d)
    if not DATE_MIN <= d <= DATE_MAX:
        raise ValueUnreadable("the date is out of range", DATE_EXPECTED)
    return d

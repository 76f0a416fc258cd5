"""A correction's 更正值 as its field holds it: what is read, and what is refused
rather than guessed (digit grouping, decimal commas, values out of range)."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.clean.correction_values import MAX_WHOLE, ValueUnreadable, correction_value


@pytest.mark.parametrize(("kind", "text", "value"), [
    ("int", "120", 120),
    ("int", "0120", 120),
    ("int", "120人", 120),
    ("int", "120.0", 120),  # a number cell's text may carry .0
    ("int", "0", 0),
    ("int", str(MAX_WHOLE), MAX_WHOLE),
    ("date", "2022-09-30", pd.Timestamp("2022-09-30")),
    ("date", "2022年9月30日", pd.Timestamp("2022-09-30")),
    ("date", "2022/9/30", pd.Timestamp("2022-09-30")),
    ("text", "湘潭电大", "湘潭电大"),
])
def test_what_is_read(kind, text, value):
    assert correction_value(kind, text) == value


@pytest.mark.parametrize(("kind", "text", "problem"), [
    ("int", "1e30", "out of range"),
    ("int", "1e+30", "out of range"),
    ("int", str(MAX_WHOLE + 1), "out of range"),
    ("int", "-5", "out of range"),
    ("int", "1,234", "ambiguous"),
    ("int", "1.234", "ambiguous"),
    ("int", "1 234", "ambiguous"),
    ("int", "1,234,567", "ambiguous"),
    ("int", "12,5", "decimal comma"),
    ("int", "1,2345", "decimal comma"),
    ("int", "12.5", "not a whole number"),
    ("int", "一百", "cannot be read"),
    ("date", "9999-12-31", "cannot be read as a date"),
    ("date", "1900-01-01", "out of range"),
    ("date", "2022-13-45", "cannot be read as a date"),
])
def test_what_is_refused_and_why(kind, text, problem):
    with pytest.raises(ValueUnreadable) as err:
        correction_value(kind, text)
    assert problem in err.value.problem and err.value.expected

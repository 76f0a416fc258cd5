"""Display helpers: yuan, percentages and percentage points."""

from __future__ import annotations

from fractions import Fraction

import pytest

from toolkit.metrics.format import fmt_measure, fmt_pct, fmt_pp, fmt_yuan


@pytest.mark.parametrize("value,text", [
    (5000000, "5,000,000"), (Fraction(499999999, 100), "4,999,999.99"), (Fraction(1, 100), "0.01"),
    (Fraction(15, 10), "1.50"), (0, "0"),
])
def test_fmt_yuan(value, text):
    assert fmt_yuan(value) == text


def test_fmt_pct_and_pp():
    assert fmt_pct(Fraction(7499, 10000)) == "74.99%"
    assert fmt_pct(Fraction(3, 4)) == "75.00%"
    assert fmt_pct(Fraction(74995, 100000), differ_from=Fraction(3, 4)) == "74.9950%"
    assert fmt_pct(Fraction(7499, 10000), differ_from=Fraction(3, 4)) == "74.99%"
    assert fmt_pp(Fraction(1, 10000)) == "0.01"
    assert fmt_pp(Fraction(1, 10**6)) == "0.0001"
    assert fmt_pp(Fraction(1, 10**8)) == "0.000001"


@pytest.mark.parametrize("value,unit,word,text", [
    (Fraction(7499, 10000), "fraction", None, "74.99%"),
    (Fraction(1, 4), "points", None, "0.25 个百分点"),  # points: in percentage points
    (-0.6, "points", None, "0.60 个百分点"),  # a JSON float, never a sign
    (Fraction(1, 10000), "points", None, "0.0001 个百分点"),  # never shown as 0.00
    (Fraction(499999999, 100), "yuan", None, "4,999,999.99 元"),
    (5000000, "yuan", None, "5,000,000 元"),
    (30000, "persons", None, "30,000 人"),
    (1, "count", "份", "1 份"),  # the metric's own word
    (31, "days", None, "31 天"),
    (7, "months", None, "7"),  # a unit without a word of its own
])
def test_fmt_measure(value, unit, word, text):
    assert fmt_measure(value, unit, word) == text

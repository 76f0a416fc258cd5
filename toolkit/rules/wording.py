"""The notice's words for bounds and numbers: which operator a wording allows (Civil
Code art. 1259: 以上, 以下, 以内, 达到, 满, 届满, 不超过 include the bound; 不满, 超过, 以外
exclude it) and which number it states (``75%`` -> 3/4, ``500万元`` -> 5000000, ``半年`` ->
6 months). The rules loader checks each criterion's operator and bound against them."""

from __future__ import annotations

import re
from fractions import Fraction

# Civil Code art. 1259 and the notice's phrasing. Longest words first: 不超过 before 超过,
# 不满 before 满. Each word gives the operators it allows.
BOUND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("不超过", ("<=",)),
    ("不满", ("<",)),
    ("不足", ("<",)),
    ("以上", (">=",)),
    ("以下", ("<=",)),
    ("以内", ("<=",)),
    ("达到", (">=",)),
    ("届满", (">=",)),
    ("满", (">=",)),
    ("超过", (">",)),
    ("以外", ("<", ">")),
    ("没有", ("==",)),
    ("未出现", ("==",)),
)
# period words in the wording that stand for a number of months
MONTH_WORDS = {"半年": 6, "一年": 12, "两年": 24, "二年": 24}
NUMBER = re.compile(r"(\d+(?:\s*\.\s*\d+)?)\s*(万)?\s*(元)?\s*([%％])?")


def wording_ops(wording: str) -> tuple[str, tuple[str, ...]] | None:
    """The bound word in ``wording`` and the operators it allows, or None."""
    for word, ops in BOUND_WORDS:
        if word in wording:
            return word, ops
    return None


def wording_number(wording: str, unit: str) -> Fraction | None:
    """The number the wording states, in ``unit`` (``75%`` -> 3/4, ``500万元`` -> 5000000,
    ``半年`` -> 6 months), or None when it states none."""
    if unit == "months":
        for word, months in MONTH_WORDS.items():
            if word in wording:
                return Fraction(months)
    m = NUMBER.search(wording)
    if not m:
        return None
    n = Fraction(re.sub(r"\s", "", m.group(1)))
    if m.group(2):
        n *= 10000
    if m.group(4):
        n /= 100
    return n

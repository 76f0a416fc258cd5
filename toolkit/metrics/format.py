"""How figures are written in Chinese report text: whole numbers with separators, yuan,
percentages and percentage points, rounded half up and never shown equal to a bound
they differ from. :func:`fmt_measure` writes a number of a unit code with its word
(every explanation, margin and flag message goes through it)."""

from __future__ import annotations

from fractions import Fraction

from toolkit.vocabulary import MARGIN_UNIT_LABELS


def _scaled(x: Fraction, decimals: int) -> int:
    """``x`` times 10**decimals rounded half up (floor(n + 1/2)), in integers."""
    q = 10**decimals
    return (x.numerator * q * 2 + x.denominator) // (2 * x.denominator)


def _round_half_up(x: Fraction, decimals: int) -> Fraction:
    return Fraction(_scaled(x, decimals), 10**decimals)


def _fixed(x: Fraction, decimals: int) -> str:
    r = _scaled(Fraction(x), decimals)
    sign = "-" if r < 0 else ""
    whole, digits = divmod(abs(r), 10**decimals)
    if decimals == 0:
        return f"{sign}{whole:,}"
    return f"{sign}{whole:,}.{str(digits).rjust(decimals, '0')}"


def fmt_int(v) -> str:
    return f"{int(v):,}"


def fmt_yuan(v) -> str:
    """Yuan with thousands separators; cents only when there are any: 5,000,000 / 4,999,999.99."""
    x = Fraction(v) if not isinstance(v, float) else Fraction(repr(v))
    if (x * 100).denominator != 1:
        x = _round_half_up(x, 2)
    return _fixed(x, 0 if x.denominator == 1 else 2)


def fmt_pct(v, decimals: int = 2, *, differ_from=None) -> str:
    """A fraction as a percentage to 0.01% (74.99%); with ``differ_from``, 4 (or 6)
    decimals when 2 would show the two as equal (74.9950% vs 75.00%)."""
    x = Fraction(v) if not isinstance(v, float) else Fraction(repr(v))
    d = decimals
    if differ_from is not None:
        y = Fraction(differ_from) if not isinstance(differ_from, float) else Fraction(repr(differ_from))
        for more in (4, 6):  # 74.9975% rather than a rounded 75.00% that hides a fail
            if x == y or _scaled(x * 100, d) != _scaled(y * 100, d):
                break
            d = more
    return _fixed(x * 100, d) + "%"


def fmt_pp(v, decimals: int = 2) -> str:
    """Percentage points of a fraction difference, never shown as 0.00 when not zero."""
    x = abs(Fraction(v)) * 100
    d = decimals
    for more in (4, 6):
        if x == 0 or _scaled(x, d) != 0:
            break
        d = more
    return _fixed(x, d)


def _exact(v) -> Fraction:
    return Fraction(repr(v)) if isinstance(v, float) else Fraction(v)


def fmt_measure(v, unit: str | None, word: str | None = None, *, differ_from=None) -> str:
    """``v`` as a number of ``unit`` (a unit code of the rules file or of a margin, see
    :data:`toolkit.vocabulary.MARGIN_UNITS`) followed by its word: ``74.99%`` (fraction;
    ``differ_from`` as :func:`fmt_pct`), ``0.25 个百分点`` (points: ``v`` in percentage
    points), ``5,000 元`` (yuan), ``30,000 人`` (any other: a whole number). ``word`` is
    the word after the number; by default the unit's (:data:`MARGIN_UNIT_LABELS`), none
    for a unit without one."""
    if unit == "fraction":
        return fmt_pct(v, differ_from=differ_from)
    if unit == "points":
        text = fmt_pp(_exact(v) / 100)
    elif unit == "yuan":
        text = fmt_yuan(v)
    else:
        text = fmt_int(v)
    if word is None:
        word = MARGIN_UNIT_LABELS.get(unit or "", "")
    return f"{text} {word}".rstrip()

"""Formatting for the report: values and bounds as text, and the HTML helpers.

Safety: every string that comes from data (unit and nominee names, deeds, complaint
texts, file names) goes through :func:`esc` before it is put into HTML. Trainees'
names, ID and phone numbers are not in the clean tables, and long digit runs in free
text are redacted (:func:`redact`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from typing import Any

from toolkit.outputs.values import fmt_value, missing  # noqa: F401 - fmt_value: the report imports its formats here
from toolkit.vocabulary import (
    MARGIN_UNIT_LABELS,
    MARGIN_UNITS,
    OP_SYMBOLS,
    OUTCOME_LABELS,
    UNIT_LABELS,
)


class Fragment:
    """A piece of report HTML; notebooks display it (``_repr_html_``)."""

    def __init__(self, html_text: str, label: str = "") -> None:
        self.html = html_text
        self.label = label

    def _repr_html_(self) -> str:
        return self.html

    def __html__(self) -> str:  # Jinja's Markup protocol
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:  # keeps text/plain in the executed notebook short
        return f"<报告片段 {self.label}>" if self.label else "<报告片段>"

    def __add__(self, other: Fragment) -> Fragment:
        return Fragment(self.html + str(other), self.label or getattr(other, "label", ""))


def esc(value: Any) -> str:
    """Text from data, escaped for HTML; missing values are an empty string."""
    if missing(value):
        return ""
    return html.escape(str(value), quote=True)


_LONG_DIGITS = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?\d[\d -]{5,}\d[0-9Xx]?(?![0-9A-Za-z])")


def redact(text: Any) -> str:
    """Free text with phone and ID numbers (runs of 7 or more digits) replaced."""
    if text is None:
        return ""
    return _LONG_DIGITS.sub(
        lambda m: "［号码已隐去］" if sum(ch.isdigit() for ch in m.group()) >= 7 else m.group(),
        str(text),
    )


#: a date, or a date and time, that a browser would otherwise break at its hyphens
_DATE = re.compile(r"(?<![\d-])\d{4}-\d\d-\d\d(?: \d\d:\d\d(?::\d\d)?)?(?![\d-])")


def keep_dates(escaped: str) -> str:
    """Escaped text with each date (and time) in a span that never breaks."""
    return _DATE.sub(lambda m: f'<span class="nowrap">{m.group()}</span>', escaped)


def table(headers: Iterable[str], rows: Iterable[Iterable[Any]], *, cls: str = "",
          num_cols: Iterable[int] = (), caption: str = "", raw_cols: Iterable[int] = (),
          col_classes: dict[int, str] | None = None) -> str:
    """An HTML table; cell values are escaped unless their column is in ``raw_cols``
    (already-built HTML such as a badge). ``col_classes`` gives a column's header and
    cells a CSS class: ``nowrap`` for short labels (never data of unbounded length),
    ``unit`` and ``person`` for a minimum width, so that print does not squeeze them to
    one character per line. A header's line after a newline never wraps."""
    nums, raws, extra = set(num_cols), set(raw_cols), dict(col_classes or {})

    def col_class(i: int) -> str:
        return " ".join(c for c in ("num" if i in nums else "", extra.get(i, "")) if c)

    def th(i: int, h: str) -> str:
        klass = col_class(i)
        # a header's second line (after "\n", e.g. a condition's bound) stays whole on a line of its own
        text = "<br>".join(esc(part) if i == 0 else f'<span class="nowrap">{esc(part)}</span>'
                           for i, part in enumerate(str(h).split("\n")))
        return f'<th class="{klass}" scope="col">{text}</th>' if klass else f'<th scope="col">{text}</th>'

    head = "".join(th(i, h) for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            klass, content = "", v
            if isinstance(v, tuple):  # (content, css class)
                content, klass = v
            text = str(content) if i in raws else keep_dates(esc(content))
            classes = " ".join(c for c in (col_class(i), klass) if c)
            cells.append(f'<td class="{classes}">{text}</td>' if classes else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    klass = f' class="{cls}"' if cls else ""
    return (f'<div class="table-wrap"><table{klass}>{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def badge(outcome: str) -> str:
    return f'<span class="badge {esc(outcome)}">{esc(OUTCOME_LABELS.get(outcome, outcome))}</span>'


#: the bound of a period that only has to have begun (an agreement that must exist)
SIGNED = "已签订"


def fmt_bound(op: str | None, bound, unit: str | None, *, wan: bool = True) -> str:
    """A bound as the report states it: ``≥ 30,000人``, ``≤ 1.50%``, ``≥ 75%``, ``≥ 500万元``
    (``≥ 5,000,000元`` with ``wan=False``, for a table whose values are in 元), and
    ``已签订`` for ``≥ 0 months`` (the agreement only has to exist)."""
    if bound is None:
        return ""
    b = float(bound)
    if unit == "months" and op == ">=" and b == 0:
        return SIGNED
    if unit == "fraction":  # as values and flags show a share: 1.50%, and a whole percentage 75%
        pct = round(b * 100, 6)
        text = f"{pct:g}%" if float(pct).is_integer() else f"{pct:.2f}%"
    elif unit == "yuan":
        text = f"{b:,.0f}元" if b < 10000 or not wan else f"{b / 10000:g}万元"
    else:
        text = f"{b:,.0f}{UNIT_LABELS.get(unit or '', '')}"
    return f"{OP_SYMBOLS.get(op or '', op or '')} {text}"


def fmt_ts(ts) -> str:
    if missing(ts):
        return "?"
    return str(ts)[:19]


def fmt_shortfall(value, unit: str | None, word: str | None) -> str:
    """A near miss's shortfall as evaluate gives it: the number, in the margin unit of
    the criterion's ``unit`` (:data:`~toolkit.vocabulary.MARGIN_UNITS`; money and
    percentage points to 0.01, counts whole), and its ``word`` (人, 元, 个百分点 ...)."""
    if missing(value):
        return ""
    v = float(value)
    num = f"{v:,.2f}" if MARGIN_UNITS.get(unit or "") in ("yuan", "points") else (
        f"{int(v):,}" if v.is_integer() else f"{v:,.2f}")
    return f"差 {num} {word or ''}".rstrip()


def num(v) -> float | None:
    """A number as float, or None when missing or not a number."""
    if missing(v):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def signed(x: float, digits: int) -> str:
    """``+1.20`` / ``−0.03`` / ``+0.00``: a minus (U+2212) only when the shown digits
    are not zero, so never a negative zero."""
    text = f"{abs(x):,.{digits}f}"
    if float(text.replace(",", "")) == 0:
        return "+" + text
    return ("+" if x > 0 else "\u2212") + text


def change(a, b) -> str:
    """The change from ``a`` to ``b``: a percentage, or the difference when ``a`` is 0."""
    if a is None or b is None:
        return ""
    if a == 0:
        return signed(b - a, 0)
    return signed((b - a) / a * 100, 1) + "%"


def pp_change(a, b) -> str:
    """The change of a share in percentage points, computed from the values as shown
    (rounded to 0.01%), so ``1.28%`` → ``1.26%`` is ``−0.02 个百分点``."""
    if a is None or b is None:
        return ""
    shown_a, shown_b = round(a * 100, 2), round(b * 100, 2)
    return f"{signed(shown_b - shown_a, 2)} {MARGIN_UNIT_LABELS['points']}"


def now_text() -> str:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S (UTC+08:00)")

"""Figures across years: a unit's (or the province's) main figures per year, each
against the bound of its own year, as small multiples (one small panel per metric).

The series are built from collective results as ``evaluation.json`` writes them (a
dict per unit, track and year with its ``criteria``: metric, op, bound, unit, value,
outcome), so the multi-year index and a unit's own report read the same thing. Labels
and units come from the metric registry; the bounds from each year's criteria.

The panels are drawn as small SVG images (data URIs) written directly, not by
matplotlib: an index of five years holds a few hundred panels, which matplotlib
draws at about 0.05 s each (the text layout of the ticks) where writing the SVG
takes microseconds. The SVG holds numbers only (years, ticks); the Chinese title of
each panel is HTML around it, so no font is needed inside the image.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from toolkit.metrics.registry import METRICS, RATIOS, metric_label
from toolkit.outputs import charts
from toolkit.outputs.values import missing

#: rules units a trend shows (dates and periods in months are not a series of figures)
TREND_UNITS = ("persons", "person_times", "yuan", "fraction", "count", "characters")
#: rules units whose province figure is the sum over the units
ADDITIVE_UNITS = ("persons", "person_times", "yuan", "count")
#: a dot's colour by the year's criterion outcome; no criterion (a province total): neutral
OUTCOME_COLOURS = {"pass": charts.PASS_COLOUR, "fail": charts.FAIL_COLOUR, "unknown": charts.UNKNOWN_COLOUR}
NEUTRAL_COLOUR = "#718096"
#: a panel's drawing, in SVG user units (shown scaled to its box)
PANEL_W, PANEL_H = 200, 118
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 194, 10, 98


@dataclass
class TrendPanel:
    """One metric over the years: its value, the bound and the outcome of each year."""

    metric: str
    unit: str
    values: list = field(default_factory=list)  # one per year (None: not evaluated)
    bounds: list = field(default_factory=list)  # the year's bound (None: no criterion)
    outcomes: list = field(default_factory=list)  # "pass" / "fail" / "unknown" / None
    op: str = ">="

    @property
    def label(self) -> str:
        return metric_label(self.metric)


def _threshold_criteria(entry: Mapping | None) -> list[Mapping]:
    if not entry:
        return []
    return [c for c in entry.get("criteria") or []
            if c.get("kind", "threshold") != "qualitative" and c.get("unit") in TREND_UNITS
            and c.get("metric")]


def unit_panels(entries: Sequence[Mapping | None]) -> list[TrendPanel]:
    """The panels of one unit and track: ``entries`` holds, per year in order, the
    unit's collective result (evaluation.json's form) or None. A metric is a panel
    when a threshold criterion of any year judges it."""
    panels: dict[str, TrendPanel] = {}
    for entry in entries:
        for c in _threshold_criteria(entry):
            panels.setdefault(c["metric"], TrendPanel(c["metric"], c["unit"], op=c.get("op", ">=")))
    for p in panels.values():
        for entry in entries:
            found = next((c for c in _threshold_criteria(entry) if c["metric"] == p.metric), None)
            value = found.get("value") if found else (entry or {}).get("metrics", {}).get(p.metric)
            p.values.append(_number(value))
            p.bounds.append(_number(found.get("bound")) if found else None)
            p.outcomes.append(found.get("outcome") if found else None)
    return list(panels.values())


def province_totals(entries: Sequence[Mapping], metrics: Sequence[str]) -> dict[str, float | None]:
    """The province's figure of each metric over the units' results of one track and
    year: sums for counts and money, a ratio of the sums for ratios (refund rate =
    all refunds ÷ all income); None for what cannot be totalled."""
    def total(name: str) -> float | None:
        vals = [_number((e.get("metrics") or {}).get(name)) for e in entries]
        vals = [v for v in vals if v is not None]
        return float(sum(vals)) if vals else None

    out: dict[str, float | None] = {}
    for name in metrics:
        m = METRICS.get(name)
        if m is None:
            out[name] = None
        elif name in RATIOS:
            num, den = (_metric_of_column(col) for col in RATIOS[name])
            n, d = (total(num) if num else None), (total(den) if den else None)
            out[name] = n / d if n is not None and d else None
        else:
            out[name] = total(name) if m.unit in ADDITIVE_UNITS else None
    return out


def _metric_of_column(column: str | None) -> str | None:
    """The metric whose value is the ratio's numerator or denominator column."""
    if column in METRICS:
        return column
    for m in METRICS.values():
        if m.fen_column == column:
            return m.name
    return None


def _number(v) -> float | None:
    if missing(v) or isinstance(v, bool):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _scale(panel: TrendPanel) -> tuple[float, str]:
    """(the axis divisor, the unit written after the panel's title): 万元 for money."""
    top = max([abs(v) for v in panel.values + panel.bounds if v is not None] or [0])
    if panel.unit == "yuan" and top >= 10000:
        return 10000.0, "万元"
    m = METRICS.get(panel.metric)
    return 1.0, m.display if m is not None and m.display != "%" else ""


def _nice(x: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at least ``x``."""
    if x <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(x))
    return next(m * e for m in (1, 2, 2.5, 5, 10) if m * e >= x - 1e-12)


def _ticks(lo: float, hi: float, integer: bool) -> list[float]:
    step = _nice((hi - lo) / 2)
    if integer:
        step = max(1.0, math.ceil(step))
    start = math.floor(lo / step) * step
    out, t = [], start
    while t <= hi + 1e-9 and len(out) < 6:
        out.append(t)
        t += step
    return out


def _tick_text(v: float, percent: bool, scale: float) -> str:
    if percent:
        return f"{v * 100:.4g}%"
    x = v / scale
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _fmt_value(v: float | None, percent: bool, scale: float) -> str:
    if v is None:
        return "无"
    if percent:
        return f"{v * 100:.2f}%"
    return _tick_text(v, False, scale)


def panel_svg(years: Sequence[int], p: TrendPanel) -> str:
    """One panel as an SVG document: the values as a line with a dot per year
    (coloured by the year's outcome), each year's bound as a short dashed red line."""
    percent = p.unit == "fraction"
    scale, _ = (1.0, "") if percent else _scale(p)
    known = [v for v in p.values + p.bounds if v is not None]
    lo = min([0.0, *known]) if known else 0.0
    hi = max(known) if known else 1.0
    hi = hi * 1.1 if hi > 0 else (1.0 if hi == lo else hi)
    integer = not percent and p.unit in ADDITIVE_UNITS and scale == 1
    ticks = _ticks(lo, hi, integer)
    hi = max(hi, ticks[-1])
    n = len(years)
    gap = (_RIGHT - _LEFT) / max(n, 1)

    def x(i: int) -> float:
        return _LEFT + gap * (i + 0.5)

    def y(v: float) -> float:
        return _BOTTOM - (v - lo) / ((hi - lo) or 1) * (_BOTTOM - _TOP)

    el = [f'<line x1="{_LEFT}" y1="{_BOTTOM}" x2="{_RIGHT}" y2="{_BOTTOM}" stroke="#a0aec0"/>',
          f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_BOTTOM}" stroke="#a0aec0"/>']
    for t in ticks:
        el.append(f'<line x1="{_LEFT - 3}" y1="{y(t):.1f}" x2="{_LEFT}" y2="{y(t):.1f}" stroke="#a0aec0"/>'
                  f'<text x="{_LEFT - 5}" y="{y(t) + 3:.1f}" text-anchor="end">{_tick_text(t, percent, scale)}</text>')
    every = 1 if n <= 7 else 2
    for i, yr in enumerate(years):
        if i % every == 0 or i == n - 1:
            el.append(f'<text x="{x(i):.1f}" y="{_BOTTOM + 13}" text-anchor="middle">{yr}</text>')
    for i, b in enumerate(p.bounds):
        if b is not None:
            el.append(f'<line x1="{x(i) - gap * 0.38:.1f}" y1="{y(b):.1f}" x2="{x(i) + gap * 0.38:.1f}" '
                      f'y2="{y(b):.1f}" stroke="{charts.BOUND_COLOUR}" stroke-width="1.6" stroke-dasharray="4 2"/>')
    pts = [(x(i), y(v)) for i, v in enumerate(p.values) if v is not None]
    if len(pts) > 1:
        el.append('<polyline fill="none" stroke="#4a5568" stroke-width="1.4" points="'
                  + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts) + '"/>')
    for i, v in enumerate(p.values):
        if v is not None:
            colour = OUTCOME_COLOURS.get(p.outcomes[i], NEUTRAL_COLOUR)
            el.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.6" fill="{colour}" stroke="#4a5568" '
                      'stroke-width="0.8"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {PANEL_W} {PANEL_H}" width="{PANEL_W}" '
            f'height="{PANEL_H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="9" fill="#2d3748">'
            + "".join(el) + "</svg>")


def panel_alt(years: Sequence[int], p: TrendPanel, title: str) -> str:
    """The panel in words: each year's value and bound."""
    percent = p.unit == "fraction"
    scale, unit_text = (1.0, "") if percent else _scale(p)
    parts = []
    for yr, v, b in zip(years, p.values, p.bounds, strict=True):
        bound = f"（界限 {_fmt_value(b, percent, scale)}）" if b is not None else ""
        parts.append(f"{yr}年 {_fmt_value(v, percent, scale)}{bound}")
    return f"{title}：{p.label}{'（' + unit_text + '）' if unit_text else ''}，" + "；".join(parts)


@dataclass(frozen=True)
class Multiples:
    """Small multiples ready for the page (``html()``, as a chart of :mod:`charts`)."""

    markup: str

    def html(self) -> str:
        return self.markup

    def _repr_html_(self) -> str:
        return self.markup


def small_multiples(years: Sequence[int], panels: Sequence[TrendPanel], *, title: str, alt: str = "",
                    caption: str = "") -> Multiples:
    """One small chart per panel over ``years``: the values (a dot per year: blue when
    the criterion passed, grey when it failed, amber unknown, slate without a
    criterion) and, dashed red, the
    bound of each year. Each panel is an SVG data URI with its values in its alt text."""
    figs = []
    for p in panels:
        percent = p.unit == "fraction"
        _, unit_text = (1.0, "") if percent else _scale(p)
        uri = "data:image/svg+xml;base64," + base64.b64encode(panel_svg(years, p).encode("utf-8")).decode("ascii")
        head = html.escape(p.label + (f"（{unit_text}）" if unit_text else ""))
        figs.append(f'<figure class="trend-panel" style="display:inline-block;width:23.5%;min-width:150px;'
                    f'margin:0 1% 0.5em 0;vertical-align:top;break-inside:avoid">'
                    f'<figcaption style="font-size:0.8em;margin:0;color:#2d3748">{head}</figcaption>'
                    f'<img src="{uri}" alt="{html.escape(panel_alt(years, p, title), quote=True)}" '
                    f'width="{PANEL_W}" height="{PANEL_H}" style="width:100%;height:auto;display:block"/></figure>')
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    label = f' aria-label="{html.escape(alt, quote=True)}"' if alt else ""
    return Multiples(f'<figure class="chart trends"{label} style="break-inside:avoid">'
                     f'<div class="trends-title" style="font-weight:700;margin:0.2em 0">{html.escape(title)}</div>'
                     + "".join(figs) + cap + "</figure>")

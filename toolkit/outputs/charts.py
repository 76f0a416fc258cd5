"""Charts for the report: matplotlib figures with a CJK font, embedded as data URIs.

The builders take plain numbers and labels (the report maps an ``Evaluation`` onto
them), the bound to draw, which the caller takes from the rules object, and each
value's criterion outcome (``pass``/``fail``/``unknown``), which colours it: a chart
never judges a value against its bound itself. Figures are
made with :class:`matplotlib.figure.Figure` and the Agg canvas directly, never pyplot,
so nothing depends on the notebook's backend and nothing is kept in a global figure
registry.

A CJK font is looked up among the installed fonts (``matplotlib.font_manager``); if
none is found :class:`FontMissingError` names the package to install, instead of
rendering tofu boxes with "Glyph ... missing from font" warnings.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("Agg", force=False)  # harmless in a kernel; never opens a window

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from toolkit.exceptions import ToolkitError
from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_
from toolkit.outputs.values import fmt_value, missing  # noqa: E402

# In order of preference; the same list is the CSS font stack of the report.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "WenQuanYi Zen Hei",
)
FONT_HINT = N_(
    "install a Simplified Chinese font, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu), "
    "`dnf install google-noto-sans-cjk-ttc-fonts` (Fedora) or Microsoft YaHei/SimHei on Windows, "
    "then delete matplotlib's font cache (~/.cache/matplotlib)"
)

# colours: pass / fail / unknown / bound, readable in greyscale print too
PASS_COLOUR = "#2b6cb0"
FAIL_COLOUR = "#c0c0c0"
UNKNOWN_COLOUR = "#f0c36d"
BOUND_COLOUR = "#c53030"
SERIES_COLOURS = ("#2b6cb0", "#c53030", "#2f855a", "#b7791f")
LABEL_ALL_POINTS = 12  # a scatter with more points names only the 12 closest to both bounds
SCATTER_LABEL_PT = 10  # vertical room of a point's name (7 pt text), in points
DPI = 144
SMALLEST_TEXT_PT = 7  # the smallest text of a chart (values beside bars, scatter names)
SMALLEST_TEXT_PX = SMALLEST_TEXT_PT * DPI / 72  # the same in the PNG's pixels
MIN_LABEL_PX = 10  # on a phone the smallest text is shown at least this big


class FontMissingError(ToolkitError):
    """No CJK font is installed, so Chinese labels cannot be drawn."""


@lru_cache(maxsize=1)
def find_cjk_font() -> str:
    """The family name of the first installed font of :data:`CJK_FONTS`."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    raise FontMissingError(_("no Chinese (CJK) font found for the charts"), hint=_(FONT_HINT))


def _rc() -> dict:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [find_cjk_font(), "DejaVu Sans"],
        "axes.unicode_minus": False,  # U+2212 is not in every CJK font
        "text.parse_math": False,  # a "$" in a unit's name is text, not mathtext
        "font.size": 9,
        "axes.titlesize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "toolkit",
    }


@dataclass(frozen=True)
class Chart:
    """A rendered chart: a data URI and the text that stands for it."""

    uri: str
    alt: str
    caption: str = ""
    width_px: int = 0  # the PNG's width

    def min_width(self) -> int:
        """The narrowest the image may be shown with its smallest text at
        :data:`MIN_LABEL_PX` (a narrower screen scrolls the chart inside its box)."""
        return math.ceil(self.width_px * MIN_LABEL_PX / SMALLEST_TEXT_PX) if self.width_px else 0

    def html(self) -> str:
        cap = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        style = f' style="min-width: {self.min_width()}px"' if self.width_px else ""
        return (
            f'<figure class="chart"><div class="chart-box"><img src="{self.uri}" '
            f'alt="{html.escape(self.alt, quote=True)}" data-label-px="{SMALLEST_TEXT_PX:g}" '
            f'width="{self.width_px}"{style}/></div>{cap}</figure>'
        )

    def _repr_html_(self) -> str:
        return self.html()


def with_cjk_font(func):
    """Run a chart builder with the CJK font in matplotlib's settings.

    Text objects read the font settings when they are made, so the whole builder (not
    just ``savefig``) runs inside the context; the global rcParams are left as they were.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(_rc()):
            return func(*args, **kwargs)

    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A figure in inches with an Agg canvas; call inside :func:`with_cjk_font`."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def render(fig: Figure, *, alt: str, caption: str = "", dpi: int = DPI) -> Chart:
    """The figure as a PNG data URI (no timestamp or version in the file)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    png = buf.getvalue()
    width = int.from_bytes(png[16:20], "big")  # the IHDR chunk
    data = base64.b64encode(png).decode("ascii")
    return Chart(uri=f"data:image/png;base64,{data}", alt=alt, caption=caption, width_px=width)


# --- number formats ------------------------------------------------------------------


def fmt_number(v, *, percent: bool = False, digits: int = 2) -> str:
    """``31,000``; ``75.00%`` for a fraction; ``?`` for an unknown value
    (:func:`toolkit.outputs.values.fmt_value`)."""
    return fmt_value(v, "fraction" if percent else None, digits=digits)


def _scaled(x: float, scale: float) -> str:
    """A tick in the scaled unit with as many decimals as it needs (0.5, 1, 1.5: never
    0, 0, 1, 1), and never a negative zero."""
    text = f"{x / scale:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _axis_formatter(percent: bool, scale: float):
    if percent:
        return FuncFormatter(lambda x, _pos: f"{x * 100:g}%")
    return FuncFormatter(lambda x, _pos: _scaled(x, scale) if scale != 1 else f"{x:,.0f}")


def set_value_axis(axis, *, percent: bool = False, scale: float = 1.0) -> None:
    """Ticks of a value axis: counts on whole numbers only (integer locator), a scaled
    unit (万元) with the decimals it needs, shares as percentages."""
    axis.set_major_formatter(_axis_formatter(percent, scale))
    if not percent and scale == 1:
        axis.set_major_locator(MaxNLocator(integer=True))


#: a value's colour by its criterion's outcome; no outcome (no criterion): unknown
OUTCOME_COLOURS = {"pass": PASS_COLOUR, "fail": FAIL_COLOUR, "unknown": UNKNOWN_COLOUR}


def _colour(outcome: str | None) -> str:
    return OUTCOME_COLOURS.get(outcome, UNKNOWN_COLOUR)


# --- builders ------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """One horizontal bar panel: a value per label, the bound it is held to and the
    outcome of each value's criterion (None where it has none)."""

    title: str
    values: Sequence[float | None]
    bound: float | None = None
    outcomes: Sequence[str | None] = ()  # pass / fail / unknown per value; empty: none
    bound_label: str = ""
    axis_label: str = ""
    percent: bool = False
    scale: float = 1.0  # axis ticks divided by this (10,000 for 万元)


def _draw_panel(ax, labels: Sequence[str], panel: Panel) -> None:
    n = len(labels)
    ys = list(range(n))
    vals = [0.0 if missing(v) else float(v) for v in panel.values]
    outcomes = list(panel.outcomes) or [None] * n
    colours = [_colour(oc) for oc in outcomes]
    ax.barh(ys, vals, color=colours, height=0.7)
    ax.set_yticks(ys, labels)
    ax.invert_yaxis()
    ax.set_title(panel.title, pad=16)
    ax.set_xlabel(panel.axis_label)
    set_value_axis(ax.xaxis, percent=panel.percent, scale=panel.scale)
    top = max([v for v in vals] + [panel.bound or 0.0, 0.0]) or 1.0
    for y, v in zip(ys, panel.values, strict=True):
        text = fmt_number(v, percent=panel.percent)
        x = 0.0 if missing(v) else float(v)
        ax.text(x + top * 0.01, y, text, va="center", fontsize=7)
    if not missing(panel.bound):
        ax.axvline(panel.bound, color=BOUND_COLOUR, linestyle="--", linewidth=1.2)
        label = panel.bound_label or fmt_number(panel.bound, percent=panel.percent)
        ax.text(panel.bound, 1.0, label, color=BOUND_COLOUR, ha="center", va="bottom", fontsize=8,
                transform=ax.get_xaxis_transform(), clip_on=False)
    ax.set_xlim(0, top * 1.18)
    ax.set_ylim(n - 0.5, -0.6)


@with_cjk_font
def bars(labels: Sequence[str], panels: Sequence[Panel], *, title: str = "", alt: str,
         caption: str = "") -> Chart:
    """Horizontal bars per label, one panel per measure, each with its bound drawn in.

    Bars whose criterion passes are blue, those that fail grey, unknown ones amber.
    """
    n = max(len(labels), 1)
    height = max(2.4, 1.4 + 0.26 * n)
    fig = new_figure(4.2 * len(panels) + 1.6, height)
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    for ax, panel in zip(axes, panels, strict=True):
        _draw_panel(ax, labels, panel)
    if title:
        fig.suptitle(title)
    return render(fig, alt=alt, caption=caption)


@with_cjk_font
def ratio_scatter(labels: Sequence[str], x: Sequence[float | None], y: Sequence[float | None], *,
                  x_bound: float | None, y_bound: float | None, x_label: str, y_label: str,
                  passes: Sequence[bool] = (), title: str = "", alt: str, caption: str = "") -> Chart:
    """Two ratios per unit, with both bounds drawn in; the upper right box passes both.
    ``passes`` says per unit whether both its criteria pass (its point is blue).

    With many units only the :data:`LABEL_ALL_POINTS` closest to meeting both bounds
    are named (every one that meets both first), so the names stay legible; every
    unit's values are in the report's tables.
    """
    fig = new_figure(7.5, 5.5)
    ax = fig.subplots()
    both = list(passes) or [False] * len(labels)
    pts = [(lab, a, b, ok) for lab, a, b, ok in zip(labels, x, y, both, strict=True)
           if not missing(a) and not missing(b)]

    def shortfall(a, b) -> float:
        return sum(max(0.0, 1 - v / bound) for v, bound in ((a, x_bound), (b, y_bound))
                   if not missing(bound) and bound)

    # those whose criteria both pass first, then the nearest to the bounds
    ranked = sorted(range(len(pts)), key=lambda i: (not pts[i][3], shortfall(pts[i][1], pts[i][2]), i))
    named = sorted(ranked[:LABEL_ALL_POINTS])
    for _lab, a, b, ok in pts:
        ax.scatter([a], [b], color=PASS_COLOUR if ok else "#718096", s=22, zorder=3)
    if not missing(x_bound):
        ax.axvline(x_bound, color=BOUND_COLOUR, linestyle="--", linewidth=1.2)
        ax.text(x_bound, 1.0, f" {fmt_number(x_bound, percent=True, digits=0)}",
                transform=ax.get_xaxis_transform(), color=BOUND_COLOUR, va="bottom", fontsize=8)
    if not missing(y_bound):
        ax.axhline(y_bound, color=BOUND_COLOUR, linestyle="--", linewidth=1.2)
        ax.text(1.0, y_bound, f" {fmt_number(y_bound, percent=True, digits=0)}",
                transform=ax.get_yaxis_transform(), color=BOUND_COLOUR, ha="left", fontsize=8)
    # the axes span the data and the bounds (not from 0: the units sit close together)
    xlo, xhi = _span([p[1] for p in pts] + [x_bound])
    ylo, yhi = _span([p[2] for p in pts] + [y_bound])
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ylo, yhi)
    # names at least a line apart, each joined to its point when moved
    gap = (yhi - ylo) * SCATTER_LABEL_PT / (fig.get_figheight() * 72 * 0.8)
    label_ys = _spread([pts[i][2] for i in named], gap, ylo + gap / 2, yhi - gap / 2)
    label_ys = [_off_line(ly, b, y_bound, gap) for ly, b in
                zip(label_ys, [pts[i][2] for i in named], strict=True)]
    for i, ly in zip(named, label_ys, strict=True):
        lab, a, b, _ok = pts[i]
        moved = abs(ly - b) > gap / 3
        ax.annotate(lab, (a, b), xytext=(a + (xhi - xlo) * 0.012, ly), textcoords="data",
                    fontsize=7, va="center",
                    arrowprops={"arrowstyle": "-", "color": "#a0aec0", "lw": 0.6} if moved else None)
    ax.xaxis.set_major_formatter(_axis_formatter(True, 1))
    ax.yaxis.set_major_formatter(_axis_formatter(True, 1))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    if title:
        ax.set_title(title, pad=14)  # room for the bound's label above the axes
    unplotted = len(labels) - len(pts)
    if unplotted:
        ax.text(0.01, 0.01, f"另有 {unplotted} 个单位比值未知，未画出", transform=ax.transAxes,
                fontsize=7, color="#4a5568")
    return render(fig, alt=alt, caption=caption)


def _off_line(ly: float, y: float, bound: float | None, gap: float) -> float:
    """A label's height moved off the horizontal bound line (to the side of its point)."""
    if missing(bound) or abs(ly - bound) >= gap * 0.6:
        return ly
    return bound + gap * 0.6 if y >= bound else bound - gap * 0.6


def _span(values) -> tuple[float, float]:
    """Axis limits around ``values`` (missing ones ignored) with a margin of 8%."""
    vals = [float(v) for v in values if not missing(v)]
    if not vals:
        return 0.0, 1.0
    lo, hi = min(vals), max(vals)
    pad = max((hi - lo) * 0.08, 0.02)
    return max(lo - pad, 0.0) if lo >= 0 else lo - pad, hi + pad


def _spread(ys: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label heights near ``ys``, at least ``gap`` apart, in the same order, inside
    ``[lo, hi]`` as far as they fit."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    pos = [min(max(ys[i], lo), hi) for i in order]
    for k in range(1, len(pos)):
        pos[k] = max(pos[k], pos[k - 1] + gap)
    if pos and pos[-1] > hi:
        pos[-1] = hi
        for k in range(len(pos) - 2, -1, -1):
            pos[k] = min(pos[k], pos[k + 1] - gap)
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out


@with_cjk_font
def monthly(months: Sequence[str], series: dict[str, Sequence[float]], *, title: str = "",
            axis_label: str = "", scale: float = 1.0, alt: str, caption: str = "") -> Chart:
    """Grouped bars by month, one colour per series (e.g. payments and refunds)."""
    fig = new_figure(7.5, 3.4)
    ax = fig.subplots()
    k = max(len(series), 1)
    width = 0.8 / k
    for i, (name, values) in enumerate(series.items()):
        xs = [m + (i - (k - 1) / 2) * width for m in range(len(months))]
        ax.bar(xs, list(values), width=width, label=name,
               color=SERIES_COLOURS[i % len(SERIES_COLOURS)])
    ax.set_xticks(range(len(months)), months)
    set_value_axis(ax.yaxis, scale=scale)
    ax.set_ylabel(axis_label)
    if title:
        ax.set_title(title)
    if series:
        ax.legend(frameon=False)
    return render(fig, alt=alt, caption=caption)

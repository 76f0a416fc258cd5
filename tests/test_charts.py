"""Charts: a CJK font is found, Chinese labels draw without missing glyphs, charts are
PNG data URIs with alt text, bounds colour the bars."""

from __future__ import annotations

import base64
import warnings

import pytest
from matplotlib.figure import Figure

from toolkit.outputs import charts

LABELS = ["长沙开放大学", "株洲开放大学（测试）", "湘西土家族苗族自治州开放大学", "a$x$b"]


def _png(chart: charts.Chart) -> bytes:
    head, data = chart.uri.split(",", 1)
    assert head == "data:image/png;base64"
    raw = base64.b64decode(data)
    assert raw.startswith(b"\x89PNG\r\n\x1a\n")
    return raw


def test_a_cjk_font_is_found():
    assert charts.find_cjk_font() in charts.CJK_FONTS


def test_chinese_labels_draw_without_missing_glyph_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = [
            charts.bars(LABELS, [charts.Panel("年度缴费人数", [31000, 29999, None, 5], bound=30000,
                                              bound_label="≥ 30,000人", axis_label="人"),
                                 charts.Panel("退费率", [0.01, 0.02, 0.015, None], bound=0.015,
                                              outcomes=["pass", "fail", "pass", "unknown"], percent=True)],
                        title="事业单位项目：缴费人数与退费率 −1", alt="条形图"),
            charts.ratio_scatter(LABELS, [0.8, 0.5, None, 0.76], [0.5, 0.2, 0.4, 0.46], x_bound=0.75,
                                 y_bound=0.45, x_label="缴费人数 ÷ 注册人数", y_label="缴费人数 ÷ 应培人数",
                                 title="比例", alt="散点图"),
            charts.monthly([f"{m}月" for m in range(1, 13)], {"缴费": [1e5] * 12, "退费": [1e3] * 12},
                           scale=10000, axis_label="万元", title="按月缴费与退费", alt="柱状图"),
        ]
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "missing from font" in m or "Glyph" in m], messages
    for c in out:
        _png(c)


def test_chart_html_has_alt_text_escaped():
    c = charts.bars(["单位"], [charts.Panel("人数", [1], bound=2)], alt='<script>"x"</script>',
                    caption="<b>说明</b>")
    html = c.html()
    assert 'alt="&lt;script&gt;&quot;x&quot;&lt;/script&gt;"' in html
    assert "<b>" not in html and "&lt;b&gt;说明" in html
    assert 'src="data:image/png;base64,' in html
    assert c._repr_html_() == html


def test_same_input_same_png():
    def make():
        return charts.bars(["甲", "乙"], [charts.Panel("人数", [3, 1], bound=2)], alt="x").uri

    assert make() == make()


def test_missing_cjk_font_names_the_package(monkeypatch):
    charts.find_cjk_font.cache_clear()
    monkeypatch.setattr(charts.font_manager.fontManager, "ttflist", [])
    try:
        with pytest.raises(charts.FontMissingError) as err:
            charts.find_cjk_font()
        assert "fonts-noto-cjk" in str(err.value)
    finally:
        monkeypatch.undo()
        charts.find_cjk_font.cache_clear()
    assert charts.find_cjk_font() in charts.CJK_FONTS


def _bar_colours(panel: charts.Panel, labels) -> list[str]:
    """The colours of a panel's bars as drawn (hex)."""
    from matplotlib.colors import to_hex

    fig = Figure()
    ax = fig.subplots()
    charts._draw_panel(ax, labels, panel)
    return [to_hex(p.get_facecolor()) for p in ax.patches]


@pytest.mark.parametrize(
    ("values", "outcomes", "expected"),
    [
        # the criterion's outcome colours a bar, whatever a float comparison would say:
        # 74.995% shown beside a 75% bound fails, a value exactly at the bound passes
        ([0.74995, 0.75, 0.80], ["fail", "pass", "pass"], [charts.FAIL_COLOUR, charts.PASS_COLOUR,
                                                             charts.PASS_COLOUR]),
        ([0.75, 0.75], ["pass", "fail"], [charts.PASS_COLOUR, charts.FAIL_COLOUR]),  # same value, two bounds
        ([None, 0.5], ["unknown", None], [charts.UNKNOWN_COLOUR, charts.UNKNOWN_COLOUR]),
        ([0.9, 0.1], [], [charts.UNKNOWN_COLOUR, charts.UNKNOWN_COLOUR]),  # no criterion
    ],
)
def test_the_criterion_outcome_decides_the_colour(values, outcomes, expected):
    panel = charts.Panel("比例", values, bound=0.75, outcomes=outcomes, percent=True)
    assert _bar_colours(panel, [str(i) for i in range(len(values))]) == [c.lower() for c in expected]


def test_per_value_outcomes():
    # one panel holding an "at least" and an "at most" criterion, each against 100%
    c = charts.bars(["人数", "退费率"], [charts.Panel("实际值 ÷ 界限", [1.2, 0.5], bound=1.0,
                                                     outcomes=["pass", "pass"], percent=True)], alt="x")
    _png(c)


def test_number_formats():
    assert charts.fmt_number(31000) == "31,000"
    assert charts.fmt_number(0.75, percent=True) == "75.00%"
    assert charts.fmt_number(None) == "?"
    assert charts.fmt_number(float("nan")) == "?"


def test_scatter_names_are_spread_a_line_apart():
    ys = [0.50, 0.505, 0.51, 0.30, 0.995]
    out = charts._spread(ys, 0.02, 0.0, 1.0)
    assert sorted(range(5), key=lambda i: out[i]) == sorted(range(5), key=lambda i: ys[i])  # order kept
    s = sorted(out)
    assert all(b - a >= 0.02 - 1e-12 for a, b in zip(s, s[1:], strict=False))
    assert max(out) <= 1.0 and out[3] == 0.30  # a lone name stays by its point
    assert charts._spread([], 0.1, 0, 1) == []


def test_ticks_of_counts_are_whole_and_of_scaled_units_distinct():
    fig = Figure()
    ax = fig.subplots()
    ax.bar([0, 1, 2], [0, 1, 2])
    charts.set_value_axis(ax.yaxis)
    fig.canvas.draw() if fig.canvas else None
    ticks = [t for t in ax.get_yticks() if 0 <= t <= 2]
    assert all(float(t).is_integer() for t in ticks)
    fmt = charts._axis_formatter(False, 10000)
    shown = [fmt(x, 0) for x in (0, 5000, 10000, 15000, 20000)]
    assert shown == ["0", "0.5", "1", "1.5", "2"] and fmt(-0.0, 0) == "0"


def test_a_chart_keeps_its_smallest_text_at_10_px():
    c = charts.monthly(["1月", "2月"], {"缴费": [1.0, 2.0]}, alt="x")
    assert c.width_px > 0 and c.min_width() * charts.SMALLEST_TEXT_PX / c.width_px >= charts.MIN_LABEL_PX - 0.01
    assert f'min-width: {c.min_width()}px' in c.html() and 'class="chart-box"' in c.html()


def test_scatter_labels_leave_the_bound_line():
    assert charts._off_line(0.45, 0.46, 0.45, 0.01) > 0.45
    assert charts._off_line(0.45, 0.44, 0.45, 0.01) < 0.45
    assert charts._off_line(0.50, 0.50, 0.45, 0.01) == 0.50

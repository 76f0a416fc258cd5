"""The closing sections: the comparison with the previous year, the metrics' definitions."""

from __future__ import annotations

import dataclasses
import html
import re

import pandas as pd
from report_helpers import run_context, write_tiny_year

from toolkit.metrics.registry import DEFINED_METRICS, METRICS, TRACK_METRICS
from toolkit.outputs.report import appendix
from toolkit.outputs.report.frame import html_of


def test_year_over_year_with_the_previous_year(tmp_path):
    write_tiny_year(tmp_path / "2021", 2021)
    write_tiny_year(tmp_path / "2022", 2022)
    c = run_context(tmp_path / "run", tmp_path / "2022")
    assert c.previous is not None and c.previous.year == 2021
    page = str(appendix.year_over_year(c))
    assert "2021年" in page and "自然年" in page  # no rules/2021.yaml beside the 2022 one
    assert "+0.0%" in page  # the same figures both years


def test_units_that_left_are_listed_and_no_negative_zero(tmp_path):
    write_tiny_year(tmp_path / "2021", 2021)
    write_tiny_year(tmp_path / "2022", 2022)
    c = run_context(tmp_path / "run", tmp_path / "2022")
    old = c.previous.metrics
    gone = old[old["unit_id"] == "U001"].assign(unit_id="U009", unit_name="已撤并分校")
    tweaked = old.copy()
    tweaked.loc[tweaked["track"] == "staff", "refunds"] *= 1.00001  # a change far below 0.01 个百分点
    c = dataclasses.replace(c, previous=dataclasses.replace(c.previous, metrics=pd.concat([tweaked, gone])))
    page = str(appendix.year_over_year(c))
    assert "上一年度参评、本年度未参评的单位" in page and "已撤并分校（U009）" in page
    assert "-0.00" not in page and "\u22120.00" not in page
    assert "<td>已撤并分校（U009）</td>" not in page  # listed, not a row of the comparison


def test_the_definitions_are_the_registrys_metrics(ctx):
    """The rules section's 指标口径 table: one row per metric the registry defines, in its
    order, each with the entry's label, definition and why it can be unknown."""
    page = html_of(appendix.rules_section(ctx))
    defs = page.split("<h4>指标口径</h4>", 1)[1].split("</table>", 1)[0]
    rows = [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", defs, re.S)]
    rows = [r for r in rows if r]
    assert rows == [[METRICS[k].label, METRICS[k].definition, METRICS[k].unknown_when] for k in DEFINED_METRICS]
    assert {r[0] for r in rows} == {METRICS[k].label for k in TRACK_METRICS["staff"] + TRACK_METRICS["professional"]
                                    if k != "contract_terminated_on"}

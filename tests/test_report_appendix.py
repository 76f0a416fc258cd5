"""The closing sections: the comparison with the previous year."""

from __future__ import annotations

from report_helpers import run_context, write_tiny_year

from toolkit.outputs.report import appendix


def test_year_over_year_with_the_previous_year(tmp_path):
    write_tiny_year(tmp_path / "2021", 2021)
    write_tiny_year(tmp_path / "2022", 2022)
    c = run_context(tmp_path / "run", tmp_path / "2022")
    assert c.previous is not None and c.previous.year == 2021
    page = str(appendix.year_over_year(c))
    assert "2021年" in page and "自然年" in page  # no rules/2021.yaml beside the 2022 one
    assert "+0.0%" in page  # the same figures both years

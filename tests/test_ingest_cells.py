"""Non-text cells (workbook and Parquet numbers, booleans, dates) as text."""

from __future__ import annotations

import pytest

from toolkit.ingest.cells import cell_str, imprecise_number


def test_excel_numeric_id_cells():
    assert cell_str(123456789012.0) == "123456789012"
    assert cell_str(4.30102199001011e17) == "430102199001011008"  # as stored: no exponent
    assert cell_str(7) == "7"
    assert cell_str(True) == "true"
    assert cell_str(None) == ""


@pytest.mark.parametrize("value, imprecise", [
    (4.304051988051886e17, True), (430405198805188000.0, True), (4304051988051886.0, True),
    (1e15, True), (123456789012345.0, False), (999999999999999, False), (180.5, False),
    (0.1234567890123456, True), (44531.236041667, False), (float("nan"), False), (True, False),
    ("430405198805188638", False), (None, False),
])
def test_imprecise_number(value, imprecise):
    assert imprecise_number(value) is imprecise

"""Non-text cells (workbook and Parquet numbers, booleans, dates) as text."""

from __future__ import annotations

from toolkit.ingest.cells import cell_str


def test_excel_numeric_id_cells():
    assert cell_str(123456789012.0) == "123456789012"
    assert cell_str(4.30102199001011e17) == "430102199001011008"  # as stored: no exponent
    assert cell_str(7) == "7"
    assert cell_str(True) == "true"
    assert cell_str(None) == ""

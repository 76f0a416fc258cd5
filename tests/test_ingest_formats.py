"""What a workbook is, told from its bytes: a workbook protected by a password says so
(never "not a zip file" or "damaged"), and a sheet filled to its format's last row is
refused as possibly cut. Real files written by Excel and others are in tests/data."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import xlwt
from ingest_helpers import PAYMENTS, write_table

from toolkit.exceptions import MissingColumnError, UnreadableFileError
from toolkit.ingest.table import read_table

DATA = Path(__file__).parent / "data" / "spreadsheets"
BIFF_MAX_ROWS = 65_536  # the rows of an .xls sheet
SHEET_MAX_ROWS = 1_048_576  # of an .xlsx sheet


@pytest.mark.parametrize(("source", "name"), [
    ("xor-encryption-abc.xls", "缴费明细.xls"),  # XOR obfuscation (FILEPASS)
    ("password.xls", "缴费明细.xls"),  # RC4
    ("xor-encryption-abc.xls", "缴费明细.et"),  # WPS's .et is the same format
    ("protected_passtika.xlsx", "缴费明细.xlsx"),  # OLE2 with EncryptedPackage
    ("protected_passtika.xlsx", "缴费明细.xlsm"),
])
def test_a_workbook_protected_by_a_password_says_so(tmp_path, source, name):
    p = tmp_path / name
    shutil.copy(DATA / source, p)
    with pytest.raises(UnreadableFileError) as e:
        read_table(p, "staff_payments")
    text = str(e.value)
    assert "password-protected" in text and name in text
    assert "damaged" not in text and "zip" not in text.lower()


def _xls_rows(path: Path, last_row: int) -> Path:
    """An .xls whose sheet holds the payments' header, two rows and a cell in row
    ``last_row`` (as Excel numbers rows)."""
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    for i, r in enumerate(PAYMENTS):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    ws.write(last_row - 1, 5, "end")
    wb.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_an_xls_sheet_of_65536_rows_may_have_been_cut(tmp_path, suffix):
    p = _xls_rows(tmp_path / "x.xls", BIFF_MAX_ROWS).rename(tmp_path / f"缴费明细{suffix}")
    with pytest.raises(UnreadableFileError) as e:
        read_table(p, "staff_payments")
    text = str(e.value)
    assert "65,536 rows" in text and "may have been cut" in text and f"缴费明细{suffix}" in text
    assert "CSV" in text  # what to do


def test_an_xls_sheet_one_row_short_of_the_limit_is_read(tmp_path):
    raw = read_table(_xls_rows(tmp_path / "缴费明细.xls", BIFF_MAX_ROWS - 1), "staff_payments")
    assert raw.data["order_id"].tolist()[:2] == ["0001", "0002"]


def test_an_xlsx_sheet_of_1048576_rows_may_have_been_cut(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in PAYMENTS:
        ws.append(r)
    ws.cell(row=SHEET_MAX_ROWS, column=6, value="end")
    wb.save(tmp_path / "缴费明细.xlsx")
    with pytest.raises(UnreadableFileError) as e:
        read_table(tmp_path / "缴费明细.xlsx", "staff_payments")
    assert "1,048,576 rows" in str(e.value) and "may have been cut" in str(e.value)


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls", ".et", ".ods"])
def test_a_table_in_every_workbook_format_is_read(tmp_path, suffix):
    raw = read_table(write_table(tmp_path / f"缴费明细{suffix}", PAYMENTS), "staff_payments")
    assert raw.data["unit"].tolist() == ["长沙开放大学", "U001"]
    assert raw.data["amount"].tolist() == ["180", "1,800"]


@pytest.mark.parametrize(("source", "first_cell"), [
    ("SimpleStrict.xlsx", "test"),  # Excel's Strict Open XML
    ("SampleSS.ods", "Test spreadsheet"),  # OpenOffice
    ("sample.xlsb", "Lorem"),  # Excel binary
])
def test_real_workbooks_of_other_programs_are_read(tmp_path, source, first_cell):
    """Files none of this project's code wrote: read, their first cell as typed (they
    hold no table of the contract, so the error names the file and its headers)."""
    p = tmp_path / ("缴费明细" + Path(source).suffix)
    shutil.copy(DATA / source, p)
    with pytest.raises(MissingColumnError) as e:
        read_table(p, "staff_payments")
    assert first_cell in str(e.value) and p.name in str(e.value)

"""Excel workbooks: typed cells, the first sheet, damaged and encrypted files, and the
fast reader (fastexcel) giving the same cells as the general one (python-calamine)."""

from __future__ import annotations

import datetime as dt
import zipfile

import pandas as pd
import pytest
from ingest_helpers import PAYMENTS, check_payments, write_table

from toolkit.exceptions import UnreadableFileError
from toolkit.ingest import workbook
from toolkit.ingest.table import read_rows, read_table


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_workbook_typed_cells(tmp_path, suffix):
    rows = [
        ["order_id", "trainee_id", "unit", "amount", "paid_at"],
        [123456789012, 42, "U001", 180.0, dt.datetime(2022, 3, 5, 14, 3, 7)],
        [123456789013.0, 43, "U001", 180.5, 44625.5],
    ]
    raw = read_table(write_table(tmp_path / f"x{suffix}", rows), "staff_payments")
    d = raw.data
    assert d["order_id"].tolist() == ["123456789012", "123456789013"]
    assert d["trainee_id"].tolist() == ["42", "43"]
    assert d["amount"].tolist() == ["180", "180.5"]
    assert d["paid_at"].tolist() == ["2022-03-05 14:03:07", "44625.5"]


def test_workbook_first_sheet_only(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "明细"
    for r in PAYMENTS:
        wb.active.append(r)
    other = wb.create_sheet("说明")
    other.append(["nothing"])
    wb.save(tmp_path / "p.xlsx")
    raw = read_table(tmp_path / "p.xlsx", "staff_payments")
    assert raw.sheet == "明细"
    check_payments(raw)


def test_corrupt_xlsx(tmp_path):
    p = tmp_path / "缴费明细.xlsx"
    p.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(UnreadableFileError) as e:
        read_rows(p)
    assert "缴费明细.xlsx" in str(e.value) and "save it again" in str(e.value)


def test_zip_without_workbook(tmp_path):
    p = tmp_path / "x.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableFileError):
        read_rows(p)


def test_encrypted_xlsx_hint(tmp_path):
    p = tmp_path / "x.xlsx"  # encrypted OOXML files are OLE compound files
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(UnreadableFileError) as e:
        read_rows(p)
    assert "password" in str(e.value)


def test_fast_and_general_workbook_readers_agree(tmp_path, monkeypatch):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年缴费明细表"])
    ws.append([])
    ws.append(["订单号", "金额", "支付时间", "备注"])
    ws.append(["00123", 180, dt.datetime(2022, 3, 5, 14, 3, 7), "a"])
    ws.append(["00124", 180.5, dt.datetime(2022, 3, 5, 14, 3, 7, 600000), None])
    ws.append(["00125", "¥180", 44625.5, "  "])
    ws.append([None, None, None, None])
    ws.append(["合计", 541, None, None])
    p = tmp_path / "缴费明细.xlsx"
    wb.save(p)
    assert workbook.read_xlsx_fast(p) is not None
    _, fast, _ = read_rows(p)
    monkeypatch.setattr(workbook, "read_xlsx_fast", lambda path, data=None: None)
    _, general, _ = read_rows(p)
    pd.testing.assert_frame_equal(fast, general)
    assert fast.loc[5, 2] == "2022-03-05 14:03:08"  # a date cell rounded to the second


def test_workbook_not_starting_at_a1_keeps_excel_row_numbers(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"] = "x"
    ws["B4"] = "y"
    p = tmp_path / "t.xlsx"
    wb.save(p)
    _, frame, _ = read_rows(p)
    assert frame.loc[3, 1] == "x" and frame.loc[4, 1] == "y"


def _padded_workbook(path, padding: int):
    """A real workbook whose sheet XML ends in ``padding`` bytes of white space (valid
    XML, highly compressible: the shape of a workbook padded to take all the memory)."""
    write_table(path, PAYMENTS)
    src = zipfile.ZipFile(path)
    members = {i.filename: src.read(i.filename) for i in src.infolist()}
    src.close()
    members["xl/worksheets/sheet1.xml"] += b" " * padding
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return path


def test_highly_compressed_sheet_is_refused_before_reading(tmp_path):
    """A 4 MB workbook whose sheet unpacks to 4 GB took 4.4 GB of
    memory. The sizes in the zip are checked first; a few MB of padding that compress
    a thousandfold are refused by the ratio, naming the file and the limit."""
    p = _padded_workbook(tmp_path / "缴费明细.xlsx", 24 << 20)
    assert p.stat().st_size < 1 << 20
    with pytest.raises(UnreadableFileError) as e:
        read_rows(p)
    msg = str(e.value)
    assert "缴费明细.xlsx" in msg and "xl/worksheets/sheet1.xml" in msg
    assert f"{workbook.MAX_COMPRESSION_RATIO}" in msg


def test_a_zip_entry_claiming_a_huge_size_is_refused(tmp_path):
    """The size the zip's directory claims is checked (no byte is unpacked): over 2 GiB
    for one sheet is refused."""
    p = write_table(tmp_path / "缴费明细.xlsx", PAYMENTS)
    data = bytearray(p.read_bytes())
    pos = data.rfind(b"PK\x01\x02")  # the central directory entries: the last one
    while pos >= 0:
        name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
        if data[pos + 46:pos + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            data[pos + 24:pos + 28] = (3 << 30).to_bytes(4, "little")  # 3 GiB uncompressed
            break
        pos = data.rfind(b"PK\x01\x02", 0, pos)
    assert pos >= 0
    p.write_bytes(bytes(data))
    assert zipfile.ZipFile(p).getinfo("xl/worksheets/sheet1.xml").file_size == 3 << 30
    with pytest.raises(UnreadableFileError) as e:
        read_rows(p)
    assert "缴费明细.xlsx" in str(e.value) and "2 GiB" in str(e.value)


def test_an_ordinary_padded_sheet_is_read(tmp_path):
    """A little white space (as some writers leave) is no reason to refuse a file."""
    p = _padded_workbook(tmp_path / "缴费明细.xlsx", 1 << 20)
    check_payments(read_table(p, "staff_payments"))


def test_both_workbook_readers_find_the_same_imprecise_number_cells(tmp_path, monkeypatch):
    from toolkit.ingest.cells import IMPRECISE

    rows = [["order_id", "trainee_id", "unit", "amount", "paid_at"],
            ["P1", 430405198805188638, "U001", 180, "2022-03-05"],
            ["P2", "430405198805188638", "U001", 180, "2022-03-05"],
            [4304051988051886, "T3", "U001", 1e16, "2022-03-05"]]
    p = write_table(tmp_path / "缴费明细.xlsx", rows)
    assert workbook.read_xlsx_fast(p) is not None
    fast = read_rows(p)[1].attrs[IMPRECISE]
    with monkeypatch.context() as m:
        m.setattr(workbook, "read_xlsx_fast", lambda path, data=None: None)
        general = read_rows(p)[1].attrs[IMPRECISE]
    for found in (fast, general):
        assert {c: rows.tolist() for c, rows in found.items()} == {1: [1], 0: [3], 3: [3]}
    raw = read_table(p, "staff_payments")
    assert {c: rows.tolist() for c, rows in raw.imprecise.items()} == {
        "trainee_id": [2], "order_id": [4], "amount": [4]}

"""Finding files, reading every format and encoding, header rows, column aliases,
and the errors that name what to fix."""

from __future__ import annotations

import datetime as dt
import zipfile

import pandas as pd
import pytest
from ingest_helpers import minimal_year, write_table

from toolkit.exceptions import (
    DuplicateTableError,
    MissingColumnError,
    MissingTableError,
    UnreadableFileError,
)
from toolkit.ingest import contract
from toolkit.ingest.read import find_files, map_columns, read_rows, read_table

PAYMENTS = [
    ["订单号", "学员编号", "单位", "金额", "支付时间", "备注"],
    ["0001", "00042", "长沙开放大学", "180", "2022-03-05 14:03", "x"],
    ["0002", "00043", "U001", "1,800", "2022/3/6", ""],
]


# --- finding files -------------------------------------------------------------------

ALL_STEMS = [(name, stem) for name, t in contract.TABLES.items() for stem in (name, *t.file_names)]


@pytest.mark.parametrize("table, stem", ALL_STEMS)
def test_every_file_name_is_found(tmp_path, table, stem):
    d = minimal_year(tmp_path, skip=(table,))
    (d / f"{stem}.csv").write_text("x\n", encoding="utf-8")
    assert find_files(d)[table].name == f"{stem}.csv"


@pytest.mark.parametrize("suffix", [".csv", ".CSV", ".xlsx", ".XLSX", ".xls", ".Xls", ".parquet",
                                    ".PARQUET"])
def test_suffixes_case_insensitive(tmp_path, suffix):
    d = minimal_year(tmp_path, skip=("staff_payments",))
    (d / f"缴费明细{suffix}").write_bytes(b"x")
    assert find_files(d)["staff_payments"].name == f"缴费明细{suffix}"


def test_unknown_files_ignored(tmp_path):
    d = minimal_year(tmp_path)
    (d / "notes.csv").write_text("a\n", encoding="utf-8")
    (d / "缴费明细.txt").write_text("a\n", encoding="utf-8")
    (d / "~$缴费明细.xlsx").write_bytes(b"lock")
    found = find_files(d)
    assert found["staff_payments"].name == "staff_payments.csv"
    assert "notes" not in {p.stem for p in found.values()}


def test_duplicate_table_names_both(tmp_path):
    d = minimal_year(tmp_path)
    (d / "缴费明细.xlsx").write_bytes(b"x")
    with pytest.raises(DuplicateTableError) as e:
        find_files(d)
    assert "staff_payments.csv" in str(e.value) and "缴费明细.xlsx" in str(e.value)
    assert e.value.exit_code == 2


def test_missing_table_names_accepted_files(tmp_path):
    d = minimal_year(tmp_path, skip=("staff_refunds",))
    with pytest.raises(MissingTableError) as e:
        find_files(d)
    msg = str(e.value)
    assert "staff_refunds" in msg and "退费明细" in msg and "事业单位退费明细" in msg and "xlsx" in msg


def test_optional_tables_may_be_absent(tmp_path):
    found = find_files(minimal_year(tmp_path))
    assert not {"complaints", "nominations", "rsvp"} & set(found)


# --- formats and encodings ------------------------------------------------------------


def _check_payments(raw):
    data = raw.data
    assert list(data.columns[:5]) == ["order_id", "trainee_id", "unit", "amount", "paid_at"]
    assert data["order_id"].tolist() == ["0001", "0002"]
    assert data["trainee_id"].tolist() == ["00042", "00043"]
    assert data["unit"].tolist() == ["长沙开放大学", "U001"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings(tmp_path, encoding):
    p = write_table(tmp_path / "缴费明细.csv", PAYMENTS, encoding=encoding)
    raw = read_table(p, "staff_payments")
    _check_payments(raw)
    assert raw.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    assert raw.header_row == 1
    assert raw.cells.index.tolist() == [2, 3]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".parquet"])
def test_binary_formats(tmp_path, suffix):
    p = write_table(tmp_path / f"缴费明细{suffix}", PAYMENTS)
    raw = read_table(p, "staff_payments")
    _check_payments(raw)
    assert raw.cells.index.tolist() == [2, 3]
    if suffix != ".parquet":
        assert raw.sheet == "Sheet1"


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
    _check_payments(raw)


def test_title_rows_blank_rows_and_footers(tmp_path):
    rows = [
        ["2022年缴费明细表", "", "", "", "", ""],
        ["", "", "", "", "", ""],
        *PAYMENTS[:2],
        ["", "", "", "", "", ""],
        PAYMENTS[2],
        ["合计", "", "", "1980", "", ""],
        ["", "小计", "", "", "", ""],
        ["总计：1980", "", "", "", "", ""],
    ]
    for suffix in (".csv", ".xlsx"):
        raw = read_table(write_table(tmp_path / f"缴费明细{suffix}", rows), "staff_payments")
        assert raw.header_row == 3
        assert raw.cells.index.tolist() == [4, 6]
        assert raw.skipped == {"blank": 1, "footer": 3}
        _check_payments(raw)


def test_ragged_csv_title_row(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("2022年缴费明细表\n\n" + "\n".join(",".join(r) for r in PAYMENTS) + "\n",
                 encoding="utf-8")
    raw = read_table(p, "staff_payments")
    assert raw.header_row == 3
    _check_payments(raw)


def test_csv_quoted_cells(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text('order_id,trainee_id,unit,amount,paid_at\n"0001","007","长沙, 开放大学","1,800",'
                 '2022-03-05\n', encoding="utf-8")
    d = read_table(p, "staff_payments").data
    assert d.iloc[0].tolist() == ["0001", "007", "长沙, 开放大学", "1,800", "2022-03-05"]


def test_header_beyond_ten_rows_is_not_found(tmp_path):
    rows = [["title"]] * 10 + PAYMENTS
    with pytest.raises(MissingColumnError):
        read_table(write_table(tmp_path / "p.csv", rows), "staff_payments")


def test_extra_columns_kept_out_of_mapping(tmp_path):
    raw = read_table(write_table(tmp_path / "p.csv", PAYMENTS), "staff_payments")
    assert "备注" in raw.headers and "备注" not in raw.data.columns


# --- headers and aliases -----------------------------------------------------------------

ALL_ALIASES = [
    (t.name, c.name, alias)
    for t in contract.TABLES.values()
    for c in t.columns
    for alias in (c.name, *c.aliases)
]


@pytest.mark.parametrize("table, column, alias", ALL_ALIASES)
def test_every_alias_maps(table, column, alias):
    t = contract.TABLES[table]
    headers = [alias if c.name == column else c.name for c in t.columns]
    assert map_columns(headers, t)[column] == headers.index(alias)


def test_header_normalisation():
    t = contract.TABLES["staff_payments"]
    headers = [" 订单 号 ", "学员ID", "Unit", "ＡＭＯＵＮＴ", "支付\n时间"]
    assert map_columns(headers, t) == {"order_id": 0, "trainee_id": 1, "unit": 2, "amount": 3,
                                       "paid_at": 4}


def test_table_specific_ambiguous_aliases():
    units = contract.TABLES["units"]
    assert map_columns(["单位编码", "单位名称"], units) == {"unit_id": 0, "unit_name": 1}
    pays = contract.TABLES["staff_payments"]
    assert map_columns(["单位名称"], pays) == {"unit": 0}
    noms = contract.TABLES["nominations"]
    m = map_columns(["推荐类别", "单位", "姓名", "主要事迹", "联系人姓名", "手机号码"], noms)
    assert m["nominee"] == 2 and m["contact_name"] == 4 and m["contact_phone"] == 5
    rsvp = contract.TABLES["rsvp"]
    assert map_columns(["单位", "姓名", "手机号码"], rsvp) == {"unit": 0, "name": 1, "phone": 2}


def test_one_header_serves_one_column_required_first():
    enrol = contract.TABLES["professional_enrollments"]
    m = map_columns(["订单号", "学员编号", "单位", "金额", "支付时间", "培训项目", "单位名称"], enrol)
    assert m["course"] == 5 and m["unit"] == 2


def test_missing_column_message(tmp_path):
    rows = [["订单号", "学员编号", "单位", "支付时间"], ["1", "2", "U001", "2022-01-01"]]
    p = write_table(tmp_path / "缴费明细.csv", rows)
    with pytest.raises(MissingColumnError) as e:
        read_table(p, "staff_payments")
    msg = str(e.value)
    assert "缴费明细.csv" in msg
    assert "amount" in msg and "缴费金额" in msg and "支付金额" in msg  # name and aliases
    assert "订单号, 学员编号, 单位, 支付时间" in msg  # the headers found
    assert e.value.column == "amount" and e.value.exit_code == 2


# --- unreadable files -------------------------------------------------------------------


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


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".xls", ".parquet"])
def test_empty_file(tmp_path, suffix):
    p = tmp_path / f"x{suffix}"
    p.write_bytes(b"")
    with pytest.raises(UnreadableFileError) as e:
        read_table(p, "staff_payments")
    assert str(p) in str(e.value)


def test_csv_that_is_a_workbook(tmp_path):
    p = write_table(tmp_path / "x.xlsx", PAYMENTS)
    q = tmp_path / "x.csv"
    q.write_bytes(p.read_bytes())
    with pytest.raises(UnreadableFileError) as e:
        read_rows(q)
    assert "rename" in str(e.value)


def test_corrupt_parquet(tmp_path):
    p = tmp_path / "x.parquet"
    p.write_bytes(b"PAR1 broken")
    with pytest.raises(UnreadableFileError):
        read_rows(p)


def test_header_only_file_is_fine(tmp_path):
    raw = read_table(write_table(tmp_path / "x.xlsx", PAYMENTS[:1]), "staff_payments")
    assert len(raw.cells) == 0


def test_parquet_typed_columns(tmp_path):
    p = tmp_path / "x.parquet"
    pd.DataFrame({
        "order_id": [123456789012, 5], "trainee_id": ["007", "008"], "unit": ["U001", "U002"],
        "amount": [180.0, 99.5],
        "paid_at": pd.to_datetime(["2022-03-05 06:03:07", None]).tz_localize("UTC"),
    }).to_parquet(p)
    d = read_table(p, "staff_payments").data
    assert d["order_id"].tolist() == ["123456789012", "5"]
    assert d["amount"].tolist() == ["180", "99.5"]
    assert d["paid_at"].tolist() == ["2022-03-05 14:03:07", ""]


# --- the fast readers agree with the general ones ----------------------------------


def test_fast_and_general_workbook_readers_agree(tmp_path, monkeypatch):
    import openpyxl

    from toolkit.ingest import read as ingest

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
    assert ingest._read_xlsx_fast(p) is not None
    _, fast, _ = read_rows(p)
    monkeypatch.setattr(ingest, "_read_xlsx_fast", lambda path: None)
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


def test_fast_and_general_csv_readers_agree(tmp_path, monkeypatch):
    from toolkit.ingest import read as ingest

    text = ("订单号,金额,支付时间\r\n00123,180,2022-03-05 14:03:07\r\n"
            '"00124","1,800","2022/3/5\n14:03"\r\n,,\r\n合计,1980,\r\n')
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        p = tmp_path / f"缴费明细-{encoding}.csv"
        p.write_bytes(text.encode(encoding))
        assert ingest._read_csv_fast(p, p.read_bytes()) is not None
        fast = read_rows(p)
        with monkeypatch.context() as m:
            m.setattr(ingest, "_read_csv_fast", lambda path, data: None)
            general = read_rows(p)
        pd.testing.assert_frame_equal(fast[1], general[1])
        assert fast[2] == general[2] == encoding

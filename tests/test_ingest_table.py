"""One file as a RawTable: every format through read_table, header rows, column
aliases, title, blank and footer rows, and the errors that name what to fix."""

from __future__ import annotations

import pytest
from ingest_helpers import PAYMENTS, check_payments, write_table

from toolkit.exceptions import MissingColumnError, UnreadableFileError
from toolkit.ingest import contract
from toolkit.ingest.table import map_columns, read_table


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".parquet"])
def test_binary_formats(tmp_path, suffix):
    p = write_table(tmp_path / f"缴费明细{suffix}", PAYMENTS)
    raw = read_table(p, "staff_payments")
    check_payments(raw)
    assert raw.cells.index.tolist() == [2, 3]
    if suffix != ".parquet":
        assert raw.sheet == "Sheet1"


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
        check_payments(raw)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".xls"])
@pytest.mark.parametrize("above", [
    [["2022年缴费明细表"]] * 12,  # a title block
    [[""]] * 12,  # a logo: a picture over empty cells
    [["单位：长沙开放大学"], [""], ["说明：金额单位为元"]] + [[""]] * 30,
])
def test_a_header_below_row_ten_is_found(tmp_path, suffix, above):
    raw = read_table(write_table(tmp_path / f"p{suffix}", above + PAYMENTS), "staff_payments")
    assert raw.header_row == len(above) + 1
    assert raw.cells.index.tolist() == [len(above) + 2, len(above) + 3]
    check_payments(raw)


@pytest.mark.parametrize(("above", "words"), [
    ([["title"]] * contract.HEADER_SEARCH_ROWS, "headers found in row 1: title"),
    ([[""]] * contract.HEADER_SEARCH_ROWS, f"no header row found in the first {contract.HEADER_SEARCH_ROWS} rows"),
])
def test_a_header_beyond_the_searched_rows_is_not_found_and_the_message_says_where_it_looked(
        tmp_path, above, words):
    with pytest.raises(MissingColumnError) as e:
        read_table(write_table(tmp_path / "p.xlsx", above + PAYMENTS), "staff_payments")
    assert words in str(e.value) and f"first {contract.HEADER_SEARCH_ROWS} rows" in str(e.value)
    assert "has no rows" not in str(e.value)


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


# --- empty files ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".xls", ".parquet"])
def test_empty_file(tmp_path, suffix):
    p = tmp_path / f"x{suffix}"
    p.write_bytes(b"")
    with pytest.raises(UnreadableFileError) as e:
        read_table(p, "staff_payments")
    assert str(p) in str(e.value)


def test_header_only_file_is_fine(tmp_path):
    raw = read_table(write_table(tmp_path / "x.xlsx", PAYMENTS[:1]), "staff_payments")
    assert len(raw.cells) == 0


def test_missing_columns_message_clips_what_it_shows(tmp_path):
    """A file that is not the table at all (a line of some other file as its header)
    is not printed whole in the message."""
    p = tmp_path / "缴费明细.csv"
    p.write_text("root:x:0:0:root:/root:/bin/bash:" + "y" * 100 + "\nz\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as e:
        read_table(p, "staff_payments")
    msg = str(e.value)
    assert "root:x:0:0:root:/root:/bin/bash:" + "y" * 8 in msg and "y" * 100 not in msg

"""A big CSV read in batches (toolkit.ingest.stream): the batches hold the rows, cells
and row numbers the whole-file reader gives; a file it cannot stream says so
(NotStreamable) and is left to the whole-file reader."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.exceptions import MissingColumnError
from toolkit.ingest.stream import NotStreamable, raw_batches, streams
from toolkit.ingest.table import read_table

HEAD = ["订单号", "学员编号", "单位", "金额", "支付时间"]


def _rows(n: int = 400) -> list[list[str]]:
    rows = [HEAD]
    for i in range(n):
        rows.append([f"{i:06d}", f"T{i}", "长沙开放大学" if i % 2 else "U001", f"{i % 90 + 10}",
                     "2022-03-05 14:03"])
        if i == 150:
            rows.append([""] * 5)  # blank
            rows.append(["", "", "", "", ""])
            rows.append(["合计", "", "", "9999", ""])  # a footer word in the middle
    return rows


def _write(path, rows, encoding="utf-8", sep=","):
    text = "".join(sep.join(r) + "\n" for r in rows)
    path.write_bytes(text.encode(encoding))
    return path


def _cells(batches) -> pd.DataFrame:
    return pd.concat([b.cells for b in batches])


@pytest.mark.parametrize("encoding, sep, reported", [
    ("utf-8", ",", "utf-8"),
    ("utf-8-sig", ",", "utf-8-sig"),
    ("gb18030", ",", "gb18030"),
    ("utf-8", "\t", "utf-8, tab-separated"),
])
def test_batches_hold_the_whole_files_rows(tmp_path, encoding, sep, reported):
    path = _write(tmp_path / "缴费明细.csv", _rows(), encoding, sep)
    whole = read_table(path, "staff_payments")
    batches = list(raw_batches(path, "staff_payments", batch_bytes=1024))
    assert len(batches) > 5
    cells = _cells(batches)
    pd.testing.assert_frame_equal(cells, whole.cells, check_index_type=False)
    assert list(cells.index) == list(whole.cells.index)  # the rows' numbers in the file
    first = batches[0]
    assert (first.headers, first.columns, first.header_row) == \
        (whole.headers, whole.columns, whole.header_row)
    assert first.encoding == whole.encoding == reported
    # the blank rows and the footer were dropped in the batch that held them
    assert sum(b.skipped["blank"] for b in batches) == whole.skipped["blank"] == 2
    assert sum(b.skipped["footer"] for b in batches) == whole.skipped["footer"] == 1


@pytest.mark.parametrize("above", [[[""] * 5, [""] * 5], [["缴费明细"], ["导出时间：2023-01-05", ""]]],
                         ids=["blank rows", "title rows"])
def test_a_header_row_below_other_rows_is_found(tmp_path, above):
    path = _write(tmp_path / "p.csv", above + _rows())
    whole = read_table(path, "staff_payments")
    batches = list(raw_batches(path, "staff_payments", batch_bytes=1024))
    assert batches[0].header_row == whole.header_row == 3
    assert batches[0].headers == whole.headers
    pd.testing.assert_frame_equal(_cells(batches), whole.cells, check_index_type=False)


@pytest.mark.parametrize("how", ["nul", "ragged", "line break", "utf-16", "title line break",
                                 "bom gb18030"])
def test_what_cannot_stream_says_so(tmp_path, how):
    rows = _rows()
    encoding = "utf-8"
    if how == "ragged":
        rows[300] = rows[300] + ["extra"]  # wider than the first 200 records
    elif how == "line break":
        rows[300][1] = '"T\n300"'
    elif how == "utf-16":
        encoding = "utf-16"
    elif how == "bom gb18030":
        encoding = "gb18030"
    elif how == "title line break":  # pyarrow skips lines above the header, not records
        rows.insert(0, ['"缴费明细\n导出"'])
    path = _write(tmp_path / "p.csv", rows, encoding)
    if how == "nul":
        path.write_bytes(path.read_bytes()[:5000] + b"\x00" + path.read_bytes()[5000:])
    if how == "bom gb18030":  # a UTF-8 byte-order mark before GB18030 text
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.raises(NotStreamable):
        list(raw_batches(path, "staff_payments", batch_bytes=1024))
    if how not in ("nul", "bom gb18030"):
        read_table(path, "staff_payments")  # the whole-file reader reads it


def test_a_missing_column_is_the_whole_file_readers_error(tmp_path):
    rows = [r[:3] + r[4:] for r in _rows()]  # no amount column
    path = _write(tmp_path / "p.csv", rows)
    with pytest.raises(MissingColumnError) as whole:
        read_table(path, "staff_payments")
    with pytest.raises(MissingColumnError) as streamed:
        list(raw_batches(path, "staff_payments", batch_bytes=1024))
    assert str(streamed.value) == str(whole.value)


def test_only_a_big_csv_streams(tmp_path):
    path = _write(tmp_path / "p.csv", _rows())
    size = path.stat().st_size
    assert streams(path, batch_bytes=size - 1)
    assert not streams(path, batch_bytes=size)
    xlsx = tmp_path / "p.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * size)
    assert not streams(xlsx, batch_bytes=16)

"""CSV files: encodings, ragged and quoted rows, and the fast reader (pyarrow) giving
the same cells as the general one."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_helpers import PAYMENTS, check_payments, write_table

from toolkit.exceptions import UnreadableFileError
from toolkit.ingest import delimited
from toolkit.ingest.table import read_rows, read_table


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings(tmp_path, encoding):
    p = write_table(tmp_path / "缴费明细.csv", PAYMENTS, encoding=encoding)
    raw = read_table(p, "staff_payments")
    check_payments(raw)
    assert raw.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    assert raw.header_row == 1
    assert raw.cells.index.tolist() == [2, 3]


def test_ragged_csv_title_row(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("2022年缴费明细表\n\n" + "\n".join(",".join(r) for r in PAYMENTS) + "\n",
                 encoding="utf-8")
    raw = read_table(p, "staff_payments")
    assert raw.header_row == 3
    check_payments(raw)


def test_csv_quoted_cells(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text('order_id,trainee_id,unit,amount,paid_at\n"0001","007","长沙, 开放大学","1,800",'
                 '2022-03-05\n', encoding="utf-8")
    d = read_table(p, "staff_payments").data
    assert d.iloc[0].tolist() == ["0001", "007", "长沙, 开放大学", "1,800", "2022-03-05"]


def test_fast_and_general_csv_readers_agree(tmp_path, monkeypatch):
    text = ("订单号,金额,支付时间\r\n00123,180,2022-03-05 14:03:07\r\n"
            '"00124","1,800","2022/3/5\n14:03"\r\n,,\r\n合计,1980,\r\n')
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        p = tmp_path / f"缴费明细-{encoding}.csv"
        p.write_bytes(text.encode(encoding))
        assert delimited.read_csv_fast(p, p.read_bytes()) is not None
        fast = read_rows(p)
        with monkeypatch.context() as m:
            m.setattr(delimited, "read_csv_fast", lambda path, data: None)
            general = read_rows(p)
        pd.testing.assert_frame_equal(fast[1], general[1])
        assert fast[2] == general[2] == encoding


def _targets(tmp_path, lines: list[str]):
    p = tmp_path / "应培人数.csv"
    p.write_text("\n".join(["单位,应培人数", *lines]) + "\n", encoding="utf-8")
    return p


def test_an_unterminated_quote_names_its_line(tmp_path):
    """An unterminated quote swallowed the next 27 lines into one cell, and the
    run went on with 28 units lacking a target."""
    lines = [f"单位{i},{i}" for i in range(40)]
    lines[5] = '"单位5,5'
    p = _targets(tmp_path, lines)
    with pytest.raises(UnreadableFileError) as e:
        read_table(p, "targets")
    msg = str(e.value)
    assert e.value.row == 7 and "line 7" in msg and "应培人数.csv" in msg
    assert "34 lines" in msg


def test_a_quote_closed_lines_later_in_the_middle_of_a_cell(tmp_path):
    lines = [f"单位{i},{i}" for i in range(40)]
    lines[2] = '单位2,"2'
    lines[30] = '"单位30",3"0'
    with pytest.raises(UnreadableFileError) as e:
        read_rows(_targets(tmp_path, lines))
    assert e.value.row == 4 and "line 4" in str(e.value)


def test_an_unterminated_quote_in_a_large_file_names_its_line(tmp_path):
    """In a large file the same stopped with "field larger than field limit (131072)"
    and no line."""
    lines = [f"单位{i},{i}" for i in range(30_000)]
    lines[3] = '"单位3,3'
    with pytest.raises(UnreadableFileError) as e:
        read_rows(_targets(tmp_path, lines))
    assert e.value.row == 5 and "field limit" not in str(e.value)


def test_cells_over_several_lines_are_still_read(tmp_path):
    lines = ['"单位\n一",1', '单位二,"2"', '"单位""三""\r\n(分校)",3']
    _, frame, _ = read_rows(_targets(tmp_path, lines))
    assert frame[0].tolist() == ["单位", "单位\n一", "单位二", '单位"三"\r\n(分校)']

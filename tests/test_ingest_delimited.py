"""CSV files: encodings, ragged and quoted rows, and the fast reader (pyarrow) giving
the same cells as the general one."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_helpers import PAYMENTS, check_payments, write_table

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

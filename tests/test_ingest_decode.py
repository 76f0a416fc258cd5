"""CSV bytes as text: the encodings told apart, and the files refused."""

from __future__ import annotations

import pytest
from ingest_helpers import PAYMENTS, write_table

from toolkit.exceptions import UnreadableFileError
from toolkit.ingest.decode import decode
from toolkit.ingest.table import read_rows


def test_csv_that_is_a_workbook(tmp_path):
    p = write_table(tmp_path / "x.xlsx", PAYMENTS)
    q = tmp_path / "x.csv"
    q.write_bytes(p.read_bytes())
    with pytest.raises(UnreadableFileError) as e:
        read_rows(q)
    assert "rename" in str(e.value)


@pytest.mark.parametrize("encoding, found", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_decode_tells_the_encodings_apart(tmp_path, encoding, found):
    text = "订单号,金额\n0001,180\n0002,1800\n"
    assert decode(text.encode(encoding), tmp_path / "x.csv") == (text, found)


def test_decode_names_the_line_of_a_nul_byte(tmp_path):
    with pytest.raises(UnreadableFileError) as e:
        decode(b"a,b\n" + b"1,2\n" * 30 + b"3,\x004\n", tmp_path / "x.csv")
    assert e.value.row == 32 and "field 2" in str(e.value)


def test_decode_names_the_line_of_an_undecodable_byte(tmp_path):
    with pytest.raises(UnreadableFileError) as e:
        decode(b"a,b\n1,2\n\xff\xff\xff,3\n", tmp_path / "x.csv")
    assert e.value.row == 3 and "GB18030" in str(e.value)

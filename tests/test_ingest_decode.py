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


def test_one_gb18030_line_in_a_utf8_file_is_named(tmp_path):
    """A UTF-8 file with one line pasted from a GB18030 file was
    reported as "the first undecodable byte is on line 1"."""
    head = "订单号,单位,金额\n".encode()
    body = "".join(f"{i},长沙开放大学,180\n" for i in range(5984)).encode()
    bad = "P,株洲开放大学,180\n".encode("gb18030")
    data = head + body + bad + "Q,湘潭,1\n".encode()
    with pytest.raises(UnreadableFileError) as e:
        decode(data, tmp_path / "x.csv")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
    assert len(head + body) <= offset < len(head + body + bad)
    assert e.value.row == 5986
    assert "line 5986" in str(e.value) and f"offset {offset}" in str(e.value)
    assert "0x" + format(data[offset], "02X") in str(e.value)


def test_a_nul_byte_message_shows_only_its_field(tmp_path):
    with pytest.raises(UnreadableFileError) as e:
        decode(b"a,b,c\nsecret-one,1\x002,secret-two\n", tmp_path / "x.csv")
    msg = str(e.value)
    assert "field 2" in msg and "1\\\\x002" in msg
    assert "secret" not in msg

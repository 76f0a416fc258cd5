"""File-writing helpers: atomic replacement, deterministic OOXML, formula-safe cells."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from toolkit.outputs.files import atomic_write, fixed_ooxml, formula_safe, put_cell


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=1+1", "'=1+1"), ("+86", "'+86"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("长沙", "长沙"), ("a=b", "a=b")],
)
def test_formula_safe(text, expected):
    assert formula_safe(text) == expected


def _book(value) -> bytes:
    wb = Workbook()
    put_cell(wb.active["A1"], value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_put_cell_never_writes_a_formula(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(_book('=HYPERLINK("http://x","y")'))
    cell = load_workbook(path).active["A1"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x","y")'


def test_fixed_ooxml_gives_the_same_bytes_for_the_same_content():
    stamp = dt.datetime(2022, 12, 31)
    a = fixed_ooxml(_book("长沙"), stamp)
    b = fixed_ooxml(_book("长沙"), stamp)
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(2022, 12, 31, 0, 0, 0)}
        assert b"2022-12-31T00:00:00Z" in z.read("docProps/core.xml")


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "out.csv"
    atomic_write(target, b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["out.csv"]
    assert target.stat().st_mode & 0o777 == 0o644

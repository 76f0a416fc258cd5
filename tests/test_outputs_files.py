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


def test_put_cell_drops_the_characters_a_workbook_cannot_hold():
    """A name with a control character stopped the run (openpyxl's
    IllegalCharacterError, exit 1)."""
    wb = load_workbook(io.BytesIO(_book("王\x07五\x1b[0m\ttab")))
    assert wb.active["A1"].value == "王五[0m\ttab"


@pytest.mark.parametrize("name", ["长" * 80 + ".docx", "\U00020000" * 60 + ".docx", "a" * 241])
def test_atomic_write_of_a_name_near_the_limit(tmp_path, name):
    """The temporary name is never longer than a name may be (255 bytes), whatever the
    final name's length."""
    assert len(name.encode("utf-8")) <= 255
    path = atomic_write(tmp_path / name, b"x")
    assert path.read_bytes() == b"x" and [p.name for p in tmp_path.iterdir()] == [name]

"""Reviewers' copies in the formats offices save them in (toolkit.review.copies): read
where the reader shows everything the read-back checks, else exit 2 naming the file
and saying what to do; never skipped, never a MemoryError."""

from __future__ import annotations

import csv
import io
import os
import zipfile

import openpyxl
import pytest
from ingest_helpers import write_table
from review_helpers import IND, INN, fill

from toolkit import paths
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import InputError
from toolkit.ingest.boundary import OLE2_MAGIC
from toolkit.ingest.find import review_folder
from toolkit.review.apply import read_review
from toolkit.review.sheet import SHEET
from toolkit.review.workbook import write_workbook
from toolkit.rules.load import load_rules

ALL = {IND: {"政治方向与职业道德": "符合", "业务能力": "符合", "贡献与成效": "不符合"},
       INN: {"突出贡献及特色创意": "符合"}}
#: what the filled copy decides, as (key, criterion, decision)
DECIDED = {(IND, "political_and_ethics", "pass"), (IND, "competence", "pass"), (IND, "contribution", "fail"),
           (INN, "innovation_merit", "pass")}


@pytest.fixture(scope="module")
def year(tiny_year, tmp_path_factory):
    rules = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")
    ev = evaluate(open_year(2022, tiny_year, rules=rules, use_cache=False), rules)
    out = tmp_path_factory.mktemp("copies")
    wb = write_workbook(ev, rules, out / "评审表.xlsx")
    filled = fill(wb, out / "filled.xlsx", "张三", ALL)
    return ev, rules, filled


def _decided(year, data_dir):
    got = read_review(year[0], year[1], data_dir)
    return {(d.key, d.criterion, d.decision) for d in got.decisions}, got


def _error(year, data_dir) -> InputError:
    with pytest.raises(InputError) as err:
        read_review(year[0], year[1], data_dir)
    assert "Traceback" not in str(err.value)
    return err.value


def _put(tmp_path, name: str, data: bytes):
    f = tmp_path / "评审意见" / name
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_bytes(data)
    return f


def _rewrite(data: bytes, change) -> bytes:
    """The package ``data`` with each part's bytes passed through ``change(name, bytes)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for m in z.infolist():
            w.writestr(m.filename, change(m.filename, z.read(m)))
    return out.getvalue()


STRICT = [  # transitional -> strict, as Excel's "Strict Open XML Spreadsheet" writes them
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
     b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
     b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
    (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
    (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main"),
]


def _strict(name: str, body: bytes) -> bytes:
    if not name.endswith((".xml", ".rels")):
        return body
    for old, new in STRICT:
        body = body.replace(old, new)
    if name == "xl/workbook.xml":
        body = body.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
    return body


def _xlsm(name: str, body: bytes) -> bytes:
    if name == "[Content_Types].xml":
        return body.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    return body


@pytest.mark.parametrize("name,change", [
    ("张三.xlsx", None),
    ("张三.xlsm", _xlsm),
    ("张三（严格）.xlsx", _strict),
    ("张三", None),  # a workbook without a suffix is a copy too
], ids=["xlsx", "xlsm", "strict-open-xml", "no-suffix"])
def test_ooxml_copies_are_read(year, tmp_path, name, change):
    data = year[2].read_bytes()
    _put(tmp_path, name, _rewrite(data, change) if change else data)
    decided, got = _decided(year, tmp_path)
    assert decided == DECIDED
    assert [f["path"] for f in got.files] == [f"评审意见/{name}"]


def _csv_bytes(year, encoding: str, change=None) -> bytes:
    ws = openpyxl.load_workbook(year[2])[SHEET]
    buf = io.StringIO(newline="")
    rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
    if change:
        change(rows)
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_copy_is_read(year, tmp_path, encoding):
    _put(tmp_path, "张三.csv", _csv_bytes(year, encoding))
    assert _decided(year, tmp_path)[0] == DECIDED


def test_a_formula_in_a_csv_copy_is_an_error(year, tmp_path):
    def formula(rows):
        rows[1][rows[0].index("业务能力")] = '=IF(1,"符合","不符合")'

    f = _put(tmp_path, "张三.csv", _csv_bytes(year, "utf-8-sig", formula))
    e = _error(year, tmp_path)
    assert (e.file, e.row, e.column) == (str(f), 2, "业务能力") and "formula" in str(e)


def _rows(year) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(year[2])[SHEET].iter_rows(values_only=True)]


def _ods(rows: list[list]) -> bytes:
    """An OpenDocument spreadsheet (what LibreOffice and WPS save as .ods) of ``rows``."""
    from xml.sax.saxutils import escape

    cells = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
        if v is not None else "<table:table-cell/>" for v in r) + "</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{SHEET}">{cells}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture(scope="module")
def converted(year, tmp_path_factory):
    """The filled copy saved as .xls (xlwt, the BIFF8 that Excel 97-2003 and WPS write)
    and as .ods."""
    d = tmp_path_factory.mktemp("converted")
    xls = write_table(d / "filled.xls", _rows(year)).read_bytes()
    return {"xls": xls, "ods": _ods(_rows(year))}


@pytest.mark.parametrize("name,fmt,words", [
    ("张三.xls", "xls", "Excel 97-2003"),
    ("张三.et", "xls", "Excel 97-2003"),  # WPS 表格 saves .et in the same compound file
    ("张三.ods", "ods", "OpenDocument"),
    ("张三.xlsx", "xls", "Excel 97-2003"),  # the content decides, not the suffix
])
def test_copies_whose_reader_cannot_see_formulas_or_hidden_rows_are_refused_naming_the_file(
        year, tmp_path, converted, name, fmt, words):
    f = _put(tmp_path, name, converted[fmt])
    e = _error(year, tmp_path)
    assert e.file == str(f) and words in str(e) and "另存为" in str(e) and e.exit_code == 2


def _encrypted() -> bytes:
    """An encrypted workbook's container as Excel writes it: an OLE2 compound file whose
    directory names the streams EncryptionInfo and EncryptedPackage (UTF-16LE)."""
    directory = b"".join(n.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64
                         for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    return OLE2_MAGIC + b"\0" * 504 + directory + os.urandom(4096)


@pytest.mark.parametrize("name", ["张三.xlsx", "张三.xlsm", "张三.xls"])
def test_a_password_protected_copy_says_so(year, tmp_path, name):
    f = _put(tmp_path, name, _encrypted())
    e = _error(year, tmp_path)
    assert e.file == str(f) and "password" in str(e) and "zip" not in str(e)


def _with_part(data: bytes, name: str, body: bytes, method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", method) as z:
        z.writestr(name, body)
    return out.getvalue()


def test_a_copy_of_44_mb_is_refused_naming_the_file(year, tmp_path):
    padded = _with_part(year[2].read_bytes(), "xl/media/image1.png", os.urandom(44 << 20), zipfile.ZIP_STORED)
    f = _put(tmp_path, "张三.xlsx", padded)
    e = _error(year, tmp_path)
    assert e.file == str(f) and "too large" in str(e) and "MiB" in str(e)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_a_small_copy_padded_to_unpack_large_is_refused_before_it_is_unpacked(year, tmp_path, part):
    def pad(name, body):
        return body.replace(b"</", b" " * (48 << 20) + b"</", 1) if name == part else body

    data = _rewrite(year[2].read_bytes(), pad)
    assert len(data) < 1 << 20
    f = _put(tmp_path, "张三.xlsx", data)
    e = _error(year, tmp_path)
    assert e.file == str(f) and ("too large" in str(e) or "padding" in str(e))


def test_other_files_are_not_copies_and_are_named(year, tmp_path):
    _put(tmp_path, "张三.xlsx", year[2].read_bytes())
    _put(tmp_path, "签字扫描件.pdf", b"%PDF-1.4\n")
    folder = review_folder(tmp_path)
    assert [p.name for p in folder.copies] == ["张三.xlsx"] and [p.name for p in folder.others] == ["签字扫描件.pdf"]
    assert "评审意见/签字扫描件.pdf: not read (not a review workbook)" in _decided(year, tmp_path)[1].notes()

"""The reviewers' copies under ``data/<year>/评审意见/``: which files are copies, and
each copy opened from the very bytes that are hashed, within size limits, in the
formats whose reader shows everything the read-back checks (docs/review-cycle.md).

Read: ``.xlsx``, ``.xlsm`` (and the templates ``.xltx``/``.xltm``), Strict Open XML
``.xlsx`` (its namespaces mapped to the transitional ones), and ``.csv`` (a CSV has
no hidden rows, no merged cells; a cell starting with ``=`` is a formula, as Excel
reads it). Refused with exit 2 naming the file and saying to save it as ``.xlsx``:
``.xls``, ``.et``/``.ett`` (WPS), ``.xlsb``, ``.ods`` — their reader shows neither the
formulas nor (for some) hidden rows and merged cells — and a password-protected
workbook (said so). The content decides, not the suffix: a file with another suffix
that is a workbook is a copy too; other files (a scanned ``.pdf``, a ``.docx``) are
not read and are listed by ``toolkit validate``."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import python_calamine as calamine

from toolkit.exceptions import InputError, UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_
from toolkit.ingest.boundary import OLE2_MAGIC, ZIP_MAGIC, reading
from toolkit.ingest.decode import decode
from toolkit.ingest.delimited import delimiter
from toolkit.ingest.find import REVIEW_FOLDER
from toolkit.ingest.formats import encrypted_biff, encrypted_ooxml
from toolkit.ingest.snapshot import take
from toolkit.ingest.workbook import MAX_COMPRESSION_RATIO, RATIO_CHECKED_FROM

# A review workbook lists the year's open nominations: a few hundred rows, some
# hundred KiB. The limits leave a hundred times that, and keep openpyxl (which holds
# every cell, a few hundred bytes each) well under a GiB. The ratio limit is the
# ingest's (toolkit.ingest.workbook): padding, not cells.
MAX_FILE_BYTES = 32 << 20  # the file as stored (pasted pictures included)
MAX_XML_BYTES = 32 << 20  # the workbook's parts other than pictures, unpacked
MAX_TOTAL_BYTES = 64 << 20  # every part, unpacked
MAX_CSV_BYTES = 4 << 20  # a CSV copy: its text is denser than a sheet's XML

SAVE_AS_XLSX = N_("open it in Excel or WPS and save it as an Excel workbook (另存为 Excel 工作簿 .xlsx), "
                   "or move it out of {folder}/")
PASSWORD_HINT = N_("open it in Excel or WPS with its password, remove the password (Excel: 文件 > 信息 > "
                 "保护工作簿 > 用密码进行加密, clear it; WPS: 文件 > 文档加密 > 密码加密) and save it again as .xlsx")

_STRICT = (  # Strict Open XML namespace -> the transitional one openpyxl reads
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    (b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/chart", b"http://schemas.openxmlformats.org/drawingml/2006/chart"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
)
_CONFORMANCE = re.compile(rb'\s+conformance="strict"')


@dataclass
class Copy:
    """A reviewer's copy as read: its bytes' SHA-256 and the workbook they hold."""

    path: Path
    sha256: str
    workbook: openpyxl.Workbook
    csv: bool = False


def read_copy(path: Path) -> Copy:
    """The copy at ``path`` opened (see the module docstring); an InputError naming the
    file when it is too large, protected by a password, in a refused format or not a
    workbook."""
    path = Path(path)
    with reading(path):
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(path, size, MAX_FILE_BYTES, "the file")
    snap = take(path)  # the bytes hashed are the bytes read; a copy changed meanwhile is refused
    data, sha = snap.data, snap.sha256
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path, len(data), MAX_FILE_BYTES, "the file")
    if not data:
        raise UnreadableFileError(_("the review copy is empty (0 bytes)"), file=path, hint=_(SAVE_AS_XLSX).format(folder=REVIEW_FOLDER))
    if data[:8] == OLE2_MAGIC:
        _refuse_ole(path, data)
    if data[:4] == ZIP_MAGIC:
        return Copy(path, sha, _open_zip(path, data))
    if path.suffix.lower() in (".csv", ".tsv"):
        return Copy(path, sha, _open_csv(path, data), csv=True)
    raise UnreadableFileError(_("not a workbook: a file under {REVIEW_FOLDER}/ that is no Excel workbook").format(REVIEW_FOLDER=REVIEW_FOLDER),
                              file=path, value=path.suffix, hint=_(SAVE_AS_XLSX).format(folder=REVIEW_FOLDER))


def _too_large(path: Path, size: int, limit: int, what: str) -> InputError:
    return InputError(_("the review copy is too large: {what} is {value:,.1f} MiB, more than the limit of {value2} MiB for a review workbook; it is not read").format(what=what, value=size / (1 << 20), value2=limit >> 20), file=path,
                      expected=_("a copy of 评审表.xlsx (a few hundred KiB)"),
                      hint=_("fill in a copy of this year's 评审表.xlsx again (without pictures or other sheets)"))


def _refuse_ole(path: Path, data: bytes) -> None:
    """An OLE2 compound file: an encrypted workbook (its EncryptedPackage stream), a
    password-protected .xls, or an .xls/.et workbook: refused, each saying so."""
    if encrypted_ooxml(data) or encrypted_biff(data):
        raise UnreadableFileError(_("the review copy is protected by a password (encrypted), so it cannot be read"),
                                  file=path, hint=_(PASSWORD_HINT))
    try:
        calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError as exc:
        raise UnreadableFileError(_("the review copy is protected by a password (encrypted), so it cannot be read"),
                                  file=path, hint=_(PASSWORD_HINT)) from exc
    except Exception:  # noqa: BLE001 - refused below either way
        pass
    raise UnreadableFileError(
        _("the review copy is an Excel 97-2003 (.xls) or WPS (.et) workbook, whose formulas the toolkit cannot "
        "see; it is not read"), file=path, value=path.suffix, expected=_("an .xlsx workbook"), hint=_(SAVE_AS_XLSX).format(folder=REVIEW_FOLDER))


def _open_zip(path: Path, data: bytes) -> openpyxl.Workbook:
    with reading(path):
        z = zipfile.ZipFile(io.BytesIO(data))
        members = z.infolist()
        names = {m.filename for m in members}
        _check_sizes(path, members)
        if "xl/workbook.bin" in names:
            raise UnreadableFileError(_("the review copy is an Excel binary workbook (.xlsb); it is not read"),
                                      file=path, value=path.suffix, expected=_("an .xlsx workbook"), hint=_(SAVE_AS_XLSX).format(folder=REVIEW_FOLDER))
        if "mimetype" in names and b"opendocument" in z.read("mimetype")[:100]:
            raise UnreadableFileError(_("the review copy is an OpenDocument spreadsheet (.ods), whose hidden rows, "
                                      "merged cells and formulas the toolkit does not read; it is not read"),
                                      file=path, value=path.suffix, expected=_("an .xlsx workbook"), hint=_(SAVE_AS_XLSX).format(folder=REVIEW_FOLDER))
        if "xl/workbook.xml" not in names:
            raise UnreadableFileError(_("not a workbook: a zip file without a workbook part (xl/workbook.xml)"),
                                      file=path, hint=_(SAVE_AS_XLSX).format(folder=REVIEW_FOLDER))
        if b"purl.oclc.org/ooxml" in z.read("xl/workbook.xml"):
            data = transitional(z)
        with warnings.catch_warnings():  # openpyxl's notes on what it leaves out (WPS extensions…)
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(io.BytesIO(data), data_only=False)


def _check_sizes(path: Path, members) -> None:
    """The limits above, read from the sizes the zip's directory declares (Python's
    zipfile never unpacks more than a part declares: a part that holds more fails its
    CRC check)."""
    total = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if not m.filename.startswith("xl/media/"))
    if total > MAX_TOTAL_BYTES:
        raise _too_large(path, total, MAX_TOTAL_BYTES, "its content unpacked")
    if xml > MAX_XML_BYTES:
        raise _too_large(path, xml, MAX_XML_BYTES, "its sheets unpacked")
    for m in members:
        if m.file_size >= RATIO_CHECKED_FROM and m.file_size / max(m.compress_size, 1) > MAX_COMPRESSION_RATIO:
            raise UnreadableFileError(
                _("the review copy's part {filename} would unpack {value:,.0f} times its size (more than {MAX_COMPRESSION_RATIO} times: padding, not cells); it is not read").format(filename=m.filename, value=m.file_size / max(m.compress_size, 1), MAX_COMPRESSION_RATIO=MAX_COMPRESSION_RATIO),
                file=path, hint=_("fill in a copy of this year's 评审表.xlsx again"))


def transitional(z: zipfile.ZipFile) -> bytes:
    """A Strict Open XML package (as Excel saves "Strict Open XML Spreadsheet")
    rewritten with the transitional namespaces openpyxl reads; its cells unchanged."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for m in z.infolist():
            body = z.read(m)
            if m.filename.endswith((".xml", ".rels")):
                for strict, old in _STRICT:
                    body = body.replace(strict, old)
                body = _CONFORMANCE.sub(b"", body)
            w.writestr(m.filename, body)
    return out.getvalue()


def _open_csv(path: Path, data: bytes) -> openpyxl.Workbook:
    if len(data) > MAX_CSV_BYTES:
        raise _too_large(path, len(data), MAX_CSV_BYTES, "the CSV file")
    text, _ = decode(data, path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "CSV"
    with reading(path):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text)):
            ws.append(row)  # a text starting with "=" becomes a formula, as Excel reads it
    return wb

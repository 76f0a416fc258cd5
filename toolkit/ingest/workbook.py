"""Workbooks (.xlsx, .xlsm, .xlsb, .xls, WPS .et, .ods) as a frame of cells: the first
visible sheet.

An .xlsx or .xlsm file whose sheet starts at A1 is read by fastexcel; anything else
(and anything fastexcel cannot read) by python-calamine, cell by cell, with the error
messages for damaged, password-protected, empty and full (possibly cut) workbooks.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path

import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine as calamine

from toolkit.exceptions import UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.ingest.boundary import (
    FATAL_ERRORS,
    OLE2_MAGIC,
    RESAVE_HINT,
    ZIP_MAGIC,
    short_message,
)
from toolkit.ingest.cells import IMPRECISE, imprecise_number, long_number_rows
from toolkit.ingest.formats import (
    PASSWORD_HINT,
    check_not_protected,
    check_row_limit,
    password_protected,
)
from toolkit.ingest.text import arrow_strings, as_text

log = logging.getLogger(__name__)


# Limits on what an .xlsx may unpack to, checked from the zip's directory before any
# reading. The largest real workbook (a province's payments, 51 MiB compressed, about a
# million rows) unpacks to some 500 MiB at a ratio near 10; a sheet is allowed four
# times that and more, and a ratio twenty times the usual (DEFLATE reaches about
# 1,000 only on padding, never on cells).
MAX_MEMBER_BYTES = 2 << 30  # one member (a sheet, the shared strings)
MAX_TOTAL_BYTES = 4 << 30  # all members together
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM = 16 << 20  # smaller members may compress as they like


def check_unpacked_sizes(path: Path, data: bytes) -> None:
    """An UnreadableFileError when an .xlsx (a zip, ``data``) would unpack to more than
    the limits above, read from the sizes its directory declares (no byte is unpacked);
    nothing when it is within them or is not a readable zip (the readers then say what
    is wrong with it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    hint = ("a workbook this size is not an export of the tables: " + _(RESAVE_HINT)
            + " (if it was made by a program, check what it wrote)")
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > MAX_MEMBER_BYTES:
            raise UnreadableFileError(
                _("the workbook's part {filename} would unpack to {value:.1f} GiB, more than the limit of {value2} GiB; it is not read").format(filename=m.filename, value=m.file_size / (1 << 30), value2=MAX_MEMBER_BYTES >> 30),
                file=path, hint=hint)
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size >= RATIO_CHECKED_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise UnreadableFileError(
                _("the workbook's part {filename} would unpack to {value:,} MiB from {value2:,} KiB (compressed {ratio:,.0f} times, more than the limit of {MAX_COMPRESSION_RATIO} times: padding, not cells); it is not read").format(filename=m.filename, value=m.file_size >> 20, value2=max(m.compress_size >> 10, 1), ratio=ratio, MAX_COMPRESSION_RATIO=MAX_COMPRESSION_RATIO), file=path, hint=hint)
    if total > MAX_TOTAL_BYTES:
        raise UnreadableFileError(
            _("the workbook would unpack to {value:.1f} GiB, more than the limit of {value2} GiB; it is not read").format(value=total / (1 << 30), value2=MAX_TOTAL_BYTES >> 30), file=path, hint=hint)


def _first_sheet(wb) -> int:
    """The index of the first sheet as Excel's tabs show it: the first visible
    worksheet (hidden sheets and chart sheets skipped); 0 when there is none."""
    try:
        meta = wb.sheets_metadata
    except Exception:  # pragma: no cover - metadata is optional for the reader
        return 0
    for i, m in enumerate(meta):
        if m.visible == calamine.SheetVisibleEnum.Visible and \
                m.typ == calamine.SheetTypeEnum.WorkSheet:
            return i
    return 0


def _is_empty(rows: list[list]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for r in rows for c in r)


_XML_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_XML_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_XML_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_XML_SHEETDATA = re.compile(rb"<(?:\w+:)?sheetData\s*>")
_XML_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: v for k, v in _XML_ATTR.findall(raw)}


def _first_sheet_part(z: zipfile.ZipFile) -> tuple[int, str] | None:
    """(index, part name) of the first visible worksheet of an .xlsx package, read
    from its workbook XML; None when there is none."""
    sheets = [_attrs(a) for a in _XML_SHEET.findall(z.read("xl/workbook.xml"))]
    rels = {}
    for a in _XML_REL.findall(z.read("xl/_rels/workbook.xml.rels")):
        a = _attrs(a)
        rels[a.get(b"Id")] = a
    for i, sh in enumerate(sheets):
        rel = rels.get(sh.get(b"id"), {})
        if sh.get(b"state", b"visible") == b"visible" and \
                rel.get(b"Type", b"").endswith(b"/worksheet"):
            target = rel[b"Target"].decode()
            return i, target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _xlsx_first_sheet_at_a1(data: bytes) -> int | None:
    """The index of the first visible worksheet of an .xlsx workbook when its first
    cell (in file order) is A1 holding a value, read from the workbook's XML; None when
    that is not so or not sure. Then the fast reader (fastexcel, which starts at the
    first used cell) gives the rows and columns as Excel numbers them."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        first = _first_sheet_part(z)
        if first is None:
            return None
        index, name = first
        with z.open(name) as f:
            head = f.read(1 << 16)
    m = _XML_SHEETDATA.search(head)
    if m is None:
        return None
    c = _XML_CELL.search(head, m.end())
    if c is None or c.group(2) or _attrs(c.group(1)).get(b"r") != b"A1":
        return None
    end = head.find(b"</", c.end())
    body = head[c.end():end + 64]
    if re.search(rb"<(?:\w+:)?v>[^<]", body) is None and b"<is>" not in body and \
            b":is>" not in body:
        return None
    return index


# A number cell whose value may hold more digits than Excel keeps (cells.LONG_NUMBER,
# as the XML writes it: ``430405198805188638`` or ``4.3040519880518864E+17``).
_XML_LONG_NUMBER = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?v>(-?[0-9]{16,}|-?[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+)"
    rb"</(?:\w+:)?v>")
_XML_REF = re.compile(rb"^([A-Z]{1,3})([0-9]+)$")


def _imprecise_number_cells(data: bytes) -> dict[int, list[int]] | None:
    """{column: rows} (positions from 0 at A1) of the number cells of the first visible
    sheet whose value has more digits than Excel keeps (``cells.imprecise_number``),
    read from its XML in pieces; None when a cell does not say where it is."""
    out: dict[int, list[int]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        first = _first_sheet_part(z)
        if first is None:
            return out
        with z.open(first[1]) as f:
            buf = b""
            while True:
                chunk = f.read(1 << 24)
                buf += chunk
                # up to the last cell's start: a cell cut by the piece's end comes next time
                cut = _last_cell_start(buf) if chunk else len(buf)
                for m in _XML_LONG_NUMBER.finditer(buf, 0, cut):
                    a = _attrs(m.group(1))
                    if a.get(b"t", b"n") != b"n" or not imprecise_number(float(m.group(2))):
                        continue
                    at = _cell_at(a.get(b"r", b""))
                    if at is None:
                        return None
                    out.setdefault(at[1], []).append(at[0])
                buf = buf[cut:]
                if not chunk:
                    return out


def _cell_at(ref: bytes) -> tuple[int, int] | None:
    """(row, column), both from 0 at A1, of a cell reference such as ``B3``; None when
    it is not one."""
    m = _XML_REF.match(ref)
    if m is None:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ch - 64
    return int(m.group(2)) - 1, col - 1


def _last_cell_start(buf: bytes) -> int:
    """Where the last ``<c `` (or ``<x:c ``) of ``buf`` starts; 0 when there is none."""
    at = buf.rfind(b"<c ")
    prefixed = buf.rfind(b":c ")
    if prefixed > at:
        at = max(at, buf.rfind(b"<", 0, prefixed))
    return max(at, 0)


def read_xlsx_fast(path: Path, data: bytes | None = None) -> tuple[str | None, pd.DataFrame, None] | None:
    """An .xlsx workbook (``data``: its bytes as read once) read by fastexcel as text cells (one parse of the sheet, in
    Rust, straight to Arrow): numbers in their shortest form up to 15 significant
    digits, date cells as ``YYYY-MM-DD HH:MM:SS`` (``.fff`` when the cell has a
    fraction of a second). None when the first visible sheet does not start at A1 (see
    ``_xlsx_first_sheet_at_a1``) or anything fails: ``read_workbook`` then reads it
    with python-calamine cell by cell, with its error messages."""
    data = path.read_bytes() if data is None else data
    try:
        index = _xlsx_first_sheet_at_a1(data)
        if index is None:
            return None
        reader = fastexcel.read_excel(data)
        sheet = reader.load_sheet(index, header_row=None, dtypes="string")
        table = sheet.to_arrow()
        name = sheet.name
    except FATAL_ERRORS:
        raise
    except BaseException as exc:  # the general reader decides what the problem is
        log.debug("%s: the fast workbook reader gave up (%s)", path.name, short_message(exc, 120))
        return None
    frame = _blank_filled(table).to_pandas()
    frame.columns = range(frame.shape[1])
    for c in frame.columns:
        frame[c] = _whole_seconds(frame[c])
    # fastexcel writes number and text cells alike: where a cell looks like a long
    # number, the sheet's XML tells which are numbers
    long = {c: long_number_rows(frame[c]) for c in frame.columns}
    long = {c: rows for c, rows in long.items() if len(rows)}
    found: dict[int, np.ndarray] = {}
    if long:
        try:
            numbers = _imprecise_number_cells(data)
        except FATAL_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001 - the general reader decides
            log.debug("%s: the sheet's number cells could not be read (%s)", path.name,
                      short_message(exc, 120))
            numbers = None
        if numbers is None:
            return None  # the general reader knows each cell's type
        found = {c: np.intersect1d(rows, numbers.get(c, [])) for c, rows in long.items()}
    frame.attrs[IMPRECISE] = {c: rows for c, rows in found.items() if len(rows)}
    return name, frame, None


def _blank_filled(table):
    """An Arrow table of text columns with '' for empty cells (fill_null in Arrow costs
    a few ms a column; pandas' fillna on the same column costs tens)."""
    cols = []
    for c in table.columns:
        if not pa.types.is_string(c.type) and not pa.types.is_large_string(c.type):
            c = c.cast(pa.string())
        cols.append(pc.fill_null(c, "") if c.null_count else c)
    return pa.table(cols, names=[str(i) for i in range(len(cols))])


_FRACTION_OF_SECOND = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+$"


def _whole_seconds(col: pd.Series) -> pd.Series:
    """Date cells that fastexcel wrote with a fraction of a second
    (``2022-03-05 14:03:07.600``) rounded to the second, half up, as the cell-by-cell
    reader does (``cell_str``)."""
    if col.dtype != "str":
        return col
    arr = arrow_strings(as_text(col))
    if not pc.any(pc.match_substring(arr, ".")).as_py():  # a plain search first
        return col
    hit = pc.match_substring_regex(arr, pattern=_FRACTION_OF_SECOND) \
        .to_numpy(zero_copy_only=False)
    if not hit.any():
        return col
    ts = pd.to_datetime(col[hit], format="%Y-%m-%d %H:%M:%S.%f", errors="coerce")
    ok = ts.notna()
    fixed = (ts[ok] + pd.Timedelta(milliseconds=500)).dt.floor("s").dt.strftime("%Y-%m-%d %H:%M:%S")
    col = col.copy()
    col[fixed.index] = fixed.astype("str")
    return col


def read_workbook(path: Path, data: bytes | None = None) -> tuple[str | None, pd.DataFrame, None]:
    """``(sheet name, frame, None)`` of the first visible sheet of a workbook in any of
    ``formats.WORKBOOK_SUFFIXES`` (the content decides which, not the suffix), cells as
    the reader gives them; an UnreadableFileError saying what is wrong with a workbook it
    cannot read, or that it is protected by a password, or that its sheet is full (the
    format's last row reached: rows may have been cut). ``data`` is the file's bytes as
    read once (``ingest.snapshot``); every reader below parses them, none opens the file
    again."""
    data = path.read_bytes() if data is None else data
    head = data[:8]
    if not head:
        raise UnreadableFileError(_("the file is empty (0 bytes)"), file=path,
                                  hint=_("export the table again"))
    check_not_protected(path, data)
    suffix = path.suffix.lower()
    if head[:4] == ZIP_MAGIC:
        check_unpacked_sizes(path, data)
    if suffix in (".xlsx", ".xlsm") and head[:4] == ZIP_MAGIC:
        fast = read_xlsx_fast(path, data)
        if fast is not None:
            check_row_limit(path, head, len(fast[1]), fast[0])
            return fast
    try:
        # the content decides (an .xls saved under .xlsx, WPS's .et, or the reverse)
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not wb.sheet_names:
            raise UnreadableFileError(_("the workbook has no sheet"), file=path, hint=_(RESAVE_HINT))
        first = _first_sheet(wb)
        sheet = wb.get_sheet_by_index(first)
        rows = sheet.to_python(skip_empty_area=False)
        name = sheet.name
        if _is_empty(rows):
            _empty_first_sheet(wb, first, name, path)
    except calamine.PasswordError as exc:
        raise password_protected(path) from exc
    except UnreadableFileError:
        raise
    except FATAL_ERRORS:
        raise
    except BaseException as exc:  # calamine raises several types (a Rust panic too)
        hint = _(RESAVE_HINT)
        if suffix in (".xlsx", ".xlsm", ".xlsb") and head == OLE2_MAGIC:
            hint = ("it is an OLE2 file, the form Excel gives a password-protected workbook "
                    "(or an old .xls): if it has a password, " + _(PASSWORD_HINT) + "; otherwise "
                    + _(RESAVE_HINT))
        elif head[:4] not in (ZIP_MAGIC, OLE2_MAGIC[:4]):
            hint = ("it is not a workbook (.xlsx, .xlsm, .xlsb and .ods files start as a ZIP "
                    "archive, .xls and .et as an OLE2 file); " + _(RESAVE_HINT))
        raise UnreadableFileError(
            _("the workbook cannot be read, it is damaged or incomplete ({error}: {value})").format(error=type(exc).__name__, value=short_message(exc)), file=path, hint=hint,
        ) from exc
    check_row_limit(path, head, len(rows), name)
    frame = pd.DataFrame(rows, dtype=object)
    return name, frame, None


# What a file of each suffix starts with; another start (or a suffix calamine does not
# know by name, as .et) is read by content.
_CONTENT = {".xlsx": ZIP_MAGIC, ".xlsm": ZIP_MAGIC, ".xlsb": ZIP_MAGIC, ".ods": ZIP_MAGIC,
            ".xls": OLE2_MAGIC[:4]}


def _empty_first_sheet(wb, first: int, name: str, path: Path) -> None:
    """Raise the error for a workbook whose first sheet holds nothing, naming a later
    sheet that does hold data (only the first sheet is read)."""
    for i, other in enumerate(wb.sheet_names):
        if i == first:
            continue
        try:
            rows = wb.get_sheet_by_index(i).to_python(skip_empty_area=False)
        except Exception:  # pragma: no cover - a broken other sheet: keep looking
            continue
        if not _is_empty(rows):
            raise UnreadableFileError(
                _("the first sheet {name!r} of the workbook is empty, but the sheet {other!r} holds data; only the first sheet of a workbook is read").format(name=name, other=other), file=path, sheet=name,
                hint=_("move the data to the first sheet (drag the tab {other!r} to the far left, or delete the empty sheet) and save the workbook").format(other=other),
            )
    raise UnreadableFileError(_("the workbook is empty (no sheet holds any cell)"), file=path,
                              sheet=name, hint=_("export the table again"))


_XML_CELL_BODY = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_XML_FORMULA = re.compile(rb"<(?:\w+:)?f\b")


def formula_cells(path) -> set[tuple[int, int]]:
    """(row number as Excel shows it, column position from 0) of every formula cell of
    the first visible sheet of an .xlsx or .xlsm workbook, read from its XML (the other
    formats give the readers the saved results only). For a small table typed by hand
    (the corrections file), whose values must be the values themselves. ``path``: the
    file, or a binary stream of its bytes (``Snapshot.stream()``)."""
    with zipfile.ZipFile(path) as z:
        first = _first_sheet_part(z)
        if first is None:
            return set()
        data = z.read(first[1])
    out = set()
    for m in _XML_CELL_BODY.finditer(data):
        if m.group(2) is None or _XML_FORMULA.search(m.group(2)) is None:
            continue
        at = _cell_at(_attrs(m.group(1)).get(b"r", b""))
        if at is not None:  # (a cell that does not say where it is: its saved result)
            out.add((at[0] + 1, at[1]))
    return out

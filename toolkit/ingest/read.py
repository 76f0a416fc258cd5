"""Find a year's input files, read them, find the header row and map the columns.

The output of this stage is one :class:`RawTable` per file: every data row's cells as
text (``str``, '' for an empty cell), indexed by the row number the user sees in Excel
or a text editor, with the contract's columns mapped to their canonical names. Typing
the values is ``clean``'s job.

``read_rows`` is the only place that knows file formats; it is small on purpose so a
faster reader can replace it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import itertools
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.exceptions import (
    DuplicateTableError,
    InputError,
    MissingColumnError,
    MissingTableError,
    ToolkitError,
    UnreadableFileError,
)
from toolkit.ingest import contract
from toolkit.ingest.parse import as_text, header_key, map_unique

log = logging.getLogger(__name__)

BEIJING = "Asia/Shanghai"
_RESAVE = "open it in Excel or WPS and save it again as .xlsx or as CSV (UTF-8)"


# --- finding files -------------------------------------------------------------------


def accepted_file_names(table: str) -> str:
    """The file names a table may have, for messages: ``缴费明细.xlsx`` etc."""
    t = contract.TABLES[table]
    stems = (t.name, *t.file_names)
    suffixes = "|".join(s.lstrip(".") for s in contract.FILE_SUFFIXES)
    return ", ".join(f"{s}.{{{suffixes}}}" for s in stems)


def find_files(data_dir: Path) -> dict[str, Path]:
    """{table: path} for the files in ``data_dir`` that name a table.

    Raises DuplicateTableError when two files map to one table and MissingTableError
    when a required table has no file. Files that name no table are ignored.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(
            f"the data folder {data_dir} does not exist or is not a folder",
            hint="pass --data-dir, or put the year's files under data/<year>/",
        )
    found: dict[str, Path] = {}
    try:
        entries = sorted(data_dir.iterdir())
    except OSError as exc:
        raise InputError(f"the data folder {data_dir} cannot be listed ({exc.strerror})",
                         hint="check that it is readable") from exc
    for path in entries:
        if not path.is_file() or path.name.startswith(("~$", ".")):
            continue  # Excel lock files, hidden files
        if path.suffix.lower() not in contract.FILE_SUFFIXES:
            log.debug("ignoring %s: not a .csv/.xlsx/.xls/.parquet file", path.name)
            continue
        table = contract.table_for_stem(path.stem)
        if table is None:
            log.debug("ignoring %s: its name matches no table of the data contract", path.name)
            continue
        if table in found:
            raise DuplicateTableError(
                f"two files map to the table {table!r}: {found[table].name} and {path.name}",
                file=data_dir,
                hint="keep one of them in the folder (move or rename the other)",
            )
        found[table] = path
    for name, t in contract.TABLES.items():
        if t.required and name not in found:
            raise MissingTableError(
                f"the table {name!r} is missing from {data_dir}",
                file=data_dir,
                expected=f"a file named {accepted_file_names(name)}",
            )
    return found


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with reading(path), open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- cells as text -------------------------------------------------------------------


def _cell_str(v: object) -> str:
    """One non-text cell as text: integral numbers without '.0' or exponent, other
    numbers in their shortest exact form, date cells as ISO text (rounded to the
    second; tz-aware times converted to Beijing time)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating):
        v = float(v)
        if v != v:
            return ""
        if v.is_integer() and abs(v) < 1e21:
            return str(int(v))
        return repr(v)
    if isinstance(v, pd.Timestamp):
        if v.tzinfo is not None:
            v = v.tz_convert(BEIJING).tz_localize(None)
        v = v.round("s")
        return v.isoformat(sep=" ")
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            v = pd.Timestamp(v).tz_convert(BEIJING).tz_localize(None).to_pydatetime()
        if v.microsecond:
            v = (v + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    return str(v)


def cell_text(col: pd.Series) -> pd.Series:
    """A column of cells of any type as ``str`` dtype, '' for empty cells."""
    if col.dtype == "str":
        return as_text(col)
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        c = col
        if getattr(c.dt, "tz", None) is not None:
            c = c.dt.tz_convert(BEIJING).dt.tz_localize(None)
        out = c.dt.round("s").dt.strftime("%Y-%m-%d %H:%M:%S")
        return out.astype("str").fillna("")
    if pd.api.types.is_integer_dtype(col.dtype) and not isinstance(col.dtype, pd.CategoricalDtype):
        return col.astype("str").fillna("").replace("<NA>", "")
    if col.dtype == object and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
        return col.astype("str").fillna("")
    return map_unique(col, _cell_str).fillna("").astype("str")


# --- reading -------------------------------------------------------------------------


_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file (.xls, encrypted .xlsx)
_ZIP = b"PK\x03\x04"  # .xlsx


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """CSV bytes as text: strict UTF-8 (with or without BOM), else GB18030 (a superset
    of GBK and GB2312); UTF-16 when it starts with a UTF-16 byte-order mark, or when
    it has none but its NUL bytes fall only on every second byte (UTF-16 without a
    BOM). Any other NUL byte is an error naming its line: text exports never hold one,
    so the file is damaged or not text.

    Bytes that decode as GB18030 are taken as GB18030: a Big5 or Shift-JIS file that
    happens to decode cannot be told apart and reads as wrong characters (the unit
    names then fail to resolve and are quarantined, so nothing is used silently)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return _no_nul(data.decode("utf-16"), path), "utf-16"
        except UnicodeDecodeError:
            pass
    if data[:4] == _ZIP or data[:8] == _CFB:
        raise UnreadableFileError(
            "this .csv file is really an Excel workbook", file=path,
            hint="rename it to .xlsx (or .xls), or " + _RESAVE,
        )
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return _no_nul(text[0], path), text[1]
        _no_nul(data.decode("utf-8", errors="replace"), path)  # raises, naming the line
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data[:3] == b"\xef\xbb\xbf" else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFileError(
            "this .csv file is neither UTF-8 nor GB18030/GBK text (the first undecodable "
            f"byte is on line {line})", file=path, row=line, hint=_RESAVE,
        ) from exc


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark, or None. In such a CSV every comma,
    digit, Latin letter and line end has a zero high byte, so NULs are frequent and
    fall (nearly) all on odd positions (little-endian) or all on even ones
    (big-endian); a few Chinese characters (U+xx00) add NULs on the other side. A stray
    NUL in a UTF-8 or GB18030 file is nothing like this."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    units = len(data) // 2
    for nuls, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= max(2, units // 10) and other * 4 <= nuls:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _no_nul(text: str, path: Path) -> str:
    """``text`` unchanged, or UnreadableFileError naming the line and field of the
    first NUL character (a binary file gets a shorter message)."""
    pos = text.find("\x00")
    if pos < 0:
        return text
    window = text[max(0, pos - 2048):pos + 2048]
    if len(_CONTROL.findall(window)) > len(window) // 20:  # binary, not text with a stray NUL
        raise UnreadableFileError("this .csv file is not text", file=path, hint=_RESAVE)
    line = text.count("\n", 0, pos) + 1
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    field = text[start:pos].count(",") + 1
    shown = text[start:end if end >= 0 else len(text)][:200].replace("\x00", "\\x00")
    raise UnreadableFileError(
        f"line {line} of this .csv file holds a NUL byte (character 0) in field {field}: "
        f"{shown!r}. Text exports never contain one, so the file is damaged or was not "
        "saved as text", file=path, row=line, hint=_RESAVE,
    )


# Python's csv module refuses fields over 131,072 characters by default; a cell may
# be longer (pasted text), and a long cell is data, not an error.
_CSV_FIELD_LIMIT = 2**31 - 1


def _delimiter(text: str) -> str:
    """',' unless the first lines hold tabs and no comma (Excel's "Unicode text"
    export, UTF-16 and tab-separated, renamed to .csv)."""
    head = text[:65536].splitlines()[:10]
    if any("\t" in line for line in head) and not any("," in line for line in head):
        return "\t"
    return ","


def _valid(data: bytes, encoding: str, chunk: int = 1 << 23) -> bool:
    """Whether ``data`` decodes strictly as ``encoding``, checked chunk by chunk (no
    Python string of the whole file)."""
    import codecs

    dec = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    try:
        for start in range(0, len(data), chunk):
            dec.decode(view[start:start + chunk], final=start + chunk >= len(data))
    except UnicodeDecodeError:
        return False
    return True


# The fast CSV reader reads this much of the file's beginning as text to choose the
# delimiter and the width (the widest of the first 200 records).
_HEAD_BYTES = 1 << 18


def _read_csv_fast(path: Path, data: bytes) -> tuple[str | None, pd.DataFrame, str] | None:
    """The common case read by pyarrow (multi-threaded, no Python string of the file):
    UTF-8 or GB18030 text without NUL bytes in which every record has the same number
    of fields. None for anything else (UTF-16, NUL bytes, undecodable bytes, ragged
    rows, a record longer than a read block, ...): ``_read_csv`` then reads the file
    as before (the csv module and pandas on the decoded text), with its error messages.
    Both give the same cells for a file both can read."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == _ZIP or data[:8] == _CFB \
            or b"\x00" in data:
        return None
    # UTF-8 first, checked by pyarrow itself as it reads (every byte outside the
    # ASCII delimiters lies in a string column, and pyarrow validates those); only when
    # that fails is the file checked for UTF-8 here, and then tried as GB18030
    bom = data[:3] == b"\xef\xbb\xbf"
    out = _arrow_csv(path, memoryview(data)[3 if bom else 0:], "utf-8", "utf8")
    if out is not None:
        frame, sep = out
        encoding = "utf-8-sig" if bom else "utf-8"
    elif _valid(data, "utf-8") or not _valid(data, "gb18030"):
        return None  # UTF-8 that pyarrow cannot read as it is, or neither encoding
    else:
        out = _arrow_csv(path, memoryview(data), "gb18030", "gb18030")
        if out is None:
            return None
        frame, sep = out
        encoding = "gb18030"
    return None, frame, encoding if sep == "," else f"{encoding}, tab-separated"


def _arrow_csv(path: Path, body: memoryview, encoding: str,
               arrow_encoding: str) -> tuple[pd.DataFrame, str] | None:
    """(frame, delimiter) of CSV bytes read by pyarrow, or None when it cannot."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    head = bytes(body[:_HEAD_BYTES]).decode(encoding, errors="ignore")
    if not head.strip():
        return None  # white space only at least as far as the head: the general reader
    if len(body) > _HEAD_BYTES:
        head = head[:head.rfind("\n") + 1] or head  # whole lines only
    sep = _delimiter(head)
    sample = list(itertools.islice(csv.reader(io.StringIO(head, newline=""), delimiter=sep), 200))
    width = max((len(r) for r in sample), default=1) or 1
    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(column_names=names, encoding=arrow_encoding,
                                           block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False,
                                                 check_utf8=True),
        )
    except _FATAL:
        raise
    except Exception as exc:  # ragged rows, invalid UTF-8, a huge record...
        log.debug("%s: the fast CSV reader gave up (%s)", path.name, _short(exc, 120))
        return None
    frame = table.to_pandas()
    frame.columns = range(width)
    return frame, sep


def _read_csv(path: Path) -> tuple[str | None, pd.DataFrame, str]:
    data = path.read_bytes()
    if not data:
        raise UnreadableFileError("the file is empty (0 bytes)", file=path,
                                  hint="export the table again")
    fast = _read_csv_fast(path, data)
    if fast is not None:
        return fast
    text, encoding = decode(data, path)
    if not text.strip():
        raise UnreadableFileError("the file is empty (only white space)", file=path,
                                  hint="export the table again")
    sep = _delimiter(text)
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    sample = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=sep), 200))
    width = max((len(r) for r in sample), default=1) or 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text, newline=""), header=None, names=range(width), index_col=False,
                sep=sep, dtype="str", keep_default_na=False, na_filter=False, skip_blank_lines=False,
            )
    except (pd.errors.ParserError, ValueError):
        # ragged rows (more fields further down than in the sample): the csv module,
        # rows padded to one width
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return None, frame, encoding if sep == "," else f"{encoding}, tab-separated"


_PASSWORD_HINT = ("open it in Excel or WPS with its password, remove the password (Excel: "
                  "File > Info > Protect Workbook > Encrypt with Password, clear the box; WPS: "
                  "文件 > 文档加密 > 密码加密) and save it again")


def _encrypted_ooxml(path: Path) -> bool:
    """True for an encrypted Office Open XML file: Excel writes it as an OLE2 compound
    file holding the streams ``EncryptionInfo`` and ``EncryptedPackage`` (their
    directory entries carry the names in UTF-16LE)."""
    with open(path, "rb") as f:
        if f.read(8) != _CFB:
            return False
        data = f.read()
    return "EncryptedPackage".encode("utf-16-le") in data or \
        "EncryptionInfo".encode("utf-16-le") in data


def _first_sheet(wb) -> int:
    """The index of the first sheet as Excel's tabs show it: the first visible
    worksheet (hidden sheets and chart sheets skipped); 0 when there is none."""
    import python_calamine as pc

    try:
        meta = wb.sheets_metadata
    except Exception:  # pragma: no cover - metadata is optional for the reader
        return 0
    for i, m in enumerate(meta):
        if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet:
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


def _xlsx_first_sheet_at_a1(path: Path) -> int | None:
    """The index of the first visible worksheet of an .xlsx workbook when its first
    cell (in file order) is A1 holding a value, read from the workbook's XML; None when
    that is not so or not sure. Then the fast reader (fastexcel, which starts at the
    first used cell) gives the rows and columns as Excel numbers them."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        sheets = [_attrs(a) for a in _XML_SHEET.findall(z.read("xl/workbook.xml"))]
        rels = {}
        for a in _XML_REL.findall(z.read("xl/_rels/workbook.xml.rels")):
            a = _attrs(a)
            rels[a.get(b"Id")] = a
        first = None
        for i, sh in enumerate(sheets):
            rel = rels.get(sh.get(b"id"), {})
            if sh.get(b"state", b"visible") == b"visible" and \
                    rel.get(b"Type", b"").endswith(b"/worksheet"):
                first = i, rel[b"Target"].decode()
                break
        if first is None:
            return None
        index, target = first
        name = target.lstrip("/") if target.startswith("/") else "xl/" + target
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


def _read_xlsx_fast(path: Path) -> tuple[str | None, pd.DataFrame, None] | None:
    """An .xlsx workbook read by fastexcel as text cells (one parse of the sheet, in
    Rust, straight to Arrow): numbers in their shortest form up to 15 significant
    digits, date cells as ``YYYY-MM-DD HH:MM:SS`` (``.fff`` when the cell has a
    fraction of a second). None when the first visible sheet does not start at A1 (see
    ``_xlsx_first_sheet_at_a1``) or anything fails: ``_read_workbook`` then reads it
    with python-calamine cell by cell, with its error messages."""
    import fastexcel

    try:
        index = _xlsx_first_sheet_at_a1(path)
        if index is None:
            return None
        reader = fastexcel.read_excel(str(path))
        sheet = reader.load_sheet(index, header_row=None, dtypes="string")
        table = sheet.to_arrow()
        name = sheet.name
    except _FATAL:
        raise
    except BaseException as exc:  # the general reader decides what the problem is
        log.debug("%s: the fast workbook reader gave up (%s)", path.name, _short(exc, 120))
        return None
    frame = _blank_filled(table).to_pandas()
    frame.columns = range(frame.shape[1])
    for c in frame.columns:
        frame[c] = _whole_seconds(frame[c])
    return name, frame, None


def _blank_filled(table):
    """An Arrow table of text columns with '' for empty cells (fill_null in Arrow costs
    a few ms a column; pandas' fillna on the same column costs tens)."""
    import pyarrow as pa
    import pyarrow.compute as pc

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
    reader does (``_cell_str``)."""
    import pyarrow.compute as pc

    from toolkit.ingest.parse import _arrow

    if col.dtype != "str":
        return col
    arr = _arrow(as_text(col))
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


def _read_workbook(path: Path) -> tuple[str | None, pd.DataFrame, None]:
    import python_calamine as pc

    with open(path, "rb") as f:
        head = f.read(8)
    if not head:
        raise UnreadableFileError("the file is empty (0 bytes)", file=path,
                                  hint="export the table again")
    if _encrypted_ooxml(path):
        raise UnreadableFileError(
            "the workbook is password-protected (encrypted), so it cannot be read", file=path,
            hint=_PASSWORD_HINT)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and head[:4] == _ZIP:
        fast = _read_xlsx_fast(path)
        if fast is not None:
            return fast
    try:
        if (suffix == ".xlsx" and head[:4] != _ZIP) or (suffix == ".xls" and head != _CFB):
            # the content decides (an .xls saved under .xlsx, or the reverse)
            with open(path, "rb") as f:
                wb = pc.CalamineWorkbook.from_filelike(f)
        else:
            wb = pc.CalamineWorkbook.from_path(str(path))
        if not wb.sheet_names:
            raise UnreadableFileError("the workbook has no sheet", file=path, hint=_RESAVE)
        first = _first_sheet(wb)
        sheet = wb.get_sheet_by_index(first)
        rows = sheet.to_python(skip_empty_area=False)
        name = sheet.name
        if _is_empty(rows):
            _empty_first_sheet(wb, first, name, path)
    except pc.PasswordError as exc:
        raise UnreadableFileError(
            "the workbook is password-protected (encrypted), so it cannot be read", file=path,
            hint=_PASSWORD_HINT) from exc
    except UnreadableFileError:
        raise
    except _FATAL:
        raise
    except BaseException as exc:  # calamine raises several types (a Rust panic too)
        hint = _RESAVE
        if suffix == ".xlsx" and head == _CFB:
            hint = ("it is an OLE2 file, the form Excel gives a password-protected workbook "
                    "(or an old .xls): if it has a password, " + _PASSWORD_HINT + "; otherwise "
                    + _RESAVE)
        elif head[:4] not in (_ZIP, _CFB[:4]):
            hint = "it is not an Excel workbook (.xlsx files start as a ZIP archive); " + _RESAVE
        raise UnreadableFileError(
            f"the workbook cannot be read, it is damaged or incomplete ({type(exc).__name__}: "
            f"{_short(exc)})", file=path, hint=hint,
        ) from exc
    frame = pd.DataFrame(rows, dtype=object)
    return name, frame, None


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
                f"the first sheet {name!r} of the workbook is empty, but the sheet {other!r} "
                "holds data; only the first sheet of a workbook is read", file=path, sheet=name,
                hint=f"move the data to the first sheet (drag the tab {other!r} to the far left, "
                     "or delete the empty sheet) and save the workbook",
            )
    raise UnreadableFileError("the workbook is empty (no sheet holds any cell)", file=path,
                              sheet=name, hint="export the table again")


def _read_parquet(path: Path) -> tuple[str | None, pd.DataFrame, None]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise UnreadableFileError(
            f"the Parquet file cannot be read ({type(exc).__name__}: {_short(exc)})", file=path,
            hint="write it again (e.g. DataFrame.to_parquet), or supply the table as .xlsx or CSV",
        ) from exc
    names = [str(c) for c in table.column_names]
    body = {}
    for i, col in enumerate(table.columns):
        if pa.types.is_integer(col.type):
            # as text in Arrow: pandas would turn an integer column with nulls into
            # float64 and round 18-digit ids
            col = pc.cast(col, pa.string())
        body[i] = cell_text(col.to_pandas())
    body = pd.DataFrame(body, columns=range(len(names)))
    header = pd.DataFrame([names], columns=range(len(names)))
    frame = pd.concat([header, body], ignore_index=True) if len(body) else header
    return None, frame, None


def read_rows(path: Path) -> tuple[str | None, pd.DataFrame, str | None]:
    """Every row of a file (the first sheet of a workbook) as text.

    Returns ``(sheet name or None, frame, encoding or None)``; the frame has integer
    column labels, ``str`` cells ('' when empty) and is indexed by the 1-based row
    number as Excel or an editor shows it. For Parquet the column names are row 1.
    For CSV the row number is the record's position counted from 1, which is the
    line number unless a quoted cell spans several lines.

    Any failure is an UnreadableFileError naming the file (see ``reading``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    with reading(path):
        if suffix == ".csv":
            sheet, frame, encoding = _read_csv(path)
        elif suffix in (".xlsx", ".xls"):
            sheet, frame, encoding = _read_workbook(path)
        elif suffix == ".parquet":
            sheet, frame, encoding = _read_parquet(path)
        else:
            raise UnreadableFileError(f"unsupported file type {suffix!r}", file=path)
        frame = pd.DataFrame({i: cell_text(frame.iloc[:, i]) for i in range(frame.shape[1])})
        frame.index = pd.RangeIndex(1, len(frame) + 1)
    return sheet, frame, encoding


# Not turned into "unreadable file": the user stopped the program, or it is out of memory.
_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


def _short(exc: BaseException, limit: int = 300) -> str:
    text = str(exc)
    return text if len(text) <= limit else text[:limit] + "…"


@contextlib.contextmanager
def reading(path: Path, sheet: str | None = None):
    """The reader boundary: an error of the toolkit passes through; any other
    exception while a file is read (an OS error, a parser's own error, a panic in a
    compiled reader) becomes an UnreadableFileError naming the file, with the original
    as ``__cause__``. Only interruption and exhausted memory pass unchanged."""
    try:
        yield
    except (ToolkitError, *_FATAL):
        raise
    except OSError as exc:
        raise UnreadableFileError(
            f"the file cannot be opened ({exc.strerror or type(exc).__name__})", file=path,
            sheet=sheet, hint="check that it exists, is readable and is not open in another program",
        ) from exc
    except BaseException as exc:
        raise UnreadableFileError(
            f"the file cannot be read ({type(exc).__name__}: {_short(exc)})", file=path,
            sheet=sheet, hint=_RESAVE + "; if it still fails, report it with the file",
        ) from exc


# --- header and columns --------------------------------------------------------------


def _ordered_columns(table: contract.Table) -> list[contract.Column]:
    return [c for c in table.columns if c.required] + [c for c in table.columns if not c.required]


def map_columns(headers: list[str], table: contract.Table) -> dict[str, int]:
    """{canonical column: position} for a header row.

    Headers are compared after NFKC, removal of all white space and case folding. Each
    header cell serves at most one column; required columns choose first (in contract
    order), then optional ones. A column takes the cell equal to its canonical name if
    there is one, else the first cell (left to right) equal to one of its aliases.
    """
    keys = [header_key(h) for h in headers]
    taken: set[int] = set()
    out: dict[str, int] = {}
    for col in _ordered_columns(table):
        canonical = header_key(col.name)
        aliases = {header_key(a) for a in col.aliases}
        pos = next((i for i, k in enumerate(keys) if i not in taken and k == canonical), None)
        if pos is None:
            pos = next((i for i, k in enumerate(keys) if i not in taken and k in aliases), None)
        if pos is not None:
            out[col.name] = pos
            taken.add(pos)
    return out


@dataclass
class RawTable:
    """One file as read: data rows as text, with the contract's columns mapped."""

    table: str
    path: Path
    sheet: str | None
    encoding: str | None
    header_row: int | None
    headers: list[str]  # every header cell, NFKC-normalised and trimmed
    columns: dict[str, int]  # canonical name -> position in headers
    cells: pd.DataFrame  # data rows (all cells, by position), index = row number
    sha256: str = ""
    skipped: dict[str, int] = field(default_factory=dict)  # blank / footer rows

    @property
    def data(self) -> pd.DataFrame:
        """The mapped columns under their canonical names (str, '' when empty)."""
        return pd.DataFrame({name: self.cells[pos] for name, pos in self.columns.items()},
                            index=self.cells.index)

    def header_of(self, column: str) -> str:
        """The header text the file uses for a canonical column."""
        pos = self.columns.get(column)
        return self.headers[pos] if pos is not None else column


def _footer_or_blank(cells: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(blank, footer): rows whose cells are all empty or white space, and rows whose
    first filled cell starts with a footer word (合计, 小计, 总计) or that hold a cell
    equal to one. A footer word may stand on any row (subtotals per unit): every row
    is checked, by pyarrow over whole columns; the exact test runs on the few rows
    holding a 计 at all."""
    import pyarrow.compute as pc

    from toolkit.ingest.parse import _arrow

    if cells.shape[1] == 0:
        empty = pd.Series(True, index=cells.index)
        return empty, ~empty
    filled = np.zeros(len(cells), dtype=bool)
    maybe_footer = np.zeros(len(cells), dtype=bool)
    marks = sorted({ch for w in contract.FOOTER_WORDS for ch in w
                    if all(ch in x for x in contract.FOOTER_WORDS)})
    for c in cells.columns:
        arr = _arrow(cells[c])
        filled |= pc.and_(pc.not_equal(arr, ""), pc.invert(pc.utf8_is_space(arr))) \
            .to_numpy(zero_copy_only=False)
        if marks:
            maybe_footer |= pc.match_substring(arr, marks[0]).to_numpy(zero_copy_only=False)
        else:  # pragma: no cover - footer words without a common character
            maybe_footer[:] = True
    blank = pd.Series(~filled, index=cells.index)
    footer = pd.Series(False, index=cells.index)
    if maybe_footer.any():
        _, f = _footer_or_blank_exact(cells[maybe_footer])
        footer[f.index] = f.to_numpy()
    return blank, footer


def _footer_or_blank_exact(cells: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    stripped = {c: cells[c].str.strip() for c in cells.columns}
    blank = pd.Series(True, index=cells.index)
    equal_footer = pd.Series(False, index=cells.index)
    first = pd.Series("", index=cells.index, dtype="str")
    for c in cells.columns:
        s = stripped[c]
        nonempty = s != ""
        first = first.where((first != "") | ~nonempty, s)
        blank &= ~nonempty
        equal_footer |= s.isin(contract.FOOTER_WORDS)
    footer = (first.str.startswith(contract.FOOTER_WORDS) | equal_footer) & ~blank
    return blank, footer


def locate_header(frame: pd.DataFrame, table: contract.Table, path: Path,
                  sheet: str | None) -> tuple[int, dict[str, int], list[str]]:
    """(position of the header row, column map, header texts): the first of the top
    ``HEADER_SEARCH_ROWS`` rows that names every required column."""
    required = table.required_columns
    best: tuple[int, int, dict[str, int], list[str]] | None = None
    for pos in range(min(contract.HEADER_SEARCH_ROWS, len(frame))):
        headers = [unicode_trim(v) for v in frame.iloc[pos].tolist()]
        cols = map_columns(headers, table)
        hits = sum(1 for r in required if r in cols)
        if hits == len(required):
            return pos, cols, headers
        if any(headers) and (best is None or hits > best[1]):
            best = (pos, hits, cols, headers)
    if best is None:
        raise UnreadableFileError("the file has no rows", file=path, sheet=sheet,
                                  hint="export the table again with its header row")
    pos, _, cols, headers = best
    missing = [c for c in required if c not in cols]
    described = "; ".join(
        f"{c} (accepted headers: {', '.join((c, *table.column(c).aliases))})" for c in missing
    )
    found = ", ".join(h for h in headers if h) or "(none)"
    raise MissingColumnError(
        f"required column{'s' if len(missing) > 1 else ''} missing from the {table.name} "
        f"table: {described}; headers found in row {int(frame.index[pos])}: {found}",
        file=path, sheet=sheet, column=missing[0],
        expected="a header row within the first "
                 f"{contract.HEADER_SEARCH_ROWS} rows naming every required column",
    )


def unicode_trim(v: object) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", str(v)).strip() if v is not None else ""


def read_table(path: Path, table: str) -> RawTable:
    """Read one file of ``table``: header row found, blank and footer rows dropped.
    Every failure is a ToolkitError naming the file."""
    path = Path(path)
    t = contract.TABLES[table]
    sheet, frame, encoding = read_rows(path)
    with reading(path, sheet):
        if frame.shape[1] == 0 or len(frame) == 0:
            raise UnreadableFileError("the file has no rows", file=path, sheet=sheet,
                                      hint="export the table again with its header row")
        pos, cols, headers = locate_header(frame, t, path, sheet)
        cells = frame.iloc[pos + 1:]
        blank, footer = _footer_or_blank(cells)
        keep = ~blank & ~footer
        raw = RawTable(
            table=table, path=path, sheet=sheet, encoding=encoding,
            header_row=int(frame.index[pos]), headers=headers, columns=cols,
            cells=cells[keep], sha256="",
            skipped={"blank": int(blank.sum()), "footer": int(footer.sum())},
        )
    if footer.any():
        log.debug("%s: %d footer row(s) skipped", path.name, int(footer.sum()))
    return raw

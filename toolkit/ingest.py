"""Find a year's input files, read them, find the header row and map the columns.

The output of this stage is one :class:`RawTable` per file: every data row's cells as
text (``str``, '' for an empty cell), indexed by the row number the user sees in Excel
or a text editor, with the contract's columns mapped to their canonical names. Typing
the values is ``clean``'s job.

``read_rows`` is the only place that knows file formats; it is small on purpose so a
faster reader can replace it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit import contract
from toolkit.exceptions import (
    DuplicateTableError,
    InputError,
    MissingColumnError,
    MissingTableError,
    UnreadableFileError,
)
from toolkit.parse import header_key, map_unique

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
    for path in sorted(data_dir.iterdir()):
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
    with open(path, "rb") as f:
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
        return col.fillna("")
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


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """CSV bytes as text: strict UTF-8 (with or without BOM), else GB18030 (a superset
    of GBK and GB2312); UTF-16 when it starts with a UTF-16 byte-order mark."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise UnreadableFileError(
            "this .csv file is really an Excel workbook", file=path,
            hint="rename it to .xlsx (or .xls), or " + _RESAVE,
        )
    if b"\x00" in data[:4096]:
        raise UnreadableFileError("this .csv file is not text", file=path, hint=_RESAVE)
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data[:3] == b"\xef\xbb\xbf" else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            "this .csv file is neither UTF-8 nor GB18030/GBK text", file=path, hint=_RESAVE
        ) from exc


def _read_csv(path: Path) -> tuple[str | None, pd.DataFrame, str]:
    data = path.read_bytes()
    text, encoding = decode(data, path)
    if not text.strip():
        raise UnreadableFileError("the file is empty", file=path, hint="export the table again")
    sample = list(itertools.islice(csv.reader(io.StringIO(text)), 200))
    width = max((len(r) for r in sample), default=1) or 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text), header=None, names=range(width), index_col=False,
                dtype="str", keep_default_na=False, na_filter=False, skip_blank_lines=False,
            )
    except (pd.errors.ParserError, ValueError):
        rows = list(csv.reader(io.StringIO(text)))
        frame = pd.DataFrame(rows, dtype=object)
    return None, frame, encoding


def _read_workbook(path: Path) -> tuple[str | None, pd.DataFrame, None]:
    import python_calamine as pc

    data_head = path.read_bytes()[:8]
    if not data_head:
        raise UnreadableFileError("the file is empty", file=path, hint="export the table again")
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        if not wb.sheet_names:
            raise UnreadableFileError("the workbook has no sheet", file=path, hint=_RESAVE)
        sheet = wb.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
        name = sheet.name
    except pc.PasswordError as exc:
        raise UnreadableFileError(
            "the workbook is password-protected", file=path,
            hint="remove the password (File > Info > Protect Workbook) and save it again",
        ) from exc
    except UnreadableFileError:
        raise
    except Exception as exc:  # calamine raises several types for broken files
        hint = _RESAVE
        if path.suffix.lower() == ".xlsx" and data_head[:4] == b"\xd0\xcf\x11\xe0":
            hint = ("it looks encrypted (password-protected) or is an old .xls: remove the "
                    "password, or " + _RESAVE)
        raise UnreadableFileError(
            f"the workbook cannot be read ({type(exc).__name__}: {exc})", file=path, hint=hint
        ) from exc
    frame = pd.DataFrame(rows, dtype=object)
    return name, frame, None


def _read_parquet(path: Path) -> tuple[str | None, pd.DataFrame, None]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise UnreadableFileError(
            f"the Parquet file cannot be read ({type(exc).__name__}: {exc})", file=path,
            hint="write it again (e.g. DataFrame.to_parquet), or supply the table as .xlsx or CSV",
        ) from exc
    df = table.to_pandas()
    body = pd.DataFrame({i: cell_text(df.iloc[:, i]) for i in range(df.shape[1])})
    header = pd.DataFrame([[str(c) for c in df.columns]], columns=range(df.shape[1]))
    frame = pd.concat([header, body], ignore_index=True) if len(body) else header
    return None, frame, None


def read_rows(path: Path) -> tuple[str | None, pd.DataFrame, str | None]:
    """Every row of a file (the first sheet of a workbook) as text.

    Returns ``(sheet name or None, frame, encoding or None)``; the frame has integer
    column labels, ``str`` cells ('' when empty) and is indexed by the 1-based row
    number as Excel or an editor shows it. For Parquet the column names are row 1.
    For CSV the row number is the record's position counted from 1, which is the
    line number unless a quoted cell spans several lines.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            sheet, frame, encoding = _read_csv(path)
        elif suffix in (".xlsx", ".xls"):
            sheet, frame, encoding = _read_workbook(path)
        elif suffix == ".parquet":
            sheet, frame, encoding = _read_parquet(path)
        else:
            raise UnreadableFileError(f"unsupported file type {suffix!r}", file=path)
    except OSError as exc:
        raise UnreadableFileError(f"the file cannot be opened ({exc})", file=path,
                                  hint="check that it exists and is not open in another program") from exc
    frame = pd.DataFrame({i: cell_text(frame.iloc[:, i]) for i in range(frame.shape[1])})
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return sheet, frame, encoding


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
    stripped = {c: cells[c].str.strip() for c in cells.columns}
    if not stripped:
        empty = pd.Series(True, index=cells.index)
        return empty, ~empty
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
    """Read one file of ``table``: header row found, blank and footer rows dropped."""
    path = Path(path)
    t = contract.TABLES[table]
    sheet, frame, encoding = read_rows(path)
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

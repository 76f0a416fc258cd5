"""One input file as a :class:`RawTable`: its rows read, the header row found, the
columns mapped, blank and footer rows dropped.

A RawTable holds every data row's cells as text (``str``, '' for an empty cell),
indexed by the row number the user sees in Excel or a text editor, with the
contract's columns mapped to their canonical names. Typing the values is ``clean``'s
job.

``read_rows`` is the only place that chooses a reader by file format (``delimited``,
``workbook``, ``parquet``); it is small on purpose so a faster reader can replace one.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from toolkit.exceptions import MissingColumnError, UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.ingest import contract
from toolkit.ingest.boundary import reading
from toolkit.ingest.cells import IMPRECISE, cell_text, imprecise_number, long_number_rows
from toolkit.ingest.delimited import read_csv
from toolkit.ingest.formats import WORKBOOK_SUFFIXES
from toolkit.ingest.keys import header_key
from toolkit.ingest.parquet import read_parquet
from toolkit.ingest.snapshot import Snapshot, take
from toolkit.ingest.text import arrow_strings
from toolkit.ingest.workbook import read_workbook

log = logging.getLogger(__name__)


def read_rows(source: Path | Snapshot) -> tuple[str | None, pd.DataFrame, str | None]:
    """Every row of a file (the first sheet of a workbook) as text, parsed from its
    snapshot (``ingest.snapshot``: the bytes hashed are the bytes parsed; a path is
    read once here).

    Returns ``(sheet name or None, frame, encoding or None)``; the frame has integer
    column labels, ``str`` cells ('' when empty) and is indexed by the 1-based row
    number as Excel or an editor shows it. For Parquet the column names are row 1.
    For CSV the row number is the record's position counted from 1, which is the
    line number unless a quoted cell spans several lines.

    Any failure is an UnreadableFileError naming the file (see ``reading``).
    """
    snap = source if isinstance(source, Snapshot) else take(Path(source))
    path, data = snap.path, snap.data
    suffix = path.suffix.lower()
    with reading(path):
        if suffix == ".csv":
            sheet, frame, encoding = read_csv(path, data)
        elif suffix in WORKBOOK_SUFFIXES:
            sheet, frame, encoding = read_workbook(path, data)
        elif suffix == ".parquet":
            sheet, frame, encoding = read_parquet(path, data)
        else:
            raise UnreadableFileError(_("unsupported file type {suffix!r}").format(suffix=suffix), file=path)
        cells = frame
        # taken off first: pandas copies a frame's attrs into every frame made from it
        known = cells.attrs.pop(IMPRECISE, None)
        frame = pd.DataFrame({i: cell_text(cells.iloc[:, i]) for i in range(cells.shape[1])})
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        frame.attrs[IMPRECISE] = known if known is not None else imprecise_cells(cells, frame)
    return sheet, frame, encoding


def imprecise_cells(cells: pd.DataFrame, text: pd.DataFrame) -> dict[int, np.ndarray]:
    """{column position: row positions} of the number cells whose digits cannot be
    trusted (``cells.imprecise_number``), judged by the type of each cell whose text
    looks like a long number (for a reader that did not find them itself)."""
    out = {}
    for j in range(cells.shape[1]):
        if cells.iloc[:, j].dtype == "str":
            continue  # text (a CSV): no number cells
        rows = long_number_rows(text[j])
        if len(rows):
            values = cells.iloc[:, j].to_numpy(dtype=object)[rows]
            hit = np.fromiter((imprecise_number(v) for v in values), dtype=bool, count=len(rows))
            if hit.any():
                out[j] = rows[hit]
    return out


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
    # number cells whose digits cannot be trusted: canonical column -> row numbers
    imprecise: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def data(self) -> pd.DataFrame:
        """The mapped columns under their canonical names (str, '' when empty)."""
        return pd.DataFrame({name: self.cells[pos] for name, pos in self.columns.items()},
                            index=self.cells.index)

    def header_of(self, column: str) -> str:
        """The header text the file uses for a canonical column."""
        pos = self.columns.get(column)
        return self.headers[pos] if pos is not None else column


def footer_or_blank(cells: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(blank, footer): rows whose cells are all empty or white space, and rows whose
    first filled cell starts with a footer word (合计, 小计, 总计) or that hold a cell
    equal to one. A footer word may stand on any row (subtotals per unit): every row
    is checked, by pyarrow over whole columns; the exact test runs on the few rows
    holding a 计 at all."""
    if cells.shape[1] == 0:
        empty = pd.Series(True, index=cells.index)
        return empty, ~empty
    filled = np.zeros(len(cells), dtype=bool)
    maybe_footer = np.zeros(len(cells), dtype=bool)
    marks = sorted({ch for w in contract.FOOTER_WORDS for ch in w
                    if all(ch in x for x in contract.FOOTER_WORDS)})
    for c in cells.columns:
        arr = arrow_strings(cells[c])
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


# A header cell is shown in a message up to this many characters (a row that is not a
# header at all, a line of some other file, is not printed whole).
HEADER_SHOWN = 40


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
        n = contract.HEADER_SEARCH_ROWS
        if len(frame) > n:
            raise MissingColumnError(
                _("no header row found in the first {n} rows: they are all empty").format(n=n), file=path,
                sheet=sheet, expected=_("a header row within the first {n} rows naming every required column").format(n=n), hint=_("delete the empty rows above the header row"))
        raise UnreadableFileError(_("the file has no rows (every cell is empty)"), file=path,
                                  sheet=sheet, hint=_("export the table again with its header row"))
    pos, _score, cols, headers = best
    missing = [c for c in required if c not in cols]
    described = "; ".join(
        f"{c} (accepted headers: {', '.join((c, *table.column(c).aliases))})" for c in missing
    )
    shown = [h if len(h) <= HEADER_SHOWN else h[:HEADER_SHOWN] + "…" for h in headers if h]
    found = ", ".join(shown[:30]) + (f", … ({len(shown)} in all)" if len(shown) > 30 else "") \
        or "(none)"
    raise MissingColumnError(
        _("required column{value} missing from the {name} table: {described}; headers found in row {value2}: {found}").format(value='s' if len(missing) > 1 else '', name=table.name, described=described, value2=int(frame.index[pos]), found=found),
        file=path, sheet=sheet, column=missing[0],
        expected=_("a header row within the first {HEADER_SEARCH_ROWS} rows naming every required column").format(HEADER_SEARCH_ROWS=contract.HEADER_SEARCH_ROWS),
    )


def unicode_trim(v: object) -> str:
    """A header cell as NFKC-normalised, trimmed text ('' for None)."""
    return unicodedata.normalize("NFKC", str(v)).strip() if v is not None else ""


def _by_column(cells: dict[int, np.ndarray], columns: dict[str, int]) -> dict[str, np.ndarray]:
    """Imprecise number cells ({column position: row positions}) as {canonical column:
    row numbers}."""
    return {name: np.asarray(cells[pos]) + 1 for name, pos in columns.items() if pos in cells}


def read_table(source: Path | Snapshot, table: str) -> RawTable:
    """Read one file of ``table`` (a path, or its snapshot): header row found, blank
    and footer rows dropped; ``sha256`` is the hash of the bytes read. Every failure is
    a ToolkitError naming the file."""
    snap = source if isinstance(source, Snapshot) else take(Path(source))
    path = snap.path
    t = contract.TABLES[table]
    sheet, frame, encoding = read_rows(snap)
    imprecise = frame.attrs.pop(IMPRECISE, {})  # off before the frame is sliced (see read_rows)
    with reading(path, sheet):
        if frame.shape[1] == 0 or len(frame) == 0:
            raise UnreadableFileError(_("the file has no rows"), file=path, sheet=sheet,
                                      hint=_("export the table again with its header row"))
        pos, cols, headers = locate_header(frame, t, path, sheet)
        cells = frame.iloc[pos + 1:]
        blank, footer = footer_or_blank(cells)
        keep = ~blank & ~footer
        raw = RawTable(
            table=table, path=path, sheet=sheet, encoding=encoding,
            header_row=int(frame.index[pos]), headers=headers, columns=cols,
            cells=cells[keep], sha256=snap.sha256,
            skipped={"blank": int(blank.sum()), "footer": int(footer.sum())},
            imprecise=_by_column(imprecise, cols),
        )
    if footer.any():
        log.debug("%s: %d footer row(s) skipped", path.name, int(footer.sum()))
    return raw

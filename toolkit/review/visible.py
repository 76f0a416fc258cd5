"""What a reviewer sees of a copy in Excel: hidden sheets, rows and columns, and merged
cells, so that a decision counts as displayed (docs/review-cycle.md, "What counts").

- A merged range over a cell the read-back uses (编号, the identity columns, a
  criterion, 评审人, or a column without a header) is an error naming the range: Excel
  shows one value over several rows or columns, the file holds it in one cell only, so
  a decision would silently cover one row of two.
- A decision in a hidden row or column counts (a filter hides rows) and is named by
  ``toolkit validate``; a decision in a hidden sheet is an error naming the sheet.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from toolkit.exceptions import InputError
from toolkit.i18n import gettext as _

#: the words a decision's note gives its place (``toolkit validate``)
HIDDEN_ROW, HIDDEN_COLUMN = "隐藏的行", "隐藏的列"


def hidden_columns(ws) -> set[int]:
    """The column numbers (1 = A) that Excel does not show: hidden, or of width 0."""
    out: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden or (dim.customWidth and not dim.width):
            lo = dim.min or 0
            hi = dim.max or lo
            out.update(range(lo, hi + 1))
    return out


def row_hidden(ws, row: int) -> bool:
    """Whether Excel does not show the row: hidden (by hand, a filter or a collapsed
    outline) or of height 0."""
    dim = ws.row_dimensions.get(row)  # .get: the dictionary would add the row otherwise
    return dim is not None and bool(dim.hidden or (dim.customHeight and dim.ht == 0))


def hidden_place(ws, row: int, column: int, hidden_cols: set[int]) -> str:
    """``隐藏的行``, ``隐藏的列`` (both, joined), or ``""`` for a cell Excel shows."""
    return "、".join(w for w, on in ((HIDDEN_ROW, row_hidden(ws, row)), (HIDDEN_COLUMN, column in hidden_cols)) if on)


def sheet_hidden(ws) -> bool:
    """Whether the sheet's tab is hidden (``hidden`` or ``veryHidden``)."""
    return ws.sheet_state != "visible"


def check_merged(path, ws, header_row: int, read_columns: set[int], headers: dict[int, str], hint: str) -> None:
    """An InputError naming the first merged range of the sheet that covers more than
    one cell and reaches a read column at or below the header row (see the module
    docstring); the read columns include those without a header."""
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.max_row < header_row or (rng.min_row == rng.max_row and rng.min_col == rng.max_col):
            continue
        cols = set(range(rng.min_col, rng.max_col + 1))
        unheaded = {c for c in cols if c not in headers}
        touched = sorted((cols & read_columns) | unheaded)
        if not touched:
            continue
        col = touched[0]
        raise InputError(
            _("merged cells {coord} in a review sheet: Excel shows one value over {value} row(s) and {value2} column(s), the file holds it in {value3}{min_row} only").format(coord=rng.coord, value=rng.size['rows'], value2=rng.size['columns'], value3=get_column_letter(rng.min_col), min_row=rng.min_row), file=path, sheet=ws.title, row=rng.min_row,
            column=headers.get(col, get_column_letter(col)), value=rng.coord,
            expected=_("one value per cell: unmerge the cells (取消合并单元格) and fill each row"), hint=hint)

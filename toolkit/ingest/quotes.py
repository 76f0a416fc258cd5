"""Quotes that swallow lines: a quote that opens a CSV cell and is never closed (or is
closed only lines later, in the middle of a cell) turns the lines after it into part of
that one cell. The rows it swallowed are lost, so such a file is refused, naming the
line where the quote opened; a cell over several lines that is quoted properly is data.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from toolkit.exceptions import UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.ingest.text import arrow_strings

# Python's csv module refuses fields over 131,072 characters by default; a cell may
# be longer (pasted text), and a long cell is data, not an error.
CSV_FIELD_LIMIT = 2**31 - 1


def csv_reader(text: str, sep: str, *, strict: bool = False):
    """The csv module's reader over ``text`` (any field length)."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    return csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=strict)


def has_line_break(frame: pd.DataFrame) -> bool:
    """Whether any cell holds a line break (one pyarrow pass per column)."""
    for c in frame.columns:
        col = frame[c]
        if col.dtype != "str" and col.dtype != object:
            continue
        arr = arrow_strings(col.fillna(""))
        if pc.any(pc.match_substring_regex(arr, pattern="[\r\n]")).as_py():
            return True
    return False


def check_quotes(text: str, sep: str, path: Path) -> None:
    """Nothing when every record spanning several lines is quoted properly; else an
    UnreadableFileError naming the line where the swallowing quote opened. (Run only
    when some cell holds a line break: it reads the file once more.)"""
    offsets = [0]

    def lines():
        pos = 0
        for line in io.StringIO(text, newline=""):
            pos += len(line)
            offsets.append(pos)
            yield line

    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(lines(), delimiter=sep)
    end = 0
    for record in reader:
        start, end = end, reader.line_num
        if end - start > 1:
            _check_record(text[offsets[start]:offsets[end]], record, start + 1, end, sep, path)


def _check_record(raw: str, record: list[str], first: int, last: int, sep: str,
                  path: Path) -> None:
    """Raise when the record on lines ``first``..``last`` (its text ``raw``) does not
    read as one record under the strict rules (a closing quote is followed by the
    delimiter or the line end, the file does not end inside quotes)."""
    try:
        rows = list(csv_reader(raw, sep, strict=True))
    except csv.Error as exc:
        problem = str(exc)
    else:
        if len(rows) == 1:
            return
        problem = "more than one record"  # pragma: no cover - the strict reader agrees
    # the quote opened in the first cell that holds a line break
    cells = next((i for i, v in enumerate(record) if "\n" in v or "\r" in v), 0)
    opened = first + sum(v.count("\n") for v in record[:cells])
    if "end of data" in problem:
        how = (f"is never closed, so the {last - opened} lines after it, to the end of the file, "
               "were read as part of that one cell")
    else:
        how = (f"is closed only on line {last}, in the middle of a cell, so lines {opened + 1} to "
               f"{last} were read as part of that one cell")
    raise UnreadableFileError(
        _('the quote (") that opens cell {value} on line {opened} {how}; the rows on those lines would be lost').format(value=cells + 1, opened=opened, how=how), file=path, row=opened,
        hint=_('remove the stray quote on that line, or close it; a quote inside a quoted cell '
             'is written twice ("")'),
    )

"""A big CSV file read in batches of rows: :func:`raw_batches` yields one
:class:`~toolkit.ingest.table.RawTable` per block of records, so that a file of
millions of rows is never held as text whole (see docs/scale.md).

Only the common case streams: a plain UTF-8 (or GB18030) comma- or tab-separated file
without NUL bytes, whose records all have one width and no line break inside a cell,
with its header row in the first block. Anything else raises :class:`NotStreamable`,
before or during the batches, and the caller reads the file whole
(``ingest.table.read_table``), which reads every file and says what is wrong with it.
Both give the same rows, cells and row numbers for a file both can read
(tests/test_ingest_stream.py).
"""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from toolkit.ingest import contract
from toolkit.ingest.boundary import FATAL_ERRORS, OLE2_MAGIC, ZIP_MAGIC, reading
from toolkit.ingest.delimited import delimiter
from toolkit.ingest.quotes import csv_reader, has_line_break
from toolkit.ingest.table import RawTable, footer_or_blank, locate_header

#: A CSV file larger than this is read in batches of about this many bytes.
BATCH_BYTES = 64 * 2**20
#: pyarrow's streaming reader reads blocks of this size, some twenty of them ahead of
#: the one handed out (measured: 1.3 GB ahead with 64 MiB blocks, 150 MB with 4 MiB);
#: a batch is the blocks read until it holds BATCH_BYTES.
READ_BLOCK_BYTES = 4 * 2**20
# The beginning of the file read as text to choose the encoding, the delimiter and the
# width (the widest of the first 200 records), as the whole-file reader does.
_HEAD_BYTES = 1 << 18
_SCAN_BYTES = 16 * 2**20


class NotStreamable(Exception):
    """The file needs the whole-file reader (``ingest.table.read_table``)."""


def streams(path: Path, batch_bytes: int | None = None) -> bool:
    """Whether ``path`` is a CSV file big enough to be read in batches."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return path.suffix.lower() == ".csv" and size > (batch_bytes or BATCH_BYTES)


def _check_bytes(path: Path, scan: bool = True) -> tuple[bytes, bool, int | None, bool]:
    """(the file's first bytes, whether it holds a double quote, its lines, whether it
    holds a carriage return not followed by a line feed), after checking that none of
    it is a NUL byte (read in pieces: no copy of the whole file); NotStreamable for a
    workbook, UTF-16 or NULs. Without ``scan`` only the first bytes are read (lines
    None)."""
    with open(path, "rb") as f:
        head = f.read(_HEAD_BYTES)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] == ZIP_MAGIC \
                or head[:8] == OLE2_MAGIC or b"\x00" in head:
            raise NotStreamable("not plain text")
        if not scan:
            return head, b'"' in head, None, True
        quoted, lines, lone_cr, last = False, 0, False, b""
        chunk = head
        while chunk:
            if b"\x00" in chunk:
                raise NotStreamable("NUL bytes")
            quoted = quoted or b'"' in chunk
            lines += chunk.count(b"\n")
            if last == b"\r" and chunk[:1] != b"\n":
                lone_cr = True
            if not lone_cr and b"\r" in chunk:  # every one but a last followed by \n?
                lone_cr = chunk.count(b"\r") - chunk.endswith(b"\r") != chunk.count(b"\r\n")
            last = chunk[-1:]
            chunk = f.read(_SCAN_BYTES)
        lone_cr = lone_cr or last == b"\r"
        if last not in (b"", b"\n"):
            lines += 1  # a last line without its line break
    return head, quoted, lines, lone_cr


def _encoding(head: bytes) -> tuple[str, str, int]:
    """(encoding as reported, pyarrow's name for it, bytes to skip) from the head."""
    bom = head[:3] == b"\xef\xbb\xbf"
    body = head[3:] if bom else head
    # a UTF-8 byte-order mark before text that is not UTF-8: the whole-file reader
    # says what it is
    for name, arrow_name in (("utf-8", "utf8"),) + (() if bom else (("gb18030", "gb18030"),)):
        try:
            codecs.getincrementaldecoder(name)("strict").decode(body, final=False)
        except UnicodeDecodeError:
            continue
        return ("utf-8-sig" if bom else name), arrow_name, 3 if bom else 0
    raise NotStreamable("neither UTF-8 nor GB18030")


@dataclass
class _Layout:
    """What the beginning of a file says of all of it."""

    encoding: str  # as reported (``, tab-separated`` added for tabs)
    width: int
    quoted: bool  # a double quote somewhere in the file
    first: int = 1  # the number of the first record read
    lines: int | None = None  # the file's lines (None: not counted)
    lone_cr: bool = True  # a carriage return not followed by a line feed


def records(path: Path, batch_bytes: int | None = None,
            table: contract.Table | None = None, scan: bool = True) -> tuple[_Layout, Iterator]:
    """(layout, batches): the file's records as frames of text cells (integer column
    labels, index = the record's number in the file), about ``batch_bytes`` at a time
    (pyarrow reads the next blocks in its threads while the caller works). With
    ``table``, the records above its header row (a title, say: narrower than the table)
    are not read (``layout.first``: the number of the first record read). Without
    ``scan`` the file is not checked for NUL bytes again (a second reading)."""
    path = Path(path)
    head, quoted, lines, lone_cr = _check_bytes(path, scan)
    encoding, arrow_encoding, skip = _encoding(head)
    text = head[skip:].decode(encoding.replace("-sig", ""), errors="ignore")
    text = text[:text.rfind("\n") + 1] or text  # whole lines only
    if not text.strip():
        raise NotStreamable("blank beginning")
    sep = delimiter(text)
    sample = list(itertools.islice(csv_reader(text, sep), 200))
    width = max((len(r) for r in sample), default=1) or 1
    above = _above_header(sample, width, table, path) if table is not None else 0
    layout = _Layout(encoding if sep == "," else f"{encoding}, tab-separated", width, quoted,
                     above + 1, lines, lone_cr)
    names = [str(i) for i in range(width)]
    batch_bytes = batch_bytes or BATCH_BYTES
    options = dict(
        read_options=pacsv.ReadOptions(column_names=names, encoding=arrow_encoding,
                                       block_size=min(batch_bytes, READ_BLOCK_BYTES),
                                       skip_rows=above),
        parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True,
                                         ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                             strings_can_be_null=False,
                                             quoted_strings_can_be_null=False,
                                             check_utf8=True))
    return layout, _read_ahead(path, skip, width, options, batch_bytes, above + 1)


def _above_header(sample: list[list[str]], width: int, table: contract.Table,
                  path: Path) -> int:
    """How many records lie above the header row, found in the file's first records
    as the whole-file reader finds it (its MissingColumnError when none names every
    required column). pyarrow skips lines, not records: a line break inside a cell
    above the header makes the file NotStreamable."""
    if len(sample) < contract.HEADER_SEARCH_ROWS:
        raise NotStreamable("a short beginning")
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in sample], dtype="str")
    frame.index = range(1, len(frame) + 1)
    with reading(path):
        pos, _, _ = locate_header(frame, table, path, None)
    if any("\n" in c or "\r" in c for r in sample[:pos] for c in r):
        raise NotStreamable("a line break above the header")
    return pos


def _read_ahead(path: Path, skip: int, width: int, options: dict,
                batch_bytes: int, first: int) -> Iterator[pd.DataFrame]:
    source = pa.OSFile(str(path))
    source.seek(skip)
    try:
        reader = pacsv.open_csv(source, **options)
        group, size = [], 0
        for batch in itertools.chain(reader, [None]):
            if batch is not None:
                group.append(batch)
                size += batch.nbytes
                if size < batch_bytes:
                    continue
            if not group:
                return
            frame = pa.Table.from_batches(group).to_pandas()
            group, size = [], 0
            frame.columns = range(width)
            frame.index = range(first, first + len(frame))
            first += len(frame)
            yield frame
    except FATAL_ERRORS:
        raise
    except (pa.ArrowException, UnicodeError, ValueError) as exc:  # ragged rows, bad bytes...
        raise NotStreamable(str(exc)[:200]) from exc
    finally:
        source.close()


def raw_batches(path: Path, table: str, batch_bytes: int | None = None) -> Iterator[RawTable]:
    """The data rows of a big CSV file of ``table`` as RawTables of consecutive rows
    (index: the record's number in the file, as the whole-file reader counts it), the
    blank and footer rows of each batch dropped (``skipped``). The header row must lie
    in the first batch. NotStreamable when the file needs the whole-file reader; a
    MissingColumnError as that reader's when the header row names too few columns."""
    path = Path(path)
    t = contract.TABLES[table]
    layout, frames = records(path, batch_bytes, t)
    header = None  # (header row number, columns, headers)
    # a line break in a cell needs a quote; whether a quote swallowed lines is checked
    # over the whole text (``ingest.quotes``). A file of as many records as lines has
    # no line feed in a cell: checked at the end; a lone carriage return, per batch
    each = layout.quoted and (layout.lone_cr or layout.lines is None)
    records_read = 0
    for frame in frames:
        if len(frame):
            records_read = int(frame.index[-1])
        if each and has_line_break(frame):
            raise NotStreamable("a cell with a line break")
        if header is None:
            if not len(frame):
                break
            with reading(path):
                pos, cols, headers = locate_header(frame.iloc[:1], t, path, None)
            header = (int(frame.index[pos]), cols, headers)
            frame = frame.iloc[pos + 1:]
        blank, footer = footer_or_blank(frame)
        keep = ~blank & ~footer
        yield RawTable(table=t.name, path=path, sheet=None, encoding=layout.encoding,
                       header_row=header[0], headers=header[2], columns=header[1],
                       cells=frame[keep],
                       skipped={"blank": int(blank.sum()), "footer": int(footer.sum())})
    if header is None:
        raise NotStreamable("no rows")
    if layout.quoted and layout.lines is not None and records_read != layout.lines:
        raise NotStreamable("a cell with a line break")

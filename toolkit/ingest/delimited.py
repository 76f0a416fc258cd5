"""Delimited text files (.csv, comma- or tab-separated) as a frame of text cells.

The common case (UTF-8 or GB18030, every record the same width) is read by pyarrow;
anything else by the csv module and pandas on the decoded text (see ``decode``).
"""

from __future__ import annotations

import codecs
import io
import itertools
import logging
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from toolkit.exceptions import UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.ingest.boundary import FATAL_ERRORS, OLE2_MAGIC, ZIP_MAGIC, short_message
from toolkit.ingest.decode import decode
from toolkit.ingest.quotes import check_quotes, csv_reader, has_line_break

log = logging.getLogger(__name__)


def delimiter(text: str) -> str:
    """',' unless the first lines hold tabs and no comma (Excel's "Unicode text"
    export, UTF-16 and tab-separated, renamed to .csv)."""
    head = text[:65536].splitlines()[:10]
    if any("\t" in line for line in head) and not any("," in line for line in head):
        return "\t"
    return ","


def _valid(data: bytes, encoding: str, chunk: int = 1 << 23) -> bool:
    """Whether ``data`` decodes strictly as ``encoding``, checked chunk by chunk (no
    Python string of the whole file)."""
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


def read_csv_fast(path: Path, data: bytes) -> tuple[str | None, pd.DataFrame, str] | None:
    """The common case read by pyarrow (multi-threaded, no Python string of the file):
    UTF-8 or GB18030 text without NUL bytes in which every record has the same number
    of fields. None for anything else (UTF-16, NUL bytes, undecodable bytes, ragged
    rows, a record longer than a read block, ...): ``read_csv`` then reads the file
    as before (the csv module and pandas on the decoded text), with its error messages.
    Both give the same cells for a file both can read."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == ZIP_MAGIC \
            or data[:8] == OLE2_MAGIC or b"\x00" in data:
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
    # a quoted cell over several lines: did a quote swallow lines? (no quote, no question)
    if b'"' in data and has_line_break(frame):
        check_quotes(data.decode(encoding), sep, path)
    return None, frame, encoding if sep == "," else f"{encoding}, tab-separated"


def _arrow_csv(path: Path, body: memoryview, encoding: str,
               arrow_encoding: str) -> tuple[pd.DataFrame, str] | None:
    """(frame, delimiter) of CSV bytes read by pyarrow, or None when it cannot."""
    head = bytes(body[:_HEAD_BYTES]).decode(encoding, errors="ignore")
    if not head.strip():
        return None  # white space only at least as far as the head: the general reader
    if len(body) > _HEAD_BYTES:
        head = head[:head.rfind("\n") + 1] or head  # whole lines only
    sep = delimiter(head)
    sample = list(itertools.islice(csv_reader(head, sep), 200))
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
    except FATAL_ERRORS:
        raise
    except Exception as exc:  # ragged rows, invalid UTF-8, a huge record...
        log.debug("%s: the fast CSV reader gave up (%s)", path.name, short_message(exc, 120))
        return None
    frame = table.to_pandas()
    frame.columns = range(width)
    return frame, sep


def read_csv(path: Path, data: bytes | None = None) -> tuple[str | None, pd.DataFrame, str]:
    """``(None, frame, encoding)`` of a CSV file (``data``: its bytes as read once,
    ``ingest.snapshot``): every record a row of text cells (narrower rows padded with
    ''), the encoding as found (``, tab-separated`` added when the delimiter is a tab)."""
    data = path.read_bytes() if data is None else data
    if not data:
        raise UnreadableFileError(_("the file is empty (0 bytes)"), file=path,
                                  hint=_("export the table again"))
    fast = read_csv_fast(path, data)
    if fast is not None:
        return fast
    text, encoding = decode(data, path)
    if not text.strip():
        raise UnreadableFileError(_("the file is empty (only white space)"), file=path,
                                  hint=_("export the table again"))
    sep = delimiter(text)
    sample = list(itertools.islice(csv_reader(text, sep), 200))
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
        rows = list(csv_reader(text, sep))
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    if '"' in text and has_line_break(frame):  # did a quote swallow lines?
        check_quotes(text, sep, path)
    return None, frame, encoding if sep == "," else f"{encoding}, tab-separated"

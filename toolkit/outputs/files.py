"""Writing files that people open in Excel and Word: atomically, deterministically, and
with no text ever turned into a formula. Shared by export, forms and demo."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from toolkit.outputs.filenames import temp_prefix

# A cell that starts with one of these is a formula (or DDE payload) to Excel and
# LibreOffice when typed, pasted or opened from CSV.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: the characters an XML 1.0 document (a workbook's cell) cannot hold
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

_CORE_DATES = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def formula_safe(text: str) -> str:
    """Text for a CSV cell: a leading ``'`` when it would start a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def put_cell(cell, value: Any):
    """Write ``value`` into an openpyxl cell. Text is always a string cell, never a
    formula, and quote-prefixed when it starts like one, so Excel keeps it text even
    after the cell is edited; the control characters a workbook cannot hold (XML 1.0:
    U+0000-U+0008, U+000B, U+000C, U+000E-U+001F) are dropped, never an error. Returns
    the cell."""
    if isinstance(value, str):
        value = XML_ILLEGAL.sub("", value)
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise take a leading "=" as a formula
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def fixed_ooxml(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite an .xlsx/.docx package with every member time and the document's
    created/modified dates set to ``stamp``, members in a fixed order, so the same
    content gives the same bytes."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    when = max(stamp, dt.datetime(1980, 1, 1)).timetuple()[:6]  # zip cannot go earlier
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        members = sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename))
        for info in members:
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(2), body.decode("utf-8")).encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=when)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def atomic_write(path: str | os.PathLike, data: bytes, *, mode: int = 0o644) -> Path:
    """Write ``data`` beside ``path`` and rename it into place: readers see the old file
    or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the temporary name is never longer than a name may be (filenames.temp_prefix)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)  # mkstemp makes 0600; these files are for sharing
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path

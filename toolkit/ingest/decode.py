"""CSV bytes as text: the encoding found, NUL bytes and binary files refused with a
message naming the line."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.exceptions import UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.ingest.boundary import OLE2_MAGIC, RESAVE_HINT, ZIP_MAGIC


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
    if data[:4] == ZIP_MAGIC or data[:8] == OLE2_MAGIC:
        raise UnreadableFileError(
            _("this .csv file is really an Excel workbook"), file=path,
            hint=_("rename it to .xlsx (or .xls), or {resave}").format(resave=_(RESAVE_HINT)),
        )
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return _no_nul(text[0], path), text[1]
        _no_nul(data.decode("utf-8", errors="replace"), path)  # raises, naming the line
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data[:3] == b"\xef\xbb\xbf" else "utf-8"
    except UnicodeDecodeError as exc:
        as_utf8 = exc.start + (3 if data[:3] == b"\xef\xbb\xbf" else 0)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _undecodable(data, as_utf8, exc.start, path) from exc


def _undecodable(data: bytes, as_utf8: int, as_gb18030: int,
                 path: Path) -> UnreadableFileError:
    """The error for bytes that are neither UTF-8 nor GB18030, naming the line
    and byte offset of the first invalid byte in each reading; the line given as the
    row is the later one (the encoding the file was mostly written in: a UTF-8 file
    with one line pasted from a GBK file fails as UTF-8 on that line, and as GB18030
    near the start)."""

    def line(offset: int) -> int:
        return data.count(b"\n", 0, offset) + 1

    u, g = line(as_utf8), line(as_gb18030)
    return UnreadableFileError(
        _("this .csv file is neither UTF-8 nor GB18030/GBK text: read as UTF-8, the first invalid byte is on line {u} (byte 0x{data:02X} at offset {as_utf8} of the file); read as GB18030, on line {g} (offset {as_gb18030})").format(u=u, data=data[as_utf8], as_utf8=as_utf8, g=g, as_gb18030=as_gb18030), file=path,
        row=u if as_utf8 >= as_gb18030 else g,
        hint=_("if that line was pasted from a file in another encoding, type it again; "
               "otherwise {resave}").format(resave=_(RESAVE_HINT)),
    )


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
        raise UnreadableFileError(_("this .csv file is not text"), file=path, hint=_(RESAVE_HINT))
    line = text.count("\n", 0, pos) + 1
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    field = text[start:pos].count(",") + 1
    # the field only (from the comma before the NUL to the one after), not the line:
    # a message shows no more of a file than the cell that is wrong
    line_text = text[start:end if end >= 0 else len(text)]
    cut = pos - start
    left = line_text.rfind(",", 0, cut) + 1
    right = line_text.find(",", cut)
    shown = line_text[left:right if right >= 0 else len(line_text)]
    shown = (shown[:80] + "…" if len(shown) > 80 else shown).replace("\x00", "\\x00")
    raise UnreadableFileError(
        _("line {line} of this .csv file holds a NUL byte (character 0) in field {field}: {shown!r}. Text exports never contain one, so the file is damaged or was not saved as text").format(line=line, field=field, shown=shown), file=path, row=line, hint=_(RESAVE_HINT),
    )

"""What a workbook file is, told from its bytes: password-protected or not, and the
most rows a sheet of its format can hold.

The readers (``workbook``) ask here before and after reading, so that a protected
workbook is reported as protected (not as "not a zip file" or "damaged") and a sheet
filled to its format's last row is reported as possibly cut.
"""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.exceptions import UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_
from toolkit.ingest.boundary import OLE2_MAGIC, ZIP_MAGIC

#: the workbook suffixes the readers take (python-calamine reads each; WPS's .et is the
#: .xls format under another name)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".et", ".ods")

PASSWORD_HINT = N_("open it in Excel or WPS with its password, remove the password (Excel: "
                 "File > Info > Protect Workbook > Encrypt with Password, clear the box; WPS: "
                 "文件 > 文档加密 > 密码加密) and save it again")

#: the rows a sheet holds at most: the old binary format (.xls, WPS .et: BIFF8) and the
#: others (.xlsx, .xlsm, .xlsb, .ods as LibreOffice and Excel write them today)
BIFF_MAX_ROWS = 65_536
SHEET_MAX_ROWS = 1_048_576

# A BIFF BOF record of the workbook globals (type 0x0809, 8 or 16 bytes, the sub-type
# 0x0005 in its third and fourth byte) directly followed by a FILEPASS record (0x002F):
# an .xls encrypted with a password (XOR obfuscation or RC4).
_BIFF_FILEPASS = re.compile(rb"\x09\x08(?P<n>[\x08\x10])\x00..\x05\x00", re.DOTALL)
_FILEPASS = b"\x2f\x00"


def encrypted_ooxml(data: bytes) -> bool:
    """True for an encrypted Office Open XML file: Excel writes it as an OLE2 compound
    file holding the streams ``EncryptionInfo`` and ``EncryptedPackage`` (their
    directory entries carry the names in UTF-16LE)."""
    if data[:8] != OLE2_MAGIC:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data or \
        "EncryptionInfo".encode("utf-16-le") in data


def encrypted_biff(data: bytes) -> bool:
    """True for an .xls (or .et) whose workbook stream starts with a FILEPASS record:
    it is encrypted with a password (XOR obfuscation or RC4)."""
    if data[:8] != OLE2_MAGIC:
        return False
    for m in _BIFF_FILEPASS.finditer(data):
        after = m.start() + 4 + ord(m.group("n"))
        if data[after:after + 2] == _FILEPASS:
            return True
    return False


def check_not_protected(path: Path, data: bytes | None = None) -> None:
    """An UnreadableFileError saying the workbook is protected by a password when it is
    (an encrypted .xlsx/.xlsm/.xlsb in its OLE2 container, or an encrypted .xls/.et);
    nothing otherwise. ``data``: the file's bytes as read once (``ingest.snapshot``);
    without them the file is read only when it is an OLE2 compound file."""
    if data is None:
        with open(path, "rb") as f:
            if f.read(8) != OLE2_MAGIC:
                return
            data = OLE2_MAGIC + f.read()
    elif data[:8] != OLE2_MAGIC:
        return
    if encrypted_ooxml(data) or encrypted_biff(data):
        raise password_protected(path)


def password_protected(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        _("the workbook is password-protected (encrypted), so it cannot be read"),
        file=path, hint=_(PASSWORD_HINT))


def max_rows(head: bytes) -> int:
    """The most rows a sheet can hold in the format of a workbook starting with ``head``:
    65,536 for the binary .xls format (an OLE2 file), 1,048,576 for the others."""
    return BIFF_MAX_ROWS if head[:8] == OLE2_MAGIC else SHEET_MAX_ROWS


def check_row_limit(path: Path, head: bytes, rows: int, sheet: str | None) -> None:
    """An UnreadableFileError when the sheet read reaches the last row its format can
    hold: rows after it may have been cut when the table was saved in this format (a
    297,266-row table saved as .xls keeps 65,535 of them, and nothing says so). Not a
    warning: a table that may have lost rows must not be evaluated. A table that really
    has exactly that many rows passes once saved as CSV (or .xlsx, for an .xls)."""
    limit = max_rows(head)
    if rows < limit:
        return
    kind = ".xls/.et (the old binary format)" if head[:8] == OLE2_MAGIC else \
        ("a workbook" if head[:4] == ZIP_MAGIC else "this format")
    raise UnreadableFileError(
        _("the sheet has {rows:,} rows, the most a sheet of {kind} can hold: rows after the last may have been cut when the table was saved in this format, so it is not used").format(rows=rows, kind=kind),
        file=path, sheet=sheet, row=rows, expected=_("fewer than {limit:,} rows").format(limit=limit),
        hint=(_("export the table again from the platform as CSV (UTF-8) or .xlsx and replace this file")
              if limit == BIFF_MAX_ROWS else
              _("export the table again from the platform as CSV (UTF-8) and replace this file")))

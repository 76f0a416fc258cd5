"""The reader boundary the file readers share.

``reading`` turns any failure while a file is read into an UnreadableFileError naming
the file; ``FATAL_ERRORS`` pass it unchanged. Also shared by the readers: the hint to
save a file again, and the signatures that tell a file's content apart from its name.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from toolkit.exceptions import ToolkitError, UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_

RESAVE_HINT = N_("open it in Excel or WPS and save it again as .xlsx or as CSV (UTF-8)")

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file (.xls, encrypted .xlsx)
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx


# Not turned into "unreadable file": the user stopped the program, or it is out of memory.
FATAL_ERRORS = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


def short_message(exc: BaseException, limit: int = 300) -> str:
    """An exception's text for a message, cut after ``limit`` characters."""
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
    except (ToolkitError, *FATAL_ERRORS):
        raise
    except OSError as exc:
        raise UnreadableFileError(
            _("the file cannot be opened ({value})").format(value=exc.strerror or type(exc).__name__), file=path,
            sheet=sheet, hint=_("check that it exists, is readable and is not open in another program"),
        ) from exc
    except BaseException as exc:
        raise UnreadableFileError(
            _("the file cannot be read ({error}: {value})").format(error=type(exc).__name__, value=short_message(exc)), file=path,
            sheet=sheet, hint=_(RESAVE_HINT) + _("; if it still fails, report it with the file"),
        ) from exc

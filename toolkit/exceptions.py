"""The toolkit's errors.

Every error a user can cause derives from :class:`ToolkitError` and carries what the
user needs to fix it: the file, the sheet, the row (as Excel or a text editor shows
it), the column, the value and what was expected. ``exit_code`` is what the command
line exits with: 2 for unusable input or parameters, 1 for anything else. A message is
one printable line: whatever a cell, a file name or a library put into it, a character
that does not print is shown escaped (``printable``). Its words are in the language of
:mod:`toolkit.i18n` (Chinese unless English is asked for); names and values as they are.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.i18n import gettext as _

#: how a character that does not print is shown in a message (a message is one line)
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` as one printable line: every character that does not print (control
    characters such as NUL and line breaks, the line and paragraph separators, format
    characters such as a right-to-left override) shown as its escape (``\\n``,
    ``\\x00``, ``\\u202e``); every other character, Chinese included, as it is."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _ESCAPES.get(c) or repr(c)[1:-1] for c in text)



class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(_("file {file}").format(file=self.file))
        if self.sheet:
            where.append(_("sheet {sheet!r}").format(sheet=self.sheet))
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column:
            where.append(_("column {column!r}").format(column=self.column))
        text = self.message
        if where:
            text = _("{message} ({where})").format(message=text, where=_(", ").join(where))
        if self.value is not None:
            text += _("; found {value!r}").format(value=self.value)
        if self.expected:
            text += _("; expected {expected}").format(expected=self.expected)
        if self.hint:
            text += _(". {hint}").format(hint=self.hint)
        return printable(text)


class InputError(ToolkitError):
    """The input data or the parameters cannot be used (exit 2)."""

    exit_code = 2


class MissingTableError(InputError):
    """A table the evaluation needs has no file in the year's folder."""


class DuplicateTableError(InputError):
    """Two files in the year's folder map to the same table."""


class UnreadableFileError(InputError):
    """A file cannot be opened or decoded (corrupt, encrypted, wrong format)."""


class MissingColumnError(InputError):
    """A required column is not among a file's headers."""


class RegistryError(InputError):
    """The units registry is inconsistent (a duplicated id, a name shared by two units)."""


class RulesError(InputError):
    """A rules file is missing or invalid."""


class ParameterError(InputError):
    """A command-line or notebook parameter is unusable."""


class RunError(ToolkitError):
    """A stage of a run failed (exit 1); ``stage`` names it."""

    exit_code = 1

    def __init__(self, message: str, *, stage: str, **kwargs) -> None:
        self.stage = stage
        super().__init__(_("stage {stage!r} failed: {message}").format(stage=stage, message=message), **kwargs)


class LockedError(ToolkitError):
    """Another run of the same year holds the lock."""

    exit_code = 1


class FileChangedError(InputError):
    """An input file changed while a run was reading it (rewritten, replaced or
    truncated): what was read is not one version of it (exit 2)."""

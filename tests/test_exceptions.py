"""The toolkit's errors as a user reads them: one printable line naming the file, sheet,
row, column, value and what was expected, whatever a cell or a file name holds."""

from __future__ import annotations

import pytest

from toolkit.exceptions import InputError


@pytest.mark.parametrize(("text", "shown"), [
    ("长沙开放大学", "长沙开放大学"),
    ("a\x00b", "a\\x00b"),  # NUL
    ("line one\nline two\r\n", "line one\\nline two\\r\\n"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # a terminal escape
    ("名\u202e字", "名\\u202e字"),  # a right-to-left override
    ("a\u2028b\u0085c", "a\\u2028b\\x85c"),  # Unicode line breaks
    ("tab\there", "tab\\there"),
])
def test_printable_escapes_what_does_not_print(text, shown):
    from toolkit.exceptions import printable

    assert printable(text) == shown
    assert str(InputError(text)) == shown


def test_an_error_is_one_printable_line_whatever_its_parts_hold():
    """Messages carried raw NUL bytes, line breaks and library warnings
    taken from cells and files."""
    e = InputError("correction: no unit '长沙\x00' in the registry\nWARNING: forged line",
                   file="data/2022/更\n正.xlsx", sheet="Sheet\r1", row=4, column="单\x07位",
                   value="长沙\x00\u202e", expected="a unit id\x1b[2J",
                   hint="check the cell\u2028and save it again")
    text = str(e)
    assert text.isprintable() and "\n" not in text and "\x00" not in text
    for part in ("no unit '长沙\\x00'", "\\nWARNING: forged line", "file data/2022/更\\n正.xlsx",
                 "sheet 'Sheet\\r1'", "row 4", "单\\x07位", "a unit id\\x1b[2J", "cell\\u2028and"):
        assert part in text, part

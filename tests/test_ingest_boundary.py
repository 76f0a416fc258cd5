"""The reader boundary: what passes through ``reading`` unchanged and what becomes an
UnreadableFileError naming the file."""

from __future__ import annotations

import pytest

from toolkit.exceptions import MissingColumnError, UnreadableFileError
from toolkit.ingest.boundary import reading, short_message


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyError("x"), UnicodeError("bad")])
def test_any_other_error_names_the_file(tmp_path, exc):
    p = tmp_path / "x.csv"
    with pytest.raises(UnreadableFileError) as e, reading(p, "Sheet1"):
        raise exc
    assert e.value.file == str(p) and e.value.sheet == "Sheet1" and e.value.__cause__ is exc
    assert type(exc).__name__ in str(e.value)


def test_an_os_error_says_the_file_cannot_be_opened(tmp_path):
    with pytest.raises(UnreadableFileError) as e, reading(tmp_path / "x.csv"):
        raise PermissionError(13, "Permission denied")
    assert "cannot be opened (Permission denied)" in str(e.value)


@pytest.mark.parametrize("exc", [MissingColumnError("no amount"), KeyboardInterrupt(),
                                 MemoryError()])
def test_toolkit_errors_and_interruptions_pass_unchanged(tmp_path, exc):
    with pytest.raises(type(exc)) as e, reading(tmp_path / "x.csv"):
        raise exc
    assert e.value is exc


def test_short_message_is_cut():
    assert short_message(ValueError("x" * 500), limit=10) == "x" * 10 + "…"
    assert short_message(ValueError("short")) == "short"

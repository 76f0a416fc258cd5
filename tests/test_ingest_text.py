"""Cell text: identifiers kept as written, NFKC normalisation and trimming."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.ingest.text import free_text, identifier, paragraph_text, text


def test_identifiers_kept_as_written():
    s = pd.Series(["007", " 00123 ", '="000456"', "123456789012345678", "", None], dtype=object)
    assert identifier(s).tolist() == ["007", "00123", "000456", "123456789012345678", "", ""]


def test_text_nfkc_and_trim():
    s = pd.Series(["  长沙（分校） ", "ＡＢＣ１２３", None], dtype=object)
    assert text(s).tolist() == ["长沙(分校)", "ABC123", ""]


def test_free_text_is_kept_as_written_apart_from_trimming():
    s = pd.Series(["  成效显著，得到好评；（ＡＢ）  ", None, "\u3000缩进\u3000"], dtype="str")
    assert list(free_text(s)) == ["成效显著，得到好评；（ＡＢ）", "", "缩进"]
    assert text(s).iloc[0] == "成效显著,得到好评;(AB)"  # keys are NFKC-normalised


@pytest.mark.parametrize("cell,expected", [
    ("\u3000\u3000该同志……\n\u3000\u3000二段。", "\u3000\u3000该同志……\n\u3000\u3000二段。"),  # the indent is the writer's
    ("  \u3000\u3000该同志。 \n", "\u3000\u3000该同志。"),  # ASCII blanks around it go
    ("该同志。\u3000\u3000", "该同志。"),  # trailing full-width spaces go
    ("\u3000 \u3000", ""),  # white space only is blank
    (None, ""),
])
def test_paragraph_text_keeps_a_leading_full_width_indent(cell, expected):
    assert paragraph_text(pd.Series([cell], dtype=object)).iloc[0] == expected

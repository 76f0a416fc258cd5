"""Cell text: identifiers kept as written, NFKC normalisation and trimming."""

from __future__ import annotations

import pandas as pd

from toolkit.ingest.text import free_text, identifier, text


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

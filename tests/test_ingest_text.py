"""Cell text: identifiers kept as written, NFKC normalisation and trimming."""

from __future__ import annotations

import pandas as pd

from toolkit.ingest.text import identifier, text


def test_identifiers_kept_as_written():
    s = pd.Series(["007", " 00123 ", '="000456"', "123456789012345678", "", None], dtype=object)
    assert identifier(s).tolist() == ["007", "00123", "000456", "123456789012345678", "", ""]


def test_text_nfkc_and_trim():
    s = pd.Series(["  长沙（分校） ", "ＡＢＣ１２３", None], dtype=object)
    assert text(s).tolist() == ["长沙(分校)", "ABC123", ""]

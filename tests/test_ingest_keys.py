"""Comparison keys: unit names and coded words."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.ingest import contract
from toolkit.ingest.keys import coded, unit_key
from toolkit.ingest.text import nfkc


def test_unit_key():
    assert unit_key(" 株洲开放大学（分校） ") == unit_key("株洲 开放大学(分校)")


# --- coded words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [contract.TRACK_WORDS, contract.STATUS_WORDS, contract.SEVERITY_WORDS,
     contract.BOOL_WORDS],
)
def test_every_coded_word(words):
    for code, ws in words.items():
        variants = []
        for w in ws:
            variants += [w, f" {w} ", w.upper(), nfkc(w).translate(
                {ord(c): ord(c) + 0xFEE0 for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"})]
        out = coded(pd.Series(variants, dtype=object), words)
        assert out.tolist() == [code] * len(variants), (code, variants)


def test_coded_unknown_is_none():
    out = coded(pd.Series(["bogus", "", None], dtype=object), contract.TRACK_WORDS)
    assert out.tolist() == [None, None, None]

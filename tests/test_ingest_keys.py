"""Comparison keys: unit names, coded words, and id columns factorized through integer
keys."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.ingest import contract
from toolkit.ingest.keys import coded, factorize, unit_key
from toolkit.ingest.text import nfkc


def test_unit_key():
    assert unit_key(" 株洲开放大学（分校） ") == unit_key("株洲 开放大学(分校)")


# --- coded words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [contract.TRACK_WORDS, contract.STATUS_WORDS, contract.SEVERITY_WORDS, contract.CATEGORY_WORDS,
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


# --- factorize: ids as integer codes --------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        ["007", "7", "007", None, "12", "7"],  # leading zeros matter; NA is -1
        ["2022051619541303635871", "2022051619541303635871", "1"],  # 22 digits: pandas' path
        ["12345678901234567", "1234567890123456", "12345678901234567"],  # 17 digits: integers
        ["A01", "A01", "01"],
        ["", "1", "", "1"],
        ["１２", "12"],  # full-width digits are other characters
        [None, None],
        ["5"],
        [],
    ],
)
def test_factorize_equals_pandas(values):
    _factorizes_like_pandas(values)


def _factorizes_like_pandas(values) -> None:
    s = pd.Series(values, dtype="str")
    codes, uniques = factorize(s)
    want_codes, want_uniques = pd.factorize(s)
    assert codes.tolist() == want_codes.tolist()
    assert list(uniques) == list(want_uniques)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.from_regex(r"\A[0-9]{1,19}\Z")), max_size=40))
def test_factorize_digit_ids_equals_pandas(values):
    _factorizes_like_pandas(values)

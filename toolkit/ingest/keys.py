"""How values are compared and grouped: keys of header cells, unit names and coded
words (NFKC, no white space), coded words looked up by their key, and id columns
factorized through integer keys."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.ingest.text import arrow_strings, as_text, map_unique, nfkc

_WS = re.compile(r"\s+")


def header_key(value: object) -> str:
    """A header cell as compared with canonical names and aliases: NFKC, no white
    space at all, case-folded."""
    return _WS.sub("", nfkc(value)).casefold()


_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "［": "[", "］": "]"})


def unit_key(value: object) -> str:
    """How unit ids, names and aliases are compared: NFKC, no white space,
    full-width brackets as half-width."""
    return _WS.sub("", nfkc(value)).translate(_BRACKETS)


def unit_keys(s: pd.Series) -> pd.Series:
    """``unit_key`` over a column (each distinct value computed once)."""
    return map_unique(as_text(s), unit_key)


def word_key(value: object) -> str:
    """How coded words are compared: NFKC, no white space, case-folded."""
    return _WS.sub("", nfkc(value)).casefold()


def code_lookup(words: Mapping[object, Iterable[str]]) -> dict[str, object]:
    """{normalised word: code} from {code: words} (the contract's *_WORDS)."""
    out: dict[str, object] = {}
    for code, ws in words.items():
        for w in ws:
            out[word_key(w)] = code
    return out


def coded(s: pd.Series, words: Mapping[object, Iterable[str]]) -> pd.Series:
    """Coded words to their codes (object Series; None where the word is unknown or
    the cell empty)."""
    lookup = code_lookup(words)
    return map_unique(as_text(s), lambda v: lookup.get(word_key(v)))


# Digit-only ids (trainee, order and unit ids mostly are) of at most this many digits are
# hashed as integers: (value, length) packed in one int64, so 007 and 7 stay apart.
_DIGIT_ID_MAX_LEN = 17


def digit_keys(s: pd.Series) -> np.ndarray | None:
    """One int64 per value of a text column of ASCII digit strings of at most 17
    characters: equal keys for equal strings, different keys for different ones
    (``007`` and ``7`` differ), -1 for NA; None when some value is not such a string."""
    if s.dtype != "str" or len(s) == 0:
        return None
    arr = arrow_strings(s)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    present = arr.drop_null() if arr.null_count else arr
    if len(present) == 0 or not pc.all(pc.ascii_is_decimal(present)).as_py():
        return None
    lengths = pc.utf8_length(present)
    if pc.max(lengths).as_py() > _DIGIT_ID_MAX_LEN:
        return None
    keys = np.multiply(pc.cast(present, pa.int64()).to_numpy(), _DIGIT_ID_MAX_LEN + 1)
    keys += lengths.to_numpy(zero_copy_only=False)
    if arr.null_count:
        out = np.full(len(arr), -1, dtype=np.int64)
        out[arr.is_valid().to_numpy(zero_copy_only=False)] = keys
        return out
    return keys


def factorize(s: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(s)`` for a text column: int64 codes in order of first appearance
    (-1 for NA) and the distinct values. A column of digit ids (``digit_keys``) is
    hashed as integers (about 3x faster than strings on a million ids); anything else
    goes through ``pd.factorize`` unchanged."""
    keys = digit_keys(s) if len(s) >= 2 else None
    if keys is None:
        codes, uniques = pd.factorize(s)
        return codes.astype(np.int64, copy=False), pd.Index(uniques)
    present = np.flatnonzero(keys >= 0) if s.hasnans else None
    sub = pd.factorize(keys if present is None else keys[present])[0].astype(np.int64, copy=False)
    # codes run in order of first appearance: a row is a first occurrence where its code
    # exceeds every code before it
    new = np.empty(len(sub), dtype=bool)
    if len(sub):
        new[0] = True
        new[1:] = sub[1:] > np.maximum.accumulate(sub)[:-1]
    first = np.flatnonzero(new) if present is None else present[new]
    uniques = pd.Index(s.dtype.__from_arrow__(arrow_strings(s).take(pa.array(first))))
    if present is None:
        return sub, uniques
    codes = np.full(len(s), -1, dtype=np.int64)
    codes[present] = sub
    return codes, uniques

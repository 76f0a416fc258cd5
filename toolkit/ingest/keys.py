"""How values are compared and grouped: keys of header cells, unit names and coded
words (NFKC, no white space), and coded words looked up by their key."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from toolkit.ingest.text import as_text, map_unique, nfkc

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

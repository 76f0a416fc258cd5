"""How a nomination names its award (the nominations table's 推荐类别): the words of
each award, as the year's rules file states them (``toolkit.rules``: the award's key,
its label, its form's box words and its ``words:``). The ingest and the cleaning know
no award: they take these from the rules, so an award's identity (key, track, kind)
is its rules entry alone (docs/rules.md, "Awards")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from toolkit.ingest.keys import word_key
from toolkit.ingest.text import as_text, map_unique


@dataclass(frozen=True)
class AwardName:
    """An award as a nomination names it: its key, track and kind, and the words of
    推荐类别 that mean it."""

    award: str
    track: str
    kind: str
    words: tuple[str, ...]


def category_lookup(names: Iterable[AwardName]) -> dict[str, AwardName]:
    """{normalised word: award} (words compared as coded words: NFKC, no white space,
    case-folded)."""
    return {word_key(w): n for n in names for w in n.words}


def category_of(value, names: Iterable[AwardName]) -> AwardName | None:
    """The award a 推荐类别 cell names, or None."""
    return category_lookup(names).get(word_key(value))


def category_codes(s: pd.Series, names: Iterable[AwardName]) -> pd.Series:
    """A 推荐类别 column as award keys (None where the words name no award)."""
    lookup = category_lookup(names)
    return map_unique(as_text(s), lambda v: getattr(lookup.get(word_key(v)), "award", None))

"""Finding the ticked category boxes of a form.

A category's box is its words (``form.category`` in the rules, e.g.
``事业单位工作人员培训先进集体``) with a box or a tick right before them: ``□``
(``☐``) empty; ``☑``, ``■``, ``√``, ``✓``, ``✔`` or ``☒`` — in place of the ``□`` or
before it (``√□``), or after it (``□√``) — ticked, also as an emoji (``✔️``, ``☑️``:
the variation selector is left out). A Wingdings tick has become
``☑`` when the form was read (:mod:`.read`). Words without any box before them (the
category named in the deeds, say) are no box.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

TICKS = "☑■√✓✔☒"
EMPTY_BOXES = "□☐"
_MARKS = set(TICKS + EMPTY_BOXES)
#: white space, and the variation selectors that make a tick an emoji or text glyph
#: (``✔️`` is U+2714 U+FE0F): NFKC keeps them, a comparison leaves them out
_SPACE = re.compile(r"[\s\ufe0e\ufe0f]+")


def squeeze(text: str) -> str:
    """Text as compared with a form's words: NFKC, no white space, no variation
    selector (U+FE0E, U+FE0F)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


@dataclass(frozen=True)
class Box:
    """One box found: the award it is for, whether it is ticked, and where it is (the
    place's number in reading order, then the column and the position in the text)."""

    award: str
    ticked: bool
    place: int
    col: int
    at: int

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.place, self.col, self.at)


def boxes_in(text: str, words: dict[str, str], place: int = 0, col: int = 0) -> list[Box]:
    """The boxes in one text: ``words`` maps each award key to its category words.
    Longer words are matched first, so words inside other words are not found twice."""
    s = squeeze(text)
    found: list[Box] = []
    starts: list[int] = []  # the words already taken: disjoint, by start (a search per word,
    ends: list[int] = []  # not a scan: a text of many boxes is read in linear time)
    for award, w in sorted(words.items(), key=lambda kv: -len(squeeze(kv[1]))):
        key = squeeze(w)
        if not key:
            continue
        start = s.find(key)
        while start >= 0:
            end = start + len(key)
            k = bisect.bisect_right(starts, start)
            if not (k > 0 and ends[k - 1] > start) and not (k < len(starts) and starts[k] < end):
                i = start
                while i > 0 and s[i - 1] in _MARKS:
                    i -= 1
                marks = s[i:start]
                if marks:
                    found.append(Box(award, any(m in TICKS for m in marks), place, col, start))
                    starts.insert(k, start)
                    ends.insert(k, end)
            start = s.find(key, end)
    return found


def ticked_awards(boxes: list[Box]) -> list[str]:
    """The awards with a ticked box, in the order their first ticked box is found."""
    out: list[str] = []
    for b in sorted(boxes, key=lambda b: b.order):
        if b.ticked and b.award not in out:
            out.append(b.award)
    return out


def side_of(boxes: list[Box], award: str, default: int) -> int:
    """0 (left) or 1 (right): where the award's box stands among the boxes of its form,
    left to right (or first to last) as the form shows them; ``default`` (the side the
    rules give) when only its own box is found."""
    first: dict[str, Box] = {}
    for b in sorted(boxes, key=lambda b: b.order):
        first.setdefault(b.award, b)
    if award not in first or len(first) < 2:
        return default
    ranked = sorted(first.values(), key=lambda b: (b.col, b.place, b.at) if _same_row(first) else b.order)
    return min(1, [b.award for b in ranked].index(award))


def _same_row(first: dict[str, Box]) -> bool:
    """Whether the boxes sit in different cells of one table row (then the column
    says the side), else the reading order does."""
    places = {b.place for b in first.values()}
    cols = {b.col for b in first.values()}
    return len(places) == 1 and len(cols) == len(first)

"""Finding the ticked boxes: every tick of the spec in place of or before the □, the
□ alone, words without a box, two boxes in one text, and the side of a box."""

from __future__ import annotations

import pytest

from toolkit.intake.ticks import Box, boxes_in, side_of, squeeze, ticked_awards

WORDS = {"c": "事业单位工作人员培训先进集体", "i": "事业单位工作人员培训先进个人"}
A, B = WORDS["c"], WORDS["i"]


@pytest.mark.parametrize("mark", ["☑", "■", "√", "✓", "✔", "☒"])
@pytest.mark.parametrize("shape", ["{m}{w}", "{m}□{w}", "□{m}{w}", "{m} □ {w}", "  {m}{w}  "])
def test_every_tick_counts(mark, shape):
    found = boxes_in(shape.format(m=mark, w=A), WORDS)
    assert [(b.award, b.ticked) for b in found] == [("c", True)]


@pytest.mark.parametrize("text,expected", [
    ("□" + A, [("c", False)]),
    ("☐" + A, [("c", False)]),
    (A, []),  # the words without a box (in the deeds, say) are no box
    ("荣获" + A + "称号", []),
    ("☑" + A + "\n□" + B, [("c", True), ("i", False)]),
    ("□" + A + "    √" + B, [("c", False), ("i", True)]),
    ("□事业单位工作人员\n培训先进集体", [("c", False)]),  # broken by a line
    ("□" + A.replace("（", "("), [("c", False)]),
    ("R" + A, []),  # a letter R (not in Wingdings) is no tick
])
def test_boxes(text, expected):
    assert [(b.award, b.ticked) for b in boxes_in(text, WORDS)] == expected


def test_ticked_awards_in_order_once():
    boxes = [Box("i", True, 2, 0, 0), Box("c", True, 1, 0, 0), Box("c", True, 3, 0, 0), Box("x", False, 0, 0, 0)]
    assert ticked_awards(boxes) == ["c", "i"]
    assert ticked_awards([Box("c", False, 0, 0, 0)]) == []


def test_side_of_a_box():
    # two cells of one row: the column says the side
    row = [Box("i", True, 5, 0, 0), Box("c", False, 5, 2, 0)]
    assert side_of(row, "i", 1) == 0 and side_of(row, "c", 0) == 1
    # one text, or two rows: the reading order says it
    stacked = [Box("c", False, 5, 0, 0), Box("i", True, 6, 0, 0)]
    assert side_of(stacked, "i", 0) == 1
    # only its own box found: the rules' side
    assert side_of([Box("i", True, 5, 0, 0)], "i", 1) == 1


@pytest.mark.parametrize("mark", ["\u2714\ufe0f", "\u2611\ufe0f", "\u2714\ufe0e", "\u2713\ufe0f"])
def test_an_emoji_tick_with_a_variation_selector_counts(mark):
    """✔️ and ☑️ as a phone keyboard or WPS writes them: the tick and U+FE0F (or U+FE0E)."""
    for shape in ("{m}{w}", "□{m}{w}", "{m}□{w}"):
        assert [(b.award, b.ticked) for b in boxes_in(shape.format(m=mark, w=A), WORDS)] == [("c", True)]
    assert [(b.award, b.ticked) for b in boxes_in("□\ufe0f" + A, WORDS)] == [("c", False)]


def test_squeeze():
    assert squeeze(" 联系人姓名、\n\n职务、手机号码 ") == "联系人姓名、职务、手机号码"
    assert squeeze("（Ａ）") == "(A)"
    assert squeeze("✔\ufe0f 谭\ufe0e湘楠") == "✔谭湘楠"


def _steps(text: str, words: dict[str, str]) -> tuple[int, list]:
    """The Python and C calls ``boxes_in`` makes (profile events, no clock), and its boxes."""
    import sys

    n = 0

    def count(frame, event, arg):
        nonlocal n
        n += 1

    sys.setprofile(count)
    try:
        found = boxes_in(text, words)
    finally:
        sys.setprofile(None)
    return n, found


def test_the_work_of_finding_boxes_grows_linearly_with_the_text():
    """A text of many boxes (one 7 MB form took 219 s): twice the boxes, about twice
    the steps, each box found once."""
    words = {"a": "事业单位工作人员培训先进集体", "b": "事业单位工作人员培训先进个人"}
    one = "□事业单位工作人员培训先进集体☑事业单位工作人员培训先进个人"
    small, found = _steps(one * 300, words)
    big, found2 = _steps(one * 600, words)
    assert len(found) == 600 and len(found2) == 1200
    assert [b.award for b in sorted(found2, key=lambda b: b.at)][:4] == ["a", "b", "a", "b"]
    assert big < 2.2 * small

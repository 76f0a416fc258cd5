"""A person's name (toolkit.ingest.person): it has visible letters; invisible
characters neither make a name nor tell two names apart."""

from __future__ import annotations

import pytest

from toolkit.ingest.person import has_visible_letters, person_key, person_name


@pytest.mark.parametrize("value,name", [
    ("张三", "张三"),
    ("  张三 ", "张三"),
    ("张三\u200b", "张三"),
    ("\ufeff李四", "李四"),
    ("Zhang San", "Zhang San"),
    ("欧阳 娜娜", "欧阳 娜娜"),
    ("\u200b", None),  # ZERO WIDTH SPACE
    ("\ufeff\u200c\u200d\u2060", None),  # BOM, joiners, word joiner
    ("\u3164", None),  # HANGUL FILLER: a letter that shows nothing
    ("\u2800", None),  # BRAILLE PATTERN BLANK
    ("\u202e\u202d", None),  # bidi overrides
    ("……", None),
    ("——/-", None),
    ("、。", None),
    ("123", None),
    ("\u3000 \t", None),
    ("", None),
    (None, None),
])
def test_a_name_has_visible_letters(value, name):
    assert person_name(value) == name
    assert has_visible_letters(value) is (name is not None)


def test_names_that_differ_only_in_what_does_not_show_are_one_person():
    assert person_key("张三") == person_key("张 三") == person_key("张三\u200b") == person_key("\ufeff张三")
    assert person_key("张三") != person_key("张四")

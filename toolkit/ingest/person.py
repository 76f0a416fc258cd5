"""A person's name typed into one of the school's files (a reviewer's 评审人, a
correction's 批准人, a roster's names): it must hold visible letters. A cell of only
invisible characters (U+200B ZERO WIDTH SPACE, U+FEFF, U+2060, a Hangul filler, …),
white space or punctuation names nobody, and two spellings that differ only in such
characters name the same person."""

from __future__ import annotations

import unicodedata

from toolkit.ingest.keys import header_key

#: letters (category L…) that show nothing: the Hangul fillers, default-ignorable
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
#: the categories of characters that show nothing on their own: format characters
#: (zero-width space and joiners, byte-order mark, bidi controls), controls,
#: unassigned, private use, surrogates
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cn", "Co", "Cs"})


def _invisible(ch: str) -> bool:
    return ch in INVISIBLE_LETTERS or unicodedata.category(ch) in INVISIBLE_CATEGORIES \
        or ch == "\u2800"  # braille pattern blank (So): shows as a space


def visible_text(value: object) -> str:
    """``value`` as text (NFKC) without the characters that show nothing, trimmed."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return "".join(ch for ch in text if not _invisible(ch)).strip()


def has_visible_letters(value: object) -> bool:
    """Whether ``value`` holds at least one letter that shows (a CJK character, a Latin
    letter…): a name of only invisible characters, spaces, digits or punctuation does
    not."""
    return any(unicodedata.category(ch).startswith("L") for ch in visible_text(value))


def person_name(value: object) -> str | None:
    """The name as written (NFKC, without invisible characters, trimmed), or None when
    it names nobody (see :func:`has_visible_letters`). The one check of every person's
    name the toolkit reads."""
    if not has_visible_letters(value):
        return None
    return visible_text(value)


def person_key(value: object) -> str:
    """How two names of a person are compared: visible characters only, NFKC, no white
    space, case-folded (``张 三``, ``张三\\u200b`` and ``张三`` are one person)."""
    return header_key(visible_text(value))

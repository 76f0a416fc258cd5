"""What of a cell the quarantine and the reports may show: personal columns kept out
of the clean tables, ID and mobile numbers masked but for their last four characters,
long cells cut; free text (names, deeds, a correction's reason, a reviewer's remark) as
every shared output shows it (:func:`shared_text`), and the numbers a text holds, for
the warnings of ``toolkit intake`` and ``toolkit validate`` (:func:`personal_numbers`)."""

from __future__ import annotations

import re

SENSITIVE_COLUMNS = ("id_number", "phone", "contact_phone")
# Read (so a row can be checked and masked) but never carried into clean tables.
PRIVATE_COLUMNS = {"staff_registrations": ("name", "id_number", "phone")}

_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])")


def mask_all(value: str) -> str:
    """Every character but the last four as '*'."""
    value = str(value)
    if len(value) <= 4:
        return value
    return "*" * (len(value) - 4) + value[-4:]


def mask_text(value: str) -> str:
    """ID-like (15 or 18 characters) and mobile-like (11 digits) numbers in a text
    masked but for their last four characters."""
    if not value:
        return value
    value = _ID_NUMBER.sub(lambda m: mask_all(m.group(0)), value)
    return _MOBILE.sub(lambda m: mask_all(m.group(0)), value)


def shared_text(value):
    """Free text as a shared output (evaluation.json, the report, results.xlsx,
    tables/*.csv, the final list) shows it: ID- and mobile-like numbers masked but for
    their last four characters (:func:`mask_text`). A dict, list or tuple has each of
    its texts masked (keys kept); any other value is returned as it is. Masking twice
    changes nothing. The one call for free text on its way into a shared output."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: shared_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(shared_text(v) for v in value)
    return value


#: what :func:`personal_numbers` calls each kind of number
NUMBER_KINDS = {"id_number": "an ID number", "phone": "a mobile number"}
#: the free text of the units' nominations (kept exactly in their forms, masked in the
#: shared outputs) that ``toolkit intake`` and ``toolkit validate`` check for numbers;
#: the contact's phone is meant to hold one
NOMINATION_TEXT_FIELDS = ("nominee", "deeds", "unit_leader", "contact_name", "contact_title")


def personal_numbers(text) -> list[tuple[str, str]]:
    """The ID- and mobile-like numbers in ``text`` as ``(kind, masked number)``, in the
    order they occur (kind: a key of :data:`NUMBER_KINDS`), so that a warning can name
    them without showing them."""
    if not isinstance(text, str) or not text:
        return []
    found = [(m.start(), "id_number", m.group(0)) for m in _ID_NUMBER.finditer(text)]
    ids = [(m.start(), m.end()) for m in _ID_NUMBER.finditer(text)]
    found += [(m.start(), "phone", m.group(0)) for m in _MOBILE.finditer(text)
              if not any(a <= m.start() < b for a, b in ids)]
    return [(kind, mask_all(number)) for _, kind, number in sorted(found)]


def numbers_warning(text) -> str | None:
    """``holds an ID number (…123X) and a mobile number (…5678)`` for a text holding such
    numbers (masked), for a warning line that names the file, row and field; None for
    a text with none."""
    found = personal_numbers(text)
    if not found:
        return None
    return "holds " + " and ".join(f"{NUMBER_KINDS[k]} ({n})" for k, n in found)


# Cells longer than this are cut in the quarantine (value and raw), with a note of the
# full length: an Excel cell holds at most 32,767 characters, and a report line should
# stay a line. The data itself is never cut.
QUARANTINE_TEXT_MAX = 1_000


def clip(value: str, limit: int = QUARANTINE_TEXT_MAX) -> str:
    """``value`` cut to ``limit`` characters, with a note of its full length."""
    if len(value) <= limit:
        return value
    return value[:limit] + f"… [cut: {len(value):,} characters in all]"


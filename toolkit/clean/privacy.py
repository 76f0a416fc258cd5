"""What of a cell the quarantine and the reports may show: personal columns kept out
of the clean tables, ID and mobile numbers masked but for their last four characters,
long cells cut."""

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


# Cells longer than this are cut in the quarantine (value and raw), with a note of the
# full length: an Excel cell holds at most 32,767 characters, and a report line should
# stay a line. The data itself is never cut.
QUARANTINE_TEXT_MAX = 1_000


def clip(value: str, limit: int = QUARANTINE_TEXT_MAX) -> str:
    """``value`` cut to ``limit`` characters, with a note of its full length."""
    if len(value) <= limit:
        return value
    return value[:limit] + f"… [cut: {len(value):,} characters in all]"


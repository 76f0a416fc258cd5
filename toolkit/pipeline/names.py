"""The file names of the per-unit reports (``units/<name>.html``): what a person reads
(the unit's name and id, Chinese kept), valid on Windows and Linux, short enough for
any file system, and one per unit.

A name is ``<unit name>_<unit_id>`` with its characters cleaned as every file name made
of data is (:func:`toolkit.outputs.filenames.clean_chars`: what Windows or Linux
refuses replaced by ``_``, bidirectional and other format characters removed), no
leading or trailing dot or space, and a reserved device name (``CON``, ``NUL``, ``COM1`` ...)
prefixed with ``_``. A name longer than :data:`MAX_STEM_BYTES` bytes of UTF-8 is cut
(at a character) and given a hash suffix, ``_<8 hex digits of the SHA-256 of the
unit_id>``; so is every name that would still equal another one (compared as Windows
and macOS compare names: case-insensitively, after Unicode NFC normalisation). Two
units whose names still collide with a 16-digit suffix stop the run (exit 2).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.outputs import filenames

#: bytes of UTF-8 of a name before its extension (``.ipynb`` at most), hash suffix
#: included: far below the 255 bytes a name may have on Linux (and the 255 UTF-16
#: units of Windows), leaving room in a path for the folders above it
MAX_STEM_BYTES = 120
HASH_DIGITS = (8, 16)

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def readable_stem(unit_id: str, unit_name: str | None = None) -> str:
    """``<unit_name>_<unit_id>`` made a valid file name (without length limit)."""
    uid = str(unit_id)
    text = f"{unit_name}_{uid}" if unit_name and str(unit_name) != uid else uid
    text = unicodedata.normalize("NFC", text)
    text = filenames.clean_chars(text, blank=" ")
    text = re.sub(r" {2,}", " ", text).strip(" .")
    if text.split(".")[0].rstrip(" ").upper() in _RESERVED:
        text = f"_{text}"
    return text or "unit"


def unit_hash(unit_id: str, digits: int = HASH_DIGITS[0]) -> str:
    return hashlib.sha256(str(unit_id).encode("utf-8")).hexdigest()[:digits]


def cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, at a character boundary."""
    return filenames.cut_bytes(text, limit).rstrip(" .")


def _with_suffix(stem: str, unit_id: str, digits: int) -> str:
    return f"{cut_bytes(stem, MAX_STEM_BYTES - 1 - digits)}_{unit_hash(unit_id, digits)}"


def _key(stem: str) -> str:
    return unicodedata.normalize("NFC", stem).casefold()


def _clashes(stems: dict[str, str]) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for uid, stem in stems.items():
        groups[_key(stem)].append(uid)
    return [g for g in groups.values() if len(g) > 1]


def unit_file_stems(units: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """``{unit_id: file name without extension}`` for ``(unit_id, unit_name)`` pairs,
    no two equal. Raises :class:`ParameterError` naming two units whose names cannot
    be told apart."""
    readable: dict[str, str] = {}
    stems: dict[str, str] = {}
    for uid, name in units:
        readable[uid] = r = readable_stem(uid, name)
        stems[uid] = r if len(r.encode("utf-8")) <= MAX_STEM_BYTES else _with_suffix(r, uid, HASH_DIGITS[0])
    for digits in HASH_DIGITS:
        clashes = _clashes(stems)
        if not clashes:
            return stems
        for group in clashes:
            for uid in group:
                stems[uid] = _with_suffix(readable[uid], uid, digits)
    clashes = _clashes(stems)
    if clashes:
        a, b = clashes[0][:2]
        raise ParameterError(
            _("the units {a!r} and {b!r} get the same report file name {stems!r}").format(a=a, b=b, stems=stems[a]),
            hint=_("give one of them another unit_id in the units table"))
    return stems

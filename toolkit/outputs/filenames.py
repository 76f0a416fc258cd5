"""Data as file names, in one place. The forms' names (:mod:`toolkit.outputs.forms.write`)
and the per-unit reports' (:mod:`toolkit.pipeline.names`) are made of what units wrote
(a unit's or a nominee's name), and every file is first written under a temporary name
beside it (:func:`toolkit.outputs.files.atomic_write`).

* characters (:func:`clean_chars`): what Windows or Linux refuses in a name
  (``<>:"/\\|?*``), control characters and line or paragraph separators become ``_``;
  format characters (bidirectional overrides and embeddings such as U+202E, zero-width
  characters) are removed: they are invisible, and an override shows the rest of the
  name reversed (``x\\u202egpj.exe`` looks like ``xexe.jpg``);
* length: a name is at most :data:`MAX_NAME_BYTES` bytes of UTF-8, so that the
  temporary name (``.<name>.<8 characters>.tmp``, :data:`TEMP_EXTRA_BYTES` more) still
  fits the 255 bytes a name may have on Linux (and the 255 UTF-16 units of Windows,
  never more than the UTF-8 bytes); a longer one is cut at a character and given
  ``_<8 hex digits of its SHA-256>`` (:func:`fit`), so two long names stay two;
* a name that has no character left once cleaned (only controls, format characters,
  dots or blanks) cannot name a file: the caller refuses it (exit 2, naming where the
  name was written) or uses its own fallback.

The text inside the documents is never changed: only file names are cleaned.
"""

from __future__ import annotations

import hashlib
import unicodedata

#: bytes of UTF-8 a file name may have (one path component)
NAME_BYTES_LIMIT = 255
#: what the temporary name of :func:`toolkit.outputs.files.atomic_write` adds to a name:
#: a leading ".", then ".", 8 random characters and ".tmp"
TEMP_EXTRA_BYTES = 1 + 1 + 8 + 4
#: the longest name a file written atomically may have
MAX_NAME_BYTES = NAME_BYTES_LIMIT - TEMP_EXTRA_BYTES
#: what Windows refuses in a name besides control characters
FORBIDDEN = '<>:"/\\|?*'
HASH_DIGITS = 8


def clean_chars(text: str, blank: str = " ") -> str:
    """``text`` with the characters no file name should hold replaced (see the module
    docstring); white space becomes ``blank``."""
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if cat == "Cf":  # format: bidi overrides, zero-width characters
            continue
        if ch in FORBIDDEN or cat in ("Cc", "Cs", "Zl", "Zp") and not ch.isspace():
            out.append("_")
        elif ch.isspace():
            out.append(blank)
        else:
            out.append(ch)
    return "".join(out)


def cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, at a character boundary."""
    return text.encode("utf-8")[:max(limit, 0)].decode("utf-8", "ignore")


def name_hash(text: str, digits: int = HASH_DIGITS) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:digits]


def fit(stem: str, suffix: str = "", limit: int = MAX_NAME_BYTES) -> str:
    """``stem + suffix`` as a name of at most ``limit`` bytes: unchanged when it fits,
    else the stem cut at a character and ``_<hash of the whole stem>`` added."""
    if len((stem + suffix).encode("utf-8")) <= limit:
        return stem + suffix
    room = limit - len(suffix.encode("utf-8")) - 1 - HASH_DIGITS
    return f"{cut_bytes(stem, room).rstrip(' .')}_{name_hash(stem)}{suffix}"


def temp_prefix(name: str) -> str:
    """The prefix of a temporary name beside the file ``name``: ``.<name>.``, the name
    cut so that the temporary name never exceeds :data:`NAME_BYTES_LIMIT` bytes."""
    return f".{cut_bytes(name, NAME_BYTES_LIMIT - TEMP_EXTRA_BYTES)}."

"""Dates and times read from cell text, as tz-naive Beijing time."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.ingest.text import arrow_strings, as_text, text

# A date (Y-M-D with -, /, ., 年月日, or 8 digits), then optionally a time (14:03,
# 14:03:07, 14:03:07.123, 14时03分, 14时03分07秒, 14时), then optionally an offset.
# The date forms are first rewritten to Y-M-D (one separator per value), then one
# pattern reads them all. RE2 syntax (pyarrow): no backreferences, no lookaround.
_DATE_REWRITES = (
    (r"^(\d{4})/(\d{1,2})/(\d{1,2})", r"\1-\2-\3"),
    (r"^(\d{4})\.(\d{1,2})\.(\d{1,2})", r"\1-\2-\3"),
    (r"^(\d{4})年(\d{1,2})月(\d{1,2})日?", r"\1-\2-\3 "),
    (r"^(\d{4})(\d{2})(\d{2})($|[ T]|\d{1,2}[:时])", r"\1-\2-\3 \4"),
)
_DATETIME = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:\s*[Tt]?\s*(?P<H>\d{1,2})"
    r"(?::(?P<M>\d{2})(?::(?P<S>\d{2})(?P<f>\.\d{1,9})?)?"
    r"|时(?:(?P<M2>\d{1,2})分(?:(?P<S2>\d{1,2})秒)?)?))?"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)


_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
# Excel serial numbers taken as dates: 1927-05-18 (10000) to 2199-12-31 (109574).
SERIAL_MIN, SERIAL_MAX = 10_000, 109_574
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
BEIJING_OFFSET_MIN = 8 * 60


def datetimes(s: pd.Series) -> pd.Series:
    """Dates and times; see ``_datetimes``. Vectorised in pyarrow and numpy over the
    whole column (timestamps are nearly all distinct, so a pass over the distinct
    values would buy nothing): the common ``YYYY-M-D[ H:M[:S]]`` form first, then the
    other notations for the rows left."""
    return _datetimes_fast(s)


def datetimes_general(s: pd.Series) -> pd.Series:
    """``datetimes`` without its byte-level fast path: every value through the general
    parser's regex passes. The same result cell for cell, slower; the reference the
    fast path is tested against."""
    return _datetimes_fast(s, fast=False)


# The common form, as pandas' to_datetime with "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"
# or "%Y-%m-%d" reads it (one or two digits for every part but the year, a day may be
# padded with a space, seconds 60 and 61 roll over), which the toolkit used before.
_PLAIN_DATETIME = (r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2}| [1-9])"
                   r"(?: (?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2}))?)?$")
# Years a parsed date may have: inside what datetime64[ns] holds (1677-2262) with room
# for an offset; anything else is unreadable. (clean applies a narrower plausibility
# range and says why.)
YEAR_MIN, YEAR_MAX = 1700, 2200
_NAT = np.iinfo(np.int64).min
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _groups(arr, pattern: str) -> dict[str, object]:
    """The named groups of an RE2 pattern over a pyarrow string array: {name: pyarrow
    string array, null where the value did not match or the group took no part}."""
    res = pc.extract_regex(arr, pattern=pattern)
    out = {}
    for i in range(res.type.num_fields):
        col = pc.struct_field(res, [i])
        out[res.type.field(i).name] = pc.if_else(pc.equal(col, ""), None, col)
    return out


def _ints(col, default: int) -> np.ndarray:
    """A string array of digits as int64 (``default`` where null)."""
    return pc.fill_null(pc.cast(col, pa.int64()), default).to_numpy(zero_copy_only=False)


def _compose(y, mo, d, hh, mi, ss, max_second: int = 59) -> tuple[np.ndarray, np.ndarray]:
    """(valid, nanoseconds since 1970) from int64 parts (-1 where missing): valid where
    every part is in range and the day exists in its month (2022-02-30 is not)."""
    valid = ((y >= YEAR_MIN) & (y <= YEAR_MAX) & (mo >= 1) & (mo <= 12) & (d >= 1)
             & (hh >= 0) & (hh <= 23) & (mi >= 0) & (mi <= 59) & (ss >= 0)
             & (ss <= max_second))
    m0 = np.clip(mo, 1, 12) - 1
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    valid &= d <= _DAYS_IN_MONTH[m0] + ((m0 == 1) & leap)
    # days since 1970-01-01 (H. Hinnant's days_from_civil)
    yy = np.where(valid, y, 1970) - (mo <= 2)
    era = yy // 400
    yoe = yy - era * 400
    mp = np.where(mo > 2, mo - 3, mo + 9)
    doy = (153 * mp + 2) // 5 + np.where(valid, d, 1) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    ns = ((days * 86400 + hh * 3600 + mi * 60 + ss) * 1_000_000_000)
    return valid, np.where(valid, ns, _NAT)


# The common notations of the data contract, read straight from the bytes of the Arrow
# string array (numpy, no regex): each a template of digit fields ("d") and literal
# characters, read as the general parser reads it. A template's fields are year, month,
# day[, hour, minute[, second]], or explicit spans for YYYYMMDD. The largest second is
# 61 where the general parser's first pass (``_PLAIN_DATETIME``, as pandas' strptime
# read these forms before: 60 and 61 roll over) reads the form, 59 where its regex pass
# (``_datetimes``) does. A value the templates cannot read goes to the general parser.
_YYYYMMDD = ((0, 4), (4, 6), (6, 8))


def _templates() -> list[tuple[bytes, tuple | None, int, bool]]:
    """(template bytes, spans or None for runs of "d", largest second, Excel serial)."""
    out = [(b"dddddddd", _YYYYMMDD, 59, False), (b"ddddd", None, 0, True),
           (b"dddd-dd-ddTdd:dd:dd", None, 59, False)]
    # a time after a date, after a space (or, after 日, straight on)
    colon = [f" {h}:dd" for h in ("d", "dd")] + [f" {h}:dd:dd" for h in ("d", "dd")]
    hanzi = [f" {h}时dd分{sec}" for h in ("d", "dd") for sec in ("", "dd秒")]
    for sep in ("-", "/", ".", "年"):
        for m in ("d", "dd"):
            for d in ("d", "dd"):
                date = (f"dddd年{m}月{d}日" if sep == "年" else f"dddd{sep}{m}{sep}{d}")
                times = colon + hanzi + ([c.lstrip() for c in colon + hanzi] if sep == "年" else [])
                out.append((date.encode(), None, 61 if sep == "-" else 59, False))
                for t in times:
                    plain = sep == "-" and ":" in t
                    out.append(((date + t).encode(), None, 61 if plain else 59, False))
    return out


def _by_width(templates: list) -> dict[int, list]:
    """The templates grouped by their width in bytes, each group in the order given."""
    out: dict[int, list] = {}
    for t in templates:
        out.setdefault(len(t[0]), []).append(t)
    return out


_BY_WIDTH = _by_width(_templates())
_MAX_WIDTH = max(_BY_WIDTH)
_DIGIT = ord("d")
_WEIGHTS = np.random.default_rng(26).integers(1, 2**62, 64, dtype=np.uint64)  # shape prints
_SERIAL_EPOCH_DAYS = 25_569  # 1899-12-30 to 1970-01-01


def _spans(template: bytes) -> tuple:
    """The (start, end) of each run of "d" in a template."""
    return tuple(m.span() for m in re.finditer(rb"d+", template))


def _fixed_width(arr) -> tuple[np.ndarray, np.ndarray]:
    """(valid, ns) for the values of a pyarrow string array in a form of ``_templates``."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    valid = np.zeros(n, dtype=bool)
    ns = np.full(n, _NAT, dtype=np.int64)
    if n == 0 or arr.type != pa.string():
        return valid, ns
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32, count=n + 1, offset=arr.offset * 4)
    data_buf = arr.buffers()[2]
    if data_buf is None:
        return valid, ns
    data = np.frombuffer(data_buf, dtype=np.uint8)
    lens = np.diff(offsets)
    if arr.null_count:
        lens = np.where(arr.is_valid().to_numpy(zero_copy_only=False), lens, -1)
    widths = np.bincount(np.clip(lens, 0, _MAX_WIDTH + 1), minlength=_MAX_WIDTH + 2)
    for width, templates in _BY_WIDTH.items():
        if not widths[width]:
            continue
        idx = np.flatnonzero(lens == width)
        for at in range(0, len(idx), _CHUNK):
            _read_templates(templates, data, offsets, idx[at:at + _CHUNK], valid, ns)
    return valid, ns


_CHUNK = 200_000  # values per byte matrix (bounds its memory: 1.6 MB per byte of width)


def _read_templates(templates, data, offsets, idx, valid, ns) -> None:
    """Read the values ``idx`` (all of one byte width) by the first template each fits."""
    width = len(templates[0][0])
    mat = data[offsets[idx][:, None] + np.arange(width)]  # one row of bytes per value
    # each value's shape (its bytes with every digit as "d") as one number, compared
    # with each template's; a shape equal by number is checked byte for byte
    shape = np.where((mat >= 48) & (mat <= 57), _DIGIT, mat).astype(np.uint8)
    weights = _WEIGHTS[:width]
    print_ = shape.astype(np.uint64) @ weights if len(idx) else np.zeros(0, np.uint64)
    for template, spans, max_second, serial in templates:
        pat = np.frombuffer(template, dtype=np.uint8)
        ok = print_ == pat.astype(np.uint64) @ weights
        if not ok.any():
            continue
        ok[ok] = (shape[ok] == pat).all(axis=1)
        rows, m = idx[ok], mat[ok]
        nums = [_number(m, a, b) for a, b in (spans or _spans(template))]
        if serial:
            v = (nums[0] >= SERIAL_MIN) & (nums[0] <= SERIAL_MAX)
            t = (nums[0] - _SERIAL_EPOCH_DAYS) * 86_400_000_000_000
        else:
            zero = np.zeros(len(rows), dtype=np.int64)
            nums += [zero] * (6 - len(nums))
            v, t = _compose(*nums, max_second=max_second)
        valid[rows] = v
        ns[rows] = np.where(v, t, _NAT)


def _number(m: np.ndarray, a: int, b: int) -> np.ndarray:
    """The digits at positions a..b of each row of a (rows x width) digit matrix."""
    v = m[:, a].astype(np.int64) - 48
    for i in range(a + 1, b):
        v = v * 10 + (m[:, i].astype(np.int64) - 48)
    return v


def _datetimes_fast(s: pd.Series, fast: bool = True) -> pd.Series:
    t = as_text(s).str.strip()
    arr = arrow_strings(t)
    if fast:
        valid, ns = _fixed_width(arr)
    else:
        valid, ns = np.zeros(len(t), dtype=bool), np.full(len(t), _NAT, dtype=np.int64)
    left = np.flatnonzero(~valid)
    if len(left):
        g = _groups(arr.take(left), _PLAIN_DATETIME)
        v2, ns2 = _compose(_ints(g["y"], -1), _ints(g["m"], -1),
                           _ints(pc.utf8_ltrim_whitespace(g["d"]), -1),
                           _ints(g["H"], 0), _ints(g["M"], 0), _ints(g["S"], 0), max_second=61)
        valid[left] = v2
        ns[left] = ns2
    out = ns.view("datetime64[ns]")
    rest = ~valid & pc.not_equal(arr, "").to_numpy(zero_copy_only=False)
    if rest.any():
        idx = np.flatnonzero(rest)
        out[idx] = _datetimes(t.iloc[idx]).to_numpy(dtype="datetime64[ns]")
    return pd.Series(out, index=s.index, dtype="datetime64[ns]")


def _datetimes(s: pd.Series) -> pd.Series:
    """Dates and times as tz-naive Beijing time (``datetime64[ns]``; NaT where
    unreadable or empty).

    Accepted: ``2022-03-05``, ``2022/3/5``, ``2022.3.5``, ``20220305``,
    ``2022年3月5日``, each optionally followed by a time (``14:03``, ``14:03:07``,
    ``14时03分``, ``14时03分07秒``); ISO 8601 ``2022-03-05T14:03:07`` with an optional
    offset (``Z``, ``+08:00``), which is converted to Beijing time; Excel serial
    numbers (1900 date system) from 10000 to 109574, rounded to the second. A time
    without an offset is Beijing time.
    """
    t = text(s)
    arr = arrow_strings(t)
    for pat, repl in _DATE_REWRITES:
        arr = pc.replace_substring_regex(arr, pattern=pat, replacement=repl)
    g = _groups(arr, _DATETIME)
    minute = pc.coalesce(g["M"], g["M2"])
    second = pc.coalesce(g["S"], g["S2"])
    valid, ns = _compose(_ints(g["y"], -1), _ints(g["m"], -1), _ints(g["d"], -1),
                         _ints(g["H"], 0), _ints(minute, 0), _ints(second, 0))
    has_frac = pc.is_valid(g["f"]).to_numpy(zero_copy_only=False) & valid
    if has_frac.any():
        f = pd.Series(g["f"].filter(has_frac).to_pylist(), dtype="str")
        f = f.str.slice(1).str.ljust(9, "0")
        ns[has_frac] += pd.to_numeric(f, errors="coerce").fillna(0).astype("int64").to_numpy()
    has_tz = pc.is_valid(g["tz"]).to_numpy(zero_copy_only=False) & valid
    if has_tz.any():
        tz = pd.Series(g["tz"].filter(has_tz).to_pylist(), dtype="str")
        ns[has_tz] += _offset_minutes(tz).to_numpy() * 60_000_000_000
    out = pd.Series(ns.view("datetime64[ns]"), index=s.index, dtype="datetime64[ns]")
    # Excel serial numbers (as numbers, which ingest renders as text, or as text).
    serial = pd.Series(pc.match_substring_regex(arrow_strings(t), pattern=_SERIAL.pattern).to_numpy(
        zero_copy_only=False), index=s.index) & ~valid
    if serial.any():
        num = pd.to_numeric(t[serial], errors="coerce")
        inside = num.between(SERIAL_MIN, SERIAL_MAX)
        seconds = (num[inside] * 86400).round().astype("int64")
        out[inside[inside].index] = _EXCEL_EPOCH + pd.to_timedelta(seconds, unit="s")
    return out


def _offset_minutes(tz: pd.Series) -> pd.Series:
    """Minutes to add to a wall-clock time with offset ``tz`` to get Beijing time
    (0 where there is no offset)."""
    z = tz.str.upper() == "Z"
    m = tz.str.extract(r"^(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})?$")
    minutes = pd.to_numeric(m["h"], errors="coerce").fillna(0) * 60 + pd.to_numeric(
        m["m"], errors="coerce"
    ).fillna(0)
    minutes = minutes.where(m["sign"] != "-", -minutes)
    minutes = minutes.where(~z, 0)
    has = tz.notna()
    return (BEIJING_OFFSET_MIN - minutes).where(has, 0).astype("int64")


def dates(s: pd.Series) -> pd.Series:
    """Calendar dates: as ``datetimes`` and floored to midnight."""
    return datetimes(s).dt.normalize()


def dates_general(s: pd.Series) -> pd.Series:
    """``dates`` through the general parser alone (see ``datetimes_general``)."""
    return datetimes_general(s).dt.normalize()

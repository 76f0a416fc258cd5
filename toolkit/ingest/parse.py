"""Value parsers: text, identifiers, amounts, dates and times, coded words.

Every parser takes a pandas Series of cell texts (``str`` or NA; see
``ingest.cell_text`` for how non-text cells become text) and works on the whole
column at once with pandas string methods, or by parsing each *distinct* value once
and mapping the result back, so a million-row column costs a few vectorised passes.

Failures are never raised: a parser returns its result with NA where a value could
not be read, and the caller (``clean``) turns the NAs of non-empty cells into
quarantined rows (``bad_amount``, ``bad_date``, ``bad_value``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

# --- text ----------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def nfkc(value: object) -> str:
    """One value as NFKC-normalised, trimmed text ('' for None/NA)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def as_text(s: pd.Series) -> pd.Series:
    """A column as ``str`` dtype with '' for missing cells (no normalisation)."""
    if s.dtype != "str":
        s = s.astype("str")
    return s.fillna("") if s.hasnans else s


def text(s: pd.Series) -> pd.Series:
    """NFKC-normalised and trimmed text; '' for empty cells."""
    s = as_text(s)
    # NFKC only where needed, once per distinct value; ASCII text is its own NFKC form,
    # so a column with any non-ASCII value is normalised whole (no masked assignment)
    if not s.str.isascii().all():
        s = _nfkc_uniques(s)
    return s.str.strip()


def on_uniques(func):
    """Wrap a vectorised column parser so it runs once per distinct value (factorize,
    parse the uniques, take the results back): amounts, dates and words repeat a lot."""

    def wrapper(s: pd.Series) -> pd.Series:
        s = as_text(s)
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        if len(uniques) > 0.7 * len(s):
            return func(s)
        parsed = func(pd.Series(uniques, dtype="str"))
        out = parsed.iloc[np.where(codes < 0, 0, codes)] if len(parsed) else parsed.reindex(
            range(len(s)))
        out.index = s.index
        return out

    wrapper.__doc__ = func.__doc__
    wrapper.__wrapped__ = func
    return wrapper


@on_uniques
def _nfkc_uniques(u: pd.Series) -> pd.Series:
    return u.str.normalize("NFKC")


# Digit-only ids (trainee, order and unit ids mostly are) of at most this many digits are
# hashed as integers: (value, length) packed in one int64, so 007 and 7 stay apart.
_DIGIT_ID_MAX_LEN = 17


def digit_keys(s: pd.Series) -> np.ndarray | None:
    """One int64 per value of a text column of ASCII digit strings of at most 17
    characters: equal keys for equal strings, different keys for different ones
    (``007`` and ``7`` differ), -1 for NA; None when some value is not such a string."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if s.dtype != "str" or len(s) == 0:
        return None
    arr = _arrow(s)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    present = arr.drop_null() if arr.null_count else arr
    if len(present) == 0 or not pc.all(pc.ascii_is_decimal(present)).as_py():
        return None
    lengths = pc.utf8_length(present)
    if pc.max(lengths).as_py() > _DIGIT_ID_MAX_LEN:
        return None
    keys = np.multiply(pc.cast(present, pa.int64()).to_numpy(), _DIGIT_ID_MAX_LEN + 1)
    keys += lengths.to_numpy(zero_copy_only=False)
    if arr.null_count:
        out = np.full(len(arr), -1, dtype=np.int64)
        out[arr.is_valid().to_numpy(zero_copy_only=False)] = keys
        return out
    return keys


def factorize(s: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(s)`` for a text column: int64 codes in order of first appearance
    (-1 for NA) and the distinct values. A column of digit ids (``digit_keys``) is
    hashed as integers (about 3x faster than strings on a million ids); anything else
    goes through ``pd.factorize`` unchanged."""
    import pyarrow as pa

    keys = digit_keys(s) if len(s) >= 2 else None
    if keys is None:
        codes, uniques = pd.factorize(s)
        return codes.astype(np.int64, copy=False), pd.Index(uniques)
    present = np.flatnonzero(keys >= 0) if s.hasnans else None
    sub = pd.factorize(keys if present is None else keys[present])[0].astype(np.int64, copy=False)
    # codes run in order of first appearance: a row is a first occurrence where its code
    # exceeds every code before it
    new = np.empty(len(sub), dtype=bool)
    if len(sub):
        new[0] = True
        new[1:] = sub[1:] > np.maximum.accumulate(sub)[:-1]
    first = np.flatnonzero(new) if present is None else present[new]
    uniques = pd.Index(s.dtype.__from_arrow__(_arrow(s).take(pa.array(first))))
    if present is None:
        return sub, uniques
    codes = np.full(len(s), -1, dtype=np.int64)
    codes[present] = sub
    return codes, uniques


def header_key(value: object) -> str:
    """A header cell as compared with canonical names and aliases: NFKC, no white
    space at all, case-folded."""
    return _WS.sub("", nfkc(value)).casefold()


_EXCEL_TEXT = re.compile(r'^="(.*)"$')


def identifier(s: pd.Series) -> pd.Series:
    """Identifiers as written: only surrounding white space is removed, and the
    ``="00123"`` wrapper some exports use to keep leading zeros is unwrapped. No
    NFKC, no number conversion: ``00123`` stays ``00123``."""
    s = as_text(s).str.strip()
    wrapped = s.str.startswith('="')
    if wrapped.any():
        s = s.copy()
        s[wrapped] = s[wrapped].str.replace(_EXCEL_TEXT, r"\1", regex=True).str.strip()
    return s


_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "［": "[", "］": "]"})


def unit_key(value: object) -> str:
    """How unit ids, names and aliases are compared: NFKC, no white space,
    full-width brackets as half-width."""
    return _WS.sub("", nfkc(value)).translate(_BRACKETS)


def unit_keys(s: pd.Series) -> pd.Series:
    """``unit_key`` over a column (each distinct value computed once)."""
    return map_unique(as_text(s), unit_key)


def map_unique(s: pd.Series, func, dtype=None) -> pd.Series:
    """Apply ``func`` to each distinct value of ``s`` once and map the results back."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = [func(u) for u in uniques]
    if dtype is None:
        out_uniques = np.empty(len(values) + 1, dtype=object)
        out_uniques[:-1] = values
        out_uniques[-1] = None
        return pd.Series(out_uniques[codes], index=s.index, dtype=object)
    arr = pd.array(values + [None], dtype=dtype)
    return pd.Series(arr.take(codes), index=s.index)


# --- amounts -------------------------------------------------------------------------

# After NFKC and trimming: optional sign, optional currency sign, digits with
# optional thousands separators, optional decimals, optional 万, optional 元.
_AMOUNT = re.compile(
    r"^(?P<s1>[+-]?)(?:¥|RMB|CNY)?(?P<s2>[+-]?)"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d*))?"
    r"(?P<wan>万)?(?:元|圆)?$",
    re.IGNORECASE,
)
MAX_AMOUNT_DIGITS = 15  # integer digits of a yuan amount (fen fit in int64 with room)
MAX_WAN_DIGITS = 11  # integer digits before 万: the same magnitude, 10^15 yuan


def amount_fen(s: pd.Series) -> pd.Series:
    """Yuan amounts as integer fen; see ``_amount_fen`` (run once per distinct value)."""
    return on_uniques(_amount_fen)(s)


def _amount_fen(s: pd.Series) -> pd.Series:
    """Yuan amounts as integer fen (``Int64``; NA where unreadable or empty).

    Accepted: ``180``, ``180.00``, ``1,800``, ``¥180``, ``￥180``, ``180元``,
    full-width digits, ``1.8万`` / ``1.8万元`` (×10,000), a leading ``-`` or ``+``.
    Arithmetic is done on the digits, never in floating point. An amount with more
    decimals than a fen can hold (``180.005``; ``1.0000005万``) is unreadable rather
    than rounded: the file, not the toolkit, should say what was paid. Trailing zeros
    beyond the second decimal (``180.000``) are fine.
    """
    t = text(s).str.replace(r"\s+", "", regex=True)
    m = t.str.extract(_AMOUNT)
    ok = m["int"].notna()
    digits = m["int"].fillna("0").str.replace(",", "", regex=False)
    frac = m["frac"].fillna("")
    wan = m["wan"].notna()
    places = pd.Series(np.where(wan, 6, 2), index=s.index)  # decimals a fen can hold
    # Trailing zeros beyond the allowed places are harmless.
    frac = frac.str.rstrip("0")
    too_fine = frac.str.len() > places
    # more digits would overflow int64 fen (1e15 yuan is far beyond any real payment;
    # clean quarantines amounts above its plausibility ceiling anyway)
    too_big = digits.str.len() > pd.Series(np.where(wan, MAX_WAN_DIGITS, MAX_AMOUNT_DIGITS),
                                           index=s.index)
    ok &= ~too_fine & ~too_big
    frac2 = frac.where(~wan, "").str.ljust(2, "0").str.slice(0, 2)
    frac6 = frac.where(wan, "").str.ljust(6, "0").str.slice(0, 6)
    int_part = pd.to_numeric(digits.where(ok, "0"), errors="coerce").fillna(0).astype("int64")
    f2 = pd.to_numeric(frac2.where(ok & ~wan, "00"), errors="coerce").fillna(0).astype("int64")
    f6 = pd.to_numeric(frac6.where(ok & wan, "000000"), errors="coerce").fillna(0).astype("int64")
    fen = np.where(wan.to_numpy(), int_part.to_numpy() * 1_000_000 + f6.to_numpy(),
                   int_part.to_numpy() * 100 + f2.to_numpy())
    negative = (m["s1"] == "-") ^ (m["s2"] == "-")
    fen = np.where(negative.fillna(False).to_numpy(), -fen, fen)
    out = pd.Series(pd.array(fen, dtype="Int64"), index=s.index)
    return out.mask(~ok)


def integer(s: pd.Series) -> pd.Series:
    """Whole numbers; see ``_integer`` (run once per distinct value)."""
    return on_uniques(_integer)(s)


def _integer(s: pd.Series) -> pd.Series:
    """Whole numbers (``Int64``): ``12``, ``12.0``, ``1,200``, full-width digits,
    an optional 人/名/个 suffix; NA where not a whole number."""
    t = text(s).str.replace(r"\s+", "", regex=True)
    t = t.str.replace(r"(人|名|个|人次)$", "", regex=True)
    m = t.str.extract(r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>0*))?$")
    ok = m["int"].notna() & (m["int"].str.len() <= 15)
    v = pd.to_numeric(m["int"].str.replace(",", "", regex=False).where(ok, "0"),
                      errors="coerce").fillna(0).astype("int64")
    v = v.where(m["sign"] != "-", -v)
    return pd.Series(pd.array(v, dtype="Int64"), index=s.index).mask(~ok)


# --- dates and times -----------------------------------------------------------------

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


def _arrow(s: pd.Series):
    import pyarrow as pa

    return pa.array(as_text(s).astype(object).tolist() if s.dtype != "str" else s, type=pa.string())


def extract(s: pd.Series, pattern: str) -> pd.DataFrame:
    """Named groups of an RE2 pattern as a frame of ``str`` (NA where the group did not
    take part or the value did not match), computed by pyarrow, not per value in
    Python."""
    import pyarrow.compute as pc

    res = pc.extract_regex(_arrow(s), pattern=pattern)
    out = {}
    for i in range(res.type.num_fields):
        name = res.type.field(i).name
        col = pc.struct_field(res, [i])
        col = pc.if_else(pc.equal(col, ""), None, col)
        out[name] = pd.Series(col.to_numpy(zero_copy_only=False), index=s.index, dtype="str")
    return pd.DataFrame(out, index=s.index)


def rewrite(s: pd.Series, rewrites) -> pd.Series:
    """Regex replacements applied in order (pyarrow)."""
    import pyarrow.compute as pc

    arr = _arrow(s)
    for pat, repl in rewrites:
        arr = pc.replace_substring_regex(arr, pattern=pat, replacement=repl)
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=s.index, dtype="str")


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
    import pyarrow.compute as pc

    res = pc.extract_regex(arr, pattern=pattern)
    out = {}
    for i in range(res.type.num_fields):
        col = pc.struct_field(res, [i])
        out[res.type.field(i).name] = pc.if_else(pc.equal(col, ""), None, col)
    return out


def _ints(col, default: int) -> np.ndarray:
    """A string array of digits as int64 (``default`` where null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

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


# Zero-padded ``YYYY-MM-DD HH:MM:SS``, ``YYYY-MM-DD HH:MM``, ``YYYY-MM-DD``, ISO
# ``YYYY-MM-DDTHH:MM:SS`` and ``YYYYMMDD``: read straight from the bytes of the Arrow
# string array (numpy, no regex); each reads as the general parser reads it. The
# positions of year, month, day, hour, minute, second in the text (None: 0).
_YMDHMS = ((0, 4), (5, 7), (8, 10), (11, 13), (14, 16), (17, 19))
# The last item is the largest second: 61 where pandas' strptime read the form before
# (60 and 61 roll over), 59 for the forms the regex parser reads.
_FIXED = (
    ("dddd-dd-dd dd:dd:dd", _YMDHMS, 61),
    ("dddd-dd-ddTdd:dd:dd", _YMDHMS, 59),
    ("dddd-dd-dd dd:dd", _YMDHMS[:5] + (None,), 61),
    ("dddd-dd-dd", _YMDHMS[:3] + (None, None, None), 61),
    ("dddddddd", ((0, 4), (4, 6), (6, 8), None, None, None), 59),
)


def _fixed_width(arr) -> tuple[np.ndarray, np.ndarray]:
    """(valid, ns) for the values of a pyarrow string array in a ``_FIXED`` form."""
    import pyarrow as pa

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
    for form, spans, max_second in _FIXED:
        width = len(form)
        idx = np.flatnonzero((lens == width) & ~valid)
        if not len(idx):
            continue
        starts = offsets[idx]
        cols = [data[starts + i] for i in range(width)]  # one uint8 column per position
        ok = np.ones(len(idx), dtype=bool)
        for col, ch in zip(cols, form, strict=True):
            ok &= ((col >= 48) & (col <= 57)) if ch == "d" else (col == ord(ch))
        if not ok.any():
            continue
        if not ok.all():
            cols = [c[ok] for c in cols]
            idx = idx[ok]

        def num(a: int, b: int, cols=cols) -> np.ndarray:
            v = cols[a].astype(np.int64) - 48
            for i in range(a + 1, b):
                v = v * 10 + (cols[i].astype(np.int64) - 48)
            return v

        zero = np.zeros(len(idx), dtype=np.int64)
        v, t = _compose(*[num(*span) if span else zero for span in spans], max_second=max_second)
        valid[idx] = v
        ns[idx] = t
    return valid, ns


def _datetimes_fast(s: pd.Series) -> pd.Series:
    import pyarrow.compute as pc

    t = as_text(s).str.strip()
    arr = _arrow(t)
    valid, ns = _fixed_width(arr)
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
    import pyarrow.compute as pc

    t = text(s)
    arr = _arrow(t)
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
    serial = pd.Series(pc.match_substring_regex(_arrow(t), pattern=_SERIAL.pattern).to_numpy(
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


# --- coded words ---------------------------------------------------------------------


def word_key(value: object) -> str:
    """How coded words are compared: NFKC, no white space, case-folded."""
    return _WS.sub("", nfkc(value)).casefold()


def code_lookup(words: Mapping[object, Iterable[str]]) -> dict[str, object]:
    """{normalised word: code} from {code: words} (the contract's *_WORDS)."""
    out: dict[str, object] = {}
    for code, ws in words.items():
        for w in ws:
            out[word_key(w)] = code
    return out


def coded(s: pd.Series, words: Mapping[object, Iterable[str]]) -> pd.Series:
    """Coded words to their codes (object Series; None where the word is unknown or
    the cell empty)."""
    lookup = code_lookup(words)
    return map_unique(as_text(s), lambda v: lookup.get(word_key(v)))


def is_blank(s: pd.Series) -> pd.Series:
    """True where a cell is empty or white space only."""
    return as_text(s).str.strip() == ""

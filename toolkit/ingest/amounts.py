"""Amounts of money (as integer fen) and whole numbers, read from cell text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.ingest.text import arrow_strings, as_text, on_uniques, text

# After NFKC and trimming: optional sign, optional currency sign, digits with
# optional thousands separators, optional decimals, optional 万, optional 元. The sign
# may stand before or after the currency sign, not at both places. Digits are ASCII
# only (NFKC has made full-width digits ASCII): digits of other scripts (١٢٠٠, ๔٠٠)
# are unreadable, as in dates, rather than read as 0 or guessed at.
_AMOUNT = re.compile(
    r"^(?P<s1>[+-]?)(?:¥|RMB|CNY)?(?P<s2>[+-]?)"
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]*))?"
    r"(?P<wan>万)?(?:元|圆)?$",
    re.IGNORECASE,
)
MAX_AMOUNT_DIGITS = 15  # integer digits of a yuan amount (fen fit in int64 with room)
MAX_INTEGER_DIGITS = 15  # digits of a whole number (a count): int64 with room, as Excel keeps
MAX_WAN_DIGITS = 11  # integer digits before 万: the same magnitude, 10^15 yuan


# The common forms, read by pyarrow over the whole column: an optional "-", an optional
# "¥", digits (at most 15, plain or in groups of three), at most two decimals, an
# optional "元", nothing else (no spaces, no full-width characters). Each reads as the
# general parser reads it; any other value goes to the general parser.
_COMMON_AMOUNT = (r"^(?P<sign>-?)¥?(?P<int>[0-9]{1,3}(?:,[0-9]{3}){1,4}|[0-9]{1,15})"
                  r"(?:\.(?P<frac>[0-9]{1,2}))?元?$")


def amount_fen(s: pd.Series) -> pd.Series:
    """Yuan amounts as integer fen; see ``_amount_fen``. Run once per distinct value;
    the common forms (``_COMMON_AMOUNT``) vectorised, the rest by the general parser."""
    return on_uniques(_amount_fen_fast)(s)


def amount_fen_general(s: pd.Series) -> pd.Series:
    """``amount_fen`` through the general parser alone: the same result cell for cell,
    slower; the reference the fast path is tested against."""
    return on_uniques(_amount_fen)(s)


def _amount_fen_fast(s: pd.Series) -> pd.Series:
    t = as_text(s)
    res = pc.extract_regex(arrow_strings(t), pattern=_COMMON_AMOUNT)
    if isinstance(res, pa.ChunkedArray):
        res = res.combine_chunks()
    read = pc.is_valid(res).to_numpy(zero_copy_only=False)
    fen = np.zeros(len(t), dtype=np.int64)
    if read.any():
        got = res.filter(pa.array(read))
        digits = pc.replace_substring(pc.struct_field(got, ["int"]), ",", "")
        frac = pc.utf8_rpad(pc.fill_null(pc.struct_field(got, ["frac"]), ""), 2, "0")
        v = (pc.cast(digits, pa.int64()).to_numpy() * 100
             + pc.cast(frac, pa.int64()).to_numpy())
        negative = pc.equal(pc.struct_field(got, ["sign"]), "-").to_numpy(zero_copy_only=False)
        fen[read] = np.where(negative, -v, v)
    out = pd.Series(pd.array(fen, dtype="Int64"), index=s.index)
    if read.all():
        return out
    rest = ~read
    out = out.mask(rest)
    if (t[rest] != "").any():
        out[rest] = _amount_fen(t[rest])
    return out


def _amount_fen(s: pd.Series) -> pd.Series:
    """Yuan amounts as integer fen (``Int64``; NA where unreadable or empty).

    Accepted: ``180``, ``180.00``, ``1,800``, ``¥180``, ``￥180``, ``180元``,
    full-width digits, ``1.8万`` / ``1.8万元`` (×10,000), one ``-`` or ``+`` (before
    or after the currency sign; ``--180`` and ``-¥-180`` are unreadable).
    Arithmetic is done on the digits, never in floating point. An amount with more
    decimals than a fen can hold (``180.005``; ``1.0000005万``) is unreadable rather
    than rounded: the file, not the toolkit, should say what was paid. Trailing zeros
    beyond the second decimal (``180.000``) are fine.
    """
    t = text(s).str.replace(r"\s+", "", regex=True)
    m = t.str.extract(_AMOUNT)
    ok = m["int"].notna() & ~((m["s1"] != "") & (m["s2"] != "")).fillna(False)
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
    an optional 人/名/个 suffix; NA where not a whole number (digits of other scripts
    than ASCII and full-width included)."""
    t = text(s).str.replace(r"\s+", "", regex=True)
    t = t.str.replace(r"(人|名|个|人次)$", "", regex=True)
    m = t.str.extract(r"^(?P<sign>[+-]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>0*))?$")
    ok = m["int"].notna() & (m["int"].str.len() <= MAX_INTEGER_DIGITS)
    v = pd.to_numeric(m["int"].str.replace(",", "", regex=False).where(ok, "0"),
                      errors="coerce").fillna(0).astype("int64")
    v = v.where(m["sign"] != "-", -v)
    return pd.Series(pd.array(v, dtype="Int64"), index=s.index).mask(~ok)

"""Cell text: missing cells as '', NFKC normalisation of keys, free text and
identifiers as written, and the helpers the parsers share (a column as a pyarrow string array, work done once
per distinct value).

Every parser of ``text``, ``keys``, ``amounts`` and ``dates`` takes a pandas Series
of cell texts (``str`` or NA; see ``cells.cell_text`` for how non-text cells become
text) and works on the whole column at once with pandas string methods or pyarrow,
or by parsing each *distinct* value once and mapping the result back, so a
million-row column costs a few vectorised passes.

Failures are never raised: a parser returns its result with NA where a value could
not be read, and the caller (``clean``) turns the NAs of non-empty cells into
quarantined rows (``bad_amount``, ``bad_date``, ``bad_value``).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


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


#: white space trimmed around paragraph text: ASCII blanks and line breaks, and trailing
#: full-width spaces, but not the leading full-width spaces (　　) that indent a Chinese
#: paragraph
ASCII_BLANKS = " \t\r\n\x0b\x0c"


def free_text(s: pd.Series) -> pd.Series:
    """Free text (deeds, names, titles) as written: only surrounding white space is
    trimmed, no NFKC (a full-width "，" stays "，"); '' for empty cells."""
    return as_text(s).str.strip()


def paragraph_text(s: pd.Series) -> pd.Series:
    """Paragraph text (the deeds) as written: like :func:`free_text`, but a leading
    full-width indent (　　) is the writer's and is kept; '' for white space only."""
    t = as_text(s).str.strip(ASCII_BLANKS).str.rstrip()
    return t.where(t.str.strip() != "", "")


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


def is_blank(s: pd.Series) -> pd.Series:
    """True where a cell is empty or white space only."""
    return as_text(s).str.strip() == ""


def arrow_strings(s: pd.Series):
    """A column as a pyarrow string array (a ChunkedArray when the column's Arrow
    storage is chunked), for pyarrow.compute."""
    return pa.array(as_text(s).astype(object).tolist() if s.dtype != "str" else s, type=pa.string())


def extract(s: pd.Series, pattern: str) -> pd.DataFrame:
    """Named groups of an RE2 pattern as a frame of ``str`` (NA where the group did not
    take part or the value did not match), computed by pyarrow, not per value in
    Python."""
    res = pc.extract_regex(arrow_strings(s), pattern=pattern)
    out = {}
    for i in range(res.type.num_fields):
        name = res.type.field(i).name
        col = pc.struct_field(res, [i])
        col = pc.if_else(pc.equal(col, ""), None, col)
        out[name] = pd.Series(col.to_numpy(zero_copy_only=False), index=s.index, dtype="str")
    return pd.DataFrame(out, index=s.index)

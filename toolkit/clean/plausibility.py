"""Values that parse but cannot be true: quarantined with the usual reason and the
bound in the suggestion column, never used (see data/README.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from toolkit.clean.ledger import Work
from toolkit.clean.privacy import SENSITIVE_COLUMNS
from toolkit.clean.reasons import Quarantine
from toolkit.ingest import contract
from toolkit.ingest.text import arrow_strings, as_text

# A single payment or refund above this is taken as a typing or unit error (fen
# written as yuan, a misplaced decimal point): training fees are hundreds of yuan.
MAX_AMOUNT_YUAN = 1_000_000
# Dates and times outside these years are quarantined as bad_date: an empty Excel date
# cell shows as 1900-01-00 (1899-12-30), and no record of the awards predates 1950
# (started_on, a nominee's first year of training work, may lie decades back).
DATE_MIN = pd.Timestamp(1950, 1, 1)
DATE_MAX = pd.Timestamp(2100, 12, 31, 23, 59, 59)
# Identifiers Excel has shown in scientific notation ("4.30102E+17") and saved so:
# the digits are lost and two different ids may now look the same.
_SCIENTIFIC = r"^[0-9](\.[0-9]+)?[eE]\+[0-9]{1,3}$"
# An id in a workbook's number cell of more than 15 significant digits (see
# ingest.cells.imprecise_number): its last digits are not those written.
IMPRECISE_SUGGESTION = ("a number cell of more than 15 digits: Excel keeps only 15, so its last "
                        "digits are lost; export the ids again as text (format the column as "
                        "text before the ids are entered or imported)")


def quarantine_implausible(w: Work, col: contract.Column, v: pd.Series) -> None:
    """Quarantine the values of one typed column that were read but cannot be true."""
    if col.kind == "amount":
        over = (v.abs() > MAX_AMOUNT_YUAN * 100).fillna(False)
        if over.any():
            w.quarantine(over, Quarantine.BAD_AMOUNT, col.name, suggestions=np.full(
                w.n, f"implausible: more than {MAX_AMOUNT_YUAN:,} yuan for one payment or "
                     "refund; check the value (fen entered as yuan? a misplaced decimal point?)",
                dtype=object))
    elif col.kind in ("date", "datetime"):
        outside = ((v < DATE_MIN) | (v > DATE_MAX)).fillna(False)
        if outside.any():
            w.quarantine(outside, Quarantine.BAD_DATE, col.name, suggestions=np.full(
                w.n, f"implausible: outside {DATE_MIN.year}-{DATE_MAX.year} (an empty Excel "
                     "date cell shows as 1900-01-00); enter the real date", dtype=object))
    elif col.kind == "id" and col.name not in SENSITIVE_COLUMNS:
        rows = w.raw.imprecise.get(col.name)
        if rows is not None and len(rows):
            w.quarantine(np.isin(w.index.to_numpy(), rows), Quarantine.IMPRECISE_NUMBER, col.name,
                         suggestions=np.full(w.n, IMPRECISE_SUGGESTION, dtype=object))
        sci = _matches(v, _SCIENTIFIC)
        if sci.any():
            w.quarantine(sci, Quarantine.BAD_VALUE, col.name, suggestions=np.full(
                w.n, "an identifier in scientific notation: Excel has rounded it and its "
                     "digits are lost; export the ids again as text", dtype=object))


def _matches(s: pd.Series, pattern: str) -> np.ndarray:
    """Where a text column matches an RE2 pattern (pyarrow, no per-value Python)."""
    return pc.match_substring_regex(arrow_strings(as_text(s)), pattern=pattern).to_numpy(
        zero_copy_only=False).astype(bool)


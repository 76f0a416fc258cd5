"""Typing the columns: every mapped column parsed by its kind (``contract.Column.kind``);
an empty required value is quarantined ``missing_value``, an unreadable one
``bad_amount`` / ``bad_date`` / ``bad_value``, column by column in contract order."""

from __future__ import annotations

from toolkit.clean.ledger import Work
from toolkit.clean.plausibility import quarantine_implausible
from toolkit.clean.privacy import PRIVATE_COLUMNS
from toolkit.clean.reasons import Quarantine
from toolkit.ingest import contract
from toolkit.ingest.amounts import amount_fen, integer
from toolkit.ingest.categories import AwardName, category_codes
from toolkit.ingest.dates import dates, datetimes
from toolkit.ingest.keys import coded, word_key
from toolkit.ingest.text import (
    as_text,
    free_text,
    identifier,
    is_blank,
    map_unique,
    paragraph_text,
    text,
)

#: text columns that are matched on (NFKC-normalised); every other text column is free
#: text, kept as the unit wrote it apart from trimming
KEY_TEXT_COLUMNS = {("units", "unit_name"), ("units", "aliases"), ("units", "level")}
#: text columns of paragraphs, whose leading full-width indent is kept (ingest.text.paragraph_text)
PARAGRAPH_TEXT_COLUMNS = {("nominations", "deeds")}
_UNSUBSTANTIATED = {word_key(x) for x in contract.UNSUBSTANTIATED_WORDS}
_CLOSED = {word_key(x) for x in contract.CLOSED_WORDS}


def _is_unsubstantiated(value: str) -> bool:
    return word_key(value) in _UNSUBSTANTIATED


def _complaint_status(value: str) -> str:
    return "closed" if word_key(value) in _CLOSED else "open"


def type_columns(w: Work, awards: tuple[AwardName, ...] | None = None) -> None:
    """Parse every mapped column by its kind; empty required values and unreadable
    values are quarantined, column by column in contract order. ``awards``: how the
    rules' awards are named (推荐类别 to award key; none known without rules)."""
    private = PRIVATE_COLUMNS.get(w.raw.table, ())
    for col in w.table.columns:
        if not w.has(col.name) or col.name in private:
            continue
        s = w.data[col.name]
        blank = is_blank(s)
        bad = None
        reason = Quarantine.BAD_VALUE
        kind = col.kind
        if kind == "id":
            v = identifier(s)
        elif kind == "unit" or (kind == "text" and (w.raw.table, col.name) in KEY_TEXT_COLUMNS):
            v = text(s)
        elif kind == "text" and (w.raw.table, col.name) in PARAGRAPH_TEXT_COLUMNS:
            v = paragraph_text(s)
        elif kind == "text":
            v = free_text(s)
        elif kind == "amount":
            v = amount_fen(s)
            bad, reason = v.isna() & ~blank, Quarantine.BAD_AMOUNT
        elif kind == "datetime":
            v = datetimes(s)
            bad, reason = v.isna() & ~blank, Quarantine.BAD_DATE
        elif kind == "date":
            v = dates(s)
            bad, reason = v.isna() & ~blank, Quarantine.BAD_DATE
        elif kind == "int":
            v = integer(s)
            bad = (v.isna() | (v.fillna(0) < 0)) & ~blank
        elif kind == "track":
            v = coded(s, contract.TRACK_WORDS)
            bad = v.isna() & ~blank
        elif kind == "status":
            v = coded(s, contract.STATUS_WORDS)
            bad = v.isna() & ~blank
            # an empty cell in a status column is not "every row succeeded"
            w.quarantine(blank, Quarantine.MISSING_VALUE, col.name)
        elif kind == "severity":
            v = coded(s, contract.SEVERITY_WORDS)
            bad = v.isna() & ~blank
        elif kind == "substantiated":
            v = ~map_unique(as_text(s), _is_unsubstantiated).astype(bool)
        elif kind == "complaint_status":
            v = map_unique(as_text(s), _complaint_status)
        elif kind == "category":
            v = category_codes(s, awards or ())
            bad = v.isna() & ~blank
        elif kind == "bool":
            v = coded(s, contract.BOOL_WORDS)
            bad = v.isna() & ~blank
        else:  # pragma: no cover - the contract names only the kinds above
            raise ValueError(f"unknown column kind {kind!r}")
        if col.required:
            w.quarantine(blank, Quarantine.MISSING_VALUE, col.name)
        if bad is not None:
            w.quarantine(bad, reason, col.name)
        quarantine_implausible(w, col, v)
        w.typed[col.name] = v
    # clean names
    if "amount" in w.typed:
        w.typed["amount_fen"] = w.typed.pop("amount")

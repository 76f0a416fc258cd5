"""The review workbook's layout, shared by the writer and the reader: the sheet names,
the columns, the key that identifies a row whatever the reviewers do to the order, and
the qualitative criteria as columns (one per distinct ``label`` of the rules file)."""

from __future__ import annotations

import re

from toolkit.ingest.keys import header_key
from toolkit.ingest.text import nfkc
from toolkit.outputs.tables import HEADERS
from toolkit.vocabulary import CRITERION_OUTCOME_LABELS, REVIEW_SHEET_HEADERS

FILE_NAME = "评审表.xlsx"
FOLDER = "review"
SHEET = "评审表"
README_SHEET = "说明"

KEY = REVIEW_SHEET_HEADERS["key"]
REVIEWER = REVIEW_SHEET_HEADERS["reviewer"]
REMARK = REVIEW_SHEET_HEADERS["remark"]
NOMINEE = HEADERS["nominee"]
#: the columns before the criteria: (field, header)
FIXED = (("key", KEY), ("award", HEADERS["award"]), ("unit_name", HEADERS["unit_name"]),
         ("unit_id", HEADERS["unit_id"]), ("nominee", NOMINEE), ("checked", REVIEW_SHEET_HEADERS["checked"]),
         ("open", REVIEW_SHEET_HEADERS["open"]))
#: the decisions a cell takes, and the code each stands for
DECISIONS = {CRITERION_OUTCOME_LABELS["pass"]: "pass", CRITERION_OUTCOME_LABELS["fail"]: "fail"}
#: where the header row is looked for in a returned workbook
HEADER_SEARCH_ROWS = 10
KEY_SEPARATOR = "|"


def row_key(award: str, unit_id: str | None, row: int | None) -> str:
    """A row's identity: the award, the unit id and the nomination's row (empty for a
    collective evaluated without a nomination, or a unit that did not resolve)."""
    return KEY_SEPARATOR.join((award, unit_id or "", "" if row is None else str(row)))


def result_key(result) -> str:
    """The key of a UnitResult (award, unit) or a NomineeResult (award, unit, row)."""
    if hasattr(result, "category"):
        return row_key(result.category, result.unit_id, result.row)
    return row_key(result.award, result.unit_id, None)


def award_of(result) -> str:
    return result.category if hasattr(result, "category") else result.award


def qualitative_labels(rules) -> list[str]:
    """The distinct labels of the qualitative criteria, in rules order: one column each."""
    return list(dict.fromkeys(c.label for a in rules.awards.values() for c in a.criteria if c.qualitative))


def criterion_for(rules, award: str, label: str):
    """The qualitative criterion of ``award`` headed ``label`` (compared as a header),
    or None when the award has none."""
    a = rules.awards.get(award)
    if a is None:
        return None
    want = header_key(label)
    for c in a.criteria:
        if c.qualitative and header_key(c.label) == want:
            return c
    return None


def decision_of(value) -> str | None:
    """``pass``/``fail`` of a cell's text (surrounding spaces ignored), ``""`` for a
    blank cell, None for anything else."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return None
    text = nfkc(value).strip()
    if not text:
        return ""
    return DECISIONS.get(text)


#: characters that show nothing (zero-width spaces and joiners, the byte order mark,
#: soft hyphens...): not part of a name
_INVISIBLE = re.compile(r"[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]")


def visible(text: str) -> str:
    """``text`` without the characters that show nothing."""
    return _INVISIBLE.sub("", text or "")


def reviewer_key(name: str) -> str:
    """How two reviewer names are compared: NFKC, no white space, no invisible
    characters (U+200B is not part of a name), case-folded."""
    return header_key(visible(nfkc(name)))

"""The review workbook's layout, shared by the writer and the reader: the sheet names,
the columns, the key that identifies a row's nomination (year, award, unit, nominee)
whatever the reviewers or the nominations table do to the order, and
the qualitative criteria as columns (one per distinct ``label`` of the rules file)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from toolkit.ingest.keys import header_key
from toolkit.ingest.person import person_key
from toolkit.ingest.text import nfkc
from toolkit.vocabulary import CRITERION_OUTCOME_LABELS, REVIEW_SHEET_HEADERS
from toolkit.vocabulary import RESULT_COLUMN_LABELS as HEADERS

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
YEAR_RE = re.compile(r"[12][0-9]{3}")
#: the workbook's title (its document properties, the 说明 sheet, the printed header)
TITLE = "{year}年度评优评审表"
#: the document properties' keywords state the year: ``评审表 年度=2022``
KEYWORDS = "评审表 年度={year}"
KEYWORDS_YEAR = re.compile(r"年度=([0-9]{4})")


@dataclass(frozen=True)
class RowKey:
    """A row's identity, which is the nomination itself and never its position: the
    year, the award, the unit id and the nominee as the unit wrote it (empty for a
    collective, or an innovation nomination without a name); ``n`` tells true
    duplicates apart (the second nomination of the same award, unit and name is 2)."""

    year: int
    award: str
    unit_id: str
    nominee: str
    n: int = 1

    def text(self) -> str:
        parts = [str(self.year), self.award, self.unit_id, self.nominee]
        if self.n > 1:
            parts.append(str(self.n))
        return KEY_SEPARATOR.join(parts)

    def identity(self) -> tuple:
        """What two keys are compared by: the nominee's visible letters without white
        space (a cell retyped as ``王 五`` is the same nomination)."""
        return self.year, self.award, header_key(self.unit_id), person_key(self.nominee), self.n


def row_key(year: int, award: str, unit_id: str | None, nominee: str | None, n: int = 1) -> str:
    """The 编号 of a row: ``2022|staff.individual|U001|王五`` (``|2`` after a second
    nomination of the same award, unit and name)."""
    return RowKey(int(year), award, unit_id or "", (nominee or "").strip(), n).text()


def parse_key(text: str) -> RowKey | None:
    """The RowKey a 编号 cell names, or None when it is no key of this format (see
    :func:`legacy_key` for the keys of earlier versions)."""
    parts = (text or "").split(KEY_SEPARATOR)
    if len(parts) < 4 or not YEAR_RE.fullmatch(parts[0]) or not parts[1]:
        return None
    rest, n = parts[3:], 1
    if len(rest) > 1 and rest[-1].isdigit() and int(rest[-1]) > 1:
        rest, n = rest[:-1], int(rest[-1])
    return RowKey(int(parts[0]), parts[1], parts[2], KEY_SEPARATOR.join(rest).strip(), n)


def legacy_key(text: str) -> bool:
    """Whether a 编号 is the key of earlier versions of the workbook, without a year and
    naming a row of the nominations table (``staff.individual|U001|2``)."""
    parts = (text or "").split(KEY_SEPARATOR)
    return len(parts) == 3 and not YEAR_RE.fullmatch(parts[0]) and (parts[2] == "" or parts[2].isdigit())


def keyed_results(evaluation) -> dict[str, object]:
    """Every collective and nominee result of ``evaluation`` by its 编号, in the
    evaluation's order (collectives, individuals, innovation)."""
    out: dict[str, object] = {}
    seen: dict[tuple, int] = {}
    for r in (*evaluation.collective, *evaluation.individual, *evaluation.innovation):
        award, nominee = award_of(r), (r.nominee or "") if hasattr(r, "category") else ""
        base = RowKey(int(evaluation.year), award, r.unit_id or "", nominee.strip())
        n = seen[base.identity()] = seen.get(base.identity(), 0) + 1
        out[dataclasses.replace(base, n=n).text()] = r
    return out


def award_of(result) -> str:
    """The award key of a UnitResult (``award``) or a NomineeResult (``category``)."""
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


def reviewer_key(name: str) -> str:
    """How two reviewer names are compared: visible characters only, NFKC, no white
    space, case-folded (:func:`toolkit.ingest.person.person_key`)."""
    return person_key(name)

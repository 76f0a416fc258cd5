"""The record of every decision (docs/review-cycle.md, "The record"): each returned
decision as its criterion's review trail keeps it in ``evaluation.json`` — reviewer,
decision, remark (评审意见 as written, ID and phone numbers masked), file, sheet, row,
whether it counted and, when not, why (回避: ``own_unit`` / ``listed_unit``) — and the
views of it that the outputs share: one row per nomination × criterion × reviewer
(``final/评审记录.xlsx``) and the count of a criterion in words
(3 人评审，2 人认为符合；李四 本单位回避)."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.clean.privacy import shared_text
from toolkit.review.sheet import award_of, keyed_results
from toolkit.vocabulary import (
    COUNTED_LABELS,
    CRITERION_OUTCOME_LABELS,
    RECORD_HEADERS,
    RECUSAL_LABELS,
)

#: the columns of 评审记录.xlsx, in order
RECORD_COLUMNS = ("award", "unit_name", "nominee", "criterion", "reviewer", "decision", "remark", "counted",
                  "file", "sheet", "row")


def record_entry(decision, roster=None, unit_id: str | None = None) -> dict:
    """The trail entry of one decision (a :class:`~toolkit.review.decisions.Decision`)
    on a nomination of ``unit_id``: with a ``roster``, the reviewer by their roster name
    and the recusal that keeps the decision from counting."""
    entry = decision.trail()
    reviewer = roster.find(decision.reviewer) if roster is not None else None
    recusal = reviewer.recusal(unit_id) if reviewer is not None else None
    if reviewer is not None:
        entry["reviewer"] = reviewer.name
    entry["remark"] = shared_text(decision.remark) or None  # the one masking of free text
    entry["counted"] = recusal is None
    entry["recusal"] = recusal
    return entry


def counted_label(entry: dict) -> str:
    """是否计入: 计入, or 回避：本单位 / 回避：回避单位."""
    if entry.get("counted", True):
        return COUNTED_LABELS["counted"]
    return f"{COUNTED_LABELS['recused']}：{RECUSAL_LABELS.get(entry.get('recusal'), entry.get('recusal') or '')}"


@dataclass(frozen=True)
class Trail:
    """One criterion of one nomination (``key``: its 编号) with the decisions returned
    on it."""

    result: object  # a UnitResult or NomineeResult
    criterion: object  # its Criterion
    entries: tuple[dict, ...]
    key: str = ""

    @property
    def counted(self) -> list[dict]:
        return [e for e in self.entries if e.get("counted", True)]

    @property
    def recused(self) -> list[dict]:
        return [e for e in self.entries if not e.get("counted", True)]

    def votes(self) -> tuple[int, int]:
        """(符合, 不符合) among the counted decisions."""
        yes = sum(1 for e in self.counted if e["decision"] == "pass")
        return yes, len(self.counted) - yes


def trails(evaluation, *, with_empty: bool = False) -> list[Trail]:
    """Every qualitative criterion that has decisions (``with_empty``: also those of a
    nomination under review that have none yet), in the evaluation's order."""
    out = []
    for key, r in keyed_results(evaluation).items():
        if not under_review(r):
            continue
        for c in r.criteria:
            entries = tuple(c.detail.get("decisions") or ())
            if c.kind == "qualitative" and (entries or with_empty):
                out.append(Trail(r, c, entries, key))
    return out


def under_review(result) -> bool:
    """A nomination the reviewers judge: it has a qualitative criterion, and it is still
    open (需复核) or some decision was returned on it."""
    qualitative = [c for c in result.criteria if c.kind == "qualitative"]
    return bool(qualitative) and (result.outcome == "needs_review"
                                  or any(c.detail.get("decisions") for c in qualitative))


def count_text(t: Trail) -> str:
    """The count of one criterion in words: 3 人评审，2 人认为符合；李四 本单位回避."""
    yes, _ = t.votes()
    text = f"{len(t.counted)} 人评审，{yes} 人认为{CRITERION_OUTCOME_LABELS['pass']}"
    if t.recused:
        text += "；" + "、".join(f"{e['reviewer']} {RECUSAL_LABELS.get(e.get('recusal'), '')}回避" for e in t.recused)
    return text


def nominee_text(result) -> str:
    return result.nominee or ""


def record_rows(evaluation) -> tuple[list[str], list[list]]:
    """(headers, rows) of 评审记录.xlsx: one row per nomination × criterion × reviewer."""
    headers = [RECORD_HEADERS[k] for k in RECORD_COLUMNS]
    rows = []
    for t in trails(evaluation):
        r = t.result
        for e in t.entries:
            rows.append([r.award_label or award_of(r), r.unit_name or r.unit_id or "", nominee_text(r),
                         t.criterion.label, e.get("reviewer"), CRITERION_OUTCOME_LABELS.get(e.get("decision"), ""),
                         e.get("remark") or "", counted_label(e), e.get("file"), e.get("sheet"), e.get("row")])
    return headers, rows


def roster_of(evaluation) -> dict | None:
    """The roster the review was checked against (``evaluation.review["roster"]``), or None."""
    return (evaluation.review or {}).get("roster")

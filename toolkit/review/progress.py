"""Where the review stands (docs/review-cycle.md, "Progress and the meeting agenda"):
one row per nomination under review with each reviewer's state (已评 / 回避 / 未评; the
roster's reviewers, or without a roster those who returned a copy), the counted
decisions and the state; and the agenda of the review meeting (评审会议程): the
criteria short of ``min_reviewers`` first, then the ties, then the split decisions.
:func:`write_progress` writes both as ``review/评审进度.xlsx``."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from toolkit.outputs.files import atomic_write, fixed_ooxml, put_cell
from toolkit.outputs.tables import FIXED_TIME
from toolkit.review.record import Trail, roster_of, trails, under_review
from toolkit.review.sheet import KEY, award_of, keyed_results, reviewer_key
from toolkit.vocabulary import (
    AGENDA_LABELS,
    CRITERION_OUTCOME_LABELS,
    OUTCOME_LABELS,
    PROGRESS_LABELS,
    RECORD_HEADERS,
)
from toolkit.vocabulary import RESULT_COLUMN_LABELS as HEADERS

FILE_NAME = "评审进度.xlsx"
PROGRESS_SHEET = "进度"
AGENDA_SHEET = "评审会议程"
AGENDA_ORDER = ("short", "tie", "split")
PASS, FAIL = CRITERION_OUTCOME_LABELS["pass"], CRITERION_OUTCOME_LABELS["fail"]


def reviewers_of(evaluation) -> list[dict]:
    """The columns of the progress sheet: the roster's reviewers (name, unit_id, recuse),
    or without a roster every reviewer who returned a decision, in order of appearance."""
    roster = roster_of(evaluation)
    if roster is not None:
        return list(roster.get("reviewers") or [])
    seen: dict[str, dict] = {}
    for t in trails(evaluation):
        for e in t.entries:
            seen.setdefault(reviewer_key(e["reviewer"]), {"name": e["reviewer"], "unit_id": None, "recuse": []})
    return list(seen.values())


def state_of(reviewer: dict, result, entries: list[dict]) -> str:
    """已评 / 回避 / 未评 of one reviewer on one nomination (``entries``: its decisions)."""
    mine = [e for e in entries if reviewer_key(e["reviewer"]) == reviewer_key(reviewer["name"])]
    uid = result.unit_id
    if any(not e.get("counted", True) for e in mine) or (
            uid and (uid == reviewer.get("unit_id") or uid in (reviewer.get("recuse") or ()))):
        return "recused"
    return "done" if mine else "open"


def votes_text(t: Trail) -> str:
    yes, no = t.votes()
    return f"{t.criterion.label} {PASS} {yes}、{FAIL} {no}"


def _state(result) -> str:
    open_reasons = [c.reason for c in result.criteria if c.outcome == "unknown" and c.reason]
    label = OUTCOME_LABELS.get(result.outcome, result.outcome)
    return f"{label}（{'；'.join(dict.fromkeys(open_reasons))}）" if open_reasons and result.outcome == "needs_review" \
        else label


def progress_rows(evaluation) -> tuple[list[str], list[list]]:
    """(headers, rows) of the sheet 进度."""
    people = reviewers_of(evaluation)
    headers = [KEY, HEADERS["award"], HEADERS["unit_name"], HEADERS["nominee"], *[p["name"] for p in people],
               RECORD_HEADERS["counts"], RECORD_HEADERS["state"]]
    by_result: dict[str, list[Trail]] = {}
    for t in trails(evaluation, with_empty=True):
        by_result.setdefault(t.key, []).append(t)
    rows = []
    for key, r in keyed_results(evaluation).items():
        if not under_review(r):
            continue
        ts = by_result.get(key, [])
        entries = [e for t in ts for e in t.entries]
        rows.append([key, r.award_label or award_of(r), r.unit_name or r.unit_id or "", r.nominee or "",
                     *[PROGRESS_LABELS[state_of(p, r, entries)] for p in people],
                     "；".join(votes_text(t) for t in ts), _state(r)])
    return headers, rows


@dataclass(frozen=True)
class AgendaItem:
    reason: str  # short / tie / split
    trail: Trail

    def counts(self, policy) -> str:
        yes, no = self.trail.votes()
        n = yes + no
        text = f"计入 {n} 人（至少需 {policy.min_reviewers} 人）：{PASS} {yes}、{FAIL} {no}"
        if self.trail.recused:
            text += f"；回避 {len(self.trail.recused)} 人"
        return text


def agenda(evaluation, policy) -> list[AgendaItem]:
    """The meeting's agenda: every qualitative criterion of a nomination under review
    that is short of ``policy.min_reviewers`` counted decisions, then every tie (under
    the majority rule), then every split (not unanimous) decision, each group in the
    evaluation's order."""
    items = []
    for t in trails(evaluation, with_empty=True):
        yes, no = t.votes()
        if yes + no < policy.min_reviewers:
            items.append(AgendaItem("short", t))
        elif policy.decision == "majority" and yes == no:
            items.append(AgendaItem("tie", t))
        elif yes and no:
            items.append(AgendaItem("split", t))
    return sorted(items, key=lambda i: AGENDA_ORDER.index(i.reason))


def agenda_rows(evaluation, policy) -> tuple[list[str], list[list]]:
    """(headers, rows) of the sheet 评审会议程."""
    headers = [RECORD_HEADERS["reason"], KEY, HEADERS["award"], HEADERS["unit_name"], HEADERS["nominee"],
               RECORD_HEADERS["criterion"], RECORD_HEADERS["counts"]]
    rows = [[AGENDA_LABELS[i.reason], i.trail.key, i.trail.result.award_label or award_of(i.trail.result),
             i.trail.result.unit_name or "", i.trail.result.nominee or "", i.trail.criterion.label, i.counts(policy)]
            for i in agenda(evaluation, policy)]
    return headers, rows


def _sheet(ws, headers: list[str], rows: list[list]) -> None:
    for j, h in enumerate(headers, 1):
        put_cell(ws.cell(row=1, column=j), h).font = Font(bold=True)
    for i, row in enumerate(rows, 2):
        for j, v in enumerate(row, 1):
            put_cell(ws.cell(row=i, column=j), v).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"


def progress_bytes(evaluation, policy) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PROGRESS_SHEET
    _sheet(ws, *progress_rows(evaluation))
    _sheet(wb.create_sheet(AGENDA_SHEET), *agenda_rows(evaluation, policy))
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_ooxml(buf.getvalue(), FIXED_TIME)


def write_progress(evaluation, policy, path: Path) -> Path:
    """``review/评审进度.xlsx`` of the decided ``evaluation`` (atomically)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, progress_bytes(evaluation, policy))

"""The review's files beside ``review/评审表.xlsx`` (docs/review-cycle.md, "Who may
judge" and "Progress"): each roster reviewer's own workbook ``评审表_<姓名>.xlsx``
(评审人 pre-filled, the rows they must recuse from left out) and ``评审进度.xlsx``
(:mod:`toolkit.review.progress`)."""

from __future__ import annotations

from pathlib import Path

from toolkit.outputs.filenames import clean_chars, fit
from toolkit.outputs.files import atomic_write
from toolkit.review.progress import FILE_NAME as PROGRESS_FILE
from toolkit.review.progress import write_progress
from toolkit.review.record import roster_of, trails
from toolkit.review.roster import Reviewer
from toolkit.review.workbook import review_rows, workbook_bytes


def reviewer_file_name(name: str) -> str:
    """``评审表_<姓名>.xlsx``, the name cleaned and bounded as every file name made of
    data is (:mod:`toolkit.outputs.filenames`)."""
    return fit(f"评审表_{clean_chars(name).strip(' .') or '_'}", ".xlsx")


def roster_reviewers(evaluation) -> list[Reviewer]:
    roster = roster_of(evaluation)
    return [Reviewer.from_dict(d) for d in (roster or {}).get("reviewers") or []]


def write_governance(screening, decided, rules, folder: Path) -> list[Path]:
    """Write the per-reviewer workbooks (from the ``screening``) and the progress
    workbook (from the ``decided`` evaluation) into ``folder``; nothing when no
    nomination is under review, no roster was given and no copy was returned."""
    folder = Path(folder)
    written = []
    for reviewer in roster_reviewers(decided):
        written.append(atomic_write(folder / reviewer_file_name(reviewer.name),
                                    workbook_bytes(screening, rules, reviewer=reviewer)))
    if roster_of(decided) is not None or trails(decided) or review_rows(screening):
        written.append(write_progress(decided, rules.review, folder / PROGRESS_FILE))
    return written

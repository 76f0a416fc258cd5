"""The review cycle's calls from the run and from ``toolkit validate``."""

from __future__ import annotations

from pathlib import Path

from toolkit.clean.privacy import shared_text
from toolkit.evaluation.evaluate import evaluate
from toolkit.ingest.find import REVIEW_FOLDER, review_folder
from toolkit.review.apply import apply_review, read_review
from toolkit.review.governance import write_governance
from toolkit.review.record import trails
from toolkit.review.roster import Units, load_roster
from toolkit.review.sheet import FILE_NAME, FOLDER
from toolkit.review.workbook import review_rows, write_workbook
from toolkit.rules.load import load_rules


def review_cycle(evaluation, rules, data_dir: Path, out_dir: Path, year_data=None):
    """Write ``<out_dir>/review/评审表.xlsx`` from the screening ``evaluation`` and
    return the evaluation with the reviewers' decisions (``data_dir/评审意见/``)
    applied, checked against the reviewer roster where there is one (its units resolved
    by ``year_data``'s registry, aliases included). The workbook lists the screening's
    ``needs_review`` rows, so it stays the same while reviewers return their copies.
    With a roster, each reviewer's own workbook and ``review/评审进度.xlsx`` are written
    beside it (:mod:`toolkit.review.governance`)."""
    write_workbook(evaluation, rules, Path(out_dir) / FOLDER / FILE_NAME)
    units = Units.of_year(year_data) if year_data is not None else None
    decided = apply_review(evaluation, rules, data_dir, units)
    write_governance(evaluation, decided, rules, Path(out_dir) / FOLDER)
    return decided


#: the roster's file name, for messages
ROSTER_FILE = "评审专家.xlsx"


def review_summary(year_data, rules_path=None, screening=None) -> list[str]:
    """``toolkit validate``'s lines on the award cycle: the corrections applied, the
    reviewer roster and the review files checked (read against the evaluation of the year, so an unknown 编号
    or criterion stops with the same error as the run). ``screening``: a function giving
    that evaluation, when the caller evaluates the year once for several checks."""
    lines = [""]
    corrections = list(getattr(year_data, "corrections", []) or [])
    if corrections:
        lines.append(f"Corrections applied ({len(corrections)}):")
        for c in corrections:
            where = f"{c['file']} row {c['row']}"
            lines.append(f"  {where}: {c['table']}.{c['field']} of {c['unit_id']}"
                         f"{' (' + c['track'] + ')' if c['track'] else ''}: {c['old']} -> {c['new']} "
                         f"(reason: {shared_text(c['reason'])}; approved by {shared_text(c['approver'])})")
    else:
        lines.append("No corrections file (更正.xlsx).")
    units = Units.of_year(year_data)
    roster = load_roster(year_data.data_dir, units)  # checked even before any copy is back
    if roster is None:
        lines.append(f"No reviewer roster ({ROSTER_FILE}): recusal not checked.")
    else:
        lines.append(f"Reviewer roster checked: {roster.file} ({len(roster.reviewers)} reviewers).")
    folder = review_folder(year_data.data_dir)
    if not folder.copies and not folder.others:
        lines.append(f"No review files ({REVIEW_FOLDER}/*.xlsx).")
        return lines
    rules = load_rules(year_data.year, rules_path)
    screening = screening() if screening is not None else evaluate(year_data, rules)
    read = read_review(screening, rules, year_data.data_dir)
    reviewed = apply_review(screening, rules, year_data.data_dir, units, read=read)
    decided = sum(1 for r in (*reviewed.collective, *reviewed.individual, *reviewed.innovation)
                  for c in r.criteria if c.detail.get("source") == "review")
    recused = sum(1 for t in trails(reviewed) for e in t.recused)
    lines.append(f"Review files checked ({len(read.files)}): " + ", ".join(f["path"] for f in read.files))
    lines.append(f"  {decided} qualitative criteria decided; {len(review_rows(reviewed))} rows still need review"
                 + (f"; {recused} decisions not counted (recusal)." if roster is not None else "."))
    notes = read.notes()
    if notes:
        lines.append(f"Review notes ({len(notes)}):")
        lines += [f"  {n}" for n in notes]
    return lines

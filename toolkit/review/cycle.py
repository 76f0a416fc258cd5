"""The review cycle's calls from the run and from ``toolkit validate``."""

from __future__ import annotations

from pathlib import Path

from toolkit.clean.privacy import shared_text
from toolkit.evaluation.evaluate import evaluate
from toolkit.i18n import gettext as _
from toolkit.ingest.find import REVIEW_FOLDER, review_folder
from toolkit.review.apply import apply_review, read_review
from toolkit.review.corrections_template import write_template
from toolkit.review.governance import write_governance
from toolkit.review.record import trails
from toolkit.review.roster import Units, load_roster
from toolkit.review.sheet import FILE_NAME, FOLDER
from toolkit.review.workbook import review_rows, write_workbook
from toolkit.rules.load import load_rules


def review_cycle(evaluation, rules, data_dir: Path, out_dir: Path, year_data=None):
    """Write ``<out_dir>/review/评审表.xlsx`` from the screening ``evaluation`` (and
    the corrections template 更正模板.xlsx beside it) and
    return the evaluation with the reviewers' decisions (``data_dir/评审意见/``)
    applied, checked against the reviewer roster where there is one (its units resolved
    by ``year_data``'s registry, aliases included). The workbook lists the screening's
    ``needs_review`` rows, so it stays the same while reviewers return their copies.
    With a roster, each reviewer's own workbook and ``review/评审进度.xlsx`` are written
    beside it (:mod:`toolkit.review.governance`)."""
    write_workbook(evaluation, rules, Path(out_dir) / FOLDER / FILE_NAME)
    write_template(evaluation.year, Path(out_dir) / FOLDER)  # 更正模板.xlsx: the corrections file to fill
    units = Units.of_year(year_data) if year_data is not None else None
    decided = apply_review(evaluation, rules, data_dir, units)
    write_governance(evaluation, decided, rules, Path(out_dir) / FOLDER)
    return decided


#: the roster's file name, for messages
ROSTER_FILE = "评审专家.xlsx"


def _shown(value) -> str:
    """A corrected field's value as the line shows it: an empty one as —."""
    return "—" if value is None or value == "" else str(value)


def review_summary(year_data, rules_path=None, screening=None) -> list[str]:
    """``toolkit validate``'s lines on the award cycle: the corrections applied, the
    reviewer roster and the review files checked (read against the evaluation of the year, so an unknown 编号
    or criterion stops with the same error as the run). ``screening``: a function giving
    that evaluation, when the caller evaluates the year once for several checks."""
    lines = [""]
    corrections = list(getattr(year_data, "corrections", []) or [])
    if corrections:
        lines.append(_("Corrections applied ({n_corrections}):").format(n_corrections=len(corrections)))
        for c in corrections:
            where = _("{file} row {row}").format(file=c["file"], row=c["row"])
            lines.append(_("  {where}: {c}.{c2} of {c3}{value}: {c4} -> {c5} (reason: {value2}; approved by {value3})").format(where=where, c=c['table'], c2=c['field'], c3=c['unit_id'], value=' (' + c['track'] + ')' if c['track'] else '', c4=_shown(c['old']), c5=_shown(c['new']), value2=shared_text(c['reason']), value3=shared_text(c['approver'])))
    else:
        lines.append(_("No corrections file (更正.xlsx)."))
    units = Units.of_year(year_data)
    roster = load_roster(year_data.data_dir, units)  # checked even before any copy is back
    if roster is None:
        lines.append(_("No reviewer roster ({ROSTER_FILE}): recusal not checked.").format(ROSTER_FILE=ROSTER_FILE))
    else:
        lines.append(_("Reviewer roster checked: {file} ({n_reviewers} reviewers).").format(file=roster.file, n_reviewers=len(roster.reviewers)))
    folder = review_folder(year_data.data_dir)
    if not folder.copies and not folder.others:
        lines.append(_("No review files ({REVIEW_FOLDER}/*.xlsx).").format(REVIEW_FOLDER=REVIEW_FOLDER))
        return lines
    rules = load_rules(year_data.year, rules_path)
    screening = screening() if screening is not None else evaluate(year_data, rules)
    read = read_review(screening, rules, year_data.data_dir)
    reviewed = apply_review(screening, rules, year_data.data_dir, units, read=read)
    decided = sum(1 for r in (*reviewed.collective, *reviewed.individual, *reviewed.innovation)
                  for c in r.criteria if c.detail.get("source") == "review")
    recused = sum(1 for t in trails(reviewed) for e in t.recused)
    lines.append(_("Review files checked ({n_files}): ").format(n_files=len(read.files)) + ", ".join(f["path"] for f in read.files))
    lines.append(_("  {decided} qualitative criteria decided; {n_items} rows still need review").format(decided=decided, n_items=len(review_rows(reviewed)))
                 + (_("; {recused} decisions not counted (recusal).").format(recused=recused) if roster is not None else "."))
    notes = read.notes()
    if notes:
        lines.append(_("Review notes ({n_notes}):").format(n_notes=len(notes)))
        lines += [f"  {n}" for n in notes]
    return lines

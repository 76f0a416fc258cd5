"""Write the forms of a year: the approval forms of the nominations, the draft forms and
the meeting roster, under file names a unit can read and Windows can hold (the names
made of the units' words cleaned by :mod:`toolkit.outputs.filenames`; a nominee whose
name has no character a file name can hold is an error naming the nominations file and
row). The text inside a form is the unit's, as written."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from toolkit.clean.model import YearData
from toolkit.evaluation.results import Evaluation
from toolkit.exceptions import InputError
from toolkit.i18n import gettext as _
from toolkit.outputs import filenames
from toolkit.outputs.files import atomic_write, fixed_ooxml
from toolkit.outputs.forms.document import docx_bytes, text
from toolkit.outputs.forms.drafts import draft_forms
from toolkit.outputs.forms.nominations import (
    FormData,
    award_box_label,
    build_form,
    deeds_length,
    deeds_limit,
    nomination_forms,
)
from toolkit.outputs.forms.roster import (
    ROSTER_STEM,
    attendees,
    roster_docx,
    roster_xlsx,
    rsvp_deadline,
)
from toolkit.rules.load import Rules
from toolkit.vocabulary import INTAKE_COLUMN_LABELS, OUTCOME_LABELS

OVER_LIMIT_SUFFIX = "_超过{limit}字"
DRAFT_MARK = "草稿"
_NAME_PART_MAX = 24  # characters per variable part of a file name
_NAME_PART_BYTES = 72  # and bytes of UTF-8 (24 characters of the BMP, 18 of four bytes)


# --- file names ---------------------------------------------------------------------


def name_part(value, fallback: str = "未填写") -> str:
    """A value as part of a file name: NFKC, its characters cleaned
    (:func:`~toolkit.outputs.filenames.clean_chars`), no white space, at most
    ``_NAME_PART_MAX`` characters and ``_NAME_PART_BYTES`` bytes; ``fallback`` when
    nothing is left."""
    s = filenames.clean_chars(unicodedata.normalize("NFKC", text(value)))
    s = re.sub(r"\s+", "_", s)
    s = filenames.cut_bytes(s[:_NAME_PART_MAX], _NAME_PART_BYTES).strip(" ._")
    return s or fallback


def check_nominees(forms: list[tuple[FormData, int | None]], year_data: YearData) -> None:
    """A nominee's name written but with no character a file name can hold (only
    control or format characters, dots, blanks) is an InputError naming the
    nominations file and row: the form cannot be named after it."""
    for form, row in forms:
        if form.draft or form.award.form.nominee is None or not text(form.nominee):
            continue
        if not name_part(form.nominee, fallback=""):
            file = next((e.get("file") for e in year_data.ledger if e.get("table") == "nominations"), None)
            raise InputError(
                _("a nominee's name has no character a file name can hold"), file=Path(year_data.data_dir) / file
                if file else None, row=row, column=INTAKE_COLUMN_LABELS["nominee"], value=form.nominee,
                expected=_("the nominee's name in visible letters (not only control, format or punctuation "
                "characters)"))


def unique_names(stems: list[tuple[str, int | None]]) -> list[str]:
    """Make file stems unique: a stem that occurs more than once (case-insensitively,
    as Windows compares) gets its row number on every occurrence, so a name never
    depends on the order rows were read in."""
    counts: dict[str, int] = {}
    for stem, _unit in stems:
        counts[stem.casefold()] = counts.get(stem.casefold(), 0) + 1
    out, seen = [], set()
    for stem, row in stems:
        name = stem
        if counts[stem.casefold()] > 1:
            name = f"{stem}_第{row}行" if row is not None else stem
        base, n = name, 2
        while name.casefold() in seen:  # last resort, e.g. two rows without numbers
            name = f"{base}_{n}"
            n += 1
        seen.add(name.casefold())
        out.append(name)
    return out


def form_stem(form: FormData, limit: int | None, failed: list | None = None) -> str:
    """附件N_<award>_<unit>[_<nominee>][_草稿][_超过N字][_不符合条件_<first failed
    criterion>]: a failing nomination's form is still written, and its name says so."""
    parts = [form.award.form.attachment, award_box_label(form.award), name_part(form.unit_name)]
    if form.award.form.nominee is not None and not form.draft:
        parts.append(name_part(form.nominee))
    if form.draft:
        parts.append(DRAFT_MARK)
    stem = "_".join(parts)
    over = limit is not None and deeds_length(form.deeds) > limit
    if over:
        stem += OVER_LIMIT_SUFFIX.format(limit=limit)
    if failed:
        stem += f"_{OUTCOME_LABELS['not_eligible']}"
        first = failed[0]
        if not (over and first.metric == "deeds_chars"):  # the name says it already
            stem += f"_{name_part(first.label or first.id)}"
    return stem


def failed_criteria(evaluation: Evaluation) -> dict[tuple[str, int], list]:
    """(award, nomination row) -> the failed criteria of a nomination that is not eligible."""
    out: dict[tuple[str, int], list] = {}
    for u in evaluation.collective:
        if u.nominated and u.nomination_row is not None and u.outcome == "not_eligible":
            out[(u.award, u.nomination_row)] = u.failed
    for n in [*evaluation.individual, *evaluation.innovation]:
        if n.row is not None and n.outcome == "not_eligible":
            out[(n.category, n.row)] = [c for c in n.criteria if c.outcome == "fail"]
    return out


# --- writing ----------------------------------------------------------------------------


def unit_names(year_data: YearData, evaluation: Evaluation) -> dict[str, str]:
    """unit_id -> unit name: the registry (``units``) first, then the evaluation's."""
    names = {str(k): text(v) for k, v in evaluation.unit_names.items() if text(v)}
    for u in evaluation.collective:
        if text(u.unit_name):
            names[u.unit_id] = text(u.unit_name)
    units = year_data.tables.get("units")
    if units is not None and not units.empty:
        for uid, name in zip(units["unit_id"], units["unit_name"], strict=False):
            if text(name):
                names[str(uid)] = text(name)
    return names


def _write(out_dir: Path, name: str, data: bytes, year: int) -> Path:
    path = out_dir / name
    if path.resolve().parent != out_dir.resolve():  # sanitised names cannot escape; be sure
        raise ValueError(f"refusing to write outside {out_dir}: {name!r}")
    return atomic_write(path, fixed_ooxml(data, dt.datetime(year, 12, 31)))


def write_forms(evaluation: Evaluation, year_data: YearData, rules: Rules, out_dir: str | Path) -> list[Path]:
    """Write the approval forms, the draft forms and the meeting roster into ``out_dir``.

    Returns the paths written: nomination forms (in row order), draft forms, then the
    roster's .docx and .xlsx (when the year has an ``rsvp`` table).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    year = evaluation.year
    tables = year_data.tables
    names = unit_names(year_data, evaluation)

    nominations = tables.get("nominations")
    forms: list[tuple[FormData, int | None]] = []
    if nominations is not None and not nominations.empty:
        if "row" in nominations.columns:
            nominations = nominations.sort_values("row", kind="stable")
        forms += nomination_forms(nominations, names, rules)
    forms += draft_forms(evaluation.collective, nominations, names, year, rules)

    limits = [deeds_limit(rules, f.award) for f, _ in forms]
    failing = failed_criteria(evaluation)
    check_nominees(forms, year_data)
    stems = unique_names([(form_stem(f, lim, None if f.draft or row is None else failing.get((f.award.key, row))), row)
                          for (f, row), lim in zip(forms, limits, strict=True)])
    written = []
    for (form, _row), stem, lim in zip(forms, stems, limits, strict=True):
        doc = build_form(form, rules, year, lim)
        written.append(_write(out_dir, filenames.fit(stem, ".docx"), docx_bytes(doc), year))

    rsvp = tables.get("rsvp")
    if rsvp is not None:
        deadline = rsvp_deadline(rules)
        people = attendees(rsvp, names, deadline)
        written.append(_write(out_dir, f"{ROSTER_STEM}.docx", docx_bytes(roster_docx(people, year, deadline)), year))
        written.append(_write(out_dir, f"{ROSTER_STEM}.xlsx", roster_xlsx(people, year, deadline), year))
    return written

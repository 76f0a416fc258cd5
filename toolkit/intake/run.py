"""``intake_forms``: the returned approval forms of a folder read into the year's
nominations table (``toolkit intake``), with the ledger of every form, also saved
beside the table (``推荐申报受理台账.xlsx``, :mod:`toolkit.intake.ledger_file`).

Modes: ``new`` (the default) stops with exit 2 when the data folder already holds a
nominations table; ``merge`` keeps its rows and replaces each row whose award, unit
and nominee a form gives again (in place, by the first such form, the earlier row's own
columns kept; a second form is appended); ``replace`` writes the forms' rows only.
Either way the earlier table is moved into ``推荐申报备份/`` first, since a second file
of the table would stop the ingest. A nominee's start date comes from the form when it
has such a row, else from the earlier table (same unit and name).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit import paths
from toolkit.clean.privacy import NOMINATION_TEXT_FIELDS, numbers_warning
from toolkit.clean.units import UnitRegistry
from toolkit.exceptions import InputError, ParameterError
from toolkit.i18n import gettext as _
from toolkit.intake.contacts import split_contact
from toolkit.intake.extract import deeds_cells, extract
from toolkit.intake.ledger import FormEntry, IntakeLedger, shown
from toolkit.intake.ledger_file import write_ledger
from toolkit.intake.read import UnreadableForm, read_form
from toolkit.intake.recognise import draft_signs, find_boxes, recognise
from toolkit.intake.table import (
    COLUMNS,
    Existing,
    move_aside,
    read_existing,
    row_key,
    table_file,
    unit_registry,
    workbook_bytes,
    write_table,
)
from toolkit.intake.ticks import side_of, ticked_awards
from toolkit.outputs.forms.roster import EXCEL_CELL_MAX
from toolkit.rules.load import load_rules
from toolkit.rules.model import Award, Rules

log = logging.getLogger(__name__)

MODES = ("new", "merge", "replace")
#: files a unit may send instead of a .docx: named in the ledger, not read
OTHER_DOCUMENTS = (".doc", ".wps", ".pdf", ".odt", ".rtf")


@dataclass
class IntakeResult:
    """The rows written (one per used form, with ``--merge`` the earlier rows too; the
    fields of ``table.COLUMNS`` as text), the ledger, and the file written (None:
    no form was used, nothing was written)."""

    rows: pd.DataFrame
    ledger: IntakeLedger
    path: Path | None
    ledger_file: Path | None = None  # 推荐申报受理台账.xlsx, beside the table


def form_files(folder: Path) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Every file under ``folder`` and its sub-folders, by path: the .docx forms to read
    (path, name shown), and the others with why they are not read (name shown, why):
    Word's lock files (``~$…``), hidden files and folders, other documents, what is no
    regular file, a link to a folder (not followed), a folder that cannot be listed."""
    found: list[tuple[tuple[str, ...], Path | None, str]] = []  # (parts, path to read or None, why)

    def cannot_list(exc: OSError) -> None:
        rel = Path(exc.filename).relative_to(folder) if exc.filename else Path(".")
        found.append((rel.parts, None, f"a folder that cannot be listed ({exc.strerror or exc})"))

    for top, dirs, files in os.walk(folder, onerror=cannot_list):
        here = Path(top)
        for name in list(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                found.append(((here / name).relative_to(folder).parts, None, "a link to a folder (not followed)"))
        dirs.sort()
        for name in files:
            path = here / name
            rel = path.relative_to(folder)
            found.append((rel.parts, *_why_not(path, rel)))
    docx, other = [], []
    for parts, path, why in sorted(found, key=lambda f: f[0]):
        name = shown("/".join(parts) or ".")
        if path is not None:
            docx.append((path, name))
        else:
            other.append((name, why))
    return docx, other


def _why_not(path: Path, rel: Path) -> tuple[Path | None, str]:
    """(the path, "") for a form to read, else (None, why it is not read)."""
    if any(part.startswith(".") for part in rel.parts[:-1]):
        return None, "in a hidden folder"
    if rel.name.startswith("~$"):
        return None, "a lock file Word or WPS leaves while a document is open"
    if rel.name.startswith("."):
        return None, "a hidden file"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return None, f"cannot be opened ({exc.strerror or exc})"
    if not stat.S_ISREG(mode):
        return None, "not a regular file"
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return path, ""
    if suffix in OTHER_DOCUMENTS:
        return None, "only .docx forms are read (save it as .docx)"
    return None, "not a form (.docx)"


def category_text(award: Award) -> str:
    """The 推荐类别 written: the box's words (among the words that name the award, so
    the ingest reads them back as this award: rules.load)."""
    return award.form.category


def read_one(path: Path, rel: str, rules: Rules, year: int, reg: UnitRegistry) -> tuple[FormEntry, dict | None]:
    """One form judged: its ledger entry, and its row when it is used. Whatever goes
    wrong while reading this one form (a shape of .docx no rule foresaw) quarantines
    it as ``unreadable`` with the error's text; the other forms are still read."""
    try:
        return _judge(path, rel, rules, year, reg)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the intake of the others
        log.debug("%s could not be read", rel, exc_info=True)
        return FormEntry(file=rel, reason="unreadable", detail=f"{type(exc).__name__}: {exc}"), None


def _judge(path: Path, rel: str, rules: Rules, year: int, reg: UnitRegistry) -> tuple[FormEntry, dict | None]:
    entry = FormEntry(file=rel)

    def quarantine(reason: str, detail: str):
        entry.reason, entry.detail = reason, detail
        return entry, None

    try:
        doc = read_form(path)
    except UnreadableForm as exc:
        return quarantine("unreadable", str(exc))
    rec = recognise(doc, rules, year)
    if rec.number is None:
        return quarantine("not_approval_form", rec.problem or "")
    signs = draft_signs(doc)
    if signs:
        return quarantine("draft_not_filled", _("{attachment} is the toolkit's draft: ").format(attachment=rec.attachment) + _(" and ").join(signs) +
                          _("; the unit fills it in (主要事迹, 单位负责人, 联系人), takes the banner off and sends it again"))
    boxes = find_boxes(doc, rec.awards, deeds_cells(doc, rec.awards))
    ticked = ticked_awards(boxes)
    words = ", ".join(f"□{a.form.category}" for a in rec.awards)
    if not ticked:
        found = _("none is ticked") if boxes else _("no box was found")
        return quarantine("no_box_ticked", _("{attachment}: of the boxes {words} {found}").format(attachment=rec.attachment, words=words, found=found))
    if len(ticked) > 1:
        return quarantine("several_boxes_ticked", f"{rec.attachment}: " + _(" and ").join(
            f"□{rules.awards[k].form.category}" for k in ticked) + _(" are ticked"))
    award = rules.awards[ticked[0]]
    side = side_of(boxes, award.key, 0 if award.form.side == "left" else 1)
    f = extract(doc, rec.awards, award, side)
    entry.award = award.key
    unit = f.unit or f.filler
    uid = reg.resolve_one(unit) if unit else None
    if uid is None:
        if not unit:
            return quarantine("unknown_unit", _("单位名称 is empty in the ticked category's column and 填报单位 too"))
        return quarantine("unknown_unit", _("单位名称 {unit!r} is not in the units registry (nearest: {value})").format(unit=unit, value=reg.suggest(unit)))
    entry.unit_id = uid
    if award.form.nominee and not f.nominee:
        return quarantine("nominee_missing", _("{nominee} is empty in the ticked category's column").format(nominee=award.form.nominee))
    entry.nominee = f.nominee if award.form.nominee else ""
    c = split_contact(f.contact)
    row = {"category": category_text(award), "unit": unit, "nominee": entry.nominee, "deeds": f.deeds,
           "started_on": f.started_on, "unit_leader": f.unit_leader, "contact_name": c.name,
           "contact_title": c.title, "contact_phone": c.phone, "filler": f.filler, "source": rel}
    too_long = [(k, len(v)) for k, v in row.items() if len(v) > EXCEL_CELL_MAX]
    if too_long:
        return quarantine("value_too_long", ", ".join(f"{COLUMNS[k]} has {n:,} characters" for k, n in too_long) +
                          _(", more than the {EXCEL_CELL_MAX:,} a spreadsheet cell holds (it would be cut): the unit shortens it").format(EXCEL_CELL_MAX=EXCEL_CELL_MAX))
    return entry, row


def _combine(ledger: IntakeLedger, new: list[tuple[FormEntry, dict]], existing: Existing | None,
             mode: str) -> list[dict]:
    """The rows of the table to write, in order: with ``merge`` the earlier rows, each
    replaced in place by the first form of the same award, unit and nominee (keeping
    the earlier row's own columns, which a form has not), then the other forms' rows
    (a second form for a replaced row too: both are written, the notes say keep one).
    Rows written = rows kept from the earlier table + one row per used form."""
    if mode != "merge" or existing is None:
        ledger.kept_rows = 0
        return [row for _, row in new]
    rows = list(existing.rows)
    index = {}
    for i, k in enumerate(existing.keys):
        index.setdefault(k, i)
    appended, replaced = [], set()
    for entry, row in new:
        i = index.get(row_key(entry.award, entry.unit_id, entry.nominee))
        if i is None or i in replaced:
            appended.append(row)
            continue
        entry.replaces = f"row {existing.numbers[i]} of {existing.path.name}"
        old = rows[i]
        rows[i] = {**{x: old.get(x, "") for x in existing.extras}, **row}
        replaced.add(i)
    ledger.kept_rows = len(rows) - len(replaced)
    return rows + appended


def _started_on(ledger: IntakeLedger, new: list[tuple[FormEntry, dict]], existing: Existing | None,
                rules: Rules) -> None:
    for entry, row in new:
        if rules.awards[entry.award].kind != "individual" or row["started_on"]:
            continue
        if existing is not None:
            row["started_on"] = existing.started_on(entry.award, entry.unit_id, entry.nominee)
        if not row["started_on"]:
            ledger.notes.append(_("{file}: no start date for {nominee} (form and earlier table); fill in {COLUMNS} before the evaluation").format(file=entry.file, nominee=entry.nominee, COLUMNS=COLUMNS['started_on']))


def _duplicates(ledger: IntakeLedger, new: list[tuple[FormEntry, dict]]) -> None:
    first: dict[tuple, str] = {}
    for entry, _row in new:
        k = row_key(entry.award, entry.unit_id, entry.nominee)
        if k in first:
            ledger.notes.append(_("{file} nominates the same as {first} (same award, unit and nominee): both rows are written; keep one").format(file=entry.file, first=first[k]))
        first.setdefault(k, entry.file)


def _personal_numbers(ledger: IntakeLedger, new: list[tuple[FormEntry, dict]]) -> None:
    """A note per field of a used form whose text holds an ID or mobile number: the
    table and the forms keep it as written, every shared output masks it."""
    for entry, row in new:
        for f in NOMINATION_TEXT_FIELDS:
            what = numbers_warning(row.get(f))
            if what:
                ledger.notes.append(_("{file}: {COLUMNS} {what} (kept in the nominations table and the forms as written, masked in every shared output)").format(file=entry.file, COLUMNS=COLUMNS[f], what=what))


def intake_forms(year: int, folder, data_dir=None, *, mode: str = "new", rules=None,
                 now: dt.datetime | None = None) -> IntakeResult:
    """Read every approval form under ``folder`` into the nominations table of the
    year's data folder (``推荐申报.xlsx``); see the module docstring for ``mode``."""
    if mode not in MODES:
        raise ParameterError(_("unknown intake mode {mode!r}").format(mode=mode), expected=" or ".join(MODES))
    rules = rules if isinstance(rules, Rules) else load_rules(year, rules)
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ParameterError(_("the forms folder {value} does not exist or is not a folder").format(value=shown(str(folder))),
                             hint=_("pass the folder that holds the returned .docx forms"))
    d = paths.data_dir(year, data_dir)
    if not d.is_dir():
        raise InputError(_("the data folder {d} does not exist or is not a folder").format(d=d), hint=_("pass --data-dir"))
    old = table_file(d, "nominations")
    if old is not None and mode == "new":
        raise InputError(_("a nominations table is already in the data folder: {name}").format(name=old.name), file=old,
                         hint=_("pass --merge to add the forms' rows to it (a form of the same award, unit "
                              "and nominee replaces its row) or --replace to write the forms' rows only"))
    reg = unit_registry(d)
    existing = read_existing(old, reg, rules.award_names()) if old is not None else None
    ledger = IntakeLedger(year=year, folder=str(folder))
    docx, other = form_files(folder)
    new = []
    for path, rel in docx:
        entry, row = read_one(path, rel, rules, year, reg)
        ledger.forms.append(entry)
        if row is not None:
            new.append((entry, row))
            empty = [w for w, v in (("单位负责人", row["unit_leader"]), ("联系人", row["contact_name"] +
                                                                          row["contact_phone"])) if not v]
            if empty:
                ledger.notes.append(_("{rel}: {empty} empty on the form (used all the same)").format(rel=rel, empty=' and '.join(empty)))
        log.debug("%s: %s", rel, entry)
    for rel, why in other:
        ledger.notes.append(_("{rel} is not read: {why}").format(rel=rel, why=why))
    ledger.not_read = len(other)
    _started_on(ledger, new, existing, rules)
    _duplicates(ledger, new)
    _personal_numbers(ledger, new)
    rows = _combine(ledger, new, existing, mode)
    ledger.rows_written = len(rows) if new else 0
    extras = existing.extras if existing is not None and mode == "merge" else []
    frame = pd.DataFrame(rows, columns=[*COLUMNS, *extras]).fillna("")
    if not new:  # the ledger still says why no form was used
        return IntakeResult(frame, ledger, None, write_ledger(ledger, d, rules.labels()))
    content = workbook_bytes(rows, extras, year)  # a value too long for a cell stops here, nothing moved
    if old is not None:
        ledger.backup = str(move_aside(old, d, now or dt.datetime.now(dt.UTC)))
    try:
        written = write_table(d, rows, extras, year, content)
    except OSError:
        if ledger.backup:
            Path(ledger.backup).replace(old)
        raise
    ledger.written = str(written)
    return IntakeResult(frame, ledger, written, write_ledger(ledger, d, rules.labels()))

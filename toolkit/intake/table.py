"""The year's nominations table on the intake's side: the units registry and the
nominations table already in the data folder (read by the normal ingest), and
``推荐申报.xlsx`` written with the rows of the forms (and, with ``--merge``, the earlier
rows), every row with its source file in ``来源文件``.

Cells are written as text (never a formula) exactly as read or written on the form, so
the normal ingest reads the table back with the same values.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from toolkit.clean.ledger import Work
from toolkit.clean.units import UnitRegistry, clean_units
from toolkit.exceptions import DuplicateTableError, InputError, MissingTableError
from toolkit.i18n import gettext as _
from toolkit.ingest import contract
from toolkit.ingest.categories import AwardName, category_of
from toolkit.ingest.find import accepted_file_names
from toolkit.ingest.table import read_table
from toolkit.intake.ticks import squeeze
from toolkit.outputs.files import atomic_write, fixed_ooxml, put_cell
from toolkit.outputs.forms.roster import EXCEL_CELL_MAX
from toolkit.vocabulary import INTAKE_COLUMN_LABELS

OUTPUT_STEM = "推荐申报"
SHEET = "推荐申报"
BACKUP_FOLDER = "推荐申报备份"
#: the written columns: field -> header (each header one the data contract accepts)
COLUMNS = INTAKE_COLUMN_LABELS
_WIDTHS = {"category": 30, "unit": 22, "nominee": 16, "deeds": 60, "started_on": 14, "unit_leader": 12,
           "contact_name": 12, "contact_title": 16, "contact_phone": 16, "filler": 22, "source": 40}
_OWN_EXTRAS = {COLUMNS["filler"]: "filler", COLUMNS["source"]: "source"}


def table_file(d: Path, table: str) -> Path | None:
    """The file of ``table`` in the folder ``d`` (None: there is none); two files of
    the table are an error naming both, as the ingest has it."""
    found = None
    for path in sorted(Path(d).iterdir()):
        if not path.is_file() or path.name.startswith(("~$", ".")):
            continue
        if path.suffix.lower() in contract.FILE_SUFFIXES and contract.table_for_stem(path.stem) == table:
            if found is not None:
                raise DuplicateTableError(_("two files map to the table {table!r}: {name} and {name2}").format(table=table, name=found.name, name2=path.name),
                                          file=d, hint=_("keep one of them in the folder (move or rename the other)"))
            found = path
    return found


def unit_registry(d: Path) -> UnitRegistry:
    """The units registry of the data folder, cleaned as the ingest cleans it."""
    path = table_file(d, "units")
    if path is None:
        raise MissingTableError(_("the table 'units' is missing: the forms' units are looked up in it"),
                                file=d, expected=_("a file named {value}").format(value=accepted_file_names('units')))
    return clean_units(Work(read_table(path, "units")))


def category_key(value: str, names: Iterable[AwardName]) -> str | None:
    """The award key a 推荐类别 cell names (the rules' words of each award), or None."""
    found = category_of(value, names)
    return found.award if found is not None else None


def row_key(category: str | None, unit_id: str, nominee: str) -> tuple:
    """What makes two nominations the same: the award, the unit and the nominee."""
    return (category, unit_id, squeeze(nominee))


@dataclass
class Existing:
    """The nominations table already in the folder: its rows as field -> text (the
    earlier ``来源文件`` kept, else the file's name), its unknown columns, and each
    row's key and row number."""

    path: Path
    rows: list[dict] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    keys: list[tuple] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    def started_on(self, category: str, unit_id: str, nominee: str) -> str:
        """The start date an earlier row gives the nominee (as written): that of the
        same award, else the one date the unit's rows of that name agree on."""
        name = squeeze(nominee)
        same = [r["started_on"] for r, k in zip(self.rows, self.keys, strict=True)
                if k == (category, unit_id, name) and r.get("started_on")]
        if same:
            return same[0]
        other = {r["started_on"] for r, k in zip(self.rows, self.keys, strict=True)
                 if k[1:] == (unit_id, name) and r.get("started_on")}
        return other.pop() if len(other) == 1 else ""


def read_existing(path: Path, reg: UnitRegistry, names: Iterable[AwardName] = ()) -> Existing:
    """The nominations table already in the folder; ``names``: how the rules' awards are
    named (each row's award from its 推荐类别)."""
    raw = read_table(path, "nominations")
    data = raw.data
    mapped = set(raw.columns.values())
    extra_pos = [i for i, h in enumerate(raw.headers) if i not in mapped and h]
    out = Existing(path=path, extras=[raw.headers[i] for i in extra_pos if raw.headers[i] not in _OWN_EXTRAS])
    for number, rec in zip(data.index, data.to_dict("records"), strict=True):
        row = {k: v for k, v in rec.items() if k in COLUMNS}
        for i in extra_pos:
            header = raw.headers[i]
            row[_OWN_EXTRAS.get(header, header)] = raw.cells.at[number, i]
        row.setdefault("source", "")
        row["source"] = row["source"] or path.name
        unit = rec.get("unit", "")
        uid = reg.resolve_one(unit) or squeeze(unit)
        out.rows.append(row)
        out.keys.append(row_key(category_key(rec.get("category", ""), names), uid, rec.get("nominee", "")))
        out.numbers.append(int(number))
    return out


def move_aside(path: Path, d: Path, now: dt.datetime) -> Path:
    """Move the earlier nominations table into ``推荐申报备份/`` (not read by the
    ingest), its name prefixed with the time (UTC)."""
    folder = d / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    target = folder / f"{now.strftime('%Y%m%dT%H%M%S')}_{path.name}"
    n = 2
    while target.exists():
        target = folder / f"{now.strftime('%Y%m%dT%H%M%S')}_{n}_{path.name}"
        n += 1
    shutil.move(str(path), target)
    return target


def workbook_bytes(rows: list[dict], extras: list[str], year: int) -> bytes:
    """``推荐申报.xlsx``: a header row, then one row per nomination, every cell text."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [*COLUMNS.values(), *extras]
    fields = [*COLUMNS, *extras]
    for j, h in enumerate(headers, start=1):
        put_cell(ws.cell(row=1, column=j), h).font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows, start=2):
        for j, f in enumerate(fields, start=1):
            value = row.get(f) or ""
            if len(value) > EXCEL_CELL_MAX:  # a form's is quarantined before; an earlier table's
                raise InputError(_("a value of {n_value:,} characters is more than the {EXCEL_CELL_MAX:,} a spreadsheet cell holds: it would be cut").format(n_value=len(value), EXCEL_CELL_MAX=EXCEL_CELL_MAX), file=row.get("source") or None,
                                 column=headers[j - 1], hint=_("shorten it, then run the intake again"))
            bad = ILLEGAL_CHARACTERS_RE.search(value)
            if bad:  # a control character (an earlier table's): a worksheet cannot hold it
                raise InputError(_("a value holds the control character U+{value:04X}, which a spreadsheet cell cannot hold").format(value=ord(bad.group())), file=row.get("source") or None,
                                 column=headers[j - 1], hint=_("remove it, then run the intake again"))
            if value:
                c = put_cell(ws.cell(row=i, column=j), value)
                c.number_format = "@"
                c.alignment = wrap
    for j, f in enumerate(fields, start=1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = _WIDTHS.get(f, 16)
    ws.freeze_panes = "A2"
    wb.properties.creator = "toolkit"
    wb.properties.title = f"{year}{SHEET}"
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_ooxml(buf.getvalue(), dt.datetime(year, 12, 31))


def write_table(d: Path, rows: list[dict], extras: list[str], year: int, content: bytes | None = None) -> Path:
    """``推荐申报.xlsx`` written (``content``: its bytes made already by ``workbook_bytes``)."""
    return atomic_write(d / f"{OUTPUT_STEM}.xlsx", content or workbook_bytes(rows, extras, year))

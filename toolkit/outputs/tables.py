"""Write an evaluation for office use: ``evaluation.json``, ``tables/*.csv`` and
``results.xlsx``.

* ``evaluation.json``: UTF-8, ``ensure_ascii=False``, indented by 2, lists in the
  evaluation's sorted order, no run timestamps: the same evaluation gives the same bytes.
* ``tables/<stem>.csv``, one per result table (:data:`toolkit.evaluation.tables.TABLES`,
  which also gives each table's sheet, headers, formats and labels): UTF-8 with BOM
  (Excel opens it as UTF-8), Chinese headers, CRLF line ends, deterministic bytes.

The tables and the workbook show no code: tracks, outcomes, flags, tables, reasons,
units and operators by their labels in :mod:`toolkit.vocabulary`, metrics by the
registry's (:mod:`toolkit.metrics.registry`), awards and criteria by the labels the
evaluation carries from the rules file. Criterion ids stay in ``evaluation.json``.
* ``results.xlsx``: a sheet per table, Chinese headers, ``0.00%`` and ``#,##0.00`` number
  formats, frozen header row, fixed document timestamps and zip entry times, so the
  bytes are deterministic too.

Formula safety: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written as ``'`` + text in CSV and as a string cell with the quote
prefix style in xlsx, never as a formula. Numbers stay numbers. Each file is written
beside its target and renamed into place.

No trainee name, ID or phone number reaches these files (the clean tables have none);
nominees' contact phone numbers are not exported either.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from pathlib import Path

import pandas as pd

from toolkit.evaluation.tables import TABLES, Column, result_table
from toolkit.outputs import files
from toolkit.outputs.files import atomic_write, fixed_ooxml, put_cell
from toolkit.outputs.report.shortlist import HEADERS as SHORTLIST_HEADERS
from toolkit.outputs.report.shortlist import shortlist_rows

PCT_FORMAT, MONEY_FORMAT, FLOAT_FORMAT = "0.00%", "#,##0.00", "0.00"
#: the Excel number format of each format code of the result tables' columns
NUMBER_FORMATS = {"percent": PCT_FORMAT, "money": MONEY_FORMAT, "decimal": FLOAT_FORMAT}
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
SHORTLIST_SHEET = "拟表彰名单（初审）"  # the final list after the review is final/拟表彰名单.xlsx
FIXED_TIME = dt.datetime(1980, 1, 1, 0, 0, 0)  # the zip epoch: docProps and entries, deterministic bytes


# --- values ----------------------------------------------------------------------------


def formula_safe(v):
    """A text value made safe for CSV: ``'`` before a leading = + - @ tab or CR."""
    return files.formula_safe(v) if isinstance(v, str) else v


def _clean(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, bool):
        return v
    if hasattr(v, "item") and not isinstance(v, str):
        return _clean(v.item())
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def table_rows(evaluation, name: str) -> tuple[list[Column], list[str], list[list], list[dict]]:
    """A result table as the tables show it (:data:`toolkit.evaluation.tables.TABLES`):
    its columns, their Chinese headers, the rows with every code shown by its label, and
    the rows' codes (for the number formats)."""
    spec = result_table(name)
    shared = evaluation.shared()
    columns = spec.columns_of(shared)
    raw = spec.rows(shared)
    records = spec.frame(columns, raw).to_dict("records")
    shown = [c for c in columns if c.in_tables]
    rows = []
    for rec, codes in zip(records, raw, strict=True):
        row = []
        for c in shown:
            v = _clean(rec[c.code])
            if v is not None and v != "" and c.shown is not None:
                v = c.shown(v, codes, shared)
            if isinstance(v, bool):
                v = "是" if v else "否"
            row.append(v)
        rows.append(row)
    return shown, [c.header_in(name) for c in shown], rows, raw


# --- writing ------------------------------------------------------------------------------


def _json_clean(v):
    if isinstance(v, dict):
        return {k: _json_clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_clean(x) for x in v]
    return _clean(v)


def evaluation_json(evaluation) -> bytes:
    d = _json_clean(evaluation.to_dict())
    return (json.dumps(d, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def csv_bytes(headers: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([formula_safe(h) for h in headers])
    for r in rows:
        w.writerow(["" if v is None else formula_safe(v) if isinstance(v, str) else _csv_number(v) for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_number(v):
    if isinstance(v, float):
        return int(v) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return v


def excel_value(v):
    """An ISO date or date-time text as a real Excel date (with its number format)."""
    if isinstance(v, str) and len(v) in (10, 19, 25) and v[:4].isdigit():
        try:
            if _ISO_DATE.fullmatch(v):
                return dt.date.fromisoformat(v), DATE_FORMAT
            if _ISO_DATETIME.fullmatch(v[:19]) and (len(v) == 19 or v[19] in "+-"):
                return dt.datetime.fromisoformat(v[:19]), DATETIME_FORMAT
        except ValueError:
            return v, None
    return v, None


def _sheets(evaluation, names, unaccepted):
    """(sheet name, columns, headers, rows, the rows' codes) in the workbook's order: the
    shortlist, the result tables, then a sheet per award."""
    rows = shortlist_rows(evaluation, unaccepted)
    cols = [Column(c) for c in ("award", "outcome", "unit_name", "nominee", "nominated", "reason")]
    yield SHORTLIST_SHEET, cols, list(SHORTLIST_HEADERS), rows, [{} for _ in rows]
    for name in names or TABLES:
        yield (TABLES[name].sheet, *table_rows(evaluation, name))
    for key, label in evaluation.award_labels.items():
        name = evaluation.kind_of(key) or "individual"  # no kind known: no result, an empty sheet
        cols, headers, rows, raw = table_rows(evaluation, name)
        keep = [i for i, rec in enumerate(raw) if rec.get(TABLES[name].award_column) == key]
        yield label[:31], cols, headers, [rows[i] for i in keep], [raw[i] for i in keep]


def xlsx_bytes(evaluation, tables=None, unaccepted=None) -> bytes:
    """The workbook: 拟表彰名单 first, a sheet per result table, then a sheet per award; dates as
    Excel dates, shares as ``0.00%``, the header row and the unit's name frozen."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sheet, cols, headers, rows, raw in _sheets(evaluation, tables, unaccepted):
        ws = wb.create_sheet(sheet)
        for j, h in enumerate(headers, 1):
            c = ws.cell(row=1, column=j)
            _put(c, h, ILLEGAL_CHARACTERS_RE)
            c.font = bold
            c.alignment = Alignment(vertical="center", wrap_text=False)
        widths = [min(max(_width(h), 6), 60) for h in headers]
        for i, (row, rec) in enumerate(zip(rows, raw, strict=True), 2):
            for j, (col, v) in enumerate(zip(cols, row, strict=True), 1):
                if v is None:
                    continue
                c = ws.cell(row=i, column=j)
                v, date_format = excel_value(v)
                _put(c, v, ILLEGAL_CHARACTERS_RE)
                if date_format:
                    c.number_format = date_format
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    fmt = NUMBER_FORMATS.get(col.format_of(rec))
                    if fmt:
                        c.number_format = fmt
                widths[j - 1] = min(max(widths[j - 1], _width(str(v))), 60)
        # the header row and the unit's name stay in view
        codes = [c.code for c in cols]
        name_col = codes.index("unit_name") + 2 if "unit_name" in codes else 1
        ws.freeze_panes = ws.cell(row=2, column=name_col).coordinate
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(rows) + 1}"
        for j, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(j)].width = w + 2
    wb.properties.creator = "toolkit"
    wb.properties.lastModifiedBy = "toolkit"
    wb.properties.title = f"{evaluation.year}年度培训工作评选结果"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_ooxml(buf.getvalue(), FIXED_TIME)


def _put(cell, v, illegal) -> None:
    """Write ``v`` into an openpyxl cell without characters XML cannot hold; text never
    becomes a formula."""
    put_cell(cell, illegal.sub("", v) if isinstance(v, str) else v)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def write_outputs(evaluation, out_dir: str | Path, unaccepted=None) -> list[Path]:
    """Write ``evaluation.json``, ``tables/*.csv`` and ``results.xlsx`` under ``out_dir``;
    return the paths written. ``unaccepted``: the nominations that could not be used
    (``report.context.unaccepted_nominations``), listed on the 拟表彰名单 sheet."""
    out = Path(out_dir)
    written = [atomic_write(out / "evaluation.json", evaluation_json(evaluation))]
    for spec in TABLES.values():
        _cols, headers, rows, _raw = table_rows(evaluation, spec.name)
        written.append(atomic_write(out / "tables" / f"{spec.file_stem}.csv", csv_bytes(headers, rows)))
    written.append(atomic_write(out / "results.xlsx", xlsx_bytes(evaluation, unaccepted=unaccepted)))
    return written

"""Writing a year's synthetic input folder: one file per table in the chosen format
(``mixed``, ``csv`` or ``xlsx``), workbooks with fixed timestamps (``write_demo_data``)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from toolkit import paths
from toolkit.demo.plans import scale_factor
from toolkit.demo.quarantine import add_broken_rows
from toolkit.demo.records import DEFAULT_SEED, generate_frames
from toolkit.demo.render import Sheet, render_sheets
from toolkit.ingest import contract
from toolkit.outputs.files import fixed_ooxml

log = logging.getLogger(__name__)

FORMATS = ("mixed", "csv", "xlsx")

# (file name index in contract.TABLES[t].file_names, suffix, csv encoding) for fmt="mixed"
_MIXED = {
    "units": (0, ".xlsx", None),
    "contracts": (0, ".xlsx", None),
    "targets": (0, ".csv", "utf-8"),
    "teams": (0, ".xlsx", None),
    "staff_registrations": (0, ".csv", "utf-8-sig"),
    "staff_payments": (0, ".csv", "gb18030"),
    "staff_refunds": (0, ".xlsx", None),
    "professional_enrollments": (0, ".xlsx", None),
    "professional_refunds": (0, ".xlsx", None),
    "complaints": (0, ".xlsx", None),
    "nominations": (0, ".xlsx", None),
    "rsvp": (0, ".csv", "gb18030"),
}


def _write_csv(path: Path, sheet: Sheet, encoding: str) -> None:
    df = pd.DataFrame({h: pd.Series(c, dtype=object) for h, c in sheet.columns.items()})
    crlf = encoding == "gb18030"  # the Windows export tool
    df.to_csv(path, index=False, encoding=encoding, lineterminator="\r\n" if crlf else "\n")


# In fmt "mixed", a workbook of at most this many rows carries its title as a merged,
# centred banner across the table (openpyxl's normal mode; larger ones stream in
# write-only mode, which cannot merge cells).
BANNER_MAX_ROWS = 1000


# The most data rows a table may have to be written as a workbook: Excel's 1,048,576
# rows per sheet less the header row.
XLSX_MAX_DATA_ROWS = 1_048_575


def _rows(sheet: Sheet) -> int:
    return len(next(iter(sheet.columns.values())))


def _write_xlsx(path: Path, sheet: Sheet, year: int, banner: bool = False) -> None:
    stamp = dt.datetime(year + 1, 1, 5, 9, 0, 0)
    wb = Workbook(write_only=not banner)
    wb.properties.creator = "湖南开放大学培训管理平台"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    if banner:
        ws = wb.active
        ws.title = "Sheet1"
    else:
        ws = wb.create_sheet(title="Sheet1")
    if sheet.title:
        ws.append([sheet.title])
        ws.append([])
    ws.append(list(sheet.columns))
    cols = [np.asarray(c, dtype=object).tolist() for c in sheet.columns.values()]
    for row in zip(*cols, strict=True):
        ws.append(row)
    if sheet.footer:
        ws.append(sheet.footer)
    if banner and sheet.title:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(sheet.columns))
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 28
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(fixed_ooxml(buf.getvalue(), stamp))


def write_demo_data(year: int, out: str | Path | None = None, *, scale: str = "demo",
                    seed: int = DEFAULT_SEED, fmt: str = "mixed") -> Path:
    """Write the synthetic input folder of a year and return it.

    fmt ``mixed``: the messy demo mix (workbooks with title rows, merged title banners in
    the small ones, GB18030 / UTF-8 / UTF-8-with-BOM CSVs) with a few rows of every kind
    the ingest stage quarantines (``QUARANTINE_NOTES``); ``csv``: every table as UTF-8
    CSV; ``xlsx``: every table as a workbook (for the benchmark: of the rows to
    quarantine only the misspelt units' ones, which ``generate_frames`` holds), but a
    table of more than ``XLSX_MAX_DATA_ROWS`` rows as a UTF-8 CSV with BOM (no sheet
    holds that many). Table
    files already in the folder (any format) are removed first: two files of one table
    would be an error for ingest. Other files are left alone.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")
    scale_factor(scale, year)
    out_dir = paths.data_dir(year, out)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = generate_frames(year, scale, seed)
    layout = {}
    for name, (idx, suffix, enc) in _MIXED.items():
        if fmt == "csv":
            suffix, enc = ".csv", "utf-8"
        elif fmt == "xlsx":
            suffix, enc = ".xlsx", None
        layout[name] = (contract.TABLES[name].file_names[idx] + suffix, enc)
    targets = {n: ("csv" if f.endswith(".csv") else "xlsx") for n, (f, _) in layout.items()}
    sheets = render_sheets(frames, year, scale, seed, targets)
    # A worksheet holds at most 1,048,576 rows (Excel's limit; WPS's too), so no real
    # export has a workbook with more data rows than that: such a table (the province
    # scale's registrations) is written as CSV, UTF-8 with BOM, as the export tools do
    # for big tables. It is rendered again as text (no date cells or numbers in a CSV);
    # the rendering draws the same random numbers whatever the target.
    too_big = [n for n, sh in sheets.items()
               if targets[n] == "xlsx" and _rows(sh) > XLSX_MAX_DATA_ROWS]
    if too_big:
        for n in too_big:
            targets[n] = "csv"
            layout[n] = (contract.TABLES[n].file_names[_MIXED[n][0]] + ".csv", "utf-8-sig")
        sheets = render_sheets(frames, year, scale, seed, targets)
    if fmt == "mixed":
        add_broken_rows(sheets, frames, year, seed)
    stale = [p for p in out_dir.iterdir()
             if p.suffix.lower() in contract.FILE_SUFFIXES and contract.table_for_stem(p.stem)]
    for p in stale:
        p.unlink()
    for name in contract.TABLES:
        file_name, enc = layout[name]
        path = out_dir / file_name
        if enc:
            _write_csv(path, sheets[name], enc)
        else:
            _write_xlsx(path, sheets[name], year,
                        banner=fmt == "mixed" and _rows(sheets[name]) <= BANNER_MAX_ROWS)
        log.debug("wrote %s", path)
    return out_dir

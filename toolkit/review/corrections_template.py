"""The corrections template ``reports/<year>/review/更正模板.xlsx``, written with the
review workbook: the header the corrections reader looks for (数据表, 单位, 项目, 合同编号,
字段, 更正值, 原因, 批准人: :data:`toolkit.clean.corrections.COLUMNS`), drop-down lists of
the tables, tracks and fields that may be corrected, no data row, and a sheet 说明 with
what each column takes. The school fills one row per correction and saves the file as
``data/<year>/更正.xlsx`` (docs/review-cycle.md, "Corrections").

Every word offered is one the reader accepts (the tables' and fields' Chinese names in
the data contract, the tracks' labels), so a filled template reads back as it was
filled; the bytes are deterministic (fixed document dates)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.clean.corrections import COLUMNS, CORRECTABLE, REQUIRED
from toolkit.ingest import contract
from toolkit.outputs.files import atomic_write, fixed_ooxml, put_cell
from toolkit.vocabulary import TABLE_LABELS, TRACK_LABELS

FILE_NAME = "更正模板.xlsx"
SHEET = "更正"
README_SHEET = "说明"
#: the columns in the template's order
ORDER = ("table", "unit", "track", "contract_no", "field", "value", "reason", "approver")
WIDTHS = {"table": 14, "unit": 22, "track": 26, "contract_no": 14, "field": 14, "value": 16,
          "reason": 40, "approver": 16}
ROWS = 200  # the rows the drop-down lists cover
HEAD = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")


def table_words() -> dict[str, str]:
    """Each correctable table's Chinese name in the data contract -> its code."""
    return {contract.TABLES[t].file_names[0]: t for t in CORRECTABLE}


def field_words() -> dict[str, tuple[str, str]]:
    """Each correctable field's Chinese name -> (table, field)."""
    return {contract.TABLES[t].column(f).aliases[0]: (t, f) for t, fs in CORRECTABLE.items() for f in fs}


def _readme(year: int) -> list[list[str]]:
    required = "、".join(COLUMNS[c][0] for c in REQUIRED)
    rows = [[f"{year}年度数据更正表：填写说明"], [],
            ["用法", f"每行一项更正；填好后另存为 data/{year}/更正.xlsx，重新运行即生效（运行记录列出每项更正）。"],
            ["必填", f"{required}。"],
            [COLUMNS["track"][0], "培训团队、合作协议两表必填：" + "、".join(TRACK_LABELS.values()) + "；其他表留空。"],
            [COLUMNS["contract_no"][0], "仅合作协议表：该单位在该项目有多份协议时必填。"],
            [COLUMNS["value"][0], "整数（如 1200）、日期（如 2022-03-01）或别名（多个用“、”分隔）。"],
            [], ["可更正的数据表与字段", ""]]
    for word, (table, _field) in field_words().items():
        rows.append([f"{contract.TABLES[table].file_names[0]}（{TABLE_LABELS.get(table, table)}）", word])
    return rows


def template_bytes(year: int) -> bytes:
    """The template workbook of ``year``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for j, name in enumerate(ORDER, 1):
        c = put_cell(ws.cell(row=1, column=j), COLUMNS[name][0])
        c.font = Font(bold=True)
        c.fill = HEAD
        c.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS[name]
    ws.freeze_panes = "A2"
    lists = {"table": list(table_words()), "track": list(TRACK_LABELS.values()), "field": list(field_words())}
    for name, words in lists.items():
        col = get_column_letter(ORDER.index(name) + 1)
        dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
        dv.error, dv.errorTitle = "请从列表中选择", COLUMNS[name][0]
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{ROWS + 1}")
    for name in ("unit", "contract_no", "value", "reason", "approver"):  # typed as text, as written
        col = ORDER.index(name) + 1
        for r in range(2, ROWS + 2):
            ws.cell(row=r, column=col).number_format = "@"
    readme = wb.create_sheet(README_SHEET)
    for row in _readme(year):
        readme.append(row)
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["B"].width = 80
    wb.properties.creator = wb.properties.lastModifiedBy = "toolkit"
    wb.properties.title = f"{year}年度数据更正表"
    stamp = dt.datetime(year, 12, 31)
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_ooxml(buf.getvalue(), stamp)


def write_template(year: int, folder: Path) -> Path:
    """Write ``更正模板.xlsx`` into ``folder`` (the run's ``review/``), atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return atomic_write(folder / FILE_NAME, template_bytes(year))

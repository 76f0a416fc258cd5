"""The intake's ledger saved beside the table it wrote: ``推荐申报受理台账.xlsx`` in the
year's data folder, so the analyst can tell a unit why its form was not used without
running the intake again. Sheet 受理台账: one row per form read (文件, 结果 采用/未采用,
推荐类别, 单位编码, 推荐对象, 未采用原因, 说明, 替换); sheet 汇总: the counts (files =
forms read + not read; forms read = used + quarantined), the notes and what the
nominations table became. Chinese headers, the reasons by their labels
(:data:`toolkit.vocabulary.INTAKE_REASON_LABELS`); every text as the ledger shows it
(:func:`toolkit.intake.ledger.shown`: no control character), no cell a formula.

Its name is no table's (``contract.table_for_stem`` gives None), so the ingest leaves it
alone; each intake replaces it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from toolkit.intake.ledger import IntakeLedger, shown
from toolkit.outputs.files import atomic_write, fixed_ooxml, put_cell
from toolkit.vocabulary import INTAKE_FATE_LABELS, INTAKE_REASON_LABELS

STEM = "推荐申报受理台账"
FILE_NAME = f"{STEM}.xlsx"
SHEET, SUMMARY_SHEET = "受理台账", "汇总"
HEADERS = ("文件", "结果", "推荐类别", "单位编码", "推荐对象", "未采用原因", "说明", "替换")
WIDTHS = (36, 8, 34, 10, 20, 24, 60, 30)


def ledger_rows(ledger: IntakeLedger, award_labels: dict[str, str]) -> list[list[str]]:
    """One row per form read, in the ledger's order."""
    rows = []
    for f in ledger.forms:
        rows.append([shown(f.file), INTAKE_FATE_LABELS["used" if f.used else "quarantined"],
                     award_labels.get(f.award, f.award or "") if f.award else "", f.unit_id or "",
                     shown(f.nominee), INTAKE_REASON_LABELS.get(f.reason, f.reason or "") if f.reason else "",
                     shown(f.detail), shown(f.replaces or "")])
    return rows


def summary_rows(ledger: IntakeLedger) -> list[list]:
    d = ledger.to_dict()
    rows = [["年度", ledger.year], ["表格文件夹", shown(ledger.folder)], ["文件数", d["files"]],
            ["读取的表格", d["forms_read"]], ["未读取的文件", d["not_read"]], ["采用", d["used"]],
            ["未采用", d["quarantined"]]]
    rows += [[f"未采用：{INTAKE_REASON_LABELS.get(r, r)}", n] for r, n in d["reasons"].items() if n]
    rows.append(["写入", shown(ledger.written) if ledger.written else "未写入（没有采用的表格）"])
    if ledger.written:
        rows.append(["写入行数", ledger.rows_written])
    if ledger.backup:
        rows.append(["原推荐申报表移至", shown(ledger.backup)])
    rows += [["备注", shown(n)] for n in ledger.notes]
    return rows


def ledger_bytes(ledger: IntakeLedger, award_labels: dict[str, str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for j, h in enumerate(HEADERS, 1):
        put_cell(ws.cell(row=1, column=j), h).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = WIDTHS[j - 1]
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(ledger_rows(ledger, award_labels), 2):
        for j, v in enumerate(row, 1):
            if v:
                put_cell(ws.cell(row=i, column=j), v).alignment = wrap
    ws.freeze_panes = "A2"
    summary = wb.create_sheet(SUMMARY_SHEET)
    for i, (label, value) in enumerate(summary_rows(ledger), 1):
        put_cell(summary.cell(row=i, column=1), label)
        put_cell(summary.cell(row=i, column=2), value).alignment = wrap
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 90
    wb.properties.creator = wb.properties.lastModifiedBy = "toolkit"
    wb.properties.title = f"{ledger.year}年度推荐申报受理台账"
    stamp = dt.datetime(ledger.year, 12, 31)
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_ooxml(buf.getvalue(), stamp)


def write_ledger(ledger: IntakeLedger, data_dir: Path, award_labels: dict[str, str]) -> Path:
    """Write ``推荐申报受理台账.xlsx`` into the data folder (atomically); its path."""
    return atomic_write(Path(data_dir) / FILE_NAME, ledger_bytes(ledger, award_labels))

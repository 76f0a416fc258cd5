"""``final/异议处理情况.xlsx``: every objection of the register (``review.objections`` of
the evaluation, :mod:`toolkit.review.objections`) with its finding, action, approver and
its effect on the final list, and the state the nomination is in. The objector is
shown as 实名 or 匿名, never by name; the grounds and the note are masked for ID and
phone numbers, as every shared output is."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from toolkit.outputs.files import put_cell
from toolkit.outputs.final.listing import final_states
from toolkit.vocabulary import (
    FINAL_STATE_LABELS,
    OBJECTION_ACTION_LABELS,
    OBJECTION_COLUMN_LABELS,
    OBJECTION_EFFECT_LABELS,
    OBJECTION_FINDING_LABELS,
    OBJECTION_REPORT_LABELS,
    OBJECTOR_LABELS,
)

OBJECTIONS_STEM = "异议处理情况"
SHEET = OBJECTIONS_STEM
COLUMNS = ("number", "received", "objector", "award", "unit", "nominee", "grounds", "finding", "action",
           "correction_row", "approver", "note")
HEADERS = [OBJECTION_COLUMN_LABELS[c] for c in COLUMNS] + [OBJECTION_REPORT_LABELS["effect"],
                                                          OBJECTION_REPORT_LABELS["state"]]


def effect_text(o: dict) -> str:
    """The effect in words, with the row it points at (编号, 更正行)."""
    effect = OBJECTION_EFFECT_LABELS.get(o.get("effect"), o.get("effect") or "")
    if o.get("effect") == "held":
        return f"{effect}（编号 {o.get('number')}）"
    if o.get("effect") == "corrected" and o.get("correction_row"):
        return f"{effect}（更正.xlsx 第 {o['correction_row']} 行）"
    return effect


def objection_rows(evaluation) -> list[list]:
    """One row per objection, in the register's order (the HEADERS' columns), its free
    text as every shared output shows it (``Evaluation.shared``)."""
    evaluation = evaluation.shared()
    states = final_states(evaluation)
    labels = evaluation.award_labels
    rows = []
    for o in (evaluation.review or {}).get("objections") or []:
        nominee = o.get("nominee") or (None if o.get("kind") == "innovation" else "")
        rows.append([
            o.get("number"), o.get("received"), OBJECTOR_LABELS["named" if o.get("named") else "anonymous"],
            labels.get(o.get("award"), o.get("award")), o.get("unit_name"), nominee or "", o.get("grounds"),
            OBJECTION_FINDING_LABELS.get(o.get("finding"), ""), OBJECTION_ACTION_LABELS.get(o.get("action"), ""),
            o.get("correction_row"), o.get("approver") or "", o.get("note") or "", effect_text(o),
            FINAL_STATE_LABELS[states.get(o.get("key"), "absent")],
        ])
    return rows


def objections_xlsx(evaluation) -> bytes:
    """The workbook: one sheet 异议处理情况, a header row and one row per objection."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for j, h in enumerate(HEADERS, 1):
        put_cell(ws.cell(row=1, column=j), h).font = Font(bold=True)
    for i, row in enumerate(objection_rows(evaluation), 2):
        for j, v in enumerate(row, 1):
            if v is not None and v != "":
                put_cell(ws.cell(row=i, column=j), v)
    for j, h in enumerate(HEADERS, 1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = 30 if h in (
            OBJECTION_COLUMN_LABELS["grounds"], OBJECTION_REPORT_LABELS["effect"]) else 14
    ws.freeze_panes = "A2"
    wb.properties.creator = "toolkit"
    wb.properties.lastModifiedBy = "toolkit"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

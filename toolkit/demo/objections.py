"""The demo's objections register ``异议登记.xlsx`` (docs/review-cycle.md, "Objections"),
written by ``toolkit demo-data`` (scale demo) beside the tables: two objections against
the demo's individual nominees that hold nothing back, so the demo's list and its
publicity draft stay as they are — one checked and found 不成立 (with its approver),
one anonymous (recorded, not admitted). The nominees are the fixed names of
:func:`toolkit.demo.small_tables.nominations_table`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from toolkit.demo.small_tables import CATEGORY_WORDS
from toolkit.demo.units import SCENARIOS, build_units
from toolkit.outputs.files import put_cell
from toolkit.vocabulary import OBJECTION_COLUMN_LABELS

FILE_NAME = "异议登记.xlsx"
APPROVER = "省校培训学院"


def objection_rows(year: int) -> list[list]:
    """The register's rows (in OBJECTION_COLUMN_LABELS' column order)."""
    names = {u.unit_id: u.name for u in build_units("demo")}
    received = dt.datetime(year + 1, 1, 10)
    return [
        ["1", received, "周某", CATEGORY_WORDS["staff.individual"], names[SCENARIOS["staff_pass_a"]], "谭湘楠",
         "反映其培训课时记录有误", "不成立", None, None, APPROVER, "核对培训档案，课时记录无误"],
        ["2", received + dt.timedelta(days=1), None, CATEGORY_WORDS["professional.individual"],
         names[SCENARIOS["professional_no_agreement"]], "覃俊杰", "匿名来信反映申报材料不实", None, None, None, None,
         None],
    ]


def write_objections(year: int, out_dir: str | Path) -> Path:
    """Write the demo's ``异议登记.xlsx`` into ``out_dir`` (a title row, the header, the rows)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "异议登记"
    put_cell(ws.cell(row=1, column=1), f"{year}年度拟表彰名单公示期间异议登记（演示数据）")
    for j, h in enumerate(OBJECTION_COLUMN_LABELS.values(), 1):
        put_cell(ws.cell(row=2, column=j), h)
    for i, row in enumerate(objection_rows(year), 3):
        for j, v in enumerate(row, 1):
            if v is not None:
                put_cell(ws.cell(row=i, column=j), v)
                if isinstance(v, dt.datetime):
                    ws.cell(row=i, column=j).number_format = "yyyy-mm-dd"
    path = Path(out_dir) / FILE_NAME
    wb.save(path)
    return path

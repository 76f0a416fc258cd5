"""The meeting roster (attachment 5) as .docx and .xlsx: rooms, late receipts against
the rules' deadline, formula-safe cells."""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from outputs_helpers import (  # noqa: E402
    HOSTILE_FORMULA,
    HOSTILE_HTML,
    RULES,
    YEAR,
    all_text,
    evaluation,
    grid,
    one,
    rules,
    year_data,
)

from toolkit.outputs.forms.roster import rsvp_deadline  # noqa: E402
from toolkit.outputs.forms.write import write_forms  # noqa: E402


@pytest.fixture()
def written(tmp_path):
    out = tmp_path / "forms"
    return out, write_forms(evaluation(), year_data(), RULES, out)


def _late(paths) -> list[str]:
    wb = openpyxl.load_workbook(one(paths, ".xlsx"))
    return [r[9] for r in wb["参会回执"].iter_rows(min_row=2, values_only=True)]


def test_roster_docx(written):
    _, paths = written
    path = one(paths, "附件5", ".docx")
    d = docx.Document(path)
    text = all_text(d)
    assert (f"{YEAR}年度全省开放大学办学体系事业单位工作人员培训、专业技术人员继续教育培训工作会议参会回执"
            in text)
    # rooms: one per attendee whose receipt asks for one (甲 and the hostile name)
    assert "需预留住宿房间2间" in text and "预留一间" in text
    assert "未注明是否住宿1人" in text and "逾期回执1份" in text
    units = [p.text for p in d.paragraphs if p.text.startswith("单位名称：")]
    assert units == ["单位名称：长沙开放大学", "单位名称：株洲开放大学"]
    assert len(d.tables) == 2
    g1, g2 = grid(d.tables[0]), grid(d.tables[1])
    assert g1[0] == ["姓名", "性别", "职务", "电话", "备注"]
    # 3月7日 23:00 is on time ("3月7日前" read as on or before the 7th)
    assert g1[1] == ["甲", "男", "主任", "13800000011", "需预留住宿"]
    assert g1[2] == ["乙", "女", "科员", "13800000012", "同住；不需住宿"]
    assert g2[1] == [HOSTILE_FORMULA, "女", HOSTILE_HTML, "", "-1；需预留住宿；逾期回执（3月8日）"]
    assert g2[2] == ["丁", "男", "", "", ""]


def test_roster_xlsx_formula_safe(written):
    _, paths = written
    path = one(paths, "附件5", ".xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["参会回执"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["单位编码", "单位名称", "姓名", "性别", "职务", "电话", "备注"]
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None}
    for value in (HOSTILE_FORMULA, HOSTILE_HTML, "-1；需预留住宿；逾期回执（3月8日）", "13800000011"):
        assert cells[value].data_type == "s", value
    assert cells[HOSTILE_FORMULA].quotePrefix
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[7] for r in rows] == ["是", "否", "是", "未注明"]  # needs room
    assert [r[9] for r in rows] == ["否", "否", "是", "否"]  # late
    total = [r for r in wb["汇总"].iter_rows(values_only=True) if r[0] == "合计"][0]
    assert total[2:6] == (4, 2, 1, 1)  # attendees, rooms, unstated, late


def test_the_rules_deadline_decides_what_is_late(tmp_path):
    # deadline 3月1日: the receipts of 3月7日 and 3月8日 are late, that of 3月1日 is not
    paths = write_forms(evaluation(), year_data(nominations=None), rules(dt.date(YEAR + 1, 3, 1)), tmp_path / "a")
    assert _late(paths) == ["是", "否", "是", "否"]
    paths = write_forms(evaluation(), year_data(nominations=None), rules(dt.date(YEAR + 1, 3, 8)), tmp_path / "b")
    assert _late(paths) == ["否", "否", "否", "否"]  # 3月8日 08:00 is within a 3月8日 deadline


def test_no_deadline_in_the_rules_no_receipt_is_late(tmp_path):
    paths = write_forms(evaluation(), year_data(nominations=None), rules(None), tmp_path)
    assert _late(paths) == ["否", "否", "否", "否"]
    text = all_text(docx.Document(one(paths, "附件5", ".docx")))
    assert "未规定回执截止时间" in text and "逾期回执（" not in text
    assert "（回执请注明是否需要预留住宿房间）" in text
    notes = [r[1] for r in openpyxl.load_workbook(one(paths, ".xlsx"))["汇总"].iter_rows(values_only=True)
             if r[0] == "说明"]
    assert notes and "未规定回执截止时间" in notes[0]


def test_rsvp_deadline_is_the_whole_day():
    d = rsvp_deadline(RULES)
    assert d.label == f"{YEAR + 1}年3月7日"
    assert d.at == dt.datetime(YEAR + 1, 3, 7, 23, 59, 59)
    assert rsvp_deadline(rules(None)) is None


def test_a_note_too_long_for_a_cell_says_it_is_cut():
    """A 40,000-character note was cut to Excel's 32,767 characters without a
    word; the cell now ends saying how much is not shown and where it is."""
    import io

    import pandas as pd

    from toolkit.outputs.forms.roster import EXCEL_CELL_MAX, Attendee, roster_xlsx

    note = "备" * 39_990 + "末尾十个字不会显示了"
    a = Attendee(unit_id="U1", unit_name="长沙开放大学", name="甲", gender="男", title="", phone="",
                 note=note, needs_room=None, submitted_at=pd.Timestamp("2023-03-01"), late=False,
                 row=2)
    wb = openpyxl.load_workbook(io.BytesIO(roster_xlsx([a], YEAR, None)))
    value = wb["参会回执"]["G2"].value
    assert len(value) == EXCEL_CELL_MAX
    hidden = len(note) - value.index("…（以下")
    assert value.endswith(f"…（以下 {hidden:,} 字未显示，全文见回执原件）")
    assert value.startswith("备" * 1000) and "末尾" not in value

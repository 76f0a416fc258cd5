"""The intake's ledger: forms read = used + quarantined, each quarantined form with its
reason in words, what was written."""

from __future__ import annotations

import pytest

from toolkit.intake.ledger import REASONS, FormEntry, IntakeLedger, shown
from toolkit.vocabulary import INTAKE_REASON_LABELS


def _ledger() -> IntakeLedger:
    led = IntakeLedger(year=2022, folder="返回")
    led.forms = [FormEntry("a.docx", award="staff.individual", unit_id="U001", nominee="甲", replaces="row 2 of x.xlsx"),
                 FormEntry("b.docx", award="innovation.staff", unit_id="U002"),
                 FormEntry("c.docx", reason="no_box_ticked", detail="附件2: none is ticked"),
                 FormEntry("d.docx", reason="unreadable", detail="not a .docx package")]
    led.notes = ["e.doc is not read"]
    return led


def test_counts_add_up():
    led = _ledger()
    assert len(led.forms) == len(led.used) + len(led.quarantined) == 4
    counts = led.counts()
    assert set(counts) == set(REASONS) and sum(counts.values()) == 2 and counts["no_box_ticked"] == 1
    d = led.to_dict()
    assert (d["forms_read"], d["used"], d["quarantined"]) == (4, 2, 2)


def test_every_reason_has_its_words():
    assert set(REASONS) == set(INTAKE_REASON_LABELS)


def test_render():
    led = _ledger()
    text = led.render({"staff.individual": "事业单位工作人员培训先进个人"})
    lines = text.splitlines()
    assert lines[0] == "intake 2022: 4 form(s) read in 返回 = 2 used + 2 quarantined"
    assert "a.docx: 事业单位工作人员培训先进个人 U001 甲 (replaces row 2 of x.xlsx)" in text
    assert "c.docx: 未勾选推荐类别 (no_box_ticked) - 附件2: none is ticked" in text
    assert "d.docx: 文件无法读取 (unreadable)" in text and "note: e.doc is not read" in text
    assert lines[-1] == "nothing written: no form was used"
    led.written, led.kept_rows, led.rows_written, led.backup = "data/推荐申报.xlsx", 3, 5, "data/推荐申报备份/x.xlsx"
    text = led.render({})
    assert "written: data/推荐申报.xlsx (5 row(s) = 2 from forms + 3 kept from the earlier table)" in text
    assert text.endswith("moved to data/推荐申报备份/x.xlsx")
    led.kept_rows, led.rows_written = 0, 2
    assert "written: data/推荐申报.xlsx (2 row(s) = 2 from forms)" in led.render({})
    assert led.to_dict()["rows_written"] == 2


@pytest.mark.parametrize("text,expected", [
    ("谭湘楠 表（1）.docx", "谭湘楠 表（1）.docx"),  # printable text as it is, spaces too
    ("a\nb", "a\\nb"),
    ("\x1b[31m红", "\\x1b[31m红"),
    ("x\u202ecod.docx", "x\\u202ecod.docx"),  # a right-to-left override
    ("c\udcff.docx", "c\\udcff.docx"),  # a name's byte that is no UTF-8
    ("a\u2028b\x00", "a\\u2028b\\x00"),
])
def test_shown_is_one_printable_line(text, expected):
    assert shown(text) == expected and shown(expected) == expected
    assert shown(text).isprintable()


def test_render_shows_every_text_escaped():
    """A nominee, a detail or a note with a line break or a terminal escape forges no
    ledger line."""
    led = IntakeLedger(year=2022, folder="返回\x1b[2J")
    led.forms = [FormEntry("a.docx", award="staff.individual", unit_id="U001", nominee="甲\n  used        假"),
                 FormEntry("b\r.docx", reason="unreadable", detail="x\nquarantined c")]
    led.notes = ["n\n  note: forged"]
    lines = led.render({}).splitlines()
    assert len(lines) == 6 and not any("\x1b" in line or "\r" in line for line in lines)
    assert [line.split()[0] for line in lines[2:5]] == ["used", "quarantined", "note:"]

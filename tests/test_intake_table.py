"""推荐申报.xlsx as the ingest reads it: accepted headers, text cells (never a formula),
the earlier table's rows and unknown columns, the registry, and moving a table aside."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from intake_helpers import data_folder  # noqa: E402

from toolkit.exceptions import DuplicateTableError, MissingTableError  # noqa: E402
from toolkit.ingest import contract  # noqa: E402
from toolkit.ingest.table import read_table  # noqa: E402
from toolkit.intake.table import (  # noqa: E402
    COLUMNS,
    category_key,
    move_aside,
    read_existing,
    table_file,
    unit_registry,
    workbook_bytes,
    write_table,
)
from toolkit.rules.load import load_rules  # noqa: E402

ROW = {"category": "事业单位工作人员培训先进个人", "unit": "长沙开放大学", "nominee": "=1+1",
       "deeds": "第一段\n  第二段，ＡＢＣ", "started_on": "2020-03-01", "contact_phone": "0731 1234",
       "source": "a/b.docx"}

NAMES = load_rules(2022).award_names()  # how nominations name the awards of rules/2022.yaml


def test_headers_map_to_every_column(tmp_path):
    path = write_table(tmp_path, [ROW], [], 2022)
    raw = read_table(path, "nominations")
    assert set(raw.columns) == {c.name for c in contract.TABLES["nominations"].columns}
    assert raw.headers[-2:] == ["填报单位", "来源文件"]
    data = raw.data.iloc[0]
    for k in ("category", "unit", "nominee", "deeds", "started_on", "contact_phone"):
        assert data[k] == ROW[k], k


def test_cells_are_text_never_formulas(tmp_path):
    wb = openpyxl.load_workbook(write_table(tmp_path, [ROW], ["备注"], 2022))
    ws = wb.active
    assert ws.title == "推荐申报" and [c.value for c in ws[1]] == [*COLUMNS.values(), "备注"]
    nominee = ws.cell(2, 3)
    assert nominee.value == "=1+1" and nominee.data_type == "s" and nominee.quotePrefix
    assert ws.cell(2, 5).value == "2020-03-01" and ws.cell(2, 5).data_type == "s"


def test_deterministic():
    assert workbook_bytes([ROW], [], 2022) == workbook_bytes([ROW], [], 2022)


def test_existing_rows_keep_their_columns_and_source(tmp_path):
    d = data_folder(tmp_path / "data")
    with open(d / "推荐名单.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["推荐类别", "单位", "先进个人姓名", "主要事迹", "来源文件", "备注"])
        w.writerow(["staff.individual", "长沙电大", " 谭湘楠 ", "事迹", "", "甲"])
        w.writerow(["事业单位工作人员培训创新创意", "不在名册", "", "事迹", "旧.docx", ""])
    ex = read_existing(table_file(d, "nominations"), unit_registry(d), NAMES)
    assert ex.extras == ["备注"] and ex.numbers == [2, 3]
    assert [r["source"] for r in ex.rows] == ["推荐名单.csv", "旧.docx"]
    assert ex.rows[0]["备注"] == "甲" and ex.rows[0]["nominee"] == " 谭湘楠 "
    assert ex.keys[0] == ("staff.individual", "U001", "谭湘楠")
    assert ex.keys[1] == ("innovation.staff", "不在名册", "")
    assert ex.started_on("staff.individual", "U001", "谭湘楠") == ""


def test_registry_and_duplicates(tmp_path):
    with pytest.raises(MissingTableError, match="units"):
        unit_registry(tmp_path)
    d = data_folder(tmp_path / "data")
    assert unit_registry(d).resolve_one("长沙电大") == "U001"
    assert table_file(d, "nominations") is None
    (d / "推荐申报.xlsx").write_bytes(b"")
    (d / "nominations.csv").write_text("x")
    with pytest.raises(DuplicateTableError, match="nominations.csv and 推荐申报.xlsx"):
        table_file(d, "nominations")


def test_move_aside(tmp_path):
    (tmp_path / "推荐名单.csv").write_text("a")
    now = dt.datetime(2023, 3, 1, 8, 0, 0)
    first = move_aside(tmp_path / "推荐名单.csv", tmp_path, now)
    assert first == tmp_path / "推荐申报备份" / "20230301T080000_推荐名单.csv" and first.read_text() == "a"
    (tmp_path / "推荐名单.csv").write_text("b")
    second = move_aside(tmp_path / "推荐名单.csv", tmp_path, now)
    assert second.name == "20230301T080000_2_推荐名单.csv" and not (tmp_path / "推荐名单.csv").exists()


def test_category_key():
    assert category_key("事业单位工作人员培训先进个人", NAMES) == "staff.individual"
    assert category_key(" innovation.staff ", NAMES) == "innovation.staff"
    assert category_key("先进个人", NAMES) is None


def test_the_headers_are_the_vocabularys():
    """The headers are labels, so they live in toolkit/vocabulary.py (one place)."""
    from toolkit.vocabulary import GROUPS, INTAKE_COLUMN_LABELS

    assert COLUMNS is INTAKE_COLUMN_LABELS and GROUPS["intake_columns"] is INTAKE_COLUMN_LABELS
    table = contract.TABLES["nominations"]
    for name, header in COLUMNS.items():
        if name not in ("filler", "source"):
            assert header in table.column(name).aliases, name

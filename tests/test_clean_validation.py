"""The validation report and ``toolkit validate`` (toolkit.clean.validation)."""

from __future__ import annotations

from clean_helpers import pay
from ingest_helpers import load, minimal_year

from toolkit.clean.validation import validation_report
from toolkit.cli import main


def test_validation_report(tmp_path):
    rows = pay(("P1", "T1", "U001", "180", "2022-03-05", "成功"),
               ("P2", "T1", "长沙开发大学", "180", "2022-03-05", "成功"),
               ("P3", "T1", "U001", "180", "2021-03-05", "成功"))
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    text = validation_report(yd)
    assert "staff_payments" in text and "out_of_period 1" in text
    assert "unknown_unit: 1" in text and "row 3" in text and "长沙开放大学" in text
    assert "complaints, nominations, rsvp" in text
    assert "balances" in text


def test_cli_validate(tmp_path, capsys, monkeypatch):
    d = minimal_year(tmp_path / "d")
    assert main(["validate", "--year", "2022", "--data-dir", str(d), "--no-cache"]) == 0
    assert "staff_payments" in capsys.readouterr().out
    (d / "units.csv").unlink()
    assert main(["validate", "--year", "2022", "--data-dir", str(d)]) == 2
    assert "units" in capsys.readouterr().err


def test_validate_names_the_files_that_match_no_table(tmp_path):
    """Issue 14: "Optional tables missing: complaints" while 投诉登记(1).xlsx lay in the
    folder; every file that matched no table is listed with the table it probably is."""
    d = minimal_year(tmp_path)
    (d / "投诉登记(1).xlsx").write_bytes(b"x")
    (d / "notes.txt").write_text("a", encoding="utf-8")
    text = validation_report(load(d))
    assert "complaints, nominations, rsvp" in text
    lines = text.splitlines()
    i = lines.index("Files in the folder that match no table (not read):")
    assert lines[i + 1].strip() == "notes.txt"
    assert "投诉登记(1).xlsx: probably complaints (rename it 投诉登记.xlsx)" in lines[i + 2]

"""The validation report and ``toolkit validate`` (toolkit.clean.validation)."""

from __future__ import annotations

from clean_helpers import pay
from ingest_helpers import load, minimal_year
from review_helpers import write_corrections

from toolkit.clean.validation import validation_report, validation_summary
from toolkit.cli import main

#: a payment of a unit, one of a misspelt unit name, one out of the period
MIXED_PAYMENTS = (("P1", "T1", "U001", "180", "2022-03-05", "成功"),
                  ("P2", "T1", "长沙开发大学", "180", "2022-03-05", "成功"),
                  ("P3", "T1", "U001", "180", "2021-03-05", "成功"))


def test_validation_report(tmp_path):
    yd = load(minimal_year(tmp_path, staff_payments=pay(*MIXED_PAYMENTS)))
    text = validation_report(yd)
    assert "staff_payments" in text and "out_of_period 1" in text
    assert "unknown_unit: 1" in text and "row 3" in text and "长沙开放大学" in text
    assert "complaints, nominations, rsvp" in text
    assert "balances" in text



def test_validation_summary_is_one_line_of_totals(tmp_path):
    """``toolkit -q validate``'s line: the ledger's totals, the missing optional tables."""
    yd = load(minimal_year(tmp_path, staff_payments=pay(*MIXED_PAYMENTS)))
    line = validation_summary(yd)
    assert "\n" not in line and line.startswith("Year 2022: ")
    assert "1 excluded, 1 quarantined" in line and "complaints, nominations, rsvp" in line
    assert "WARNING" not in line


def test_cli_validate(tmp_path, capsys, monkeypatch):
    d = minimal_year(tmp_path / "d")
    assert main(["validate", "--year", "2022", "--data-dir", str(d), "--no-cache"]) == 0
    assert "staff_payments" in capsys.readouterr().out
    (d / "units.csv").unlink()
    assert main(["validate", "--year", "2022", "--data-dir", str(d)]) == 2
    assert "units" in capsys.readouterr().err


def test_validate_names_the_files_that_match_no_table(tmp_path):
    """"Optional tables missing: complaints" while 投诉登记(1).xlsx lay in the
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


def test_validate_warns_of_free_text_holding_an_id_or_phone_number(tmp_path):
    """The deeds and a correction's 原因 hold a trainee's numbers; validate
    names the file, row and field, the numbers masked."""
    noms = [["category", "unit", "nominee", "deeds", "started_on", "contact_phone"],
            ["事业单位工作人员培训先进个人", "U001", "张三", "认真负责。", "2020-01-01", "13800000000"],
            ["事业单位工作人员培训先进个人", "U001", "李四", "学员电话13912345678，身份证43010119850505123X",
             "2020-01-01", "13800000001"]]
    d = minimal_year(tmp_path, nominations=noms)
    write_corrections(d / "更正.xlsx", [["应培人数", "U001", None, "应培人数", 120, "学员来电13712345678", "李主任"]])
    text = validation_report(load(d))
    assert "13912345678" not in text and "43010119850505123X" not in text and "13712345678" not in text
    assert ("nominations.csv row 3, column 主要事迹: holds a mobile number (*******5678) and an ID number "
            "(**************123X)") in text
    assert "更正.xlsx row 3, column 原因: holds a mobile number (*******5678)" in text
    assert "row 2" not in text.split("free text holding")[1]  # 张三's contact phone is meant to be one


def test_cli_validate_never_prints_the_numbers_of_a_corrections_reason(tmp_path, capsys):
    d = minimal_year(tmp_path)
    write_corrections(d / "更正.xlsx", [["应培人数", "U001", None, "应培人数", 120, "学员来电13712345678", "李主任"]])
    assert main(["validate", "--year", "2022", "--data-dir", str(d), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "13712345678" not in out and "reason: 学员来电*******5678" in out

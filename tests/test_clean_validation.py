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

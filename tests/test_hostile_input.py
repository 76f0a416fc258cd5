"""Hostile and broken input: every case ends in exit status 2 with a message naming
the file (and the row and column where there is one), or in a quarantined row with a
stated reason; never a traceback, never a silently different result. Text from a file
is never evaluated. The property-based tests feed arbitrary text and bytes to the
readers and value parsers (a small fixed budget)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import UNITS, load, minimal_year, write_table

from toolkit.clean.plausibility import MAX_AMOUNT_YUAN
from toolkit.clean.privacy import QUARANTINE_TEXT_MAX
from toolkit.clean.validation import validation_report
from toolkit.exceptions import RegistryError, ToolkitError, UnreadableFileError
from toolkit.ingest import contract
from toolkit.ingest import table as ingest
from toolkit.ingest.amounts import amount_fen, integer
from toolkit.ingest.dates import dates, datetimes
from toolkit.ingest.keys import coded
from toolkit.ingest.table import read_rows, read_table
from toolkit.ingest.text import identifier, is_blank, text

ROOT = Path(__file__).resolve().parents[1]
PAY_HEAD = ["order_id", "trainee_id", "unit", "amount", "paid_at"]
GOOD = ["P1", "007", "U001", "180", "2022-03-05 14:03"]


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def validate(d, capsys) -> tuple[int, str, str]:
    """``toolkit validate`` in this process: (exit status, stdout, stderr)."""
    from toolkit.cli import main

    code = main(["--quiet", "validate", "--year", "2022", "--data-dir", str(d), "--no-cache"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def validate_subprocess(d, tmp_path) -> subprocess.CompletedProcess:
    """``python -m toolkit validate`` as a user runs it."""
    env = {**os.environ, "TOOLKIT_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "--quiet", "validate", "--year", "2022", "--data-dir",
         str(d), "--no-cache"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )


def quarantined(yd, table: str) -> pd.DataFrame:
    return yd.quarantine[yd.quarantine["table"] == table].set_index("row")


def ledger(yd, table: str) -> dict:
    return next(e for e in yd.ledger if e["table"] == table)


# --- empty and header-only files ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_zero_byte_file_exits_2_naming_it(tmp_path, capsys, suffix):
    d = minimal_year(tmp_path / "d", skip=("staff_payments",))
    (d / f"缴费明细{suffix}").write_bytes(b"")
    code, _, err = validate(d, capsys)
    assert code == 2
    assert f"缴费明细{suffix}" in err and "empty" in err


def test_white_space_only_csv_exits_2(tmp_path, capsys):
    d = minimal_year(tmp_path / "d", skip=("staff_payments",))
    (d / "缴费明细.csv").write_bytes(b" \r\n\r\n  \n")
    code, _, err = validate(d, capsys)
    assert code == 2 and "缴费明细.csv" in err and "empty" in err


def test_header_only_tables_are_present_and_empty(tmp_path):
    """A required table with a header and no data row is usable and empty: the ledger
    shows 0 rows, the clean table is empty with its schema, and the evaluation sees
    no payments (its criteria fail or are unknown as it decides). Same for an
    optional table."""
    d = minimal_year(tmp_path, staff_payments=[PAY_HEAD])
    write_table(d / "投诉登记.xlsx", [["单位", "项目", "受理时间", "等级"]])
    yd = load(d)
    assert ledger(yd, "staff_payments") == {
        "table": "staff_payments", "file": "staff_payments.csv", "sheet": None, "rows_read": 0,
        "rows_used": 0, "excluded": {}, "quarantined": {}}
    assert len(yd.tables["staff_payments"]) == 0
    assert str(yd.tables["staff_payments"]["amount_fen"].dtype) == "int64"
    assert "complaints" in yd.tables and len(yd.tables["complaints"]) == 0
    assert "complaints" not in yd.missing_tables


def test_header_only_units_registry_exits_2(tmp_path, capsys):
    """Without a single unit every row of every table would be quarantined as an
    unknown unit: that is an unusable input, not a result."""
    d = minimal_year(tmp_path, units=[UNITS[0]])
    with pytest.raises(RegistryError) as e:
        load(d)
    assert "units.csv" in str(e.value) and "holds no unit" in str(e.value)
    code, _, err = validate(d, capsys)
    assert code == 2 and "holds no unit" in err


def test_units_registry_with_no_usable_row_exits_2(tmp_path):
    d = minimal_year(tmp_path, units=[UNITS[0], ["", "长沙开放大学", ""]])
    with pytest.raises(RegistryError) as e:
        load(d)
    assert "missing_value 1" in str(e.value)


# --- broken workbooks ----------------------------------------------------------------------------


def _real_workbook(path: Path, n: int = 300) -> Path:
    return write_table(path, [PAY_HEAD, *[[f"P{i}", f"{i:05d}", "U001", "180", "2022-03-05"]
                                          for i in range(n)]])


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.3, 0.5, 0.9, 0.999])
def test_truncated_workbook_exits_2(tmp_path, capsys, fraction):
    d = minimal_year(tmp_path / "d", skip=("staff_payments",))
    full = _real_workbook(tmp_path / "full.xlsx").read_bytes()
    cut = max(1, int(len(full) * fraction))
    (d / "缴费明细.xlsx").write_bytes(full[:cut])
    code, _, err = validate(d, capsys)
    assert code == 2
    assert "缴费明细.xlsx" in err and ("damaged" in err or "cannot be read" in err)
    assert "save it again" in err


def _cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE2 compound file (CFB version 3, 512-byte sectors) holding
    ``streams`` in the root storage. Every stream is padded to at least 4096 bytes so
    it lives in regular sectors (no mini stream needed)."""
    sector = 512
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = list(streams)
    data = {k: v.ljust(4096, b"\0") for k, v in streams.items()}
    n_dir = -(-(len(names) + 1) * 128 // sector)
    # sector 0: FAT; then the directory; then each stream in turn
    fat = [fat_sect]
    fat += [1 + i + 1 if i + 1 < n_dir else end for i in range(n_dir)]
    starts, body = {}, b""
    for name in names:
        n = -(-len(data[name]) // sector)
        first = len(fat)
        starts[name] = first
        fat += [first + i + 1 if i + 1 < n else end for i in range(n)]
        body += data[name].ljust(n * sector, b"\0")
    assert len(fat) <= sector // 4
    fat_bytes = struct.pack(f"<{sector // 4}I", *(fat + [free] * (sector // 4 - len(fat))))

    def entry(name, kind, start, size, left=nostream, right=nostream, child=nostream):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1, left, right, child)
                + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16
                + struct.pack("<IQ", start, size))

    # a valid red-black tree: the root's child is the first stream, the rest chained
    # to the right (CFB orders names by length, then case-insensitively)
    order = sorted(names, key=lambda n: (len(n), n.upper()))
    entries = [entry("Root Entry", 5, end, 0, child=1)]
    for i, name in enumerate(order):
        right = i + 2 if i + 1 < len(order) else nostream
        entries.append(entry(name, 2, starts[name], len(streams[name]), right=right))
    directory = b"".join(entries).ljust(n_dir * sector, b"\0")
    for i in range(len(entries), n_dir * sector // 128):  # unused entries
        off = i * 128
        directory = directory[:off + 68] + struct.pack("<3I", nostream, nostream, nostream) + \
            directory[off + 80:]
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    assert len(header) == sector
    return header + fat_bytes + directory + body


def _encrypted_xlsx() -> bytes:
    """What Excel writes for a workbook with a password to open (ECMA-376 agile
    encryption): an OLE2 file with EncryptionInfo (version 4.4 and its XML) and the
    EncryptedPackage (the size of the plain package, then cipher text)."""
    info = (struct.pack("<HHI", 4, 4, 0x40)
            + b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption '
              b'xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16"'
              b' blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining='
              b'"ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>')
    package = struct.pack("<Q", 8704) + bytes((i * 131 + 7) % 256 for i in range(8704))
    return _cfb({"EncryptionInfo": info, "EncryptedPackage": package})


def test_the_test_cfb_is_a_valid_compound_file(tmp_path):
    """calamine parses the compound file and only then misses the workbook stream: the
    container itself is well formed."""
    import python_calamine as pc

    p = tmp_path / "x.xls"
    p.write_bytes(_cfb({"Other": b"hello"}))
    with pytest.raises(pc.CalamineError) as e:
        pc.CalamineWorkbook.from_path(str(p))
    assert "Workbook" in str(e.value) or "stream" in str(e.value).lower()


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_password_protected_workbook(tmp_path, capsys, suffix):
    d = minimal_year(tmp_path / "d", skip=("staff_payments",))
    p = d / f"缴费明细{suffix}"
    p.write_bytes(_encrypted_xlsx())
    with pytest.raises(UnreadableFileError) as e:
        read_rows(p)
    assert e.value.message.startswith("the workbook is password-protected (encrypted)")
    assert "remove the password" in str(e.value)
    code, _, err = validate(d, capsys)
    assert code == 2 and f"缴费明细{suffix}" in err and "password-protected" in err


def test_xls_saved_under_xlsx_is_read_by_content(tmp_path):
    xls = write_table(tmp_path / "a.xls", [PAY_HEAD, GOOD])
    p = tmp_path / "缴费明细.xlsx"
    p.write_bytes(xls.read_bytes())
    raw = read_table(p, "staff_payments")
    assert raw.data["trainee_id"].tolist() == ["007"]


def test_first_sheet_empty_data_on_second(tmp_path, capsys):
    import openpyxl

    d = minimal_year(tmp_path / "d", skip=("staff_payments",))
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    ws = wb.create_sheet("明细")
    for r in (PAY_HEAD, GOOD):
        ws.append(r)
    wb.save(d / "缴费明细.xlsx")
    with pytest.raises(UnreadableFileError) as e:
        read_table(d / "缴费明细.xlsx", "staff_payments")
    msg = str(e.value)
    assert "缴费明细.xlsx" in msg and "'封面'" in msg and "'明细'" in msg
    assert "first sheet" in msg and "move the data to the first sheet" in msg
    code, _, err = validate(d, capsys)
    assert code == 2 and "'明细'" in err


def test_workbook_without_any_cell(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.create_sheet("Sheet2")
    wb.save(tmp_path / "p.xlsx")
    with pytest.raises(UnreadableFileError) as e:
        read_table(tmp_path / "p.xlsx", "staff_payments")
    assert "the workbook is empty" in str(e.value) and "p.xlsx" in str(e.value)


def test_sheet_protection_without_password_to_open_is_read(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    for r in (PAY_HEAD, GOOD):
        wb.active.append(r)
    wb.active.protection.sheet = True
    wb.active.protection.password = "secret"
    wb.save(tmp_path / "p.xlsx")
    assert read_table(tmp_path / "p.xlsx", "staff_payments").data["order_id"].tolist() == ["P1"]


def test_hidden_first_sheet_is_skipped(tmp_path):
    """The first sheet is the first tab the user sees: a hidden sheet before it (a
    template's lookup list, stale data) is not read silently in its place."""
    import openpyxl

    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "旧数据"
    for r in (PAY_HEAD, ["OLD", "999", "U001", "1", "2022-01-01"]):
        hidden.append(r)
    hidden.sheet_state = "hidden"
    ws = wb.create_sheet("明细")
    for r in (PAY_HEAD, GOOD):
        ws.append(r)
    wb.save(tmp_path / "p.xlsx")
    raw = read_table(tmp_path / "p.xlsx", "staff_payments")
    assert raw.sheet == "明细" and raw.data["order_id"].tolist() == ["P1"]


# --- encodings and control characters ------------------------------------------------------------

PAY_ROWS = [PAY_HEAD, ["P1", "007", "长沙开放大学", "180", "2022-03-05"]]


def _csv_text(rows, sep=",") -> str:
    return "\r\n".join(sep.join(r) for r in rows) + "\r\n"


@pytest.mark.parametrize("encoding, sep", [("utf-16", ","), ("utf-16", "\t"), ("utf-16-le", ","),
                                           ("utf-16-be", ",")])
def test_utf16_csv_is_read(tmp_path, encoding, sep):
    """UTF-16 with a byte-order mark, Excel's "Unicode text" (UTF-16, tab-separated)
    saved as .csv, and UTF-16 without a byte-order mark are all read correctly."""
    p = tmp_path / "p.csv"
    p.write_bytes(_csv_text(PAY_ROWS, sep).encode(encoding))
    raw = read_table(p, "staff_payments")
    assert raw.data.iloc[0].tolist() == PAY_ROWS[1]
    assert raw.encoding.startswith("utf-16")


def test_big5_reads_as_gb18030_and_is_quarantined_not_used(tmp_path):
    """Big5 (or Shift-JIS) bytes also decode as GB18030, so the encoding cannot be
    detected: the text comes out as the wrong characters. The unit names then match
    no unit and the rows are quarantined as unknown_unit: nothing is used silently."""
    d = minimal_year(tmp_path, skip=("staff_payments",))
    (d / "缴费明细.csv").write_bytes(_csv_text(
        [PAY_HEAD, ["P1", "007", "長沙開放大學", "180", "2022-03-05"]]).encode("big5"))
    yd = load(d)
    assert ledger(yd, "staff_payments")["quarantined"] == {"unknown_unit": 1}
    assert len(yd.tables["staff_payments"]) == 0


@pytest.mark.parametrize("late", [False, True])
def test_nul_byte_in_csv_exits_2_naming_line_and_field(tmp_path, capsys, late):
    d = minimal_year(tmp_path / "d", skip=("staff_payments",))
    body = [f"P{i},{i:05d},U001,180,2022-03-05" for i in range(400 if late else 1)]
    body.append("PX,00\x0007,U001,180,2022-03-05")
    (d / "缴费明细.csv").write_bytes(("\n".join([",".join(PAY_HEAD), *body]) + "\n").encode())
    line = len(body) + 1
    with pytest.raises(UnreadableFileError) as e:
        read_rows(d / "缴费明细.csv")
    assert e.value.row == line
    assert f"line {line}" in str(e.value) and "NUL" in str(e.value) and "field 2" in str(e.value)
    code, _, err = validate(d, capsys)
    assert code == 2 and "缴费明细.csv" in err and f"line {line}" in err


def test_carriage_returns_in_csv(tmp_path):
    """Old Mac line ends (CR only), and a bare CR in a cell, which the csv module
    writes unquoted: both are line breaks, as in Excel. (Found by the fuzzing below:
    the csv module's fallback once raised on them.)"""
    p = tmp_path / "p.csv"
    p.write_bytes(b"order_id,trainee_id,unit,amount,paid_at\rP1,007,U001,180,2022-03-05\r")
    assert read_table(p, "staff_payments").data["trainee_id"].tolist() == ["007"]
    p.write_bytes(b"order_id,trainee_id,unit,amount,paid_at\n,,,,\nP1,a\rb,\"x\r\ny\",\r,\n")
    d = read_table(p, "staff_payments").data
    assert d["order_id"].tolist() == ["P1", "b"] and d["trainee_id"].tolist() == ["a", "x\r\ny"]


def test_binary_file_named_csv_exits_2(tmp_path):
    p = tmp_path / "p.csv"
    p.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnreadableFileError) as e:
        read_rows(p)
    assert "not text" in str(e.value)


def test_undecodable_csv_names_the_line(tmp_path):
    p = tmp_path / "p.csv"
    p.write_bytes(b"order_id\nP1\nP2\n\x80\xff\xff\n")  # not UTF-8, not GB18030
    with pytest.raises(UnreadableFileError) as e:
        read_rows(p)
    assert "line 4" in str(e.value)


# --- formulas are text, never evaluated -------------------------------------------------------------


def test_unterminated_quote_stops_the_run_naming_its_line(tmp_path, capsys):
    """The run went on with the swallowed units lacking a target."""
    d = minimal_year(tmp_path / "d", skip=("targets",))
    lines = ["unit,target", "U001,100", '"U002,50', "U003,30", *[f"U00{i},1" for i in range(4, 10)]]
    (d / "targets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = validate(d, capsys)
    assert code == 2 and "targets.csv" in err and "line 3" in err


def test_formula_text_in_csv_stays_text(tmp_path):
    rows = [PAY_HEAD,
            ["P1", "=1+1", "U001", "180", "2022-03-05"],
            ["P2", "T2", "U001", "=100+80", "2022-03-05"],
            ["P3", "T3", '=HYPERLINK("http://example.com","U001")', "180", "2022-03-05"],
            ["=cmd|' /C calc'!A0", "T4", "U001", "180", "2022-03-05"]]
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    used = yd.tables["staff_payments"].set_index("order_id")["trainee_id"].to_dict()
    assert used == {"P1": "=1+1", "=cmd|' /C calc'!A0": "T4"}  # plain text ids
    qq = quarantined(yd, "staff_payments")
    assert (qq.loc[3, "reason"], qq.loc[3, "value"]) == ("bad_amount", "=100+80")
    assert qq.loc[4, "reason"] == "unknown_unit"
    assert qq.loc[4, "value"] == '=HYPERLINK("http://example.com","U001")'


def _with_cached_value(path: Path, formula: str, value: str) -> None:
    """Give openpyxl's formula cell the cached value Excel would have saved."""
    src = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                old = f"<f>{formula}</f><v></v>".encode()
                assert old in data
                data = data.replace(old, f"<f>{formula}</f><v>{value}</v>".encode())
            zout.writestr(item, data)
    path.write_bytes(out.getvalue())


def test_xlsx_formula_cells_give_the_saved_value(tmp_path):
    """A formula cell reads as the value Excel calculated and saved; the formula is
    never evaluated. Saved without a value (a program that does not calculate), the
    cell is empty, and a required column then gives missing_value."""
    d = minimal_year(tmp_path, skip=("staff_payments",))
    p = write_table(d / "缴费明细.xlsx", [PAY_HEAD, ["P1", "T1", "U001", "=100+80", "2022-03-05"],
                                          ["P2", "T2", "U001", "=SUM(1,2)", "2022-03-05"]])
    _with_cached_value(p, "100+80", "180")
    yd = load(d)
    assert yd.tables["staff_payments"]["amount_fen"].tolist() == [18000]
    qq = quarantined(yd, "staff_payments")
    assert qq.loc[3, "reason"] == "missing_value" and qq.loc[3, "column"] == "amount"


# --- absurd values ----------------------------------------------------------------------------------


def test_implausible_amounts_are_quarantined(tmp_path):
    rows = [PAY_HEAD,
            ["P1", "T1", "U001", "1000000000000", "2022-03-05"],  # 10^12 yuan
            ["P2", "T2", "U001", f"{MAX_AMOUNT_YUAN}", "2022-03-05"],  # the ceiling: used
            ["P3", "T3", "U001", f"{MAX_AMOUNT_YUAN}.01", "2022-03-05"],
            ["P4", "T4", "U001", "999999999999999万", "2022-03-05"],  # would overflow int64
            ["P5", "T5", "U001", "1e12", "2022-03-05"]]
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["P2"]
    qq = quarantined(yd, "staff_payments")
    assert set(qq["reason"]) == {"bad_amount"}
    assert qq.loc[2, "suggestion"].startswith("implausible") and qq.loc[4, "suggestion"].startswith(
        "implausible")
    assert "implausible" in validation_report(yd)


def test_wan_amount_never_overflows():
    out = amount_fen(pd.Series(["999999999999999万", "99999999999万", "9" * 16]))
    assert out.isna().tolist() == [True, False, True]
    assert out.iloc[1] == 99_999_999_999 * 1_000_000


def test_implausible_and_far_dates(tmp_path):
    rows = [PAY_HEAD,
            ["P1", "T1", "U001", "180", "1900-01-01"],  # bad_date: implausible
            ["P2", "T2", "U001", "180", "2099-12-31"],  # plausible, outside the period
            ["P3", "T3", "U001", "180", "9999-12-31"],  # beyond what a time can hold
            ["P4", "T4", "U001", "180", "0001-01-01 00:00"],
            ["P5", "T5", "U001", "180", "1899-12-30 00:00:00"]]  # an empty Excel date cell
    contracts = [["unit", "track", "signed_on"], ["U001", "staff", "1899-12-30"],
                 ["U002", "professional", "2022-02-01"]]
    yd = load(minimal_year(tmp_path, staff_payments=rows, contracts=contracts))
    e = ledger(yd, "staff_payments")
    assert e["excluded"] == {"out_of_period": 1} and e["quarantined"] == {"bad_date": 4}
    qq = quarantined(yd, "staff_payments")
    assert qq.loc[2, "suggestion"].startswith("implausible")
    assert quarantined(yd, "contracts").loc[2, "reason"] == "bad_date"
    assert yd.tables["contracts"]["unit_id"].tolist() == ["U002"]


def test_excel_zero_date_cell_is_quarantined(tmp_path):
    d = minimal_year(tmp_path, skip=("contracts",))
    write_table(d / "合作协议.xlsx", [["unit", "track", "signed_on"],
                                     ["U001", "staff", dt.datetime(1899, 12, 30)],
                                     ["U002", "专技", dt.datetime(2022, 2, 1)]])
    yd = load(d)
    assert ledger(yd, "contracts")["quarantined"] == {"bad_date": 1}


def test_out_of_range_dates_do_not_crash_the_parser():
    s = pd.Series(["9999-01-01", "0001-01-01", "2262-04-12", "1677-09-21", "1000-01-01 12:00"])
    assert datetimes(s).isna().all() and dates(s).isna().all()


def test_negative_and_absurd_targets(tmp_path):
    targets = [["unit", "target"], ["U001", "-5"], ["U002", "1e3"], ["U003", "12"]]
    yd = load(minimal_year(tmp_path, targets=targets))
    assert ledger(yd, "targets")["quarantined"] == {"bad_value": 2}
    assert yd.tables["targets"]["target"].tolist() == [12]


def test_digits_of_other_scripts_are_quarantined_not_zero(tmp_path):
    """A target written in Arabic-Indic or Thai digits was read as 0
    (criteria silently unknown), an amount as 0 (quarantined for the wrong reason)."""
    targets = [["unit", "target"], ["U001", "١٢٠٠"], ["U002", "๔٠٠"], ["U003", "１８０"]]
    rows = [PAY_HEAD, ["P7", "T7", "U001", "١٨٠", "2022-03-05"], GOOD]
    yd = load(minimal_year(tmp_path, targets=targets, staff_payments=rows))
    assert ledger(yd, "targets")["quarantined"] == {"bad_value": 2}
    assert quarantined(yd, "targets")["value"].tolist() == ["١٢٠٠", "๔٠٠"]
    assert yd.tables["targets"]["target"].tolist() == [180]
    assert ledger(yd, "staff_payments")["quarantined"] == {"bad_amount": 1}


def test_doubled_sign_amount_is_bad_amount(tmp_path):
    """--180 and -¥-180 were used as +180 yuan."""
    rows = [PAY_HEAD, ["P7", "T7", "U001", "--180", "2022-03-05"],
            ["P8", "T8", "U001", "-¥-180", "2022-03-05"], GOOD]
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    assert ledger(yd, "staff_payments")["quarantined"] == {"bad_amount": 2}
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["P1"]


def test_very_long_cells(tmp_path):
    long = "长" * 200_000  # over the csv module's default field limit (131,072)
    rows = [PAY_HEAD, ["P1", "T" * 100_000, "U001", "180", "2022-03-05"],
            ["P2", "T2", long, "180", "2022-03-05"]]
    d = minimal_year(tmp_path, staff_payments=rows)
    yd = load(d)
    assert yd.tables["staff_payments"]["trainee_id"].tolist() == ["T" * 100_000]  # data kept whole
    row = quarantined(yd, "staff_payments").loc[3]
    assert row["reason"] == "unknown_unit"
    assert len(row["value"]) < QUARANTINE_TEXT_MAX + 50 and "200,000 characters" in row["value"]
    assert len(json.loads(row["raw"])["unit"]) < QUARANTINE_TEXT_MAX + 50
    report = validation_report(yd)
    assert max(len(line) for line in report.splitlines()) < 400


def test_scientific_notation_ids_are_quarantined(tmp_path):
    """An id that Excel displayed as 4.30102E+17 and saved so has lost its digits:
    two different trainees may now share it. Quarantined, never joined."""
    rows = [PAY_HEAD, ["P1", "4.30102E+17", "U001", "180", "2022-03-05"],
            ["1.23E+11", "T2", "U001", "180", "2022-03-05"], ["P3", "2E3", *GOOD[2:]]]
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    qq = quarantined(yd, "staff_payments")
    assert qq["reason"].tolist() == ["bad_value", "bad_value"]
    assert "scientific notation" in qq.loc[2, "suggestion"]
    assert yd.tables["staff_payments"]["trainee_id"].tolist() == ["2E3"]


# --- the units registry through the command line -----------------------------------------------------


def test_registry_duplicate_id_via_cli(tmp_path):
    d = minimal_year(tmp_path / "d", units=[*UNITS, ["U001", "另一个单位", ""]])
    r = validate_subprocess(d, tmp_path)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "units.csv" in r.stderr and "'U001'" in r.stderr and "rows 2 and 5" in r.stderr


def test_registry_shared_name_via_cli(tmp_path):
    d = minimal_year(tmp_path / "d", units=[*UNITS, ["U004", "长沙开放大学", ""]])
    r = validate_subprocess(d, tmp_path)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "units.csv" in r.stderr and "'长沙开放大学'" in r.stderr
    assert "'U001' (row 2)" in r.stderr and "'U004' (row 5)" in r.stderr


# --- the reader boundary ------------------------------------------------------------------------------


class _Panic(BaseException):
    """Like pyo3's PanicException: a compiled reader's crash derives from BaseException."""


@pytest.mark.parametrize("exc", [RuntimeError("boom"), _Panic("index out of bounds"),
                                 KeyError("x"), UnicodeError("bad")])
def test_any_reader_failure_is_an_unreadable_file(tmp_path, monkeypatch, capsys, exc):
    d = minimal_year(tmp_path / "d")

    def broken(path, data=None):
        raise exc

    monkeypatch.setattr(ingest, "read_csv", broken)
    with pytest.raises(UnreadableFileError) as e:
        read_table(d / "units.csv", "units")
    assert e.value.file.endswith("units.csv") and e.value.__cause__ is exc
    assert type(exc).__name__ in str(e.value)
    code, _, err = validate(d, capsys)
    assert code == 2 and "units.csv" in err


def test_a_file_that_cannot_be_opened_exits_2(tmp_path, monkeypatch, capsys):
    """E.g. no read permission on a file copied from a share: the hash taken before
    reading must not escape as a traceback."""
    import builtins

    d = minimal_year(tmp_path / "d")
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file).endswith("targets.csv"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    code, _, err = validate(d, capsys)
    assert code == 2 and "targets.csv" in err and "Permission denied" in err


def test_interrupt_passes_the_reader_boundary(tmp_path, monkeypatch):
    d = minimal_year(tmp_path / "d")

    def interrupted(path, data=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "read_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        read_table(d / "units.csv", "units")


# --- identifiers survive every format -------------------------------------------------------------------

LONG_ID, ZERO_ID = "430102199001011234", "007"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".xls", ".parquet"])
def test_ids_as_text_survive_every_format(tmp_path, suffix):
    rows = [PAY_HEAD, ["0001", LONG_ID, "U001", "180", "2022-03-05"],
            ["P2", ZERO_ID, "U001", "180", "2022-03-05"]]
    raw = read_table(write_table(tmp_path / f"p{suffix}", rows), "staff_payments")
    assert raw.data["trainee_id"].tolist() == [LONG_ID, ZERO_ID]
    assert raw.data["order_id"].tolist() == ["0001", "P2"]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_numeric_id_cells_up_to_15_digits(tmp_path, suffix):
    """A number cell keeps every digit Excel can hold (15); leading zeros and longer
    ids only survive as text cells (data/README.md says so)."""
    rows = [PAY_HEAD, [123456789012345, 42, "U001", 180, "2022-03-05"]]
    raw = read_table(write_table(tmp_path / f"p{suffix}", rows), "staff_payments")
    assert raw.data[["order_id", "trainee_id"]].iloc[0].tolist() == ["123456789012345", "42"]


@pytest.mark.parametrize("suffix, fast", [(".xlsx", True), (".xlsx", False), (".xls", False)])
def test_numeric_id_cells_of_more_than_15_digits_are_quarantined(tmp_path, monkeypatch, suffix,
                                                                  fast):
    """The number 430405198805188638 in an id column read as
    430405198805188608 and was used. A number cell of more than 15 significant digits
    in an id column is quarantined (imprecise_number); the same digits as a text cell,
    and numbers of up to 15 digits, are read as they are."""
    from toolkit.ingest import workbook

    if not fast:
        monkeypatch.setattr(workbook, "read_xlsx_fast", lambda path, data=None: None)
    rows = [PAY_HEAD, ["P1", 430405198805188638, "U001", "180", "2022-03-05"],
            ["P2", "430405198805188638", "U001", "180", "2022-03-05"],
            ["P3", 123456789012345, "U001", "180", "2022-03-05"],
            [4304051988051886, "T4", "U001", "180", "2022-03-05"],
            ["P5", 430405198805188000, "U001", "180", "2022-03-05"]]
    d = minimal_year(tmp_path, skip=("staff_payments",))
    write_table(d / f"staff_payments{suffix}", rows)
    yd = load(d)
    qq = quarantined(yd, "staff_payments")
    assert qq["reason"].tolist() == ["imprecise_number"] * 3
    assert qq.index.tolist() == [2, 5, 6]
    assert qq.loc[2, "column"] == "trainee_id" and qq.loc[5, "column"] == "order_id"
    assert "as text" in qq.loc[2, "suggestion"]
    used = yd.tables["staff_payments"]
    assert used["trainee_id"].tolist() == ["430405198805188638", "123456789012345"]


def test_parquet_int64_ids_with_nulls_keep_every_digit(tmp_path):
    """An int64 column with a null must not pass through float64 (pandas' default),
    which rounds an 18-digit id to 430102199001011264."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "p.parquet"
    pq.write_table(pa.table({
        "order_id": pa.array([int(LONG_ID), None, 7], pa.int64()),
        "trainee_id": pa.array([LONG_ID, ZERO_ID, None], pa.string()),
        "unit": ["U001"] * 3, "amount": pa.array([180, 180, None], pa.int32()),
        "paid_at": ["2022-03-05"] * 3}), p)
    d = read_table(p, "staff_payments").data
    assert d["order_id"].tolist() == [LONG_ID, "", "7"]
    assert d["trainee_id"].tolist() == [LONG_ID, ZERO_ID, ""]
    assert d["amount"].tolist() == ["180", "180", ""]


def test_ids_join_across_formats(tmp_path):
    """The same 18-digit trainee id from CSV registrations and Parquet payments."""
    d = minimal_year(tmp_path, skip=("staff_payments",),
                     staff_registrations=[["trainee_id", "unit", "registered_at"],
                                          [LONG_ID, "U001", "2022-01-05"]])
    pd.DataFrame({"order_id": pd.array([int(LONG_ID)], dtype="Int64"),
                  "trainee_id": pd.array([int(LONG_ID)], dtype="int64"), "unit": ["U001"],
                  "amount": [180], "paid_at": ["2022-03-05"]}).to_parquet(d / "缴费明细.parquet")
    yd = load(d)
    assert yd.tables["staff_payments"]["trainee_id"].tolist() == \
        yd.tables["staff_registrations"]["trainee_id"].tolist() == [LONG_ID]
    assert yd.tables["staff_payments"]["order_id"].tolist() == [LONG_ID]


# --- property-based fuzzing (fixed small budget) --------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Interesting pieces mixed into arbitrary text: the forms the parsers look for.
_PIECES = st.sampled_from(["万", "元", "¥", "￥", ",", ".", "-", "+", "E+17", "年", "月", "日", "时",
                           "分", "秒", ":", "T", "Z", "+08:00", "=", '="', '"', "\x00", "\r", "\n",
                           "１８０", "2022", "9999", "0001", "99999", "44625.5", " ", "\t", "合计",
                           "（", "）", "\ufeff", "\u200b", "𠀀"])
CELL = st.one_of(st.text(max_size=30), st.lists(st.one_of(_PIECES, st.text(max_size=3)),
                                                 max_size=8).map("".join))


@FUZZ
@given(st.lists(CELL, max_size=20))
def test_fuzz_value_parsers_never_raise(values):
    s = pd.Series(values, dtype=object)
    for parser in (amount_fen, integer, datetimes, dates,
                   identifier, text, is_blank):
        out = parser(s)
        assert len(out) == len(s) and out.index.equals(s.index)
    for words in (contract.TRACK_WORDS, contract.STATUS_WORDS, contract.BOOL_WORDS):
        assert len(coded(s, words)) == len(s)
    fen = amount_fen(s).dropna()
    assert (fen.abs() < 2**63 // 10).all()  # no int64 wrap-around


@FUZZ
@given(st.binary(max_size=400), st.sampled_from([".csv", ".xlsx", ".xls", ".parquet"]))
def test_fuzz_arbitrary_bytes_as_a_file(tmp_path_factory, data, suffix):
    p = tmp_path_factory.mktemp("f") / f"缴费明细{suffix}"
    p.write_bytes(data)
    try:
        read_table(p, "staff_payments")
    except ToolkitError as e:
        assert "缴费明细" in str(e)


@FUZZ
@given(st.binary(max_size=300))
def test_fuzz_bytes_in_a_csv_after_a_good_header(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("f") / "p.csv"
    p.write_bytes(",".join(PAY_HEAD).encode() + b"\n" + data)
    try:
        raw = read_table(p, "staff_payments")
    except ToolkitError:
        return
    assert list(raw.data.columns[:5]) == PAY_HEAD


_XML_ILLEGAL = {chr(c) for c in range(32) if c not in (9, 10, 13)} | {"\ufffe", "\uffff"}


@settings(FUZZ, max_examples=25)  # a whole year per example: the slowest of these
@given(st.lists(st.lists(CELL, min_size=5, max_size=5), max_size=6),
       st.sampled_from([".csv", ".xlsx"]))
def test_fuzz_arbitrary_cells_through_load_year(tmp_path_factory, rows, suffix):
    """Arbitrary cells in a payments file: the year loads (or stops with the toolkit's
    own error), and the ledger balances."""
    if suffix == ".xlsx":  # cells an xlsx file cannot hold at all
        rows = [["".join(ch for ch in c if ch not in _XML_ILLEGAL and not 0xD800 <= ord(ch) < 0xE000)
                 for c in r] for r in rows]
    d = minimal_year(tmp_path_factory.mktemp("y"), skip=("staff_payments",))
    write_table(d / f"缴费明细{suffix}", [PAY_HEAD, *rows])
    try:
        yd = load(d)
    except ToolkitError as e:
        assert e.exit_code == 2 and "缴费明细" in str(e)
        return
    for e in yd.ledger:
        assert e["rows_read"] == e["rows_used"] + sum(e["excluded"].values()) + sum(
            e["quarantined"].values())
    validation_report(yd)

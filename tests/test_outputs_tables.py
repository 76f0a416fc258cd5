"""Exports: formula-safe cells in CSV and xlsx, the CSV BOM and headers, deterministic bytes."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from metrics_helpers import make_year, pay, refund  # noqa: E402
from outputs_helpers import code_words, small_year  # noqa: E402

from toolkit.evaluation.evaluate import evaluate  # noqa: E402
from toolkit.evaluation.tables import TABLES  # noqa: E402
from toolkit.outputs.tables import csv_bytes, formula_safe, write_outputs  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402
from toolkit.vocabulary import (  # noqa: E402
    CRITERION_OUTCOME_LABELS,
    FLAG_LABELS,
    NOMINATED_LABELS,
    OP_LABELS,
    OUTCOME_LABELS,
    REASON_LABELS,
    TABLE_LABELS,
    UNIT_LABELS,
)

NASTY = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture(scope="module")
def evaluation():
    units = ("U001", "U002", "U003", "U004", "U005", "U006")
    yd = make_year({
        "units": [{"unit_id": u, "unit_name": n, "aliases": []} for u, n in zip(units, NASTY, strict=True)],
        "staff_payments": [pay(f"O{i}", f"T{i}", u, yuan=123.45) for i, u in enumerate(units)],
        "staff_refunds": [refund("O0", 50, "U001")],
        "contracts": [{"unit_id": u, "track": "staff", "signed_on": "2021-01-01"} for u in units],
        "targets": [{"unit_id": u, "target": 2} for u in units],
        "nominations": [{"row": 2, "category": "staff.individual", "track": "staff", "kind": "individual",
                         "unit_id": "U001", "nominee": "=cmd|' /C calc'!A0", "deeds": "事迹",
                         "started_on": "2020-01-01", "contact_phone": "13912345678"}],
    }, units=units, ledger=[{"table": "staff_payments", "file": "=evil.csv", "sheet": None, "rows_read": 7,
                             "rows_used": 6, "excluded": {}, "quarantined": {"unknown_unit": 1}}])
    return evaluate(yd, load_rules(2022))


@pytest.fixture(scope="module")
def out(evaluation, tmp_path_factory):
    d = tmp_path_factory.mktemp("out")
    write_outputs(evaluation, d)
    return d


def test_files_written(out):
    assert (out / "evaluation.json").is_file() and (out / "results.xlsx").is_file()
    assert sorted(p.name for p in (out / "tables").iterdir()) == sorted(f"{t.file_stem}.csv" for t in TABLES.values())
    assert not [p for p in out.rglob("*.tmp")]
    assert (out / "evaluation.json").stat().st_mode & 0o044  # readable by others, not 0600


def test_json(out, evaluation):
    raw = (out / "evaluation.json").read_bytes()
    text = raw.decode("utf-8")
    assert "单位" in text or "事业单位" in text  # ensure_ascii=False
    assert text.startswith('{\n  "year": 2022,')  # indent 2
    d = json.loads(text)
    assert d["year"] == 2022 and d["rules"]["sha256"] == evaluation.rules_sha256
    u = next(c for c in d["collective"] if c["unit_id"] == "U001")
    assert u["metrics"]["income"] == 123.45 and isinstance(u["metrics"]["refund_rate"], float)
    assert "13912345678" not in text


def test_csv_bom_headers_and_formula_safety(out):
    raw = (out / "tables" / "collective.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header = text.split("\r\n")[0].split(",")
    assert header[:4] == ["培训项目", "奖项", "单位编码", "单位名称"]
    for bad in NASTY[:4]:
        assert "'" + bad.replace('"', '""') in text or "'" + bad in text
    assert "\n=" not in text and ",=" not in text and ",+" not in text and ",@" not in text
    ind = (out / "tables" / "individual.csv").read_bytes().decode("utf-8-sig")
    assert "'=cmd" in ind and "13912345678" not in ind


def test_csv_numbers_stay_numbers():
    data = csv_bytes(["a", "b", "c"], [[-1.5, -2, "-2"]]).decode("utf-8-sig")
    assert data.split("\r\n")[1] == "-1.5,-2,'-2"
    assert formula_safe(-3) == -3 and formula_safe("a=b") == "a=b"


def test_xlsx_cells_are_never_formulas(out):
    wb = openpyxl.load_workbook(out / "results.xlsx")
    # 拟表彰名单 first, then a sheet per result table, then a sheet per award
    parts = [t.sheet for t in TABLES.values()]
    assert wb.sheetnames[0] == "拟表彰名单（初审）" and wb.sheetnames[1:len(parts) + 1] == parts
    seen = set()
    for ws in wb.worksheets:
        # the header row frozen, and the unit's name where the sheet has one
        headers = [c.value for c in ws[1]]
        name = next((h for h in ("单位名称", "单位") if h in headers), None)
        col = headers.index(name) + 2 if name else 1
        assert ws.freeze_panes == f"{openpyxl.utils.get_column_letter(col)}2", ws.title
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                    assert c.data_type == "s" and c.quotePrefix, (ws.title, c.coordinate)
                    seen.add(c.value)
    assert {"=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0", "=evil.csv"} <= seen


def test_xlsx_dates_are_dates_and_shares_percentages(out):
    wb = openpyxl.load_workbook(out / "results.xlsx")
    ws = wb["先进个人"]
    headers = [c.value for c in ws[1]]
    started = [r[headers.index("从事培训工作起始日期")] for r in ws.iter_rows(min_row=2)]
    assert started and all(c.value is None or c.is_date for c in started)
    ws = wb["差距分析"]
    headers = [c.value for c in ws[1]]
    rel = [r[headers.index("相对差距")] for r in ws.iter_rows(min_row=2) if r[headers.index("相对差距")].value is not None]
    assert rel and all(c.number_format == "0.00%" for c in rel)
    first = wb.worksheets[0]
    assert first.title == "拟表彰名单（初审）" and [c.value for c in first[1]][:3] == ["奖项", "结论", "单位"]
    assert {r[1] for r in first.iter_rows(min_row=2, values_only=True)} <= {"符合条件", "需复核", "不符合条件",
                                                                          "申报未受理"}


def test_xlsx_numbers_and_formats(out):
    wb = openpyxl.load_workbook(out / "results.xlsx")
    ws = wb["先进集体"]
    headers = [c.value for c in ws[1]]
    income = headers.index("培训总收入（元）") + 1
    rate = headers.index("退费率") + 1
    cell = ws.cell(row=2, column=income)
    assert cell.data_type == "n" and cell.value == 123.45 and cell.number_format == "#,##0.00"
    assert ws.cell(row=2, column=rate).number_format == "0.00%"
    crit = wb["评选标准明细"]
    h = [c.value for c in crit[1]]
    unit_col, value_col = h.index("计量单位") + 1, h.index("实际值") + 1
    fractions = [r for r in range(2, crit.max_row + 1) if crit.cell(row=r, column=unit_col).value == "比例"]
    assert fractions and all(crit.cell(row=r, column=value_col).number_format == "0.00%" for r in fractions
                             if crit.cell(row=r, column=value_col).value is not None)


def test_deterministic_bytes(evaluation, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_outputs(evaluation, a)
    write_outputs(evaluation, b)
    for p in sorted(a.rglob("*")):
        if p.is_file():
            assert p.read_bytes() == (b / p.relative_to(a)).read_bytes(), p.name


def test_xlsx_doc_dates_fixed(out):
    wb = openpyxl.load_workbook(out / "results.xlsx")
    assert wb.properties.created.year == 1980 and wb.properties.modified.year == 1980


# --- one vocabulary: no English code in what a person reads -----------------------------

#: columns exempt from the check (none: the flags' messages name reasons and tables by label)
EVALUATION_PROSE: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("generated")
    _yd, _rules, ev = small_year(tmp)
    write_outputs(ev, tmp / "out")
    return ev, tmp / "out"


def test_no_english_code_in_the_csv_tables(generated):
    _ev, out = generated
    found = {}
    for p in sorted((out / "tables").glob("*.csv")):
        rows = list(csv.reader(io.StringIO(p.read_bytes().decode("utf-8-sig"))))
        for row in rows:
            for header, v in zip(rows[0], row, strict=True):
                if (p.stem, header) not in EVALUATION_PROSE and code_words(v):
                    found.setdefault((p.stem, header), set()).update(code_words(v))
    assert not found


def test_no_english_code_in_the_workbook(generated):
    _ev, out = generated
    sheets = {t.sheet: t.name for t in TABLES.values()}
    found = {}
    for ws in openpyxl.load_workbook(out / "results.xlsx").worksheets:
        rows = list(ws.iter_rows(values_only=True))
        for row in rows:
            for header, v in zip(rows[0], row, strict=True):
                if v is None or (sheets.get(ws.title), header) in EVALUATION_PROSE:
                    continue
                if code_words(v):
                    found.setdefault((ws.title, header), set()).update(code_words(v))
    assert not found


def _csv_rows(out, stem):
    rows = list(csv.DictReader(io.StringIO((out / "tables" / f"{stem}.csv").read_bytes().decode("utf-8-sig"))))
    assert rows, stem
    return rows


def test_labels_from_the_vocabulary_and_the_rules(generated):
    ev, out = generated
    collective = _csv_rows(out, "collective")
    assert {r["是否申报"] for r in collective} <= set(NOMINATED_LABELS.values())
    assert {r["评选结果"] for r in collective} <= set(OUTCOME_LABELS.values())
    assert {r["奖项"] for r in collective} <= set(ev.award_labels.values())
    criterion_labels = {lab for labels in ev.criterion_labels.values() for lab in labels.values()}
    listed = {lab for r in collective for lab in r["未达标项"].split("、") if lab}
    assert listed and listed <= criterion_labels
    crit = _csv_rows(out, "criteria")
    assert "标准编号" not in crit[0]  # criterion ids stay in evaluation.json
    assert {r["评选结果"] for r in crit} <= set(CRITERION_OUTCOME_LABELS.values())
    assert {r["比较方式"] for r in crit if r["比较方式"]} <= set(OP_LABELS.values())
    assert {r["计量单位"] for r in crit if r["计量单位"]} <= set(UNIT_LABELS.values())
    ledger = _csv_rows(out, "ledger")
    assert {r["数据表"] for r in ledger} <= set(TABLE_LABELS.values())
    reasons = {part.split("：")[0] for r in ledger for c in ("排除原因", "隔离原因") for part in r[c].split("；")
               if part}
    assert reasons and reasons <= set(REASON_LABELS.values())
    flags = _csv_rows(out, "flags")
    assert {r["提示类型"] for r in flags} <= set(FLAG_LABELS.values())
    # evaluation.json keeps the codes
    d = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert {c["outcome"] for c in d["collective"]} <= {"eligible", "needs_review", "not_eligible"}
    assert any(c["id"] for u in d["collective"] for c in u["criteria"])


def test_flags_table_quotes_no_refund_rate_where_the_award_has_no_refund_criterion(generated):
    _ev, out = generated
    rows = _csv_rows(out, "flags")
    late = [r for r in rows if r["提示类型"] == "截止日后退费"]
    assert late
    for r in late:
        assert ("若计入" in r["说明"]) == (r["培训项目"] == "事业单位工作人员培训"), r


def test_a_result_table_is_one_specification_for_the_csv_the_sheet_and_the_report(evaluation, out):
    from toolkit.outputs.report.frame import result_table

    wb = openpyxl.load_workbook(out / "results.xlsx")
    for spec in TABLES.values():
        sheet = [list(r) for r in wb[spec.sheet].iter_rows(values_only=True)]
        text = (out / "tables" / f"{spec.file_stem}.csv").read_bytes().decode("utf-8-sig")
        csv_rows = list(csv.reader(io.StringIO(text)))
        shown = result_table(evaluation, spec.name)
        assert sheet[0] == csv_rows[0] == list(shown.columns), spec.name
        assert len(sheet) - 1 == len(csv_rows) - 1 == len(shown) == len(evaluation.to_frame(spec.name))
    flags = result_table(evaluation, "flags")
    # the report writes the numbers as the sheet formats them: a rate as a percentage
    rate = flags[flags["提示类型"] == FLAG_LABELS["refund_rate_over_limit"]]
    assert not rate.empty and rate["数值"].str.endswith("%").all()

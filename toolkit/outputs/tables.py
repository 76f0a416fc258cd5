"""Write an evaluation for office use: ``evaluation.json``, ``tables/*.csv`` and
``results.xlsx``.

* ``evaluation.json``: UTF-8, ``ensure_ascii=False``, indented by 2, lists in the
  evaluation's sorted order, no run timestamps: the same evaluation gives the same bytes.
* ``tables/<part>.csv``: UTF-8 with BOM (Excel opens it as UTF-8), Chinese headers,
  CRLF line ends, deterministic bytes.

The tables and the workbook show no code: tracks, outcomes, flags, tables, reasons,
units and operators by their labels in :mod:`toolkit.vocabulary`, metrics by the
registry's (:mod:`toolkit.metrics.registry`), awards and criteria by the labels the
evaluation carries from the rules file. Criterion ids stay in ``evaluation.json``.
* ``results.xlsx``: a sheet per table, Chinese headers, ``0.00%`` and ``#,##0.00`` number
  formats, frozen header row, fixed document timestamps and zip entry times, so the
  bytes are deterministic too.

Formula safety: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written as ``'`` + text in CSV and as a string cell with the quote
prefix style in xlsx, never as a formula. Numbers stay numbers. Each file is written
beside its target and renamed into place.

No trainee name, ID or phone number reaches these files (the clean tables have none);
nominees' contact phone numbers are not exported either.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from toolkit.clean.ledger_table import reasons_text
from toolkit.metrics.registry import METRICS
from toolkit.outputs import files
from toolkit.outputs.files import atomic_write, fixed_ooxml, put_cell
from toolkit.outputs.report.shortlist import HEADERS as SHORTLIST_HEADERS
from toolkit.outputs.report.shortlist import shortlist_rows
from toolkit.vocabulary import (
    CRITERION_KIND_LABELS,
    CRITERION_OUTCOME_LABELS,
    FLAG_LABELS,
    LEDGER_HEADERS,
    NOMINATED_LABELS,
    OP_LABELS,
    OUTCOME_LABELS,
    TABLE_LABELS,
    TRACK_LABELS,
    UNIT_LABELS,
)

#: part -> (csv file stem, sheet name)
PARTS: dict[str, tuple[str, str]] = {
    "collective": ("collective", "先进集体"),
    "criteria": ("criteria", "评选标准明细"),
    "individual": ("individual", "先进个人"),
    "innovation": ("innovation", "创新创意奖"),
    "near_misses": ("near_misses", "差距分析"),
    "flags": ("flags", "提示"),
    "ledger": ("ledger", "数据台账"),
}

#: the column headers of the fields that are not metrics (a metric's header is its
#: registry header); ``<part>.<column>`` for a header of one part only
HEADERS: dict[str, str] = {
    "track": "培训项目", "award": "奖项", "unit_id": "单位编码", "unit_name": "单位名称",
    "nominated": "是否申报", "outcome": "评选结果", "failed": "未达标项", "unknown": "待核实项",
    "nominee": "推荐对象", "row": "推荐表行号", "label": "评选标准", "clause": "条款",
    "kind": "类型", "metric": "指标", "op": "比较方式", "bound": "标准值", "unit": "计量单位",
    "value": "实际值", "margin": "差额", "margin_unit": "差额单位", "wording": "通知原文",
    "explanation": "说明", "category": "推荐类别",
    "qualitative": "待评审事项",
    "table": "数据表", "count": "笔数/件数", "amount": "金额（元）", "message": "说明",
    "rank": "序号", "failed_count": "未达标项数", "closeness": "相对差距合计", "shortfall": "差额",
    "shortfall_unit": "差额单位", "relative_shortfall": "相对差距",
    **LEDGER_HEADERS,  # the ledger's: one list with a loaded year's view (clean.ledger_table)
    "flags.kind": "提示类型", "flags.value": "数值", "flags.bound": "标准",
}
#: columns of codes that stay in evaluation.json only (the tables show the labels beside them)
CODE_COLUMNS = {"id"}
#: the columns that list criterion ids, and the column of the award they belong to, per part
CRITERION_LIST_COLUMNS = ("failed", "unknown")
AWARD_COLUMN = {"collective": "award", "individual": "category", "innovation": "category"}
LIST_SEPARATOR = "、"

RATIO_COLUMNS = {m.name for m in METRICS.values() if m.unit == "fraction"}
MONEY_COLUMNS = {m.name for m in METRICS.values() if m.unit == "yuan"} | {"amount"}
PCT_FORMAT, MONEY_FORMAT, INT_FORMAT, FLOAT_FORMAT = "0.00%", "#,##0.00", "#,##0", "0.00"
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_ISO_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
SHORTLIST_SHEET = "拟表彰名单（初审）"  # the final list after the review is final/拟表彰名单.xlsx
#: the parts split into a sheet per award, and the column naming the award
AWARD_PARTS = {"collective": "award", "individual": "category", "innovation": "category"}
#: the number format of a flag's value and bound, by flag kind
FLAG_FORMATS = {"refund_rate_over_limit": PCT_FORMAT, "refund_rate_near_limit": PCT_FORMAT,
                "refunds_after_cutoff": MONEY_FORMAT, "over_refund": MONEY_FORMAT}
FIXED_TIME = dt.datetime(1980, 1, 1, 0, 0, 0)  # the zip epoch: docProps and entries, deterministic bytes


# --- values ----------------------------------------------------------------------------


def formula_safe(v):
    """A text value made safe for CSV: ``'`` before a leading = + - @ tab or CR."""
    return files.formula_safe(v) if isinstance(v, str) else v


def _clean(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, bool):
        return v
    if hasattr(v, "item") and not isinstance(v, str):
        return _clean(v.item())
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _label(labels: dict) -> Callable:
    return lambda v, rec: labels.get(v, v)


def _metric_label(v, rec):
    return METRICS[v].label if v in METRICS else v


def _translator(evaluation, part: str) -> dict[str, Callable]:
    """column -> (value, record) -> the value as a person reads it."""
    awards = _label(evaluation.award_labels)
    t: dict[str, Callable] = {
        "track": _label(TRACK_LABELS),
        "award": awards,
        "category": awards,
        "nominated": _label(NOMINATED_LABELS),
        "outcome": _label(CRITERION_OUTCOME_LABELS if part == "criteria" else OUTCOME_LABELS),
        "op": _label(OP_LABELS),
        "unit": _label(UNIT_LABELS),
        "metric": _metric_label,
        "kind": _label(FLAG_LABELS if part == "flags" else CRITERION_KIND_LABELS),
        "table": _label(TABLE_LABELS),
    }
    if part in AWARD_COLUMN:
        award_col = AWARD_COLUMN[part]

        def criteria(v, rec):
            labels = evaluation.criterion_labels.get(rec.get(award_col), {})
            ids = [i.strip() for i in str(v).split(",") if i.strip()]
            return LIST_SEPARATOR.join(labels.get(i, i) for i in ids)

        t.update(dict.fromkeys(CRITERION_LIST_COLUMNS, criteria))
    if part in ("individual", "innovation"):  # a column per criterion: its outcome
        ids = {i for labels in evaluation.criterion_labels.values() for i in labels}
        t.update(dict.fromkeys(ids, _label(CRITERION_OUTCOME_LABELS)))
    return t


def _header(part: str, col: str) -> str:
    if f"{part}.{col}" in HEADERS:
        return HEADERS[f"{part}.{col}"]
    if col in METRICS:
        return METRICS[col].header()
    return HEADERS.get(col, col)


def table_rows(evaluation, part: str) -> tuple[list[str], list[str], list[list]]:
    """(columns, Chinese headers, rows) of a part, every code shown by its label."""
    df = evaluation.to_frame(part)
    cols = [c for c in df.columns if c not in CODE_COLUMNS]
    tr = _translator(evaluation, part)
    # a late refund's "若计入，退费率为…" means nothing where the award has no refund criterion
    refund_tracks = {r.track for r in evaluation.collective for c in r.criteria if c.metric == "refund_rate"}
    rows = []
    for i, rec in enumerate(df.to_dict("records")):
        if part == "flags" and rec.get("kind") == "refunds_after_cutoff" and rec.get("track") not in refund_tracks:
            rec["message"] = str(rec.get("message") or "").split("；若计入")[0]
        if part == "ledger":  # the reasons by their labels, from the ledger itself
            entry = evaluation.ledger[i]
            rec["excluded_reasons"] = reasons_text(entry.get("excluded"))
            rec["quarantined_reasons"] = reasons_text(entry.get("quarantined"))
        row = []
        for c in cols:
            v = _clean(rec[c])
            if v is not None and v != "" and c in tr:
                v = tr[c](v, rec)
            if isinstance(v, bool):
                v = "是" if v else "否"
            row.append(v)
        rows.append(row)
    crit = _criterion_headers(evaluation, part)
    headers = [crit.get(c) or _header(part, c) for c in cols]
    return cols, headers, rows


def _criterion_headers(evaluation, part: str) -> dict[str, str]:
    """The header of each criterion column of a nominee part: the criterion's label in
    the rules (the labels joined by ／ where the part's awards label one id apart)."""
    if part not in ("individual", "innovation"):
        return {}
    awards = {n.category for n in getattr(evaluation, part)}
    labels: dict[str, list[str]] = {}
    for award in sorted(awards, key=list(evaluation.criterion_labels).index
                        if all(a in evaluation.criterion_labels for a in awards) else str):
        for cid, label in evaluation.criterion_labels.get(award, {}).items():
            labels.setdefault(cid, [])
            if label not in labels[cid]:
                labels[cid].append(label)
    return {cid: "／".join(ls) for cid, ls in labels.items()}


# --- writing ------------------------------------------------------------------------------


def _json_clean(v):
    if isinstance(v, dict):
        return {k: _json_clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_clean(x) for x in v]
    return _clean(v)


def evaluation_json(evaluation) -> bytes:
    d = _json_clean(evaluation.to_dict())
    return (json.dumps(d, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def csv_bytes(headers: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([formula_safe(h) for h in headers])
    for r in rows:
        w.writerow(["" if v is None else formula_safe(v) if isinstance(v, str) else _csv_number(v) for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_number(v):
    if isinstance(v, float):
        return int(v) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return v


def _cell_format(part: str, col: str, rec: dict) -> str | None:
    if col in RATIO_COLUMNS:
        return PCT_FORMAT
    if col in MONEY_COLUMNS:
        return MONEY_FORMAT
    unit = rec.get("unit")
    if col in ("value", "bound"):
        if part == "criteria" or part == "near_misses":
            if unit == "fraction":
                return PCT_FORMAT
            if unit == "yuan":
                return MONEY_FORMAT
        if part == "flags":
            return FLAG_FORMATS.get(rec.get("kind"))
    if col in ("margin", "shortfall"):
        return MONEY_FORMAT if unit == "yuan" else FLOAT_FORMAT if unit == "fraction" else None
    if col in ("relative_shortfall", "closeness"):
        return PCT_FORMAT
    return None


def excel_value(v):
    """An ISO date or date-time text as a real Excel date (with its number format)."""
    if isinstance(v, str) and len(v) in (10, 19, 25) and v[:4].isdigit():
        try:
            if _ISO_DATE.fullmatch(v):
                return dt.date.fromisoformat(v), DATE_FORMAT
            if _ISO_DATETIME.fullmatch(v[:19]) and (len(v) == 19 or v[19] in "+-"):
                return dt.datetime.fromisoformat(v[:19]), DATETIME_FORMAT
        except ValueError:
            return v, None
    return v, None


def _sheets(evaluation, parts, unaccepted):
    """(sheet name, columns, headers, rows, raw records) in the workbook's order: the
    shortlist, the parts, then a sheet per award."""
    rows = shortlist_rows(evaluation, unaccepted)
    cols = ["award", "outcome", "unit_name", "nominee", "nominated", "reason"]
    yield SHORTLIST_SHEET, cols, list(SHORTLIST_HEADERS), rows, [{} for _ in rows]
    for part in parts or PARTS:
        cols, headers, rows = table_rows(evaluation, part)
        yield PARTS[part][1], cols, headers, rows, evaluation.to_frame(part).to_dict("records")
    for key, label in evaluation.award_labels.items():
        part = evaluation.kind_of(key) or "individual"  # no kind known: no result, an empty sheet
        cols, headers, rows = table_rows(evaluation, part)
        raw = evaluation.to_frame(part).to_dict("records")
        keep = [i for i, rec in enumerate(raw) if rec.get(AWARD_PARTS[part]) == key]
        yield label[:31], cols, headers, [rows[i] for i in keep], [raw[i] for i in keep]


def xlsx_bytes(evaluation, parts=None, unaccepted=None) -> bytes:
    """The workbook: 拟表彰名单 first, a sheet per part, then a sheet per award; dates as
    Excel dates, shares as ``0.00%``, the header row and the unit's name frozen."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sheet, cols, headers, rows, raw in _sheets(evaluation, parts, unaccepted):
        part = next((p for p, (_stem, name) in PARTS.items() if name == sheet), "collective")
        ws = wb.create_sheet(sheet)
        for j, h in enumerate(headers, 1):
            c = ws.cell(row=1, column=j)
            _put(c, h, ILLEGAL_CHARACTERS_RE)
            c.font = bold
            c.alignment = Alignment(vertical="center", wrap_text=False)
        widths = [min(max(_width(h), 6), 60) for h in headers]
        for i, (row, rec) in enumerate(zip(rows, raw, strict=True), 2):
            for j, (col, v) in enumerate(zip(cols, row, strict=True), 1):
                if v is None:
                    continue
                c = ws.cell(row=i, column=j)
                v, date_format = excel_value(v)
                _put(c, v, ILLEGAL_CHARACTERS_RE)
                if date_format:
                    c.number_format = date_format
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    fmt = _cell_format(part, col, rec)
                    if fmt:
                        c.number_format = fmt
                widths[j - 1] = min(max(widths[j - 1], _width(str(v))), 60)
        # the header row and the unit's name stay in view
        name_col = cols.index("unit_name") + 2 if "unit_name" in cols else 1
        ws.freeze_panes = ws.cell(row=2, column=name_col).coordinate
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(rows) + 1}"
        for j, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(j)].width = w + 2
    wb.properties.creator = "toolkit"
    wb.properties.lastModifiedBy = "toolkit"
    wb.properties.title = f"{evaluation.year}年度培训工作评选结果"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_ooxml(buf.getvalue(), FIXED_TIME)


def _put(cell, v, illegal) -> None:
    """Write ``v`` into an openpyxl cell without characters XML cannot hold; text never
    becomes a formula."""
    put_cell(cell, illegal.sub("", v) if isinstance(v, str) else v)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def write_outputs(evaluation, out_dir: str | Path, unaccepted=None) -> list[Path]:
    """Write ``evaluation.json``, ``tables/*.csv`` and ``results.xlsx`` under ``out_dir``;
    return the paths written. ``unaccepted``: the nominations that could not be used
    (``report.context.unaccepted_nominations``), listed on the 拟表彰名单 sheet."""
    out = Path(out_dir)
    written = [atomic_write(out / "evaluation.json", evaluation_json(evaluation))]
    for part, (stem, _sheet) in PARTS.items():
        _cols, headers, rows = table_rows(evaluation, part)
        written.append(atomic_write(out / "tables" / f"{stem}.csv", csv_bytes(headers, rows)))
    written.append(atomic_write(out / "results.xlsx", xlsx_bytes(evaluation, unaccepted=unaccepted)))
    return written

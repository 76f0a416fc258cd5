"""Builders of small input folders and shared checks for the ingest tests
(test_ingest_*, test_clean, test_cache, test_hostile_input). Every test builds its
own data in tmp_path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from toolkit import paths
from toolkit.clean.period import Period
from toolkit.rules.load import load_rules

#: the 2022 period, and how nominations name the awards of rules/2022.yaml
PERIOD_2022 = Period(pd.Timestamp("2022-01-01 00:00:00"), pd.Timestamp("2022-12-31 23:59:59"),
                     awards=load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml").award_names())

PAYMENTS = [
    ["订单号", "学员编号", "单位", "金额", "支付时间", "备注"],
    ["0001", "00042", "长沙开放大学", "180", "2022-03-05 14:03", "x"],
    ["0002", "00043", "U001", "1,800", "2022/3/6", ""],
]

UNITS = [
    ["unit_id", "unit_name", "aliases"],
    ["U001", "长沙开放大学", "长沙电大;长沙分校"],
    ["U002", "株洲开放大学（分校）", ""],
    ["U003", "湘潭开放大学", "湘潭电大、湘潭广播电视大学"],
]


def write_table(path: Path, rows: list[list], *, encoding: str = "utf-8") -> Path:
    """Write rows (the first is usually the header) in the format of path's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(
            [["" if v is None else v for v in r] for r in rows])
        path.write_bytes(buf.getvalue().encode(encoding))
    elif suffix in (".xlsx", ".xlsm"):  # an .xlsm without macros is an .xlsx's content
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Sheet1"
        for r in rows:
            ws.append(list(r))
        wb.save(path)
    elif suffix == ".ods":
        write_ods(path, rows)
    elif suffix == ".et":  # WPS's .et: the binary .xls format (BIFF8) under its own suffix
        write_table(path.with_suffix(".xls"), rows).replace(path)
    elif suffix == ".xls":
        import xlwt

        wb = xlwt.Workbook()
        ws = wb.add_sheet("Sheet1")
        date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is None or v == "":
                    continue
                if hasattr(v, "year"):
                    ws.write(i, j, v, date_style)
                else:
                    ws.write(i, j, v)
        wb.save(str(path))
    elif suffix == ".parquet":
        header, *body = rows
        pd.DataFrame(body, columns=header).to_parquet(path, index=False)
    else:
        raise ValueError(suffix)
    return path


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def write_ods(path: Path, rows: list[list], sheet: str = "Sheet1") -> Path:
    """An OpenDocument spreadsheet (.ods) as LibreOffice writes one, reduced to what a
    reader needs: the stored ``mimetype`` first, the manifest and ``content.xml`` with
    one table (numbers as float cells, the rest as string cells)."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    def cell(v) -> str:
        if v is None or v == "":
            return "<table:table-cell/>"
        if isinstance(v, int | float) and not isinstance(v, bool):
            return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
               f"<office:body><office:spreadsheet><table:table table:name={quoteattr(sheet)}>{body}"
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIME}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", _ODS_MIME, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return Path(path)


# Transitional -> Strict Open XML: the namespaces and relationship types Excel writes
# when a workbook is saved as "Strict Open XML Spreadsheet"
_STRICT = (
    (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
     b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
    (b"http://schemas.openxmlformats.org/drawingml/2006/main",
     b"http://purl.oclc.org/ooxml/drawingml/main"),
)


def to_strict(path: Path) -> Path:
    """Rewrite an .xlsx (as openpyxl writes it) into Strict Open XML in place."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            for old, new in _STRICT:
                data = data.replace(old, new)
            z.writestr(info.filename, data)
    return Path(path)


def minimal_year(d: Path, *, skip: tuple[str, ...] = (), **override: list[list]) -> Path:
    """A folder with every required table (tiny but valid); ``override`` replaces a
    table's rows (file ``<table>.csv``), ``skip`` leaves tables out."""
    d = Path(d)
    d.mkdir(parents=True, exist_ok=True)
    tables = {
        "units": UNITS,
        "contracts": [["unit", "track", "signed_on"], ["U001", "事业单位", "2022-01-01"],
                      ["U002", "专技", "2022-02-01"]],
        "targets": [["unit", "target"], ["U001", "100"], ["U002", "50"]],
        "teams": [["unit", "track", "dedicated_staff"], ["U001", "staff", "2"]],
        "staff_registrations": [["trainee_id", "unit", "registered_at"], ["007", "U001", "2022-01-05"]],
        "staff_payments": [["order_id", "trainee_id", "unit", "amount", "paid_at"],
                           ["P1", "007", "U001", "180", "2022-03-05 14:03"]],
        "staff_refunds": [["order_id", "amount", "refunded_at"]],
        "professional_enrollments": [["order_id", "trainee_id", "unit", "amount", "paid_at"],
                                     ["E1", "T1", "U002", "100", "2022-06-01"]],
        "professional_refunds": [["order_id", "amount", "refunded_at"]],
    }
    tables.update(override)
    for name, rows in tables.items():
        if name in skip:
            continue
        write_table(d / f"{name}.csv", rows)
    return d


def load(d, **kw):
    """``load_year`` of 2022 with the calendar-year period and no cache, as the ingest
    tests use it."""
    from toolkit.clean.year import load_year

    kw.setdefault("period", PERIOD_2022)
    kw.setdefault("use_cache", False)
    return load_year(2022, d, **kw)


def check_payments(raw) -> None:
    """The RawTable of ``PAYMENTS`` (read from any format) holds its rows."""
    data = raw.data
    assert list(data.columns[:5]) == ["order_id", "trainee_id", "unit", "amount", "paid_at"]
    assert data["order_id"].tolist() == ["0001", "0002"]
    assert data["trainee_id"].tolist() == ["00042", "00043"]
    assert data["unit"].tolist() == ["长沙开放大学", "U001"]


def one(func, value):
    """A column parser applied to one value."""
    return func(pd.Series([value], dtype=object))[0]

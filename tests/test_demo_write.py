"""toolkit.demo.write: deterministic files, one per table, in each format; names, headers,
encodings, banners; a table too big for a sheet becomes a CSV."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from demo_helpers import YEAR, file_digests, read_csv, read_xlsx, sheet_cells, table_file

from toolkit.demo import write as demo_write
from toolkit.demo import write_demo_data
from toolkit.ingest import contract

pytestmark = pytest.mark.usefixtures("release_demo_reads")


def test_any_year_writes(tmp_path):
    out = write_demo_data(YEAR - 1, tmp_path, scale="small")
    assert f"{YEAR - 1}年缴费明细表" not in (out / "缴费明细.csv").read_bytes().decode("gb18030")  # CSV: no title
    title = sheet_cells(out / "专技报名明细.xlsx")[0][0]
    assert title.startswith(str(YEAR - 1))


@pytest.mark.parametrize("fmt", ["mixed", "csv", "xlsx"])
def test_deterministic_small(tmp_path, small, fmt):
    a = small[fmt]
    b = write_demo_data(YEAR, tmp_path / "b", scale="small", fmt=fmt)
    assert file_digests(a) == file_digests(b)
    suffixes = {p.suffix for p in a.iterdir()}
    assert suffixes == ({".csv"} if fmt == "csv" else {".xlsx"} if fmt == "xlsx" else {".csv", ".xlsx"})
    assert len(list(a.iterdir())) == len(contract.TABLES)


def test_other_seed_differs(tmp_path, small):
    b = write_demo_data(YEAR, tmp_path / "b", scale="small", seed=7)
    assert file_digests(small["mixed"])["缴费明细.csv"] != file_digests(b)["缴费明细.csv"]


def test_rewrite_in_other_format_leaves_one_file_per_table(tmp_path, small):
    shutil.copytree(small["mixed"], tmp_path, dirs_exist_ok=True)
    write_demo_data(YEAR, tmp_path, scale="small", fmt="xlsx")
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".xlsx"] * len(contract.TABLES)
    assert file_digests(tmp_path) == file_digests(small["xlsx"])


def test_table_too_big_for_a_sheet_is_written_as_csv(tmp_path, small, monkeypatch):
    # the province scale's registrations (about 1.3 M rows) cannot be a workbook: a
    # sheet holds 1,048,576 rows. Here the limit is lowered to hit the small scale.
    rows = pd.read_csv(small["csv"] / "注册明细.csv", dtype=str).shape[0]
    monkeypatch.setattr(demo_write, "XLSX_MAX_DATA_ROWS", rows - 1)
    out = write_demo_data(YEAR, tmp_path / "x", scale="small", fmt="xlsx")
    names = sorted(p.name for p in out.iterdir())
    assert "注册明细.csv" in names and "注册明细.xlsx" not in names
    assert sum(n.endswith(".xlsx") for n in names) == len(contract.TABLES) - 1
    raw = (out / "注册明细.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(out / "注册明细.csv", dtype=str, encoding="utf-8-sig").shape[0] == rows
    digest, ref = file_digests(out), file_digests(small["xlsx"])
    assert {k: v for k, v in digest.items() if k != "注册明细.csv"} == \
        {k: v for k, v in ref.items() if k != "注册明细.xlsx"}


def test_file_names_and_headers_follow_the_contract(demo):
    folder, _ = demo
    for name, table in contract.TABLES.items():
        p = table_file(folder, name)
        assert p.stem in table.file_names
        if p.suffix == ".csv":
            enc = "gb18030" if name in ("staff_payments", "rsvp") else "utf-8-sig"
            header = list(read_csv(p, enc).columns)
        else:
            header = [str(h) for h in read_xlsx(p).columns]
        for col in table.required_columns:
            c = table.column(col)
            accepted = {col, *c.aliases}
            assert accepted & set(header), (name, col, header)


def test_encodings(demo):
    folder, _ = demo
    raw = (folder / "缴费明细.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gbk")  # ¥ is a four-byte GB18030 code
    text = raw.decode("gb18030")
    assert "¥" in text and "￥" in text
    assert (folder / "注册明细.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    plain = (folder / "应培人数.csv").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf")
    plain.decode("utf-8")
    rsvp = (folder / "参会回执.csv").read_bytes().decode("gb18030")
    assert "𬌗" in rsvp
    assert rsvp.encode("gb18030").decode("gb18030") == rsvp


def test_small_workbooks_have_a_merged_banner(demo, small):
    from openpyxl import load_workbook

    folder, _ = demo
    for stem in ("办学单位", "合作协议", "培训团队", "投诉登记", "推荐申报"):
        ws = load_workbook(folder / f"{stem}.xlsx").worksheets[0]
        [banner] = ws.merged_cells.ranges
        assert (banner.min_row, banner.max_row, banner.min_col, banner.max_col) == (1, 1, 1, ws.max_column)
        assert "年" in ws["A1"].value
        assert ws["A1"].font.bold
    # the benchmark's workbooks: no merged cells
    ws = load_workbook(small["xlsx"] / "投诉登记.xlsx").worksheets[0]
    assert not ws.merged_cells.ranges


"""toolkit.demo.objections: the demo's 异议登记.xlsx names nominations the demo has, and
holds nothing back (one rejected with its approver, one anonymous), read by the same
reader as a school's register."""

from __future__ import annotations

import openpyxl
from demo_helpers import YEAR

from toolkit.demo.objections import write_objections
from toolkit.demo.small_tables import CATEGORY_WORDS
from toolkit.demo.units import build_units


def test_every_objection_names_a_demo_nomination_and_none_holds_the_list(frames, tmp_path):
    path = write_objections(YEAR, tmp_path)
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[2]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)]
    by_label = {v: k for k, v in CATEGORY_WORDS.items()}
    ids = {u.name: u.unit_id for u in build_units("demo")}
    noms = {(r.category, r.unit, r.nominee) for r in frames["nominations"].itertuples()}
    for r in rows:
        assert (by_label[r["奖项"]], ids[r["单位名称"]], r["推荐对象"]) in noms, r
    assert [(r["异议人"] is None, r["核查结论"], r["批准人"]) for r in rows] == [
        (False, "不成立", "省校培训学院"), (True, None, None)]

"""Typing the columns (toolkit.clean.columns)."""

from __future__ import annotations

from clean_helpers import q
from ingest_helpers import load, minimal_year, write_table


def test_rsvp(tmp_path):
    rows = [["单位", "姓名", "性别", "职务", "手机号码", "是否预留住宿", "回执时间"],
            ["U001", "王五", "男", "校长", "13912345678", "是", "2022-11-01 10:00"],
            ["U002", "赵六", "女", "", "", "", ""],
            ["U002", "钱七", "女", "", "", "也许", ""]]
    d = minimal_year(tmp_path)
    write_table(d / "参会回执.csv", rows, encoding="gb18030")
    yd = load(d)
    r = yd.tables["rsvp"]
    assert r["needs_room"].tolist() == [True, None]
    assert r["row"].tolist() == [2, 3]
    assert q(yd, "rsvp")["reason"].tolist() == ["bad_value"]

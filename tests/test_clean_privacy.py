"""Masks of personal numbers and private columns (toolkit.clean.privacy)."""

from __future__ import annotations

import json

from clean_helpers import q
from ingest_helpers import load, minimal_year

from toolkit.clean.privacy import mask_text


def test_privacy(tmp_path):
    regs = [["学员编号", "单位", "注册时间", "姓名", "身份证号", "手机号"],
            ["007", "U001", "2022-01-05", "张三", "430102199001011234", "13812345678"],
            ["008", "nowhere", "2022-01-05", "李四", "43010219900101123X", "13912345678"]]
    yd = load(minimal_year(tmp_path, staff_registrations=regs))
    assert list(yd.tables["staff_registrations"].columns) == ["trainee_id", "unit_id", "registered_at"]
    row = q(yd, "staff_registrations").iloc[0]
    raw = json.loads(row["raw"])
    assert raw["身份证号"] == "**************123X"
    assert raw["手机号"] == "*******5678"
    assert "43010219900101123X" not in yd.quarantine.to_string()


def test_mask_text():
    assert mask_text("tel 13812345678, id 430102199001011234") == \
        "tel *******5678, id **************1234"
    assert mask_text("P0001") == "P0001"

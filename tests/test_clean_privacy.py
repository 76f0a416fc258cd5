"""Masks of personal numbers and private columns (toolkit.clean.privacy)."""

from __future__ import annotations

import json

import pytest
from clean_helpers import q
from ingest_helpers import load, minimal_year

from toolkit.clean.privacy import mask_text, personal_numbers, shared_text


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


@pytest.mark.parametrize(("value", "expected"), [
    ("电话13812345678", "电话*******5678"),
    ({"reason": "身份证430102199001011234", "row": 3}, {"reason": "身份证**************1234", "row": 3}),
    (["张三 13812345678", None, 7], ["张三 *******5678", None, 7]),
    ("*******5678", "*******5678"),  # masked twice: unchanged
    (None, None), (12, 12), ("P0001", "P0001"),
])
def test_shared_text(value, expected):
    assert shared_text(value) == expected


@pytest.mark.parametrize(("text", "found"), [
    ("联系电话13812345678，身份证43010219900101123X", [("phone", "*******5678"), ("id_number", "**************123X")]),
    ("+86 13812345678", [("phone", "***********5678")]),
    ("事迹：培训 1200 人次，订单 O00001", []),
    ("", []), (None, []),
])
def test_personal_numbers(text, found):
    assert personal_numbers(text) == found

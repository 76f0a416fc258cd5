"""toolkit.demo.people: the personal data of the registrations."""

from __future__ import annotations

import pytest
from demo_helpers import read_csv

pytestmark = pytest.mark.usefixtures("release_demo_reads")


def test_registrations_hold_personal_data(demo):
    folder, _ = demo
    reg = read_csv(folder / "注册明细.csv", "utf-8-sig")
    ids = reg["身份证号"]
    assert ids.str.fullmatch(r"\d{17}[\dX]").all()
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for x in ids.head(200):
        assert "10X98765432"[sum(int(d) * k for d, k in zip(x[:17], w, strict=True)) % 11] == x[17]
    assert reg["手机号码"].str.fullmatch(r"1\d{10}").all()
    assert reg["姓名"].str.len().min() >= 2
    assert reg["学员ID"].str.startswith("0").all()


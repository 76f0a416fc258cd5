"""toolkit.demo.small_tables: contracts, targets, complaints, nominations and replies of
the scenarios."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from demo_helpers import YEAR, read_xlsx, staff_failures

from toolkit.demo import SCENARIOS
from toolkit.demo.small_tables import CATEGORY_WORDS
from toolkit.ingest import contract

pytestmark = pytest.mark.usefixtures("release_demo_reads")


def test_unsubstantiated_major_complaint_does_not_count(sm, frames):
    uid = SCENARIOS["staff_unsubstantiated_major"]
    c = frames["complaints"]
    assert ((c["unit"] == uid) & (c["severity"] == "major") & (c["substantiated"] == False)).any()  # noqa: E712
    assert sm.loc[uid, "major_complaints"] == 0


def test_staff_no_target_is_unknown_only(sm, frames):
    uid = SCENARIOS["staff_no_target"]
    assert uid not in set(frames["targets"]["unit"])
    row = sm.loc[uid]
    assert pd.isna(row["paid_to_target"]) and staff_failures(row) == set()


def test_staff_late_contract_only(sm, frames):
    uid = SCENARIOS["staff_late_contract"]
    assert staff_failures(sm.loc[uid]) == {"contract_months"}
    c = frames["contracts"]
    assert c[(c["unit"] == uid) & (c["track"] == "staff")]["signed_on"].iloc[0] == pd.Timestamp(YEAR, 8, 15)


def test_contract_boundary_passes(frames):
    c = frames["contracts"]
    uid = SCENARIOS["staff_contract_boundary"]
    assert c[(c["unit"] == uid) & (c["track"] == "staff")]["signed_on"].iloc[0] == pd.Timestamp(YEAR, 6, 30)


def test_complaints_nominations_rsvp(frames, demo):
    folder, _ = demo
    c = read_xlsx(folder / "投诉登记.xlsx")
    sev = set(c["投诉等级"])
    assert sev & set(contract.SEVERITY_WORDS["major"]) and sev & set(contract.SEVERITY_WORDS["minor"])
    assert "不属实" in set(c["是否属实"])
    st = set(c["处理状态"])
    assert st & set(contract.CLOSED_WORDS) and st - set(contract.CLOSED_WORDS)
    n = read_xlsx(folder / "推荐申报.xlsx")
    assert set(n["推荐类别"]) - {"事业单位工作人员培训先进单位"} == set(CATEGORY_WORDS.values())
    nonspace = n["主要事迹"].map(lambda s: len(re.sub(r"\s", "", s)))
    assert (nonspace > 700).sum() == 1 and (nonspace == 700).sum() == 1
    assert (n["主要事迹"].str.len() > nonspace).all()  # paragraphs: white space not counted
    assert n["名称"].astype(str).str.contains("䶮").any()
    r = frames["rsvp"]
    assert (r["submitted_at"] > pd.Timestamp(YEAR + 1, 3, 7, 23, 59, 59)).sum() == 1
    assert r["needs_room"].any() and not r["needs_room"].all()
    assert r["unit"].nunique() >= 5


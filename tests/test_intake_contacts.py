"""Splitting 联系人姓名、职务、手机号码: the usual ways of writing it, and the text kept
whole where it cannot be split."""

from __future__ import annotations

import pytest

from toolkit.intake.contacts import Contact, split_contact


@pytest.mark.parametrize("text,expected", [
    ("谭丽、培训部主任、13807310001", ("谭丽", "培训部主任", "13807310001")),
    ("谭丽，培训部主任，13807310001", ("谭丽", "培训部主任", "13807310001")),
    ("谭丽 培训部主任 13807310001", ("谭丽", "培训部主任", "13807310001")),
    ("谭丽\n培训部主任\n13807310001", ("谭丽", "培训部主任", "13807310001")),
    ("谭丽、培训部主任、手机：138-0731-0001", ("谭丽", "培训部主任", "138-0731-0001")),
    ("谭丽/培训专干/电话 0731-84561234", ("谭丽", "培训专干", "0731-84561234")),
    ("谭丽、１３８０７３１０００１", ("谭丽", "", "１３８０７３１０００１")),  # full-width digits as written
    ("13807310001", ("", "", "13807310001")),
    ("", ("", "", "")),
    # cannot be split: kept whole, exactly as written
    ("谭丽（培训部主任）", ("谭丽（培训部主任）", "", "")),
    ("谭丽、主任、13807310001、13807310002", ("谭丽、主任、13807310001、13807310002", "", "")),
    ("谭丽、13807310001（工作日）", ("谭丽、13807310001（工作日）", "", "")),
    ("谭丽 培训部 主任 13807310001", ("谭丽 培训部 主任 13807310001", "", "")),
])
def test_split_contact(text, expected):
    assert split_contact(text) == Contact(*expected)


def test_surrounding_space_only_is_dropped():
    assert split_contact("  谭 丽  ").name == "谭 丽"

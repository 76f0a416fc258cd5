"""How a nomination names its award (toolkit/ingest/categories.py): by the words the
year's rules give each award, compared as coded words; nothing else names one."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.ingest.categories import AwardName, category_codes, category_of

NAMES = (
    AwardName("a1", "staff", "collective", ("a1", "事业单位工作人员培训先进集体")),
    AwardName("b.2", "professional", "individual", ("b.2", "专技先进个人", "专业技术人员继续教育培训先进个人")),
)

CASES = [
    ("事业单位工作人员培训先进集体", "a1"),
    (" 事业单位工作人员培训 先进集体 ", "a1"),
    ("ａ１", "a1"),
    ("专技先进个人", "b.2"),
    ("B.2", "b.2"),
    ("staff.collective", None),  # the key of another year's file names nothing here
    ("事业单位工作人员培训先进单位", None),
    ("", None),
]


@pytest.mark.parametrize("cell,award", CASES)
def test_a_category_names_the_award_whose_words_it_is(cell, award):
    assert getattr(category_of(cell, NAMES), "award", None) == award
    assert category_codes(pd.Series([cell]), NAMES).tolist() == [award]


def test_without_awards_nothing_is_named():
    assert category_codes(pd.Series(["事业单位工作人员培训先进集体"]), ()).tolist() == [None]

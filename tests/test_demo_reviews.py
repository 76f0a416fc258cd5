"""The demo's review round (toolkit.demo.reviews): a roster and three returned copies on
the demo year's real screening, which the review reads back with one recusal, a tie,
a split decision and a nominee not reviewed."""

from __future__ import annotations

import pytest
from review_helpers import copy_year

from toolkit.analysis import open_year
from toolkit.demo.reviews import write_demo_review
from toolkit.evaluation.evaluate import evaluate
from toolkit.review.apply import apply_review
from toolkit.review.progress import agenda_rows
from toolkit.review.record import trails
from toolkit.review.roster import Units
from toolkit.rules.load import load_rules

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def round_(demo, tmp_path_factory):
    d = copy_year(demo[0], tmp_path_factory.mktemp("demo") / "2022")
    written = write_demo_review(2022, d)
    rules = load_rules(2022)
    yd = open_year(2022, d, rules=rules, use_cache=False)
    screening = evaluate(yd, rules)
    return written, screening, apply_review(screening, rules, d, Units.of_year(yd)), rules


def test_the_round_is_a_roster_and_three_copies(round_):
    written = round_[0]
    assert [p.name for p in written] == ["评审专家.xlsx", "周敏.xlsx", "陈立.xlsx", "刘洋.xlsx"]
    assert {p.parent.name for p in written[1:]} == {"评审意见"}


def test_the_round_reads_back_with_one_recusal_a_tie_and_a_split(round_):
    _, screening, done, rules = round_
    entries = [e for t in trails(done) for e in t.entries]
    recused = [e for e in entries if not e["counted"]]
    assert {(e["reviewer"], e["recusal"]) for e in recused} == {("周敏", "own_unit")}
    assert any(e["remark"] and "*******1111" in e["remark"] for e in entries)
    assert "13800001111" not in str(done.to_dict())
    _, rows = agenda_rows(done, rules.review)
    assert [r[0] for r in rows] == ["评审人数不足", "票数相同", "意见不一致"]
    # the screening is untouched: only the review's nominees moved
    assert [c.outcome for c in screening.collective] == [c.outcome for c in done.collective]

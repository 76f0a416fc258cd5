"""The governance tests' shared fixtures (tests/conftest.py registers them): the tiny
year screened under the 2022 rules with its review workbook written, once per session,
and the same year after the governance round (a roster, copies with a recusal) is
applied. Tests that change them work on copies."""

from __future__ import annotations

import pytest
from review_helpers import governance_round

from toolkit import paths
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.review.apply import apply_review
from toolkit.review.roster import Units
from toolkit.review.workbook import write_workbook
from toolkit.rules.load import load_rules

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"


@pytest.fixture(scope="session")
def governance_year(tiny_year, tmp_path_factory):
    """``(evaluation, rules, review workbook path, units)`` of the screened tiny year."""
    rules = load_rules(2022, RULES_2022)
    yd = open_year(2022, tiny_year, rules=rules, use_cache=False)
    ev = evaluate(yd, rules)
    wb = write_workbook(ev, rules, tmp_path_factory.mktemp("governance-out") / "评审表.xlsx")
    return ev, rules, wb, Units.of_year(yd)


@pytest.fixture(scope="session")
def governance_decided(governance_year, tmp_path_factory):
    """``(screening, decided)``: the year before and after the governance round."""
    ev, rules, wb, units = governance_year
    d = tmp_path_factory.mktemp("governance-data")
    governance_round(wb, d)
    return ev, apply_review(ev, rules, d, units)

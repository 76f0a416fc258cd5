"""toolkit.demo.professional: the professional scenarios' figures (plain pandas)."""

from __future__ import annotations

from demo_helpers import professional_failures

from toolkit.demo import SCENARIOS


def test_professional_scenarios(pm):
    assert professional_failures(pm.loc[SCENARIOS["professional_pass_a"]]) == set()
    assert professional_failures(pm.loc[SCENARIOS["professional_pass_b"]]) == set()
    assert professional_failures(pm.loc[SCENARIOS["professional_near_miss"]]) == {"income"}
    assert professional_failures(pm.loc[SCENARIOS["professional_complaint"]]) == {"complaints"}
    assert "agreement_signed" in professional_failures(pm.loc[SCENARIOS["professional_no_agreement"]])


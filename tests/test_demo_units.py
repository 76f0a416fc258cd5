"""toolkit.demo.units: the scenario units are units of the registry."""

from __future__ import annotations

from toolkit.demo import SCENARIOS, build_units


def test_scenario_ids_are_registered_units():
    ids = {u.unit_id for u in build_units("demo")}
    assert set(SCENARIOS.values()) <= ids
    assert any(i.startswith("0") for i in ids)  # id-as-text


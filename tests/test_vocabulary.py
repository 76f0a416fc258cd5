"""The one vocabulary (toolkit/vocabulary.py): every code the toolkit writes has exactly
one Chinese label there, and no two codes of a group share a label."""

from __future__ import annotations

import re

import pytest

from toolkit import vocabulary as v
from toolkit.clean.reasons import Exclusion, Quarantine
from toolkit.evaluation.flags import FLAG_KINDS
from toolkit.evaluation.results import OUTCOMES
from toolkit.ingest.contract import TABLES, TRACKS
from toolkit.metrics.registry import METRICS
from toolkit.rules.load import AWARD_KINDS, OPS, UNITS

CASES = [
    ("tracks", TRACKS), ("award_kinds", AWARD_KINDS), ("outcomes", OUTCOMES),
    ("criterion_outcomes", ("pass", "fail", "unknown")), ("criterion_kinds", ("threshold", "qualitative")),
    ("flags", FLAG_KINDS), ("reasons", (*Exclusion, *Quarantine)), ("tables", tuple(TABLES)),
    ("units", UNITS), ("operators", OPS),
]


@pytest.mark.parametrize("group,codes", CASES, ids=[c[0] for c in CASES])
def test_every_code_has_one_label(group, codes):
    labels = v.GROUPS[group]
    assert set(codes) <= set(labels), f"codes without a label in {group}: {sorted(set(codes) - set(labels))}"
    for code in codes:
        assert re.search(r"[\u4e00-\u9fff]", labels[code]), (group, code, labels[code])


@pytest.mark.parametrize("group", sorted(v.GROUPS))
def test_no_two_codes_share_a_label(group):
    labels = list(v.GROUPS[group].values())
    assert len(labels) == len(set(labels)), group


def test_every_metric_has_its_label_unit_and_definition():
    for m in METRICS.values():
        assert m.label and m.definition and m.unit, m.name
        assert m.unit in UNITS or m.unit == "date", m.name
        assert all(t in TABLES or t in ("{pay}", "{refund}") for t in m.tables), m.name
        assert re.search(r"[\u4e00-\u9fff]", m.unknown_when), m.name


def test_label_falls_back_to_the_code():
    assert v.label("outcomes", "eligible") == "符合条件"
    assert v.label("outcomes", "nope") == "nope"
    assert v.label("outcomes", "nope", "？") == "？"

"""The rule scenarios of tests/rules/*.yaml (see tests/rules/README.md): each is a unit's
or a nominee's figures and the outcome the notice gives per criterion, run through the
judging functions the evaluation uses."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
import yaml

from toolkit.evaluation.evaluate import judge_nominee, judge_unit
from toolkit.evaluation.results import outcome_of
from toolkit.ingest.contract import TABLES
from toolkit.metrics.registry import METRICS
from toolkit.rules.load import load_rules

SCENARIO_DIR = Path(__file__).parent / "rules"
FILES = sorted(SCENARIO_DIR.glob("*.yaml"))


def _scenarios():
    assert FILES, f"no scenario files in {SCENARIO_DIR}"
    out = []
    for f in FILES:
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        base = doc.get("base", {})
        for s in doc["scenarios"]:
            merged = {**base, **{k: v for k, v in s.items() if k not in ("unit", "nominee")}}
            merged["unit"] = {**base.get("unit", {}), **s.get("unit", {})}
            merged["nominee"] = {**base.get("nominee", {}), **s.get("nominee", {})}
            out.append(pytest.param(merged, id=f"{f.stem}: {s['name']}"))
    return out


def _date(v):
    return None if v is None else pd.Timestamp(v if isinstance(v, dt.date) else str(v))


def unit_row(track: str, figures: dict) -> dict:
    """A metrics row as ``unit_metrics`` gives it, from figures by metric name."""
    row = {"track": track, "unit_id": "U", "unit_name": "单位"}
    for name, value in figures.items():
        m = METRICS[name]
        if m.is_money:
            row[m.fen_column] = None if value is None else int(Fraction(str(value)) * 100)
        elif m.unit in ("months", "date"):
            row[name] = _date(value)
        else:
            row[name] = value
    for m in METRICS.values():  # ratios come from their parts, as in unit_metrics
        if m.is_ratio:
            row.pop(m.name, None)
    return row


@pytest.mark.parametrize("case", _scenarios())
def test_rule_scenario(case):
    rules = load_rules(case["year"])
    award = rules.awards[case["award"]]
    present = set(TABLES) - set(case.get("missing_tables", []))
    if award.kind == "collective":
        row = unit_row(award.track, case["unit"])
        crits = [judge_unit(rc, row, rules, present) for rc in award.criteria]
    else:
        n = case["nominee"]
        values = {"started_on": (_date(n.get("started_on")), "推荐表未填从事培训工作起始日期"),
                  "deeds_chars": (n.get("deeds_chars"), "推荐表未填主要事迹"),
                  "unit_contracts": (n.get("unit_contracts"), "推荐单位无法识别")}
        crits = [judge_nominee(rc, values, rules) for rc in award.criteria]
    got = {c.id: c.outcome for c in crits} | {"outcome": outcome_of(crits)}
    expected = case["expect"]
    unknown_ids = set(expected) - set(got)
    assert not unknown_ids, f"criteria not in {case['award']}: {sorted(unknown_ids)}"
    assert {k: got[k] for k in expected} == expected, {c.id: c.explanation for c in crits}
    for cid, words in (case.get("reason") or {}).items():
        c = next(c for c in crits if c.id == cid)
        # a ✗ or ? carries its short reason; a pass only its explanation
        text = c.reason if c.outcome != "pass" else c.explanation
        assert text and words in text, (c.outcome, c.reason, c.explanation)

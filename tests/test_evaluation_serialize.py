"""evaluation.json back into the result types: the rebuilt Evaluation writes the same
file, and its parts are the real classes."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from report_helpers import RULES_2022, write_tiny_year

from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate as run_evaluate
from toolkit.evaluation.flags import Flag
from toolkit.evaluation.results import Criterion, Evaluation, NearMiss, NomineeResult, UnitResult
from toolkit.evaluation.serialize import evaluation_from_dict, evaluation_from_json, flag_from_dict
from toolkit.outputs.tables import evaluation_json
from toolkit.rules.load import load_rules


@pytest.fixture(scope="module", params=["tiny", "small"])
def evaluated(request, tmp_path_factory):
    d = tmp_path_factory.mktemp(request.param) / "2022"
    if request.param == "tiny":
        write_tiny_year(d)
    else:
        from toolkit.demo import write_demo_data

        write_demo_data(2022, d, scale="small")
    rules = load_rules(2022, RULES_2022)
    return run_evaluate(open_year(2022, d, rules=rules, use_cache=False, progress=False), rules)


def test_the_rebuilt_evaluation_writes_the_same_file(evaluated, tmp_path):
    data = evaluation_json(evaluated)
    path = tmp_path / "evaluation.json"
    path.write_bytes(data)
    rebuilt = evaluation_from_json(path)
    assert evaluation_json(rebuilt) == data
    assert json.loads(evaluation_json(rebuilt)) == json.loads(data)


def test_the_rebuilt_parts_are_the_result_types(evaluated):
    ev = evaluation_from_dict(json.loads(evaluation_json(evaluated)))
    assert isinstance(ev, Evaluation) and ev.year == 2022
    assert ev.period_start == evaluated.period_start and ev.period_end == evaluated.period_end
    assert ev.as_of == evaluated.as_of and ev.rsvp_deadline == evaluated.rsvp_deadline
    assert ev.collective and all(isinstance(u, UnitResult) for u in ev.collective)
    assert all(isinstance(c, Criterion) for u in ev.collective for c in u.criteria)
    assert all(isinstance(n, NomineeResult) for n in ev.individual + ev.innovation)
    assert all(isinstance(f, Flag) for f in ev.flags) and ev.flags
    assert all(isinstance(m, NearMiss) for m in ev.near_misses)
    assert [u.outcome for u in ev.collective] == [u.outcome for u in evaluated.collective]
    assert ev.summary() == evaluated.summary()
    assert isinstance(ev.metrics, pd.DataFrame)
    assert list(zip(ev.metrics["track"], ev.metrics["unit_id"], strict=True)) == list(
        zip(evaluated.metrics["track"], evaluated.metrics["unit_id"], strict=True))
    for part in ("collective", "criteria", "flags", "near_misses", "ledger"):
        pd.testing.assert_frame_equal(ev.to_frame(part), evaluated.to_frame(part), check_dtype=False)


def test_the_review_trail_keeps_every_key_and_the_registers_hash_unmasked(evaluated):
    """evaluation.json's ``review``: the review files and corrections (i22) and the
    objections with the register read (i24); a SHA-256 holding a run of digits that
    looks like a mobile number is a hash, never masked."""
    sha = "a13912345678b" + "c" * 51
    review = {"files": [{"path": "评审意见/甲.xlsx", "sha256": "0" * 64}], "corrections": [],
              "objections": [{"number": "1", "grounds": "电话13912345678", "effect": "rejected"}],
              "objections_file": {"path": "异议登记.xlsx", "sha256": sha}}
    ev = dataclasses.replace(evaluated, review=review)
    shared = json.loads(evaluation_json(ev))["review"]
    assert set(shared) == {"files", "corrections", "objections", "objections_file"}
    assert shared["objections_file"] == {"path": "异议登记.xlsx", "sha256": sha}
    assert shared["objections"][0]["grounds"] == "电话*******5678"
    assert evaluation_from_dict(json.loads(evaluation_json(ev))).review == shared


def test_the_rebuilt_flags_and_margins_carry_the_same_numbers(evaluated):
    """What evaluation.json does not hold is rebuilt: a late refund's rate if counted and
    whether it breaches the bound, each flag's unit, each margin's unit code."""
    ev = evaluation_from_dict(json.loads(evaluation_json(evaluated)))
    for a, b in zip(evaluated.flags, ev.flags, strict=True):
        assert (a.kind, a.unit, a.breaches) == (b.kind, b.unit, b.breaches)
        assert (a.if_counted is None) == (b.if_counted is None), a
        if a.if_counted is not None:
            assert float(a.if_counted.rate) == float(b.if_counted.rate)
            assert (a.if_counted.op, a.if_counted.bound) == (b.if_counted.op, b.if_counted.bound)
    codes = [[c.margin_code for c in u.criteria] for u in evaluated.collective]
    assert codes == [[c.margin_code for c in u.criteria] for u in ev.collective]
    assert {"persons", "points", "yuan"} <= {c for row in codes for c in row}


@pytest.mark.parametrize("rate,breach", [(0.015, False), (0.0150001, True), (0.0149999, False)])
def test_a_late_refund_read_back_is_judged_against_its_units_refund_criterion(rate, breach):
    crit = Criterion(id="refund_rate", label="退费率", clause="", wording="", outcome="pass", explanation="",
                     metric="refund_rate", op="<=", bound=0.015, unit="fraction")
    d = {"kind": "refunds_after_cutoff", "track": "staff", "unit_id": "U1", "message": "任意措辞",
         "details": {"refund_rate_if_counted": rate}}
    f = flag_from_dict(d, {("staff", "U1"): crit})
    assert f.if_counted is not None and f.if_counted.breach is breach and f.breaches is breach
    assert flag_from_dict(d, {}).if_counted is None  # no refund criterion: no rate if counted
    assert f.to_dict() == flag_from_dict(d).to_dict()  # nothing of it reaches the file

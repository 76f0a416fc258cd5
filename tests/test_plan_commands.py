"""``toolkit plan``'s options (toolkit/plan/commands.py, plan.compute.check_range):
``--range`` and ``--steps`` out of bounds are exit 2 naming the option, before any
data is read."""

from __future__ import annotations

import pytest

from toolkit.cli import main

# (case, the options, the option the message names)
OUT_OF_BOUNDS = [
    ("inf", ["--range", "0.5:inf"], "--range"),
    ("an exponent", ["--range", "0.5:1e999999999"], "--range"),
    ("a thousand times the bound", ["--range", "0.5:1000"], "--range"),
    ("a million times the bound", ["--range", "0:1000000"], "--range"),
    ("a billion steps", ["--steps", "1000000000"], "--steps"),
]


@pytest.mark.parametrize("case,options,option", OUT_OF_BOUNDS, ids=[c[0] for c in OUT_OF_BOUNDS])
def test_an_option_out_of_bounds_exits_2_naming_it(tmp_path, capsys, case, options, option):
    cand = tmp_path / "candidate.yaml"
    cand.write_text("year: 2022\nextends: 2022\n", encoding="utf-8")
    code = main(["plan", "--year", "2022", "--rules", str(cand), "--data-dir", str(tmp_path / "none"), *options])
    err = capsys.readouterr().err
    assert code == 2 and option in err, err
    assert "Traceback" not in err


def test_the_plan_function_checks_its_range_too(tmp_path):
    from toolkit.exceptions import ParameterError
    from toolkit.plan.run import PlanSpec, compute

    with pytest.raises(ParameterError, match="--steps"):
        compute(PlanSpec(2022, tmp_path / "candidate.yaml", steps=10 ** 9))
    with pytest.raises(ParameterError, match="--range"):
        compute(PlanSpec(2022, tmp_path / "candidate.yaml", low=0, high=10 ** 6))

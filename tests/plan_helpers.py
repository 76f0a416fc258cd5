"""Shared by the planner's tests: a candidate rules file for the demo year that lowers one
bound and removes one criterion, and the demo year's plan computed once per module."""

from __future__ import annotations

from pathlib import Path

from demo_helpers import YEAR

CANDIDATE = f"""# a candidate for {YEAR}: 25000 paying trainees instead of 30000, no share of the target
year: {YEAR}
extends: {YEAR}
awards:
  staff.collective:
    criteria:
      - id: paid_trainees
        wording: 年度内参培人数（缴费人数）达到25000人
        bound: 25000
      - id: paid_to_target
        remove: true
"""
LOWERED, LOWERED_TO, REMOVED, AWARD = "paid_trainees", 25000, "paid_to_target", "staff.collective"


def write_candidate(folder: Path, name: str = "lower_target", text: str = CANDIDATE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{name}.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def outcome(outcomes) -> str:
    """An outcome from criterion outcomes, as docs/rules.md states it."""
    outcomes = list(outcomes)
    if "fail" in outcomes:
        return "not_eligible"
    if "unknown" in outcomes:
        return "needs_review"
    return "eligible"

"""The planner's figures: a year's data evaluated under its own rules and under a
candidate rules file, side by side (:func:`compute_plan` -> :class:`PlanResult`).
Where reviewers' files exist (``data/<year>/评审意见/``) they are applied under both
rules files (:func:`toolkit.review.apply.apply_review`), each with its own review policy.

Per award it lists the units and nominees whose outcome changes and why (the criteria
whose result changed, with the value and both bounds), and for each numeric threshold
criterion a sensitivity table: how many units (all the award evaluates, and the
nominated ones) pass it at each bound over a range around the current bound. Each
count judges the criterion with the evaluation's own comparison
(:func:`toolkit.evaluation.evaluate.judge_unit` / ``judge_nominee``, i.e.
``compare.judge_threshold`` and ``judge_period``) on the evaluation's exact figures,
with only the bound replaced.

The bounds tried: ``steps`` bounds from ``low`` to ``high`` times the current bound
(default 50 % to 150 % in 11 steps), rounded for the unit: persons, person-times,
counts, characters and months to whole numbers, yuan to whole hundreds, fractions to
0.1 percentage point (at most 100 %); the current and the candidate bound are always
among them. A bound of 0 is swept upwards from 0 by one step of the unit (1, 100 元,
0.1 %). ``==`` criteria (absence conditions: no complaint) are not swept.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction

from toolkit.evaluation.evaluate import evaluate, judge_nominee, judge_unit
from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.review.apply import apply_review
from toolkit.rules.diff import diff_rules

#: the step a bound is rounded to, per unit
STEP = {"persons": Fraction(1), "person_times": Fraction(1), "count": Fraction(1), "characters": Fraction(1),
        "months": Fraction(1), "yuan": Fraction(100), "fraction": Fraction(1, 1000)}
LOW, HIGH, STEPS = Fraction(1, 2), Fraction(3, 2), 11
#: the widest range (times the current bound) and the most bounds a plan tries: beyond
#: them a sweep is no plan (a million times a period in months is a date that does not exist)
MAX_HIGH, MAX_STEPS = Fraction(10), 201


def check_range(low, high, steps) -> tuple[Fraction, Fraction, int]:
    """``low``, ``high`` and ``steps`` as the plan takes them; a :class:`ParameterError`
    naming ``--range`` or ``--steps`` when they are out of bounds."""
    low, high = Fraction(low), Fraction(high)
    if not 0 <= low < high <= MAX_HIGH:
        raise ParameterError(_("--range: LOW:HIGH must have 0 <= LOW < HIGH <= {MAX_HIGH}; got {value:g}:{value2:g}").format(MAX_HIGH=MAX_HIGH, value=float(low), value2=float(high)), expected="e.g. 0.5:1.5")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 2 <= steps <= MAX_STEPS:
        raise ParameterError(_("--steps must be a whole number from 2 to {MAX_STEPS}, got {steps!r}").format(MAX_STEPS=MAX_STEPS, steps=steps))
    return low, high, steps


@dataclass
class PlanResult:
    """The plan, JSON-ready (``to_dict`` / ``from_dict``: ``plan.json``)."""

    year: int
    name: str  # the candidate's file stem
    current: dict  # {"path", "sha256"}
    candidate: dict
    rule_changes: list[dict]
    awards: list[dict]  # {key, label, kind, track, summary: {current, candidate}, changes, sensitivity}
    range: dict = field(default_factory=dict)  # {"low", "high", "steps"}
    review_files: list = field(default_factory=list)  # the reviewers' files applied under both rules

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> PlanResult:
        return cls(**{f.name: d[f.name] for f in dataclasses.fields(cls) if f.name in d})

    def changed(self, award: str) -> list[dict]:
        """The units and nominees of ``award`` whose outcome changes."""
        return next((a["changes"] for a in self.awards if a["key"] == award), [])


def _num(v):
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    return v


def _round(x: Fraction, step: Fraction) -> Fraction:
    n = x / step
    r = (n.numerator * 2 + n.denominator) // (2 * n.denominator)  # half up
    return r * step


def bound_grid(bound, unit: str, *, low=LOW, high=HIGH, steps: int = STEPS, extra=()) -> list:
    """The bounds tried around ``bound`` (exact numbers), sorted, with ``extra`` added."""
    step = STEP.get(unit, Fraction(1))
    ref = Fraction(bound)
    steps = max(int(steps), 2)
    low, high = Fraction(low), Fraction(high)
    if ref == 0:
        values = {step * i for i in range(steps)}
    else:
        values = {_round(ref * (low + (high - low) * i / (steps - 1)), step) for i in range(steps)}
    values |= {Fraction(e) for e in extra if e is not None}
    if unit == "fraction":
        values = {min(v, Fraction(1)) for v in values}
    values = {max(v, Fraction(0)) for v in values}
    return [int(v) if v.denominator == 1 else v for v in sorted(values)]


# --- outcome changes -------------------------------------------------------------------


def _entities(evaluation, award) -> dict:
    """Key -> result of the units or nominees of ``award`` in ``evaluation``."""
    if award.kind == "collective":
        return {u.unit_id: u for u in evaluation.collective if u.award == award.key}
    return {(n.row, n.nominee, n.unit_id): n for n in evaluation.individual + evaluation.innovation
            if n.category == award.key}


def _crit(c) -> dict | None:
    if c is None:
        return None
    return {"outcome": c.outcome, "value": c.value, "op": c.op, "bound": c.bound, "unit": c.unit,
            "explanation": c.explanation, "reason": c.reason}


def _why(x, y) -> list[dict]:
    """The criteria whose result differs between two results of one unit or nominee: a
    changed result, a removed criterion that did not pass, an added one that does not."""
    xc = {c.id: c for c in x.criteria} if x is not None else {}
    yc = {c.id: c for c in y.criteria} if y is not None else {}
    out = []
    for cid in list(xc) + [i for i in yc if i not in xc]:
        a, b = xc.get(cid), yc.get(cid)
        oa, ob = getattr(a, "outcome", None), getattr(b, "outcome", None)
        if oa == ob or (a is None and ob == "pass") or (b is None and oa == "pass"):
            continue
        c = b or a
        out.append({"id": cid, "label": c.label, "clause": c.clause, "metric": c.metric, "unit": c.unit,
                    "current": _crit(a), "candidate": _crit(b)})
    return out


def outcome_changes(current, candidate, award_cur, award_cand) -> list[dict]:
    """The units or nominees of one award whose outcome differs between the two
    evaluations (an award in one rules file only: every entity, outcome None in the other)."""
    x = _entities(current, award_cur) if award_cur is not None else {}
    y = _entities(candidate, award_cand) if award_cand is not None else {}
    out = []
    for key in list(x) + [k for k in y if k not in x]:
        a, b = x.get(key), y.get(key)
        oa, ob = getattr(a, "outcome", None), getattr(b, "outcome", None)
        if oa == ob:
            continue
        r = b or a
        collective = hasattr(r, "award")
        out.append({
            "unit_id": r.unit_id, "unit_name": r.unit_name,
            "nominee": r.nominee, "row": None if collective else r.row,
            "nominated": bool(r.nominated) if collective else True,
            "current": oa, "candidate": ob, "criteria": _why(a, b),
        })
    return out


# --- sensitivity -----------------------------------------------------------------------


def _collective_counts(rc, bounds, evaluation, rules, present, award) -> list[dict]:
    nominated = {u.unit_id for u in evaluation.collective if u.award == award.key and u.nominated}
    rows = [r for r in evaluation.metrics.to_dict("records") if r["track"] == award.track]
    out = []
    for b in bounds:
        probe = dataclasses.replace(rc, bound=b)
        passed = [r["unit_id"] for r in rows if judge_unit(probe, r, rules, present).outcome == "pass"]
        out.append({"bound": _num(b), "pass_all": len(passed),
                    "pass_nominated": sum(1 for u in passed if u in nominated)})
    return out


def nominee_values(n) -> dict:
    """A nominee's metric values as its evaluated criteria hold them: metric -> (value, why unknown)."""
    return {c.metric: (c.value, c.reason if c.value is None else None) for c in n.criteria if c.metric}


def _nominee_counts(rc, bounds, evaluation, rules, award) -> list[dict]:
    noms = [n for n in evaluation.individual + evaluation.innovation if n.category == award.key]
    values = [nominee_values(n) for n in noms]
    out = []
    for b in bounds:
        probe = dataclasses.replace(rc, bound=b)
        passed = sum(1 for v in values if judge_nominee(probe, v, rules).outcome == "pass")
        out.append({"bound": _num(b), "pass_all": passed, "pass_nominated": passed})
    return out


def sensitivity(award_cur, award_cand, sides: dict, *, low=LOW, high=HIGH, steps: int = STEPS) -> list[dict]:
    """One table per numeric threshold criterion of the award (in either rules file).
    ``sides``: {"current"|"candidate": (evaluation, rules, present tables)}. The criterion
    is judged as the candidate states it (as the current rules do, when the candidate
    removed it)."""
    cur = {c.id: c for c in award_cur.criteria} if award_cur else {}
    cand = {c.id: c for c in award_cand.criteria} if award_cand else {}
    out = []
    for cid in list(cur) + [i for i in cand if i not in cur]:
        a, b = cur.get(cid), cand.get(cid)
        rc = b or a
        if rc.qualitative or rc.op == "==" or (a is not None and a.qualitative):
            continue
        side, award = ("candidate", award_cand) if b is not None else ("current", award_cur)
        evaluation, rules, present = sides[side]
        ref = a.bound if a is not None else b.bound
        bounds = bound_grid(ref, rc.unit, low=low, high=high, steps=steps,
                            extra=(getattr(a, "bound", None), getattr(b, "bound", None)))
        if award.kind == "collective":
            counts = _collective_counts(rc, bounds, evaluation, rules, present, award)
            population = "units"
        else:
            counts = _nominee_counts(rc, bounds, evaluation, rules, award)
            population = "nominees"
        out.append({"id": cid, "label": rc.label, "clause": rc.clause, "metric": rc.metric, "unit": rc.unit,
                    "op": rc.op, "current_bound": _num(getattr(a, "bound", None)),
                    "candidate_bound": _num(getattr(b, "bound", None)), "judged_as": side,
                    "population": population, "rows": counts})
    return out


# --- the plan --------------------------------------------------------------------------


def compute_plan(year_data, current, candidate, *, name: str, low=LOW, high=HIGH, steps: int = STEPS) -> PlanResult:
    """The plan of ``year_data`` under the ``current`` and ``candidate`` rules; the
    year's review files (``评审意见/``), when there are any, decide the qualitative
    criteria under each rules file's own review policy, so a changed ``review:``
    (``min_reviewers``, ``decision``) shows its effect."""
    ev_cur, ev_cand = (_reviewed(year_data, r) for r in (current, candidate))
    present = set(year_data.tables)
    sides = {"current": (ev_cur, current, present), "candidate": (ev_cand, candidate, present)}
    s_cur, s_cand = ev_cur.summary(), ev_cand.summary()
    awards = []
    for key in list(current.awards) + [k for k in candidate.awards if k not in current.awards]:
        a, b = current.awards.get(key), candidate.awards.get(key)
        aw = b or a
        awards.append({
            "key": key, "label": aw.label, "kind": aw.kind, "track": aw.track,
            "in_current": a is not None, "in_candidate": b is not None,
            "summary": {"current": s_cur.get(key), "candidate": s_cand.get(key)},
            "changes": outcome_changes(ev_cur, ev_cand, a, b),
            "sensitivity": sensitivity(a, b, sides, low=low, high=high, steps=steps),
        })
    changes = [dataclasses.asdict(c) for c in diff_rules(current, candidate)]
    return PlanResult(
        year=current.year, name=name,
        current={"path": ev_cur.rules_path, "sha256": current.sha256},
        candidate={"path": ev_cand.rules_path, "sha256": candidate.sha256},
        rule_changes=changes, awards=awards,
        range={"low": float(low), "high": float(high), "steps": int(steps)},
        review_files=[f["path"] for f in (ev_cur.review or {}).get("files") or []],
    )


def _reviewed(year_data, rules):
    """The year evaluated under ``rules``, with the reviewers' decisions applied."""
    ev = evaluate(year_data, rules)
    data_dir = getattr(year_data, "data_dir", None)
    return apply_review(ev, rules, data_dir) if data_dir is not None else ev

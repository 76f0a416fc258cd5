"""The reviewers' decisions applied to an evaluation: each qualitative criterion is
decided by the rules' review policy (``review.decision`` majority or all,
``review.min_reviewers``; until enough reviewers have decided, or on a tie, it stays
unknown), carries ``"source": "review"`` and its ``decisions`` (reviewer, decision,
file, sheet, row) in ``evaluation.json``, and its explanation says how it was decided;
the outcome is recomputed (:func:`~toolkit.evaluation.results.outcome_of`), and so are
the near misses. ``evaluation.review["files"]`` lists every review file read."""

from __future__ import annotations

import copy
import dataclasses
import logging
from pathlib import Path

from toolkit.evaluation.near_misses import near_misses
from toolkit.evaluation.results import Criterion, outcome_of
from toolkit.ingest.find import REVIEW_FOLDER, review_folder
from toolkit.review.decisions import Decision, ReviewRead, read_decisions
from toolkit.review.record import record_entry
from toolkit.review.roster import Units, check_reviewers, load_roster
from toolkit.review.sheet import keyed_results
from toolkit.vocabulary import CRITERION_OUTCOME_LABELS, RECUSAL_LABELS, REVIEW_POLICY_LABELS

PASS, FAIL = CRITERION_OUTCOME_LABELS["pass"], CRITERION_OUTCOME_LABELS["fail"]
log = logging.getLogger(__name__)


def results_by_key(evaluation) -> dict[str, object]:
    """Every collective and nominee result of the evaluation by its 编号."""
    return keyed_results(evaluation)


def combine(decisions: list[str], policy) -> tuple[str, str, str | None]:
    """(outcome, explanation, reason) of a criterion from its reviewers' decisions
    (``pass``/``fail``, one per reviewer) under ``policy`` (a ReviewPolicy)."""
    n, yes = len(decisions), decisions.count("pass")
    no = n - yes
    rule = REVIEW_POLICY_LABELS[policy.decision]
    if n < policy.min_reviewers:
        return ("unknown", f"评审：已有 {n} 人给出结论，至少需 {policy.min_reviewers} 人（{rule}）",
                f"评审人数不足（{n}/{policy.min_reviewers}）")
    if policy.decision == "all":
        if no == 0:
            return "pass", f"评审：{n} 人均认为{PASS}（{rule}）", None
        return "fail", f"评审：{n} 人中 {no} 人认为{FAIL}（{rule}）", f"评审 {no} 人认为{FAIL}"
    if yes > no:
        return "pass", f"评审：{n} 人中 {yes} 人认为{PASS}（{rule}）", None
    if no > yes:
        return "fail", f"评审：{n} 人中 {no} 人认为{FAIL}（{rule}）", f"评审 {no}/{n} 人认为{FAIL}"
    return ("unknown", f"评审：{n} 人中 {yes} 人认为{PASS}、{no} 人认为{FAIL}，票数相同（{rule}），待增加评审",
            "评审票数相同")


def decide(c: Criterion, decisions: list[Decision], policy, roster=None, unit_id: str | None = None) -> Criterion:
    """The qualitative criterion ``c`` decided by ``decisions`` (one per reviewer); with
    a ``roster``, the decisions of reviewers who must recuse from ``unit_id``'s
    nomination are recorded but not counted (docs/review-cycle.md, "Recusal")."""
    trail = [record_entry(d, roster, unit_id) for d in decisions]
    counted = [e["decision"] for e in trail if e["counted"]]
    outcome, text, reason = combine(counted, policy)
    recused = [f"{e['reviewer']} {RECUSAL_LABELS[e['recusal']]}回避" for e in trail if not e["counted"]]
    if recused:
        text += "；" + "、".join(recused) + "，不计入"
    detail = dict(c.detail)
    detail["decisions"] = trail
    if outcome != "unknown":
        detail["source"] = "review"
    return dataclasses.replace(c, outcome=outcome, explanation=f"{text}（{c.clause}）", reason=reason,
                               detail=detail)


def apply_decisions(evaluation, rules, decisions: list[Decision], files: list[dict], roster=None):
    """A copy of ``evaluation`` with ``decisions`` applied (see the module docstring);
    with a ``roster`` (:class:`~toolkit.review.roster.Roster`), recusals are not counted."""
    ev = copy.copy(evaluation)
    ev.collective = [copy.copy(u) for u in evaluation.collective]
    ev.individual = [copy.copy(n) for n in evaluation.individual]
    ev.innovation = [copy.copy(n) for n in evaluation.innovation]
    by_key = results_by_key(ev)
    grouped: dict[tuple[str, str], list[Decision]] = {}
    for d in decisions:
        grouped.setdefault((d.key, d.criterion), []).append(d)
    for (key, crit_id), ds in grouped.items():
        r = by_key[key]
        r.criteria = [decide(c, ds, rules.review, roster, r.unit_id) if c.id == crit_id and c.kind == "qualitative"
                      else c
                      for c in r.criteria]
        r.outcome = outcome_of(r.criteria)
    ev.near_misses = near_misses(ev.collective)
    ev.review = {"files": list(files), "corrections": list((evaluation.review or {}).get("corrections") or [])}
    if roster is not None:
        ev.review["roster"] = roster.to_dict()
    return ev


def read_review(evaluation, rules, data_dir: Path) -> ReviewRead:
    """The decisions of every copy under ``data_dir/评审意见/`` checked against the
    year's ``evaluation`` (the screening), with the files read and not read."""
    data_dir = Path(data_dir)
    folder = review_folder(data_dir)
    read = read_decisions(folder.copies, data_dir, rules, evaluation.year, results_by_key(evaluation))
    read.others = [p.relative_to(data_dir).as_posix() for p in folder.others]
    return read


def apply_review(evaluation, rules, data_dir: Path, units=None, *, read: ReviewRead | None = None):
    """The evaluation with the decisions of every review copy under
    ``data_dir/评审意见/`` applied (or those of ``read``), checked against the reviewer
    roster (``data_dir/评审专家.xlsx``) where there is one; ``units`` (a
    :class:`~toolkit.review.roster.Units`, default: the evaluation's unit ids and names)
    resolves the roster's units. The same object when there is neither a copy nor a
    roster. The run logs a warning for each of :meth:`ReviewRead.notes`."""
    roster = load_roster(data_dir, units or Units.of_evaluation(evaluation))
    if read is None:
        read = read_review(evaluation, rules, data_dir)
        for note in read.notes():  # toolkit validate prints them in its summary
            log.warning("%s/: %s", REVIEW_FOLDER, note)
    if not read.files:
        if roster is None:
            return evaluation
        ev = copy.copy(evaluation)
        ev.review = {**(evaluation.review or {"files": [], "corrections": []}), "roster": roster.to_dict()}
        return ev
    if roster is not None:
        check_reviewers(read.decisions, roster, Path(data_dir))
    return apply_decisions(evaluation, rules, read.decisions, read.files, roster)

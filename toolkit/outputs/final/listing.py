"""The rows of the final list (拟表彰名单, docs/review-cycle.md): once the review has
decided (:func:`is_final`: a reviewer's file was read and a decision applied), per award of the
year in the rules file's order, the units and nominees proposed for it, and apart from
them the nominations still pending (待定).

* proposed: a collective whose outcome is ``eligible`` and that applied (a unit that
  did not send a nomination is not proposed, however good its figures), and an
  individual or innovation nomination whose outcome is ``eligible``;
* pending: a collective that applied and a nomination whose outcome is still
  ``needs_review`` (a condition the review has not decided, or a figure missing),
  with the conditions left open, and a proposed one that an objection under check
  holds back (异议核查中（编号 N）). Never in the proposed list;
* withdrawn (撤销推荐): a nomination an upheld objection withdrew, with the
  objection's number and grounds (``review.objections``, :mod:`toolkit.review.objections`).

Each row holds the unit's name and, for a collective or an individual, the name as the
unit wrote it on its form (the evaluation's ``nominee``), an ID- or mobile-like number in
either masked as in every shared output (``Evaluation.shared``). Nothing else of a
nomination (no contact, no phone number, no deeds) reaches these rows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from toolkit.evaluation.results import Evaluation
from toolkit.review.sheet import keyed_results
from toolkit.vocabulary import (
    CRITERION_OUTCOME_LABELS,
    FINAL_LIST_LABELS,
    FINAL_STATUS_LABELS,
    NOMINEE_NAME_LABELS,
    OBJECTION_REPORT_LABELS,
)
from toolkit.vocabulary import RESULT_COLUMN_LABELS as HEADERS

#: the outcome that proposes an entry, and the one that leaves it pending
PROPOSED_OUTCOME = "eligible"
PENDING_OUTCOME = "needs_review"
#: the columns (the result tables' headers, and the pending entries' reason)
UNIT_HEADER = HEADERS["unit_name"]
SERIAL_HEADER = HEADERS["rank"]
AWARD_HEADER = HEADERS["award"]
REASON_HEADER = FINAL_LIST_LABELS["reason"]
WITHDRAWN_HEADER = OBJECTION_REPORT_LABELS["withdrawn_reason"]
#: what stands for the entries of an award nobody is proposed for
NONE_PROPOSED = FINAL_LIST_LABELS["none"]
PENDING_LABEL = FINAL_STATUS_LABELS["pending"]
#: a pending entry's reason while an objection against it is checked
OBJECTION_HELD = "异议核查中"
#: an award whose nominations are all pending names at most this many of them
PENDING_NAMED = 3


@dataclass(frozen=True)
class Entry:
    """One unit or nominee of an award. ``name`` is the collective's or the person's
    name as written on the form (None for an innovation award, which goes to the unit);
    ``reason`` says what is still open (pending entries only)."""

    award: str
    award_label: str
    kind: str  # collective / individual / innovation
    unit_id: str | None
    unit_name: str
    name: str | None
    reason: str = ""
    key: str = ""  # the nomination's 编号 (review/sheet.py), to apply objections


@dataclass
class AwardList:
    """One award's proposed entries, in the evaluation's order. ``kind`` is None when
    the evaluation holds no result of that award (nobody applied)."""

    key: str
    label: str
    kind: str | None
    entries: list[Entry] = field(default_factory=list)

    @property
    def name_header(self) -> str | None:
        """The column of the names (先进集体名称, 先进个人姓名); None for an innovation
        award and for an award without results."""
        return NOMINEE_NAME_LABELS.get(self.kind) if self.kind else None


@dataclass
class FinalList:
    year: int
    awards: list[AwardList]
    pending: list[Entry]
    review_files: int  # how many reviewers' files the review read
    withdrawn: list[Entry] = field(default_factory=list)  # 撤销推荐 by an upheld objection
    open_objections: list[str] = field(default_factory=list)  # numbers of the objections under check

    @property
    def proposed(self) -> list[Entry]:
        return [e for a in self.awards for e in a.entries]

    def none_text(self, award: AwardList, named: bool = False) -> str:
        """What stands in for the entries of an award nobody is proposed for: 无 when
        nothing is open, else 待定 N 项 and why (the award is not decided yet, so it must
        not read as 无). ``named`` (the report): who and what is still open; the list
        sent out never names a pending nomination."""
        left = [e for e in self.pending if e.award == award.key]
        if not left:
            return NONE_PROPOSED
        if named:
            who = "；".join(f"{e.name or e.unit_name}，{e.reason}" if e.reason else (e.name or e.unit_name)
                           for e in left[:PENDING_NAMED])
            more = f"等，见“{PENDING_LABEL}”" if len(left) > PENDING_NAMED else ""
            return f"{PENDING_LABEL} {len(left)} 项：{who}{more}"
        held = any(OBJECTION_HELD in e.reason for e in left)
        why = "评审结论、数据核实或异议核查" if held else "评审结论或数据核实"
        return f"{PENDING_LABEL} {len(left)} 项：尚待{why}，未列入本名单"

    @property
    def complete(self) -> bool:
        """No nomination is pending and no objection under check: the list is the whole
        decision (and the publicity draft may be written)."""
        return not self.pending and not self.open_objections


def is_final(evaluation: Evaluation) -> bool:
    """Whether the review has decided: at least one reviewer's file was read and at
    least one reviewer's decision applied (a criterion decided by the review, or
    carrying decisions while too few reviewers have decided). A review file that
    decides nothing does not make the list final."""
    if not (evaluation.review or {}).get("files"):
        return False
    return any(c.detail.get("source") == "review" or c.detail.get("decisions")
               for r in (*evaluation.collective, *evaluation.individual, *evaluation.innovation)
               for c in r.criteria if c.detail)


def _unit_name(evaluation: Evaluation, unit_id: str | None, name: str | None) -> str:
    return name or (evaluation.unit_names.get(unit_id) if unit_id else None) or unit_id or ""


def open_conditions(criteria) -> str:
    """The conditions not yet decided, each with its reason: what keeps an entry pending."""
    left = [c for c in criteria if c.outcome == "unknown"]
    fallback = CRITERION_OUTCOME_LABELS["unknown"]
    return "；".join(f"{c.label or c.id}：{c.reason or fallback}" for c in left)


def _kinds(evaluation: Evaluation) -> dict[str, str]:
    """award key -> its kind, as the evaluation's results say."""
    kinds = {u.award: "collective" for u in evaluation.collective}
    for n in [*evaluation.individual, *evaluation.innovation]:
        kinds.setdefault(n.category, n.kind)
    return kinds


def final_list(evaluation: Evaluation) -> FinalList:
    """The proposed entries per award (the evaluation's ``award_labels`` order, the rules
    file's) and the pending ones, whether or not the review has decided (callers check
    :func:`is_final`). Names as shared outputs show them (``Evaluation.shared``)."""
    evaluation = evaluation.shared()
    keys = {id(r): k for k, r in keyed_results(evaluation).items()}  # 编号, as the objections name them
    kinds = _kinds(evaluation)
    awards = {k: AwardList(k, label, kinds.get(k)) for k, label in evaluation.award_labels.items()}
    pending: dict[str, list[Entry]] = {k: [] for k in awards}

    def entry(award: str, kind: str, unit_id, unit_name, name, reason: str = "", key: str = "") -> Entry:
        label = awards[award].label if award in awards else award
        return Entry(award, label, kind, unit_id, _unit_name(evaluation, unit_id, unit_name),
                     None if kind == "innovation" else name, reason, key)

    for u in evaluation.collective:
        if not u.nominated or u.award not in awards:
            continue
        if u.outcome == PROPOSED_OUTCOME:
            awards[u.award].entries.append(entry(u.award, "collective", u.unit_id, u.unit_name, u.nominee,
                                                 key=keys[id(u)]))
        elif u.outcome == PENDING_OUTCOME:
            pending[u.award].append(entry(u.award, "collective", u.unit_id, u.unit_name, u.nominee,
                                          open_conditions(u.criteria), keys[id(u)]))
    for n in [*evaluation.individual, *evaluation.innovation]:
        if n.category not in awards:
            continue
        if n.outcome == PROPOSED_OUTCOME:
            awards[n.category].entries.append(entry(n.category, n.kind, n.unit_id, n.unit_name, n.nominee,
                                                    key=keys[id(n)]))
        elif (n.outcome or PENDING_OUTCOME) == PENDING_OUTCOME:
            pending[n.category].append(entry(n.category, n.kind, n.unit_id, n.unit_name, n.nominee,
                                             open_conditions(n.criteria), keys[id(n)]))
    objections = (evaluation.review or {}).get("objections") or []
    withdrawn = _apply_objections(awards, pending, objections, entry)
    return FinalList(year=evaluation.year, awards=list(awards.values()),
                     pending=[e for k in awards for e in pending[k]],
                     review_files=len((evaluation.review or {}).get("files") or []),
                     withdrawn=withdrawn,
                     open_objections=[o["number"] for o in objections if o.get("effect") == "held"])


def _apply_objections(awards: dict, pending: dict, objections: list[dict], entry) -> list[Entry]:
    """The objections' effects (docs/review-cycle.md): one under check moves a proposed
    entry to the pending ones (异议核查中（编号 N）) and adds to a pending entry's reason;
    an upheld one with 撤销推荐 takes the entry off both and returns it among the
    withdrawn, with the objection's number and grounds. The others change nothing."""
    withdrawn: list[Entry] = []
    for o in objections:
        award, key, effect = o.get("award"), o.get("key"), o.get("effect")
        if award not in awards or effect not in ("held", "withdrawn"):
            continue
        proposed = [e for e in awards[award].entries if e.key == key]
        if effect == "held":
            why = f"{OBJECTION_HELD}（编号 {o['number']}）"
            awards[award].entries = [e for e in awards[award].entries if e.key != key]
            pending[award] = [dataclasses.replace(e, reason=f"{e.reason}；{why}" if e.reason else why)
                              if e.key == key else e for e in pending[award]]
            pending[award] += [dataclasses.replace(e, reason=why) for e in proposed]
            continue
        awards[award].entries = [e for e in awards[award].entries if e.key != key]
        pending[award] = [e for e in pending[award] if e.key != key]
        if not any(e.key == key for e in withdrawn):
            withdrawn.append(entry(award, o.get("kind") or "individual", o.get("unit_id"), o.get("unit_name"),
                                   o.get("nominee"), f"异议成立（编号 {o['number']}）：{o.get('grounds') or ''}",
                                   key))
    return withdrawn


# --- the rows as the workbook and the report show them -------------------------------


def name_headers(fl: FinalList) -> list[str]:
    """The name columns the awards of the list need, in the vocabulary's order."""
    used = {a.kind for a in fl.awards if a.kind} | {e.kind for e in (*fl.pending, *fl.withdrawn)}
    return [label for kind, label in NOMINEE_NAME_LABELS.items() if kind in used]


def proposed_rows(fl: FinalList) -> tuple[list[str], list[list]]:
    """(headers, rows) of the proposed list: 奖项, 序号 (from 1 in each award), 单位名称
    and one column per kind of name (先进集体名称, 先进个人姓名), blank where the row's
    award has no such name. Every award of the year has its rows: one that nobody is
    proposed for has one row, 无 (or 待定 N 项 and why, :meth:`FinalList.none_text`)
    under 单位名称 and no 序号."""
    names = name_headers(fl)
    headers = [AWARD_HEADER, SERIAL_HEADER, UNIT_HEADER, *names]
    rows = []
    for a in fl.awards:
        if not a.entries:
            rows.append([a.label, None, fl.none_text(a), *([""] * len(names))])
        for i, e in enumerate(a.entries, 1):
            rows.append([a.label, i, e.unit_name, *_names(e, names)])
    return headers, rows


def pending_rows(fl: FinalList) -> tuple[list[str], list[list]]:
    """(headers, rows) of the pending entries: 奖项, 序号, 单位名称, the names, 待定原因."""
    names = name_headers(fl)
    headers = [AWARD_HEADER, SERIAL_HEADER, UNIT_HEADER, *names, REASON_HEADER]
    rows = [[e.award_label, i, e.unit_name, *_names(e, names), e.reason] for i, e in enumerate(fl.pending, 1)]
    return headers, rows


def withdrawn_rows(fl: FinalList) -> tuple[list[str], list[list]]:
    """(headers, rows) of the withdrawn entries: 奖项, 序号, 单位名称, the names, 撤销原因
    (the objection's number and grounds)."""
    names = name_headers(fl)
    headers = [AWARD_HEADER, SERIAL_HEADER, UNIT_HEADER, *names, WITHDRAWN_HEADER]
    rows = [[e.award_label, i, e.unit_name, *_names(e, names), e.reason] for i, e in enumerate(fl.withdrawn, 1)]
    return headers, rows


def _names(e: Entry, headers: list[str]) -> list[str]:
    own = NOMINEE_NAME_LABELS.get(e.kind)
    return [(e.name or "") if h == own else "" for h in headers]


def final_states(evaluation: Evaluation) -> dict[str, str]:
    """编号 -> the nomination's state on the final list (``FINAL_STATE_LABELS``: proposed,
    pending, withdrawn; absent for every other result). Before the review every result
    is absent: there is no final list yet. Keys as the shared outputs show them."""
    evaluation = evaluation.shared()
    states = dict.fromkeys(keyed_results(evaluation), "absent")
    if not is_final(evaluation):
        return states
    fl = final_list(evaluation)
    for state, entries in (("pending", fl.pending), ("withdrawn", fl.withdrawn), ("proposed", fl.proposed)):
        for e in entries:
            if e.key:
                states[e.key] = state
    return states

"""The results of an evaluation: one :class:`Criterion` per criterion applied, a
:class:`UnitResult` per unit and collective award, a :class:`NomineeResult` per
nomination, :class:`NearMiss` for units that failed, and the whole :class:`Evaluation`
with ``to_dict()`` (``evaluation.json``) and ``to_frame(part)`` (a DataFrame per part).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.evaluation.flags import Flag
from toolkit.evaluation.shared import shared_view
from toolkit.metrics.compute import METRIC_LABELS
from toolkit.clean.ledger_table import ledger_frame
from toolkit.metrics.registry import COLLECTIVE_METRICS
from toolkit.outputs.display import EvaluationView
from toolkit.vocabulary import CRITERION_OUTCOME_LABELS, FLAG_LABELS, OUTCOME_LABELS, TRACK_LABELS

OUTCOMES = ("eligible", "needs_review", "not_eligible")


@dataclass
class Criterion:
    """One criterion applied to one unit or nominee.

    ``value`` and ``bound`` are JSON-ready (yuan as numbers, fractions as floats, dates
    ISO). ``margin`` is how far the value is from the bound in ``margin_unit`` (人, 元,
    个百分点, 天, 字, 件): positive is room to spare, negative a shortfall; None when
    unknown or qualitative. ``relative_shortfall`` (fails only) orders near misses.

    ``explanation`` is the whole sentence (value, bound, clause, margin); ``reason`` is
    its short form shown beside a ✗ or ? mark: the shortfall (差 1 人), the excess, or
    the cause the value alone does not say (合同已于 2022-09-30 终止, 缺少应培人数表, 注册人数为
    0). None for a pass.
    """

    id: str
    label: str
    clause: str
    wording: str
    outcome: str
    explanation: str
    kind: str = "threshold"
    metric: str | None = None
    op: str | None = None
    bound: Any = None
    unit: str | None = None
    value: Any = None
    margin: float | int | None = None
    margin_unit: str | None = None
    relative_shortfall: float | None = None
    reason: str | None = None
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {
            "id": self.id, "label": self.label, "clause": self.clause, "kind": self.kind,
            "metric": self.metric, "op": self.op, "bound": self.bound, "unit": self.unit,
            "value": self.value, "outcome": self.outcome, "margin": self.margin,
            "margin_unit": self.margin_unit, "wording": self.wording, "explanation": self.explanation,
            "reason": self.reason,
        }
        d.update(self.detail)
        return d


def outcome_of(criteria: list[Criterion]) -> str:
    outcomes = {c.outcome for c in criteria}
    if "fail" in outcomes:
        return "not_eligible"
    if "unknown" in outcomes:
        return "needs_review"
    return "eligible"


@dataclass
class UnitResult:
    track: str
    unit_id: str
    unit_name: str | None
    metrics: dict
    criteria: list[Criterion]
    outcome: str
    nominated: bool = False
    award: str = ""
    award_label: str = ""
    nominee: str | None = None  # the collective's name on the nomination form
    nomination_row: int | None = None
    deeds_chars: int | None = None

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if c.outcome == "fail"]

    @property
    def unknown(self) -> list[Criterion]:
        return [c for c in self.criteria if c.outcome == "unknown"]

    def to_dict(self) -> dict:
        return {
            "track": self.track, "unit_id": self.unit_id, "unit_name": self.unit_name,
            "award": self.award, "award_label": self.award_label, "nominated": self.nominated,
            "nominee": self.nominee, "nomination_row": self.nomination_row, "deeds_chars": self.deeds_chars,
            "metrics": self.metrics, "criteria": [c.to_dict() for c in self.criteria],
            "outcome": self.outcome,
        }


@dataclass
class NomineeResult:
    category: str  # e.g. staff.individual, innovation.professional
    track: str
    kind: str  # individual / innovation
    unit_id: str | None
    unit_name: str | None
    nominee: str | None
    row: int | None
    deeds_chars: int | None
    criteria: list[Criterion]
    outcome: str
    qualitative: list[dict] = field(default_factory=list)  # {id, label, clause, wording}
    award_label: str = ""
    started_on: str | None = None  # ISO date
    # for the forms; never written to evaluation.json or the tables
    deeds: str | None = field(default=None, repr=False)
    unit_leader: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    contact_phone: str | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {
            "category": self.category, "award_label": self.award_label, "track": self.track,
            "kind": self.kind, "unit_id": self.unit_id, "unit_name": self.unit_name,
            "nominee": self.nominee, "row": self.row, "started_on": self.started_on,
            "deeds_chars": self.deeds_chars, "criteria": [c.to_dict() for c in self.criteria],
            "qualitative": self.qualitative, "outcome": self.outcome,
        }


@dataclass
class NearMiss:
    """A unit that failed a collective: what failed and by how much."""

    track: str
    unit_id: str
    unit_name: str | None
    failed: list[dict]  # {id, label, clause, metric, value, bound, shortfall, shortfall_unit, relative_shortfall, explanation}
    failed_count: int
    closeness: float  # sum of relative shortfalls: smaller is closer
    message: str
    nominated: bool = False

    def to_dict(self) -> dict:
        return {
            "track": self.track, "unit_id": self.unit_id, "unit_name": self.unit_name,
            "nominated": self.nominated, "failed_count": self.failed_count,
            "closeness": self.closeness, "failed": self.failed, "message": self.message,
        }


@dataclass(repr=False)
class Evaluation(EvaluationView):
    year: int
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    as_of: dt.date
    rules_path: str
    rules_sha256: str
    collective: list[UnitResult]
    individual: list[NomineeResult]
    innovation: list[NomineeResult]
    flags: list[Flag]
    near_misses: list[NearMiss]
    ledger: list[dict]
    metrics: pd.DataFrame  # one row per (track, unit_id); money also in fen
    unit_names: dict[str, str]
    award_labels: dict[str, str]
    criterion_labels: dict[str, dict[str, str]]  # award -> criterion id -> label
    rsvp_deadline: dt.date | None = None
    near_limit_share: float | None = None
    missing_tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: the award cycle's inputs (docs/review-cycle.md): ``files`` (every review file read,
    #: ``{"path", "sha256"}``) and ``corrections`` (every correction applied, with its file,
    #: row, reason and approver). Empty lists before the review. ``roster``: the reviewer
    #: roster checked against (its path, SHA-256 and reviewers), only when there is one.
    review: dict = field(default_factory=lambda: {"files": [], "corrections": []})
    #: award key -> kind, from the rules (not in evaluation.json: read back, the kinds
    #: come from the results, :meth:`kind_of`)
    award_kinds: dict[str, str] = field(default_factory=dict)

    # --- views ---------------------------------------------------------------------

    def shared(self) -> Evaluation:
        """The evaluation as every shared output shows it (``to_dict``, ``to_frame``,
        the shortlist, the final list): the free text that came from the units', the
        school's and the reviewers' files (unit and nominee names, the criteria's review
        trail, the corrections' reasons and approvers, every entry of ``review`` but the
        files read, warnings) with ID- and mobile-like numbers masked
        (:func:`toolkit.clean.privacy.shared_text`), and the nominees' form-only fields
        (deeds, leader, contact) left out. Codes, figures and outcomes are unchanged; the
        evaluation itself keeps the text as written, for the forms."""
        return shared_view(self)

    def kind_of(self, award: str) -> str | None:
        """The kind of the award ``award`` (collective, individual, innovation): the
        rules', else the kind its results have; None when neither says."""
        if award in self.award_kinds:
            return self.award_kinds[award]
        if any(u.award == award for u in self.collective):
            return "collective"
        return next((n.kind for n in self.individual + self.innovation if n.category == award), None)

    def unit(self, track: str, unit_id: str) -> UnitResult | None:
        for u in self.collective:
            if u.track == track and u.unit_id == unit_id:
                return u
        return None

    def summary(self) -> dict:
        """Counts of outcomes per award."""
        out: dict[str, dict[str, int]] = {}
        for u in self.collective:
            d = out.setdefault(u.award, dict.fromkeys(OUTCOMES, 0))
            d[u.outcome] += 1
        for n in self.individual + self.innovation:
            d = out.setdefault(n.category, dict.fromkeys(OUTCOMES, 0))
            d[n.outcome] += 1
        return {k: out[k] for k in sorted(out)}

    def to_dict(self) -> dict:
        """``evaluation.json``: JSON-ready, deterministic (no timestamps of the run), its
        free text masked (:meth:`shared`)."""
        return self.shared()._dict()

    def _dict(self) -> dict:
        return {
            "year": self.year,
            "period": {"start": iso_beijing(self.period_start), "end": iso_beijing(self.period_end)},
            "as_of": self.as_of.isoformat(),
            "rules": {"path": self.rules_path, "sha256": self.rules_sha256},
            "summary": self.summary(),
            "collective": [u.to_dict() for u in self.collective],
            "individual": [n.to_dict() for n in self.individual],
            "innovation": [n.to_dict() for n in self.innovation],
            "flags": [f.to_dict() for f in self.flags],
            "near_misses": [m.to_dict() for m in self.near_misses],
            "ledger": [json_ready(e) for e in self.ledger],
            "missing_tables": list(self.missing_tables),
            "rsvp_deadline": self.rsvp_deadline.isoformat() if self.rsvp_deadline else None,
            "labels": {
                "awards": self.award_labels,
                "criteria": self.criterion_labels,
                "outcomes": OUTCOME_LABELS,
                "criterion_outcomes": CRITERION_OUTCOME_LABELS,
                "flags": FLAG_LABELS,
                "metrics": {k: v[0] for k, v in METRIC_LABELS.items()},
                "tracks": dict(TRACK_LABELS),
            },
            "warnings": list(self.warnings),
            "review": {"files": list(self.review.get("files") or []),
                       "corrections": list(self.review.get("corrections") or []),
                       # the award cycle's further records (the reviewer roster, the objections
                       # register's trail and file...), as they are
                       **{k: v for k, v in self.review.items() if k not in ("files", "corrections")}},
        }

    PARTS = ("collective", "criteria", "individual", "innovation", "flags", "near_misses", "ledger")

    def to_frame(self, part: str) -> pd.DataFrame:
        """A DataFrame per part: collective, criteria, individual, innovation, flags,
        near_misses, ledger. English column names, code values (see export for the
        Chinese tables); free text masked (:meth:`shared`)."""
        return self.shared()._frame(part)

    def _frame(self, part: str) -> pd.DataFrame:
        if part == "collective":
            rows = []
            for u in self.collective:
                row = {"track": u.track, "award": u.award, "unit_id": u.unit_id, "unit_name": u.unit_name,
                       "nominated": u.nominated, "outcome": u.outcome,
                       "failed": ", ".join(c.id for c in u.failed), "unknown": ", ".join(c.id for c in u.unknown)}
                for m in ALL_METRICS:
                    row[m] = u.metrics.get(m)
                rows.append(row)
            cols = ["track", "award", "unit_id", "unit_name", "nominated", "outcome", "failed", "unknown",
                    *ALL_METRICS]
            return pd.DataFrame(rows, columns=cols)
        if part == "criteria":
            rows = []
            for u in self.collective:
                for c in u.criteria:
                    rows.append({"track": u.track, "award": u.award, "unit_id": u.unit_id,
                                 "unit_name": u.unit_name, "nominee": None, "row": None, **_crit_row(c)})
            for n in self.individual + self.innovation:
                for c in n.criteria:
                    rows.append({"track": n.track, "award": n.category, "unit_id": n.unit_id,
                                 "unit_name": n.unit_name, "nominee": n.nominee, "row": n.row, **_crit_row(c)})
            cols = ["track", "award", "unit_id", "unit_name", "nominee", "row", *_CRIT_COLS]
            return pd.DataFrame(rows, columns=cols)
        if part in ("individual", "innovation"):
            nominees = getattr(self, part)
            # one column per quantitative criterion of the part's awards, in rules order
            crit_ids = list(dict.fromkeys(c.id for n in nominees for c in n.criteria if c.kind != "qualitative"))
            rows = []
            for n in nominees:
                by_id = {c.id: c for c in n.criteria}
                row = {"category": n.category, "track": n.track, "unit_id": n.unit_id, "unit_name": n.unit_name,
                       "nominee": n.nominee, "row": n.row, "started_on": n.started_on,
                       "deeds_chars": n.deeds_chars, "outcome": n.outcome,
                       "failed": ", ".join(c.id for c in n.criteria if c.outcome == "fail"),
                       "unknown": ", ".join(c.id for c in n.criteria if c.outcome == "unknown"
                                            and c.kind != "qualitative")}
                for cid in crit_ids:
                    if cid in by_id:
                        row[cid] = by_id[cid].outcome
                row["explanation"] = "；".join(c.explanation for c in n.criteria if c.kind != "qualitative")
                row["qualitative"] = "；".join(q["label"] for q in n.qualitative)
                rows.append(row)
            cols = ["category", "track", "unit_id", "unit_name", "nominee", "row", "started_on", "deeds_chars",
                    "outcome", "failed", "unknown", *crit_ids, "explanation", "qualitative"]
            return pd.DataFrame(rows, columns=cols)
        if part == "flags":
            cols = ["kind", "track", "unit_id", "unit_name", "table", "value", "bound", "count", "amount", "message"]
            return pd.DataFrame([{k: f.to_dict()[k] for k in cols} for f in self.flags], columns=cols)
        if part == "near_misses":
            rows = []
            for rank, m in enumerate(self.near_misses, 1):
                for f in m.failed:
                    rows.append({"rank": rank, "track": m.track, "unit_id": m.unit_id, "unit_name": m.unit_name,
                                 "nominated": m.nominated, "failed_count": m.failed_count,
                                 "closeness": m.closeness, **{k: f.get(k) for k in _NEAR_COLS}})
            cols = ["rank", "track", "unit_id", "unit_name", "nominated", "failed_count", "closeness", *_NEAR_COLS]
            return pd.DataFrame(rows, columns=cols)
        if part == "ledger":
            return ledger_frame(self.ledger)
        raise ValueError(f"unknown part {part!r}; one of {', '.join(self.PARTS)}")


#: the metric columns of the collective part (the registry's, every track's)
ALL_METRICS = list(COLLECTIVE_METRICS)
_CRIT_COLS = ["id", "label", "clause", "kind", "metric", "op", "bound", "unit", "value", "outcome",
              "margin", "margin_unit", "wording", "explanation"]
_NEAR_COLS = ["id", "label", "clause", "metric", "unit", "value", "bound", "shortfall", "shortfall_unit",
              "relative_shortfall", "explanation"]


def _crit_row(c: Criterion) -> dict:
    d = c.to_dict()
    return {k: d.get(k) for k in _CRIT_COLS}


def iso_beijing(ts: pd.Timestamp) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


def json_ready(v):
    if isinstance(v, dict):
        return {str(k): json_ready(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [json_ready(x) for x in v]
    if isinstance(v, Path):
        return str(v)
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    return v



"""The results of an evaluation: one :class:`Criterion` per criterion applied, a
:class:`UnitResult` per unit and collective award, a :class:`NomineeResult` per
nomination, :class:`NearMiss` for units that failed, and the whole :class:`Evaluation`
with ``to_dict()`` (``evaluation.json``: each result's fields in their declared order) and
``to_frame(name)`` (a result table of :mod:`toolkit.evaluation.tables` as a DataFrame).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.evaluation.flags import Flag
from toolkit.evaluation.shared import shared_view
from toolkit.evaluation.tables import frame
from toolkit.metrics.compute import METRIC_LABELS
from toolkit.outputs.display import EvaluationView
from toolkit.vocabulary import (
    CRITERION_OUTCOME_LABELS,
    FLAG_LABELS,
    MARGIN_UNITS,
    OUTCOME_LABELS,
    TRACK_LABELS,
)

OUTCOMES = ("eligible", "needs_review", "not_eligible")
#: a field's metadata that keeps it out of ``evaluation.json`` (form-only or derived)
NOT_IN_JSON = {"json": False}


def json_fields(obj) -> dict:
    """A result's fields that ``evaluation.json`` holds, in their declared order: the
    result types declare their fields in the file's order (keyword-only), so the file
    and :mod:`toolkit.evaluation.serialize` read one list, the fields themselves."""
    out = {}
    for f in fields(obj):
        if f.metadata.get("json", True):
            v = getattr(obj, f.name)
            out[f.name] = [c.to_dict() for c in v] if f.name == "criteria" else v
    return out


def json_field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.metadata.get("json", True))


@dataclass(kw_only=True)
class Criterion:
    """One criterion applied to one unit or nominee.

    ``value`` and ``bound`` are JSON-ready (yuan as numbers, fractions as floats, dates
    ISO). ``margin`` is how far the value is from the bound, a number of the unit
    :attr:`margin_code` names (``points``: percentage points, ``days``, ``yuan``,
    ``persons`` ...; :data:`~toolkit.vocabulary.MARGIN_UNITS`), written with the word
    ``margin_unit`` (个百分点, 天, 元, 人, 份 ...): positive is room to spare, negative a
    shortfall; None when unknown or qualitative. Code reads the code, people the word.
    ``relative_shortfall`` (fails only) orders near misses.

    ``explanation`` is the whole sentence (value, bound, clause, margin); ``reason`` is
    its short form shown beside a ✗ or ? mark: the shortfall (差 1 人), the excess, or
    the cause the value alone does not say (合同已于 2022-09-30 终止, 缺少应培人数表, 注册人数为
    0). None for a pass.
    """

    id: str
    label: str
    clause: str
    kind: str = "threshold"
    metric: str | None = None
    op: str | None = None
    bound: Any = None
    unit: str | None = None
    value: Any = None
    outcome: str
    margin: float | int | None = None
    margin_unit: str | None = None
    wording: str
    explanation: str
    reason: str | None = None
    relative_shortfall: float | None = field(default=None, metadata=NOT_IN_JSON)
    #: further keys of the criterion's entry in evaluation.json (the review trail...)
    detail: dict = field(default_factory=dict, metadata=NOT_IN_JSON)

    @property
    def margin_code(self) -> str | None:
        """The unit code of :attr:`margin` (None when there is no margin): taken from
        the bound's unit, so it is the same for a result read back from
        ``evaluation.json``, which holds only the word."""
        if self.margin is None or self.unit is None:
            return None
        return MARGIN_UNITS.get(self.unit)

    def to_dict(self) -> dict:
        return {**json_fields(self), **self.detail}


def outcome_of(criteria: list[Criterion]) -> str:
    outcomes = {c.outcome for c in criteria}
    if "fail" in outcomes:
        return "not_eligible"
    if "unknown" in outcomes:
        return "needs_review"
    return "eligible"


@dataclass(kw_only=True)
class UnitResult:
    track: str
    unit_id: str
    unit_name: str | None
    award: str = ""
    award_label: str = ""
    nominated: bool = False
    nominee: str | None = None  # the collective's name on the nomination form
    nomination_row: int | None = None
    deeds_chars: int | None = None
    metrics: dict
    criteria: list[Criterion]
    outcome: str

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if c.outcome == "fail"]

    @property
    def unknown(self) -> list[Criterion]:
        return [c for c in self.criteria if c.outcome == "unknown"]

    def to_dict(self) -> dict:
        return json_fields(self)


@dataclass(kw_only=True)
class NomineeResult:
    category: str  # e.g. staff.individual, innovation.professional
    award_label: str = ""
    track: str
    kind: str  # individual / innovation
    unit_id: str | None
    unit_name: str | None
    nominee: str | None
    row: int | None
    started_on: str | None = None  # ISO date
    deeds_chars: int | None
    criteria: list[Criterion]
    qualitative: list[dict] = field(default_factory=list)  # {id, label, clause, wording}
    outcome: str
    # for the forms; never written to evaluation.json or the tables
    deeds: str | None = field(default=None, repr=False, metadata=NOT_IN_JSON)
    unit_leader: str | None = field(default=None, metadata=NOT_IN_JSON)
    contact_name: str | None = field(default=None, metadata=NOT_IN_JSON)
    contact_title: str | None = field(default=None, metadata=NOT_IN_JSON)
    contact_phone: str | None = field(default=None, repr=False, metadata=NOT_IN_JSON)

    def to_dict(self) -> dict:
        return json_fields(self)


@dataclass(kw_only=True)
class NearMiss:
    """A unit that failed a collective: what failed and by how much."""

    track: str
    unit_id: str
    unit_name: str | None
    nominated: bool = False
    failed_count: int
    closeness: float  # sum of relative shortfalls: smaller is closer
    failed: list[dict]  # {id, label, clause, metric, value, bound, shortfall, shortfall_unit, relative_shortfall, explanation}
    message: str

    def to_dict(self) -> dict:
        return json_fields(self)


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

    def to_frame(self, table: str) -> pd.DataFrame:
        """A result table's rows (:data:`toolkit.evaluation.tables.TABLES`: collective,
        criteria, individual, innovation, near_misses, flags, ledger): English column
        names, code values (the CSV files and the workbook show the labels); free text
        masked (:meth:`shared`)."""
        return frame(self, table)


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



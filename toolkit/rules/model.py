"""A year's rules as the code sees them: :class:`Rules` with its :class:`Award` objects,
each with its :class:`RuleCriterion` list, as :mod:`toolkit.rules.load` validated them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from toolkit.ingest.categories import AwardName
from toolkit.outputs.display import RulesView
from toolkit.rules.policy import ReviewPolicy
from toolkit.rules.publicity import PublicityPolicy


@dataclass(frozen=True)
class RuleCriterion:
    """One criterion of an award as the rules file states it.

    ``kind`` is ``threshold`` (a metric compared with a bound) or ``qualitative`` (a
    judgement for the reviewers: no metric, op, bound or unit). ``bound`` is exact: an
    ``int`` or a :class:`~fractions.Fraction` read from the decimal as written.
    """

    award: str
    id: str
    label: str
    clause: str
    wording: str
    kind: str = "threshold"
    metric: str | None = None
    op: str | None = None
    bound: int | Fraction | None = None
    unit: str | None = None
    note: str | None = None

    @property
    def qualitative(self) -> bool:
        return self.kind == "qualitative"

    def bound_number(self) -> int | float | None:
        """The bound as a JSON number (fractions as float)."""
        if self.bound is None:
            return None
        if isinstance(self.bound, Fraction):
            return int(self.bound) if self.bound.denominator == 1 else float(self.bound)
        return self.bound


@dataclass(frozen=True)
class AwardForm:
    """The notice's approval form an award is nominated on (the award's ``form:`` in the
    rules file): its attachment (``附件2``, and that number), the title (``{year}``
    stands for the year, ``\\n`` for a line break as the attachment prints it), the words
    beside the award's box (``□事业单位工作人员培训先进集体``; the nominations table's
    推荐类别), the side of the form the award's column is on (``left`` or ``right``)
    and the label of its nominee row (None: the form has no such row)."""

    attachment: str
    number: int
    title: str
    category: str
    side: str
    nominee: str | None = None

    def title_of(self, year: int) -> str:
        return self.title.replace("{year}", str(year))


@dataclass(frozen=True)
class Award:
    key: str  # e.g. "staff.collective"
    label: str
    track: str
    kind: str  # collective / individual / innovation
    clause: str
    criteria: tuple[RuleCriterion, ...]
    form: AwardForm | None = None  # None: the award has no approval form
    #: the words of 推荐类别 that name the award: its key, its label, its form's box words
    #: and the rules entry's ``words:``
    words: tuple[str, ...] = ()

    def name(self) -> AwardName:
        """The award as the ingest reads a nomination of it."""
        return AwardName(award=self.key, track=self.track, kind=self.kind, words=self.words)


@dataclass(repr=False)
class Rules(RulesView):
    """A year's rules, validated. Times are tz-naive Beijing time, as in ``YearData``."""

    year: int
    path: Path
    sha256: str
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    cutoff: pd.Timestamp
    as_of: dt.date
    awards: dict[str, Award]
    near_limit_share: Fraction
    rsvp_deadline: dt.date | None
    settings: dict = field(default_factory=dict)  # clause / wording / source of each setting
    review: ReviewPolicy = field(default_factory=ReviewPolicy)
    publicity: PublicityPolicy | None = None  # the notice period (docs/review-cycle.md)
    raw: dict = field(default_factory=dict)

    def criteria(self, award: str) -> tuple[RuleCriterion, ...]:
        """The criteria of an award (e.g. ``"staff.collective"``), in file order."""
        try:
            return self.awards[award].criteria
        except KeyError:
            raise KeyError(f"no award {award!r} in {self.path}; it has {sorted(self.awards)}") from None

    def criterion(self, award: str, criterion_id: str) -> RuleCriterion:
        for c in self.criteria(award):
            if c.id == criterion_id:
                return c
        raise KeyError(f"no criterion {criterion_id!r} in award {award!r}")

    def awards_of(self, kind: str, track: str | None = None) -> list[Award]:
        return [a for a in self.awards.values() if a.kind == kind and (track is None or a.track == track)]

    def award_for(self, kind: str, track: str) -> Award | None:
        found = self.awards_of(kind, track)
        return found[0] if found else None

    def bound_for(self, track: str, metric: str) -> RuleCriterion | None:
        """The collective criterion on ``metric`` for ``track`` (e.g. the refund bound)."""
        award = self.award_for("collective", track)
        if award is None:
            return None
        for c in award.criteria:
            if c.metric == metric:
                return c
        return None

    def awards_on_form(self, number: int) -> list[Award]:
        """The awards of attachment ``number``, the left side's first."""
        on = [a for a in self.awards.values() if a.form is not None and a.form.number == number]
        return sorted(on, key=lambda a: a.form.side != "left")

    def form_numbers(self) -> list[int]:
        """The attachments that carry an award's form, in ascending order."""
        return sorted({a.form.number for a in self.awards.values() if a.form is not None})

    def award_names(self) -> tuple[AwardName, ...]:
        """How nominations name the awards (the cleaning's 推荐类别 to award key)."""
        return tuple(a.name() for a in self.awards.values())

    def labels(self) -> dict[str, str]:
        """Award key -> Chinese label, for reports."""
        return {k: a.label for k, a in self.awards.items()}

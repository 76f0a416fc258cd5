"""The period of a year: what the cleaning takes from the rules. The callers resolve
the rules (``toolkit.rules``, which the cleaning never imports) and hand over
``Period.of(rules)``; a year read without rules has the calendar year."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from toolkit.ingest.categories import AwardName

# The time that decides whether a row is in the period.
PERIOD_COLUMN = {
    "staff_registrations": "registered_at",
    "staff_payments": "paid_at",
    "professional_enrollments": "paid_at",
    "complaints": "received_at",
}


@dataclass
class Period:
    """What the cleaning takes from the rules: the period, and how nominations name the
    awards (``awards``: None when there are no rules, and then no nomination names an
    award: each is quarantined ``bad_value`` in 推荐类别)."""

    start: pd.Timestamp
    end: pd.Timestamp
    rules_path: str | None = None
    rules_sha256: str | None = None
    awards: tuple[AwardName, ...] | None = None

    @classmethod
    def of(cls, rules) -> Period:
        """The period of a rules object (``toolkit.rules.model.Rules``: its
        ``period_start``/``period_end``, file, hash and award names)."""
        p = getattr(rules, "path", None)
        return cls(pd.Timestamp(rules.period_start), pd.Timestamp(rules.period_end),
                   str(p) if p else None, getattr(rules, "sha256", None), rules.award_names())

    @classmethod
    def calendar(cls, year: int) -> Period:
        """Calendar ``year``, without rules (no nomination names an award)."""
        return cls(*calendar_period(year))

    @property
    def end_exclusive(self) -> pd.Timestamp:
        """The first moment after the period (see ``end_exclusive``)."""
        return end_exclusive(self.end)

    def outside(self, at: pd.Series) -> pd.Series:
        """Where a column of times lies before the start or after the end's second."""
        return (at < self.start) | (at >= self.end_exclusive)


def end_exclusive(end: pd.Timestamp) -> pd.Timestamp:
    """The first moment after a period that ends at ``end``. The end is a second of the
    notice's clock (23:59:59) and covers that whole second, so ``2022-12-31 23:59:59.6``
    is inside: a time is in the period when ``start <= t < end_exclusive(end)``."""
    return pd.Timestamp(end).floor("s") + pd.Timedelta(seconds=1)


def calendar_period(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31, 23, 59, 59)

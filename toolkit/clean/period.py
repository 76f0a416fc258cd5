"""The period of a year: from the rules (``period_start``/``period_end``), from
``rules/<year>.yaml`` when it exists, else the calendar year."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit import paths
from toolkit.i18n import gettext as _
from toolkit.ingest.categories import AwardName
from toolkit.rules.load import load_rules

log = logging.getLogger(__name__)

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


def resolve_period(year: int, rules=None) -> Period:
    """The period given (a :class:`Period`), from the rules (a ``Rules`` object, or a
    rules file path), from ``rules/<year>.yaml`` when it exists, else the calendar
    year."""
    if isinstance(rules, Period):
        return rules
    if rules is not None and hasattr(rules, "period_start"):
        p = getattr(rules, "path", None)
        return Period(pd.Timestamp(rules.period_start), pd.Timestamp(rules.period_end),
                      str(p) if p else None, getattr(rules, "sha256", None), rules.award_names())
    if rules is not None:
        return resolve_period(year, load_rules(year=year, path=Path(rules).expanduser()))
    default = paths.rules_file(year)
    if default.is_file():
        return resolve_period(year, load_rules(year=year, path=default))
    log.info(_("no rules file %s; the period is the calendar year %d"), default, year)
    start, end = calendar_period(year)
    return Period(start, end)

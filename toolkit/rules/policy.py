"""How the reviewers' decisions on a qualitative criterion combine: the rules file's
optional ``review:`` section as :class:`ReviewPolicy` (docs/review-cycle.md), read by
:func:`toolkit.rules.load.review_policy`."""

from __future__ import annotations

from dataclasses import dataclass

#: the decision rules a rules file may name
REVIEW_DECISIONS = ("majority", "all")


@dataclass(frozen=True)
class ReviewPolicy:
    """How the reviewers' decisions on a qualitative criterion combine (the rules file's
    optional ``review:`` section; docs/review-cycle.md). ``decision`` is ``majority``
    (more 符合 than 不符合 passes, more 不符合 fails, a tie stays unknown) or ``all``
    (every reviewer's 符合 passes, one 不符合 fails); until ``min_reviewers`` reviewers
    have decided a criterion it stays unknown."""

    decision: str = "majority"
    min_reviewers: int = 1
    clause: str | None = None
    note: str | None = None

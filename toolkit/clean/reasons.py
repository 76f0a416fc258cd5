"""Why a row is not used: the declared reasons of the cleaning.

A row is *excluded* when a rule of the notice leaves it out (a duplicate, a date
outside the period...) and *quarantined* when it cannot be used at all (a value that
cannot be read, a unit that cannot be resolved...). ``Work.exclude`` and
``Work.quarantine`` take only these members; each member's value is the code the
ledger, the excluded rows and ``evaluation.json`` write, and its Chinese label is in
:mod:`toolkit.vocabulary` (``EXCLUSION_REASON_LABELS``, ``QUARANTINE_REASON_LABELS``).
"""

from __future__ import annotations

from enum import StrEnum

from toolkit.vocabulary import EXCLUSION_REASON_LABELS, QUARANTINE_REASON_LABELS


class Exclusion(StrEnum):
    """Why a readable row is left out of the year's figures (a rule of the notice)."""

    DUPLICATE = "duplicate"                      # the same row again, cell for cell
    OUT_OF_PERIOD = "out_of_period"              # dated outside the statistical period
    FAILED_STATUS = "failed_status"              # a payment that did not succeed
    AFTER_CUTOFF = "after_cutoff"                # a refund dated after the period's end
    ORDER_NOT_IN_YEAR = "order_not_in_year"      # a refund of a payment the year does not use

    @property
    def label(self) -> str:
        return EXCLUSION_REASON_LABELS[self.value]


class Quarantine(StrEnum):
    """Why a row cannot be used at all (the office corrects it at the source)."""

    CONFLICTING_KEY = "conflicting_key"          # one id, two different rows
    MISSING_VALUE = "missing_value"              # a required cell is empty
    BAD_AMOUNT = "bad_amount"                    # an amount that cannot be read (or implausible)
    BAD_DATE = "bad_date"                        # a date that cannot be read (or implausible)
    BAD_VALUE = "bad_value"                      # a coded value (status, track...) not known
    IMPRECISE_NUMBER = "imprecise_number"        # a long id Excel stored as a rounded number
    UNKNOWN_UNIT = "unknown_unit"                # the unit cannot be resolved in the registry
    NON_POSITIVE_AMOUNT = "non_positive_amount"  # a payment of zero or less
    UNKNOWN_ORDER = "unknown_order"              # a refund of an order no payment has

    @property
    def label(self) -> str:
        return QUARANTINE_REASON_LABELS[self.value]


def exclusion_code(reason: Exclusion) -> str:
    """The code of a declared exclusion reason; anything else is a programming error."""
    if not isinstance(reason, Exclusion):
        raise TypeError(f"not a declared exclusion reason: {reason!r} (toolkit.clean.reasons.Exclusion)")
    return reason.value


def quarantine_code(reason: Quarantine) -> str:
    """The code of a declared quarantine reason; anything else is a programming error."""
    if not isinstance(reason, Quarantine):
        raise TypeError(f"not a declared quarantine reason: {reason!r} (toolkit.clean.reasons.Quarantine)")
    return reason.value

"""The rules file's optional ``publicity:`` section (docs/review-cycle.md, "Objections"):
how many days the public notice of the proposed list lasts, the clause of the notice
that says so and its wording. The toolkit prints the period; it never invents the
notice's start date. The 2022 notice states no period, so ``rules/2022.yaml`` has no
such section."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.exceptions import RulesError
from toolkit.i18n import gettext as _

PUBLICITY_KEYS = {"days", "clause", "wording", "note"}


@dataclass(frozen=True)
class PublicityPolicy:
    """The notice period: ``days`` (a whole number of at least 1) and where it is written."""

    days: int
    clause: str | None = None
    wording: str | None = None
    note: str | None = None

    def period_text(self) -> str:
        """公示期 5 天（附件1 四）."""
        return f"公示期 {self.days} 天" + (f"（{self.clause}）" if self.clause else "")


def publicity_policy(p: Path, raw) -> PublicityPolicy | None:
    """The ``publicity:`` section of the rules file ``p``, or None without one. A key
    other than days, clause, wording, note, or days that is no whole number of at
    least 1, is a RulesError naming the file and the key (exit 2)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise RulesError(_("publicity: expected a mapping"), file=p, value=raw,
                         expected=_("publicity: {days: 5, clause: ..., wording: ...}"))
    unknown = sorted(set(map(str, raw)) - PUBLICITY_KEYS)
    if unknown:
        raise RulesError(_("publicity: unknown key {unknown!r}").format(unknown=unknown[0]), file=p,
                         expected=_("one of ") + ", ".join(sorted(PUBLICITY_KEYS)))
    days = raw.get("days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise RulesError(_("publicity.days: not a whole number of at least 1"), file=p, value=days,
                         expected=_("the days of the public notice, e.g. 5"))
    if not (raw.get("clause") or raw.get("wording")):
        raise RulesError(_("publicity: missing 'clause' or 'wording'"), file=p,
                         expected=_("the clause of the notice that states the period"))
    text = {k: str(raw[k]).strip() for k in ("clause", "wording", "note") if raw.get(k) is not None}
    return PublicityPolicy(days=days, **text)

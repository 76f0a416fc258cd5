"""The rules loader's two checks every section uses: an error naming the file and the
place in it, and a mapping's keys (no unknown key, every required one)."""

from __future__ import annotations

from pathlib import Path

from toolkit.exceptions import RulesError
from toolkit.i18n import gettext as _


def rules_error(p: Path, where: str, message: str, **kw) -> RulesError:
    return RulesError(f"{where}: {message}", file=p, **kw)


def check_keys(p: Path, where: str, d, allowed: set[str], required: set[str]) -> None:
    if not isinstance(d, dict):
        raise rules_error(p, where, _("expected a mapping"), value=d)
    unknown = sorted(set(map(str, d)) - allowed)
    if unknown:
        raise rules_error(p, where, _("unknown key {unknown!r}").format(unknown=unknown[0]), expected=_("one of ") + ", ".join(sorted(allowed)))
    missing = sorted(k for k in required if k not in d or d[k] is None or d[k] == "")
    if missing:
        raise rules_error(p, where, _("missing {missing!r}").format(missing=missing[0]))

"""An award's own parts of the rules file, checked: its approval form (``form:``) and
the words a nomination names it by (its key, label, form's box words and ``words:``;
docs/rules.md, "Awards"). Called by :mod:`toolkit.rules.load`."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.i18n import gettext as _
from toolkit.ingest.keys import word_key
from toolkit.rules.checks import check_keys, rules_error
from toolkit.rules.model import Award, AwardForm

_FORM_KEYS = {"attachment", "title", "category", "side", "nominee", "note"}
FORM_SIDES = ("left", "right")
_ATTACHMENT = re.compile(r"附件\s*(\d{1,2})")


def award_form(p: Path, where: str, label: str, f) -> AwardForm | None:
    """An award's ``form:`` (None when the award has none: no approval form is written
    for it and no returned form is recognised as its). ``category`` defaults to the
    award's label; the attachment and the title cannot be guessed, so they are required."""
    if f is None:
        return None
    where = where + ".form"
    check_keys(p, where, f, _FORM_KEYS, {"attachment", "title", "side"})
    attachment = str(f["attachment"]).strip()
    m = _ATTACHMENT.fullmatch(attachment)
    if m is None:
        raise rules_error(p, where, _("the attachment is the notice's 附件N"), value=attachment, expected="e.g. 附件2")
    title = str(f["title"]).strip()
    rest = title.replace("{year}", "")
    if "{" in rest or "}" in rest:
        raise rules_error(p, where + ".title", _("the only placeholder of a title is {year}"), value=title)
    side = str(f["side"]).strip()
    if side not in FORM_SIDES:
        raise rules_error(p, where + ".side", _("unknown side {side!r}").format(side=side), expected=" or ".join(FORM_SIDES))
    category = str(f.get("category") or label).strip()
    nominee = str(f["nominee"]).strip() if f.get("nominee") else None
    return AwardForm(attachment=attachment, number=int(m.group(1)), title=title, category=category,
                     side=side, nominee=nominee)


def award_words(p: Path, where: str, key: str, label: str, form: AwardForm | None, extra) -> tuple[str, ...]:
    """The words of 推荐类别 that name an award: its key, its label, its form's box
    words, and the entry's optional ``words:`` (a list of further spellings)."""
    if extra is None:
        extra = []
    if not isinstance(extra, list) or not all(isinstance(w, str) and w.strip() for w in extra):
        raise rules_error(p, where + ".words", _("a list of the words a nomination may name the award by"), value=extra)
    words = [key, label, *([form.category] if form is not None else []), *(w.strip() for w in extra)]
    return tuple(dict.fromkeys(words))


def check_words(p: Path, awards: dict[str, Award]) -> None:
    """No word names two awards (words compared as the ingest compares them)."""
    owner: dict[str, str] = {}
    for a in awards.values():
        for w in a.words:
            other = owner.setdefault(word_key(w), a.key)
            if other != a.key:
                raise rules_error(p, f"awards.{a.key}", _("the words {w!r} name the award {other!r} too").format(w=w, other=other),
                           expected=_("words of its own for each award (label, form.category, words)"))


def check_forms(p: Path, awards: dict[str, Award]) -> None:
    """The awards of one attachment (two at most: one a side) share its title and have
    a nominee row alike; no two awards have the same box words."""
    seen: dict = {}  # attachment number, and (number, side) -> the first award there
    words: dict[str, str] = {}
    for a in awards.values():
        f = a.form
        if f is None:
            continue
        where = f"awards.{a.key}.form"
        if f.category in words:
            raise rules_error(p, where, _("the category words {category!r} are those of {words!r} too").format(category=f.category, words=words[f.category]))
        words[f.category] = a.key
        other = seen.setdefault((f.number, f.side), a)
        if other is not a:
            raise rules_error(p, where + ".side", _("{key!r} is on the {side} of {attachment} already").format(key=other.key, side=f.side, attachment=f.attachment),
                       expected=_("left for one award of a form, right for the other"))
        other = seen.setdefault(f.number, a)
        if other is a:
            continue
        o = other.form
        if o.title != f.title or o.attachment != f.attachment:
            raise rules_error(p, where, _("the title differs from that of {key!r} on {attachment}").format(key=other.key, attachment=o.attachment),
                       value=f.title, expected=o.title)
        if (o.nominee is None) != (f.nominee is None):
            raise rules_error(p, where + ".nominee", (_("{key!r} on {attachment} has no nominee row") if o.nominee is None else
                        _("{key!r} on {attachment} has a nominee row")).format(key=other.key, attachment=f.attachment),
                       expected=_("a nominee label for both awards of a form or for neither"))

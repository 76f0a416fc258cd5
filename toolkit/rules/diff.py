"""What changed between two years' rules, clause by clause (``toolkit rules --diff``),
and a year's resolved rules as text (``toolkit rules --show``).

:func:`diff_rules` compares two validated :class:`~toolkit.rules.model.Rules` (a
carried-over file is compared as resolved) and returns a list of :class:`Change`: the
dated sections and settings, the review policy (``review:``), then per award the award itself (added, removed, its
label or clause changed, its approval form ``form:``) and its criteria (added, removed, and each changed field:
bound, operator, unit, wording, clause, label, metric, kind, note). Values are written
in their unit (``≥ 30,000 人``, ``≤ 1.5%``, ``≥ 6 个月``), with the Chinese labels and the
clause, by :func:`format_changes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from toolkit.rules.model import Award, RuleCriterion, Rules
from toolkit.vocabulary import (
    CHANGE_LABELS,
    CRITERION_KIND_LABELS,
    FORM_FIELD_LABELS,
    FORM_SIDE_LABELS,
    OP_SYMBOLS,
    REVIEW_POLICY_LABELS,
    REVIEW_RULE_LABELS,
    RULE_FIELD_LABELS,
    RULE_SECTION_LABELS,
    TRACK_LABELS,
    UNIT_LABELS,
)

#: the fields of a criterion compared, in the order a change lists them
CRITERION_FIELDS = ("bound", "op", "unit", "metric", "kind", "wording", "clause", "label", "note")
AWARD_FIELDS = ("label", "track", "kind", "clause")
FORM_FIELDS = ("attachment", "title", "category", "side", "nominee")
REVIEW_FIELDS = ("decision", "min_reviewers", "clause", "note")
REVIEW_SECTION = "review"


@dataclass(frozen=True)
class Change:
    """One difference: in ``section`` (a setting's name, or ``awards``), of ``award``
    and ``criterion`` when it is theirs, ``kind`` added / removed / changed, the
    ``field`` changed (None for an added or removed entry), the values before and after
    (JSON-ready), and the line a person reads (``text``)."""

    section: str
    kind: str
    text: str
    award: str | None = None
    criterion: str | None = None
    field: str | None = None
    old: object = None
    new: object = None


def value_text(value, unit: str | None) -> str:
    """A bound in its unit: ``30,000 人``, ``1.5%``, ``5,000,000 元``, ``6 个月``."""
    if value is None:
        return "—"
    if unit == "fraction":
        pct = Fraction(value) * 100
        return f"{float(pct):g}%"
    number = f"{int(value):,}" if Fraction(value).denominator == 1 else f"{float(value):,}"
    return f"{number} {UNIT_LABELS.get(unit or '', '')}".rstrip()


def bound_text(c: RuleCriterion) -> str:
    """``≥ 30,000 人``; the label for a qualitative criterion."""
    if c.qualitative:
        return CRITERION_KIND_LABELS["qualitative"]
    return f"{OP_SYMBOLS.get(c.op or '', c.op)} {value_text(c.bound, c.unit)}"


def _json(v):
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _field_text(field: str, v, c: RuleCriterion | None = None) -> str:
    if v is None:
        return "—"
    if field == "bound" and c is not None:
        return value_text(v, c.unit)
    if field == "op":
        return OP_SYMBOLS.get(v, v)
    if field == "unit":
        return UNIT_LABELS.get(v, v)
    if field == "kind":
        return CRITERION_KIND_LABELS.get(v, v)
    if field == "track":
        return TRACK_LABELS.get(v, v)
    if field in ("wording", "label", "note"):
        return f"“{v}”"
    return str(v)


def _settings(r: Rules) -> dict[str, tuple]:
    """Each dated section and setting: (value, clause, wording)."""
    s = r.settings

    def of(key):
        return s.get(key, {}).get("clause"), s.get(key, {}).get("wording")

    return {
        "year": (r.year, None, None),
        "period": (f"{r.period_start} — {r.period_end}", *of("period")),
        "cutoff": (str(r.cutoff), *of("cutoff")),
        "as_of": (r.as_of.isoformat(), *of("as_of")),
        "near_limit_share": (value_text(r.near_limit_share, "fraction"), *of("near_limit_share")),
        "rsvp_deadline": (r.rsvp_deadline.isoformat() if r.rsvp_deadline else None, *of("rsvp_deadline")),
    }


def _criterion_line(award: Award, c: RuleCriterion) -> str:
    return f"{award.label} · {c.label}（{c.clause}）"


def diff_rules(a: Rules, b: Rules) -> list[Change]:
    """The changes from rules ``a`` to rules ``b``."""
    out: list[Change] = []
    sa, sb = _settings(a), _settings(b)
    for key in sa:
        label = RULE_SECTION_LABELS[key]
        for i, field in enumerate(("value", "clause", "wording")):
            old, new = sa[key][i], sb[key][i]
            if field == "wording" and new is None:
                continue  # a wording the newer file does not state is no change: only what is stated compares
            if old != new:
                head = label if field == "value" else f"{label} {RULE_FIELD_LABELS[field]}"
                out.append(Change(section=key, kind="changed", field=field, old=_json(old), new=_json(new),
                                  text=f"{head}：{old if old is not None else '—'} → {new if new is not None else '—'}"))
    out.extend(_review_changes(a.review, b.review))
    for key in list(a.awards) + [k for k in b.awards if k not in a.awards]:
        out.extend(_award_changes(a.awards.get(key), b.awards.get(key)))
    return out


def _review_text(field: str, v) -> str:
    if v is None:
        return "—"
    if field == "decision":
        return REVIEW_POLICY_LABELS.get(v, v)
    if field == "note":
        return f"“{v}”"
    return str(v)


def _review_changes(x, y) -> list[Change]:
    """The review policy's settings (``review:``; a file without it has the default)."""
    out = []
    head = REVIEW_RULE_LABELS[REVIEW_SECTION]
    for field in REVIEW_FIELDS:
        old, new = getattr(x, field), getattr(y, field)
        if old != new:
            label = REVIEW_RULE_LABELS.get(field) or RULE_FIELD_LABELS[field]
            out.append(Change(section=REVIEW_SECTION, kind="changed", field=field, old=old, new=new,
                              text=f"{head} {label}：{_review_text(field, old)} → {_review_text(field, new)}"))
    return out


def _form_text(field: str, v) -> str:
    if v is None:
        return "—"
    if field == "side":
        return FORM_SIDE_LABELS.get(v, v)
    if field == "title":
        return "“" + str(v).replace("\n", " ") + "”"
    return f"“{v}”" if field in ("category", "nominee") else str(v)


def _form_changes(x: Award, y: Award) -> list[Change]:
    """An award's approval form (``form:``): added, removed, or each changed field
    (``field`` is ``form.<name>``)."""
    fx, fy = x.form, y.form
    form = FORM_FIELD_LABELS["form"]
    if fx == fy:
        return []
    if fx is None or fy is None:
        kind = "added" if fx is None else "removed"
        f = fy or fx
        return [Change(section="awards", kind=kind, award=y.key, field="form",
                       old=None if fx is None else fx.attachment, new=None if fy is None else fy.attachment,
                       text=f"{y.label}（{y.clause}）{CHANGE_LABELS[kind]}{form}：{f.attachment}"
                            f"“{f.category}”")]
    out = []
    for field in FORM_FIELDS:
        old, new = getattr(fx, field), getattr(fy, field)
        if old != new:
            out.append(Change(section="awards", kind="changed", award=y.key, field=f"form.{field}", old=old,
                              new=new, text=f"{y.label}（{y.clause}）{form} {FORM_FIELD_LABELS[field]}："
                                        f"{_form_text(field, old)} → {_form_text(field, new)}"))
    return out


def _award_changes(x: Award | None, y: Award | None) -> list[Change]:
    award = (y or x).key
    if x is None or y is None:
        kind = "added" if x is None else "removed"
        aw = y or x
        crits = "；".join(f"{c.label} {bound_text(c)}" for c in aw.criteria)
        return [Change(section="awards", kind=kind, award=award,
                       text=f"{CHANGE_LABELS[kind]}奖项 {aw.label}（{aw.clause}）：{crits}")]
    out = []
    for field in AWARD_FIELDS:
        old, new = getattr(x, field), getattr(y, field)
        if old != new:
            out.append(Change(section="awards", kind="changed", award=award, field=field, old=old, new=new,
                              text=f"{y.label}（{y.clause}）{RULE_FIELD_LABELS[field]}："
                                   f"{_field_text(field, old)} → {_field_text(field, new)}"))
    out.extend(_form_changes(x, y))
    xc, yc = {c.id: c for c in x.criteria}, {c.id: c for c in y.criteria}
    for cid in list(xc) + [i for i in yc if i not in xc]:
        c0, c1 = xc.get(cid), yc.get(cid)
        if c0 is None or c1 is None:
            kind = "added" if c0 is None else "removed"
            c = c1 or c0
            out.append(Change(section="awards", kind=kind, award=award, criterion=cid,
                              new=_json(c.bound) if c1 else None, old=_json(c.bound) if c0 else None,
                              text=f"{CHANGE_LABELS[kind]}条件 {_criterion_line(y, c)}：{bound_text(c)}"
                                   + (f"，原文“{c.wording}”" if c1 else "")))
            continue
        for field in CRITERION_FIELDS:
            old, new = getattr(c0, field), getattr(c1, field)
            if old != new:
                out.append(Change(
                    section="awards", kind="changed", award=award, criterion=cid, field=field,
                    old=_json(old), new=_json(new),
                    text=f"{_criterion_line(y, c1)} {RULE_FIELD_LABELS[field]}："
                         f"{_field_text(field, old, c0)} → {_field_text(field, new, c1)}"))
    return out


def format_changes(a: Rules, b: Rules, changes: list[Change]) -> str:
    """The changes as lines for a terminal, the settings first, then award by award."""
    lines = [f"{a.year} → {b.year}：{a.path} → {b.path}"]
    if not changes:
        return "\n".join([*lines, "（规则相同）"])
    last = None
    for ch in changes:
        group = ch.award or ch.section
        if group != last:
            title = (b.awards.get(ch.award) or a.awards.get(ch.award)).label if ch.award else ""
            section = RULE_SECTION_LABELS.get(ch.section) or REVIEW_RULE_LABELS.get(ch.section, ch.section)
            lines.append(f"\n[{title or section}]")
            last = group
        mark = {"added": "+", "removed": "-", "changed": "~"}[ch.kind]
        lines.append(f"  {mark} {ch.text}")
    return "\n".join(lines)


def show_rules(r: Rules) -> str:
    """A year's rules as resolved (a carried-over file with its base applied)."""
    lines = [f"{r.year}：{r.path}（sha256 {r.sha256[:12]}）"]
    for key, (value, clause, wording) in _settings(r).items():
        if key != "year" and value is not None:
            extra = "".join(f"（{t}）" for t in (clause,) if t) + (f"“{wording}”" if wording else "")
            lines.append(f"{RULE_SECTION_LABELS[key]}：{value}{extra}")
    for award in r.awards.values():
        lines.append(f"\n[{award.label}]（{award.clause}，{TRACK_LABELS.get(award.track, award.track)}）")
        for c in award.criteria:
            lines.append(f"  {c.id}  {c.label}（{c.clause}）：{bound_text(c)}  “{c.wording}”")
    return "\n".join(lines)

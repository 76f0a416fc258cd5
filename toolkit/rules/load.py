"""Load and validate a year's rules file (``rules/<year>.yaml``) into :class:`Rules`.

The rules file is the only place a year's criteria live: the code knows the metric
names, the units and the Civil Code's bound words, never a year's numbers. See
docs/rules.md for the file's format.

Validation is strict, because a silently misread rule is worse than a stopped run:
an unknown key, a missing clause or wording, a unit that does not fit the metric, an
operator that contradicts the wording (以上 with ``<``), or a bound that differs from
the number the wording states is a :class:`~toolkit.exceptions.RulesError` naming the
file and the place in it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from fractions import Fraction
from pathlib import Path

import pandas as pd

from toolkit import paths
from toolkit.exceptions import RulesError
from toolkit.i18n import gettext as _
from toolkit.ingest.contract import TRACKS
from toolkit.ingest.snapshot import take
from toolkit.metrics.registry import METRICS, NOMINEE_METRICS
from toolkit.rules.awards import award_form, award_words, check_forms, check_words
from toolkit.rules.carry import resolve_extends
from toolkit.rules.checks import check_keys, rules_error
from toolkit.rules.model import Award, RuleCriterion, Rules
from toolkit.rules.policy import REVIEW_DECISIONS, ReviewPolicy
from toolkit.rules.publicity import publicity_policy
from toolkit.rules.wording import wording_number, wording_ops
from toolkit.rules.yamlfile import read_rules_yaml

# --- the vocabulary the code knows ---------------------------------------------------

UNITS = UNITS_OF_RULES = ("persons", "person_times", "yuan", "fraction", "months", "characters", "count")
#: metric -> units it may be measured in (from the metric registry)
METRIC_UNITS: dict[str, tuple[str, ...]] = {
    m.name: (m.unit,) for m in METRICS.values() if m.unit in UNITS_OF_RULES
}
OPS = (">=", "<=", ">", "<", "==")
#: the longest period a criterion in months may ask for (a century; dates beyond it do not exist)
MAX_MONTHS = 1200
AWARD_KINDS = ("collective", "individual", "innovation")
_AWARD_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_.]{0,63}")
#: metrics that only make sense for a unit (collective) or for a nominee


_TOP_KEYS = {"year", "period", "cutoff", "as_of", "awards", "flags", "meeting", "note", "source", "review", "publicity"}
_PERIOD_KEYS = {"start", "end", "clause", "wording", "note"}
_CUTOFF_KEYS = {"at", "clause", "wording", "note"}
_ASOF_KEYS = {"date", "clause", "wording", "note"}
_AWARD_KEYS = {"label", "track", "kind", "clause", "criteria", "note", "form", "words"}
_CRITERION_KEYS = {"id", "label", "clause", "wording", "metric", "op", "bound", "unit", "kind", "note"}
_FLAGS_KEYS = {"near_limit_share"}
_SETTING_KEYS = {"value", "unit", "clause", "source", "note"}
_MEETING_KEYS = {"rsvp_deadline"}
_DEADLINE_KEYS = {"date", "clause", "wording", "note"}

BEIJING = dt.timezone(dt.timedelta(hours=8))


# --- loading -------------------------------------------------------------------------


def load_rules(year: int | None = None, path: str | Path | None = None) -> Rules:
    """Read and validate the rules file of ``year`` (default ``rules/<year>.yaml``).

    With ``path`` the file is read from there; its ``year`` must then agree with
    ``year`` if both are given. A missing file is a :class:`RulesError` naming the path
    it looked for.
    """
    if year is None and path is None:
        raise RulesError(_("load_rules needs a year or a path"))
    p = Path(path).expanduser() if path is not None and str(path) != "" else paths.rules_file(year)
    p = p.absolute()  # stays right if the working directory changes later
    if not p.is_file():
        raise RulesError(
            _("no rules file for {value}: {p} does not exist").format(value=year if year is not None else 'this run', p=p),
            file=p,
            hint=_("write rules/{value}.yaml (see docs/rules.md; copy the previous year's file and change what the new notice changes) or pass --rules").format(value=year if year is not None else '<year>'),
        )
    data = take(p).data  # the bytes hashed are the bytes parsed (ingest.snapshot)
    raw = read_rules_yaml(p, data)  # strict: no key twice, no alias (rules/yamlfile.py)
    raw, digest = resolve_extends(raw, p, data)  # extends: (rules/carry.py)
    rules = _build(raw, p, digest)
    if year is not None and rules.year != int(year):
        raise RulesError(
            _("the rules file is for {year}, not {year2}").format(year=rules.year, year2=year), file=p, hint=_("pass the rules file of the year")
        )
    return rules


def _timestamp(p: Path, where: str, value) -> pd.Timestamp:
    """A moment, as tz-naive Beijing time. Without an offset it is Beijing time."""
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise rules_error(p, where, _("not a date and time"), value=value, expected="e.g. 2022-01-01T00:00:00+08:00") from None
    if ts is pd.NaT:
        raise rules_error(p, where, _("not a date and time"), value=value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert(BEIJING).tz_localize(None)
    return ts


def _date(p: Path, where: str, value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise rules_error(p, where, _("not a date"), value=value, expected=_("YYYY-MM-DD")) from None


def _exact(p: Path, where: str, value) -> int | Fraction:
    """A bound as written, exactly: 0.015 is 3/200, not the nearest binary float."""
    if isinstance(value, bool) or value is None:
        raise rules_error(p, where, _("the bound must be a plain number"), value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):  # .nan, .inf, or a number too large for a float (1e400)
            raise rules_error(p, where, _("the bound must be a finite number"), value=value)
        f = Fraction(repr(value))
    else:
        try:
            f = Fraction(str(value).strip())
        except (ValueError, ZeroDivisionError):
            raise rules_error(p, where, _("the bound must be a plain number"), value=value) from None
    return int(f) if f.denominator == 1 else f


def _criterion(p: Path, award: str, award_kind: str, award_track: str, i: int, c) -> RuleCriterion:
    where = f"awards.{award}.criteria[{i}]"
    if isinstance(c, dict) and c.get("id"):
        where = f"awards.{award}.criteria[{i}] ({c.get('id')})"
    check_keys(p, where, c, _CRITERION_KEYS, {"id", "label", "clause", "wording"})
    kind = c.get("kind", "threshold")
    text = {k: str(c[k]).strip() for k in ("id", "label", "clause", "wording")}
    note = str(c["note"]) if c.get("note") is not None else None
    if kind == "qualitative":
        extra = sorted(k for k in ("metric", "op", "bound", "unit") if c.get(k) is not None)
        if extra:
            raise rules_error(p, where, _("a qualitative criterion has no {extra!r}").format(extra=extra[0]))
        return RuleCriterion(award=award, kind="qualitative", note=note, **text)
    if kind != "threshold":
        raise rules_error(p, where, _("unknown kind {kind!r}").format(kind=kind), expected=_("threshold or qualitative"))
    for k in ("metric", "op", "bound", "unit"):
        if c.get(k) is None or c.get(k) == "":
            raise rules_error(p, where, _("missing {k!r}").format(k=k))
    metric, op, unit = str(c["metric"]), str(c["op"]).strip(), str(c["unit"])
    if metric not in METRIC_UNITS:
        raise rules_error(p, where, _("unknown metric {metric!r}").format(metric=metric), expected=_("one of ") + ", ".join(METRIC_UNITS))
    if unit not in UNITS:
        raise rules_error(p, where, _("unknown unit {unit!r}").format(unit=unit), expected=_("one of ") + ", ".join(UNITS))
    if unit not in METRIC_UNITS[metric]:
        raise rules_error(
            p, where, _("unit {unit!r} does not fit metric {metric!r}").format(unit=unit, metric=metric),
            expected=" or ".join(METRIC_UNITS[metric]),
        )
    if op not in OPS:
        raise rules_error(p, where, _("unknown operator {op!r}").format(op=op), expected=_("one of ") + ", ".join(OPS))
    if (metric in NOMINEE_METRICS) != (award_kind != "collective"):
        raise rules_error(p, where, _("metric {metric!r} does not apply to a {award_kind} award").format(metric=metric, award_kind=award_kind))
    if award_track not in METRICS[metric].tracks:
        raise rules_error(p, where, _("metric {metric!r} is not computed for the {award_track} track").format(metric=metric, award_track=award_track),
                   expected=_("a metric of the track: ") + ", ".join(
                       m.name for m in METRICS.values() if award_track in m.tracks and m.name in METRIC_UNITS
                       and (m.name in NOMINEE_METRICS) == (award_kind != "collective")))
    bound = _exact(p, where + ".bound", c["bound"])
    if bound < 0:
        raise rules_error(p, where, _("the bound must not be negative"), value=c["bound"])
    if unit == "fraction" and bound > 1:
        raise rules_error(p, where, _("a fraction bound is at most 1 (write 0.75, not 75)"), value=c["bound"])
    if unit in ("persons", "person_times", "count", "months", "characters") and not isinstance(bound, int):
        raise rules_error(p, where, _("a bound in {unit} is a whole number").format(unit=unit), value=c["bound"])
    if unit == "months" and bound > MAX_MONTHS:
        raise rules_error(p, where, _("a period in months is at most {MAX_MONTHS}").format(MAX_MONTHS=MAX_MONTHS), value=c["bound"])
    if unit == "months" and op not in (">=", ">"):
        raise rules_error(p, where, _("a period in months is compared with >= or >, not {op!r}").format(op=op))
    found = wording_ops(text["wording"])
    if found is not None:
        word, allowed = found
        if op not in allowed:
            raise rules_error(
                p, where, _("operator {op!r} contradicts the wording's {word!r}").format(op=op, word=word),
                value=text["wording"], expected=_("{operators} (Civil Code art. 1259)").format(operators=_(" or ").join(allowed)),
            )
        if op == "==" and bound != 0:
            raise rules_error(p, where, _("the wording's {word!r} means a count of 0").format(word=word), value=c["bound"])
    number = wording_number(text["wording"], unit)
    if number is not None and number != bound:
        raise rules_error(
            p, where, _("the bound {c} differs from the wording's number").format(c=c['bound']),
            value=text["wording"], expected=f"{float(number):g} in {unit}",
        )
    return RuleCriterion(award=award, kind="threshold", metric=metric, op=op, bound=bound, unit=unit,
                         note=note, **text)


def _build(raw, p: Path, sha256: str) -> Rules:
    check_keys(p, "the file", raw, _TOP_KEYS, {"year", "period", "as_of", "awards"})
    year = raw["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise rules_error(p, "year", _("not a year"), value=year)

    period = raw["period"]
    check_keys(p, "period", period, _PERIOD_KEYS, {"start", "end", "clause"})
    start = _timestamp(p, "period.start", period["start"])
    end = _timestamp(p, "period.end", period["end"])
    if not start < end:
        raise rules_error(p, "period", _("the start is not before the end"), value=f"{start} .. {end}")
    settings: dict = {"period": {k: period.get(k) for k in ("clause", "wording", "note") if period.get(k)}}

    cutoff = end
    if raw.get("cutoff") is not None:
        c = raw["cutoff"]
        check_keys(p, "cutoff", c, _CUTOFF_KEYS, {"at", "clause"})
        cutoff = _timestamp(p, "cutoff.at", c["at"])
        if cutoff != end:
            raise rules_error(p, "cutoff", _("the cut-off must be the period's end"), value=str(cutoff),
                       expected=str(end))
        settings["cutoff"] = {k: c.get(k) for k in ("clause", "wording", "note") if c.get(k)}

    a = raw["as_of"]
    if isinstance(a, dict):
        check_keys(p, "as_of", a, _ASOF_KEYS, {"date", "clause"})
        as_of = _date(p, "as_of.date", a["date"])
        settings["as_of"] = {k: a.get(k) for k in ("clause", "wording", "note") if a.get(k)}
    else:
        raise rules_error(p, "as_of", _("expected a mapping with date and clause"), value=a)

    awards_raw = raw["awards"]
    if not isinstance(awards_raw, dict) or not awards_raw:
        raise rules_error(p, "awards", _("expected a mapping of awards"))
    awards: dict[str, Award] = {}
    for key, ad in awards_raw.items():
        where = f"awards.{key}"
        if not isinstance(key, str) or not _AWARD_KEY.fullmatch(key):
            raise rules_error(p, where, _("an award key is a short code of letters, digits, '_' and '.' ({key!r})").format(key=key),
                       expected=_("e.g. staff.collective"))
        check_keys(p, where, ad, _AWARD_KEYS, {"label", "track", "kind", "clause", "criteria"})
        if ad["track"] not in TRACKS:
            raise rules_error(p, where, _("unknown track {ad!r}").format(ad=ad['track']), expected=" or ".join(TRACKS))
        if ad["kind"] not in AWARD_KINDS:
            raise rules_error(p, where, _("unknown kind {ad!r}").format(ad=ad['kind']), expected=_("one of ") + ", ".join(AWARD_KINDS))
        if not isinstance(ad["criteria"], list) or not ad["criteria"]:
            raise rules_error(p, where, _("criteria must be a non-empty list"))
        crits = tuple(_criterion(p, key, ad["kind"], ad["track"], i, c) for i, c in enumerate(ad["criteria"]))
        ids = [c.id for c in crits]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise rules_error(p, where, _("criterion id {dup!r} appears twice").format(dup=dup[0]))
        form = award_form(p, where, str(ad["label"]), ad.get("form"))
        awards[key] = Award(key=key, label=str(ad["label"]), track=ad["track"], kind=ad["kind"],
                            clause=str(ad["clause"]), criteria=crits, form=form,
                            words=award_words(p, where, key, str(ad["label"]), form, ad.get("words")))
    check_forms(p, awards)
    check_words(p, awards)

    share = Fraction(4, 5)
    flags = raw.get("flags")
    if flags is not None:
        check_keys(p, "flags", flags, _FLAGS_KEYS, set())
        s = flags.get("near_limit_share")
        if s is not None:
            check_keys(p, "flags.near_limit_share", s, _SETTING_KEYS, {"value", "unit"})
            if s["unit"] != "fraction":
                raise rules_error(p, "flags.near_limit_share", _("unit {s!r} does not fit a share").format(s=s['unit']),
                           expected=_("fraction"))
            if "clause" not in s and "source" not in s:
                raise rules_error(p, "flags.near_limit_share", _("missing 'clause' or 'source'"))
            share = Fraction(_exact(p, "flags.near_limit_share.value", s["value"]))
            if not 0 < share <= 1:
                raise rules_error(p, "flags.near_limit_share", _("the share must be above 0 and at most 1"),
                           value=s["value"])
            settings["near_limit_share"] = {k: s.get(k) for k in ("unit", "clause", "source", "note") if s.get(k)}

    rsvp = None
    meeting = raw.get("meeting")
    if meeting is not None:
        check_keys(p, "meeting", meeting, _MEETING_KEYS, set())
        d = meeting.get("rsvp_deadline")
        if d is not None:
            check_keys(p, "meeting.rsvp_deadline", d, _DEADLINE_KEYS, {"date", "clause"})
            rsvp = _date(p, "meeting.rsvp_deadline.date", d["date"])
            settings["rsvp_deadline"] = {k: d.get(k) for k in ("clause", "wording", "note") if d.get(k)}

    return Rules(
        year=year, path=p, sha256=sha256, period_start=start, period_end=end, cutoff=cutoff,
        as_of=as_of, awards=awards, near_limit_share=share, rsvp_deadline=rsvp,
        settings=settings, raw=raw, review=review_policy(p, raw.get("review")),
        publicity=publicity_policy(p, raw.get("publicity")),
    )


# --- the review section (docs/review-cycle.md) ----------------------------------------

_REVIEW_KEYS = {"decision", "min_reviewers", "clause", "note"}


def review_policy(p: Path, raw) -> ReviewPolicy:
    """The optional ``review:`` section: how reviewers' decisions combine. Without it,
    a majority of at least one reviewer."""
    if raw is None:
        return ReviewPolicy()
    check_keys(p, "review", raw, _REVIEW_KEYS, set())
    decision = str(raw.get("decision", "majority")).strip()
    if decision not in REVIEW_DECISIONS:
        raise rules_error(p, "review.decision", _("unknown decision rule {decision!r}").format(decision=decision),
                   expected=" or ".join(REVIEW_DECISIONS))
    n = raw.get("min_reviewers", 1)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise rules_error(p, "review.min_reviewers", _("not a whole number of at least 1"), value=n)
    text = {k: str(raw[k]).strip() for k in ("clause", "note") if raw.get(k) is not None}
    return ReviewPolicy(decision=decision, min_reviewers=n, **text)

"""Evaluate units (collectives) and nominees (individuals, innovation) against a year's
rules; collect flags and near misses into an :class:`Evaluation`.

Every criterion is ``pass``, ``fail`` or ``unknown`` (its input is missing or its
denominator is zero), compared exactly: counts as integers, money in fen, ratios as
:class:`~fractions.Fraction`, periods in calendar months (Civil Code arts. 201-202).
An outcome is ``not_eligible`` if any criterion fails, else ``needs_review`` if any is
unknown, else ``eligible``. Qualitative criteria are always unknown, so nominees end at
best in ``needs_review``.

The :class:`Evaluation` holds everything the report, the forms and the exports need
(unit names, metrics, labels), so they do not need the ``YearData`` again.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit import paths
from toolkit.evaluation.flags import FLAG_KINDS, FLAG_LABELS, Flag, compute_flags
from toolkit.ingest.contract import CATEGORY_LABELS, TRACKS
from toolkit.metrics.compute import (
    METRIC_LABELS,
    RATIOS,
    TRACK_METRICS,
    exact_value,
    fmt_int,
    fmt_pct,
    fmt_pp,
    fmt_yuan,
    int_or_none,
    unit_metrics,
)
from toolkit.vocabulary import TRACK_LABELS

__all__ = [
    "evaluate", "Evaluation", "UnitResult", "NomineeResult", "Criterion", "Flag", "NearMiss",
    "OUTCOMES", "OUTCOME_LABELS", "CRITERION_OUTCOME_LABELS", "FLAG_KINDS", "FLAG_LABELS",
    "add_months", "deeds_chars",
]

OUTCOMES = ("eligible", "needs_review", "not_eligible")
OUTCOME_LABELS = {"eligible": "符合条件", "needs_review": "需人工审核", "not_eligible": "不符合条件"}
CRITERION_OUTCOME_LABELS = {"pass": "符合", "fail": "不符合", "unknown": "待核实"}
#: the unit a shortfall is stated in, per criterion unit
SHORTFALL_UNITS = {
    "persons": "人", "person_times": "人次", "yuan": "元", "fraction": "个百分点",
    "months": "天", "characters": "字", "count": "件",
}
_WS = re.compile(r"\s+")


# --- results -------------------------------------------------------------------------


@dataclass
class Criterion:
    """One criterion applied to one unit or nominee.

    ``value`` and ``bound`` are JSON-ready (yuan as numbers, fractions as floats, dates
    ISO). ``margin`` is how far the value is from the bound in ``margin_unit`` (人, 元,
    个百分点, 天, 字, 件): positive is room to spare, negative a shortfall; None when
    unknown or qualitative. ``relative_shortfall`` (fails only) orders near misses.
    """

    id: str
    label: str
    clause: str
    wording: str
    outcome: str
    explanation: str
    kind: str = "threshold"
    metric: str | None = None
    op: str | None = None
    bound: Any = None
    unit: str | None = None
    value: Any = None
    margin: float | int | None = None
    margin_unit: str | None = None
    relative_shortfall: float | None = None
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {
            "id": self.id, "label": self.label, "clause": self.clause, "kind": self.kind,
            "metric": self.metric, "op": self.op, "bound": self.bound, "unit": self.unit,
            "value": self.value, "outcome": self.outcome, "margin": self.margin,
            "margin_unit": self.margin_unit, "wording": self.wording, "explanation": self.explanation,
        }
        d.update(self.detail)
        return d


def _outcome(criteria: list[Criterion]) -> str:
    outcomes = {c.outcome for c in criteria}
    if "fail" in outcomes:
        return "not_eligible"
    if "unknown" in outcomes:
        return "needs_review"
    return "eligible"


@dataclass
class UnitResult:
    track: str
    unit_id: str
    unit_name: str | None
    metrics: dict
    criteria: list[Criterion]
    outcome: str
    nominated: bool = False
    award: str = ""
    award_label: str = ""
    nominee: str | None = None  # the collective's name on the nomination form
    nomination_row: int | None = None
    deeds_chars: int | None = None

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if c.outcome == "fail"]

    @property
    def unknown(self) -> list[Criterion]:
        return [c for c in self.criteria if c.outcome == "unknown"]

    def to_dict(self) -> dict:
        return {
            "track": self.track, "unit_id": self.unit_id, "unit_name": self.unit_name,
            "award": self.award, "award_label": self.award_label, "nominated": self.nominated,
            "nominee": self.nominee, "nomination_row": self.nomination_row, "deeds_chars": self.deeds_chars,
            "metrics": self.metrics, "criteria": [c.to_dict() for c in self.criteria],
            "outcome": self.outcome,
        }


@dataclass
class NomineeResult:
    category: str  # e.g. staff.individual, innovation.professional
    track: str
    kind: str  # individual / innovation
    unit_id: str | None
    unit_name: str | None
    nominee: str | None
    row: int | None
    deeds_chars: int | None
    criteria: list[Criterion]
    outcome: str
    qualitative: list[dict] = field(default_factory=list)  # {id, label, clause, wording}
    award_label: str = ""
    started_on: str | None = None  # ISO date
    # for the forms; never written to evaluation.json or the tables
    deeds: str | None = field(default=None, repr=False)
    unit_leader: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    contact_phone: str | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {
            "category": self.category, "award_label": self.award_label, "track": self.track,
            "kind": self.kind, "unit_id": self.unit_id, "unit_name": self.unit_name,
            "nominee": self.nominee, "row": self.row, "started_on": self.started_on,
            "deeds_chars": self.deeds_chars, "criteria": [c.to_dict() for c in self.criteria],
            "qualitative": self.qualitative, "outcome": self.outcome,
        }


@dataclass
class NearMiss:
    """A unit that failed a collective: what failed and by how much."""

    track: str
    unit_id: str
    unit_name: str | None
    failed: list[dict]  # {id, label, clause, metric, value, bound, shortfall, shortfall_unit, relative_shortfall, explanation}
    failed_count: int
    closeness: float  # sum of relative shortfalls: smaller is closer
    message: str
    nominated: bool = False

    def to_dict(self) -> dict:
        return {
            "track": self.track, "unit_id": self.unit_id, "unit_name": self.unit_name,
            "nominated": self.nominated, "failed_count": self.failed_count,
            "closeness": self.closeness, "failed": self.failed, "message": self.message,
        }


@dataclass
class Evaluation:
    year: int
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    as_of: dt.date
    rules_path: str
    rules_sha256: str
    collective: list[UnitResult]
    individual: list[NomineeResult]
    innovation: list[NomineeResult]
    flags: list[Flag]
    near_misses: list[NearMiss]
    ledger: list[dict]
    metrics: pd.DataFrame  # one row per (track, unit_id); money also in fen
    unit_names: dict[str, str]
    award_labels: dict[str, str]
    criterion_labels: dict[str, dict[str, str]]  # award -> criterion id -> label
    rsvp_deadline: dt.date | None = None
    near_limit_share: float | None = None
    missing_tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    # --- views ---------------------------------------------------------------------

    def unit(self, track: str, unit_id: str) -> UnitResult | None:
        for u in self.collective:
            if u.track == track and u.unit_id == unit_id:
                return u
        return None

    def summary(self) -> dict:
        """Counts of outcomes per award."""
        out: dict[str, dict[str, int]] = {}
        for u in self.collective:
            d = out.setdefault(u.award, dict.fromkeys(OUTCOMES, 0))
            d[u.outcome] += 1
        for n in self.individual + self.innovation:
            d = out.setdefault(n.category, dict.fromkeys(OUTCOMES, 0))
            d[n.outcome] += 1
        return {k: out[k] for k in sorted(out)}

    def to_dict(self) -> dict:
        """``evaluation.json``: JSON-ready, deterministic (no timestamps of the run)."""
        return {
            "year": self.year,
            "period": {"start": _iso_beijing(self.period_start), "end": _iso_beijing(self.period_end)},
            "as_of": self.as_of.isoformat(),
            "rules": {"path": self.rules_path, "sha256": self.rules_sha256},
            "summary": self.summary(),
            "collective": [u.to_dict() for u in self.collective],
            "individual": [n.to_dict() for n in self.individual],
            "innovation": [n.to_dict() for n in self.innovation],
            "flags": [f.to_dict() for f in self.flags],
            "near_misses": [m.to_dict() for m in self.near_misses],
            "ledger": [_json_ready(e) for e in self.ledger],
            "missing_tables": list(self.missing_tables),
            "rsvp_deadline": self.rsvp_deadline.isoformat() if self.rsvp_deadline else None,
            "labels": {
                "awards": self.award_labels,
                "criteria": self.criterion_labels,
                "outcomes": OUTCOME_LABELS,
                "criterion_outcomes": CRITERION_OUTCOME_LABELS,
                "flags": FLAG_LABELS,
                "metrics": {k: v[0] for k, v in METRIC_LABELS.items()},
                "tracks": dict(TRACK_LABELS),
            },
            "warnings": list(self.warnings),
        }

    PARTS = ("collective", "criteria", "individual", "innovation", "flags", "near_misses", "ledger")

    def to_frame(self, part: str) -> pd.DataFrame:
        """A DataFrame per part: collective, criteria, individual, innovation, flags,
        near_misses, ledger. English column names, code values (see export for the
        Chinese tables)."""
        if part == "collective":
            rows = []
            for u in self.collective:
                row = {"track": u.track, "award": u.award, "unit_id": u.unit_id, "unit_name": u.unit_name,
                       "nominated": u.nominated, "outcome": u.outcome,
                       "failed": ", ".join(c.id for c in u.failed), "unknown": ", ".join(c.id for c in u.unknown)}
                for m in _ALL_METRICS:
                    row[m] = u.metrics.get(m)
                rows.append(row)
            cols = ["track", "award", "unit_id", "unit_name", "nominated", "outcome", "failed", "unknown",
                    *_ALL_METRICS]
            return pd.DataFrame(rows, columns=cols)
        if part == "criteria":
            rows = []
            for u in self.collective:
                for c in u.criteria:
                    rows.append({"track": u.track, "award": u.award, "unit_id": u.unit_id,
                                 "unit_name": u.unit_name, "nominee": None, "row": None, **_crit_row(c)})
            for n in self.individual + self.innovation:
                for c in n.criteria:
                    rows.append({"track": n.track, "award": n.category, "unit_id": n.unit_id,
                                 "unit_name": n.unit_name, "nominee": n.nominee, "row": n.row, **_crit_row(c)})
            cols = ["track", "award", "unit_id", "unit_name", "nominee", "row", *_CRIT_COLS]
            return pd.DataFrame(rows, columns=cols)
        if part in ("individual", "innovation"):
            rows = []
            for n in getattr(self, part):
                by_id = {c.id: c for c in n.criteria}
                row = {"category": n.category, "track": n.track, "unit_id": n.unit_id, "unit_name": n.unit_name,
                       "nominee": n.nominee, "row": n.row, "started_on": n.started_on,
                       "deeds_chars": n.deeds_chars, "outcome": n.outcome,
                       "failed": ", ".join(c.id for c in n.criteria if c.outcome == "fail"),
                       "unknown": ", ".join(c.id for c in n.criteria if c.outcome == "unknown"
                                            and c.kind != "qualitative")}
                for cid in ("tenure_months", "deeds_length", "unit_in_system"):
                    if cid in by_id:
                        row[cid] = by_id[cid].outcome
                row["explanation"] = "；".join(c.explanation for c in n.criteria if c.kind != "qualitative")
                row["qualitative"] = "；".join(q["label"] for q in n.qualitative)
                rows.append(row)
            cols = ["category", "track", "unit_id", "unit_name", "nominee", "row", "started_on", "deeds_chars",
                    "outcome", "failed", "unknown"]
            if part == "individual":
                cols.append("tenure_months")
            cols += ["deeds_length", "unit_in_system", "explanation", "qualitative"]
            return pd.DataFrame(rows, columns=cols)
        if part == "flags":
            cols = ["kind", "track", "unit_id", "unit_name", "table", "value", "bound", "count", "amount", "message"]
            return pd.DataFrame([{k: f.to_dict()[k] for k in cols} for f in self.flags], columns=cols)
        if part == "near_misses":
            rows = []
            for rank, m in enumerate(self.near_misses, 1):
                for f in m.failed:
                    rows.append({"rank": rank, "track": m.track, "unit_id": m.unit_id, "unit_name": m.unit_name,
                                 "nominated": m.nominated, "failed_count": m.failed_count,
                                 "closeness": m.closeness, **{k: f.get(k) for k in _NEAR_COLS}})
            cols = ["rank", "track", "unit_id", "unit_name", "nominated", "failed_count", "closeness", *_NEAR_COLS]
            return pd.DataFrame(rows, columns=cols)
        if part == "ledger":
            rows = []
            for e in self.ledger:
                ex, q = e.get("excluded") or {}, e.get("quarantined") or {}
                rows.append({
                    "table": e.get("table"), "file": _str_or_none(e.get("file")), "sheet": e.get("sheet"),
                    "rows_read": e.get("rows_read"), "rows_used": e.get("rows_used"),
                    "excluded": int(sum(ex.values())), "quarantined": int(sum(q.values())),
                    "excluded_reasons": "; ".join(f"{k}: {v}" for k, v in sorted(ex.items()) if v),
                    "quarantined_reasons": "; ".join(f"{k}: {v}" for k, v in sorted(q.items()) if v),
                })
            cols = ["table", "file", "sheet", "rows_read", "rows_used", "excluded", "quarantined",
                    "excluded_reasons", "quarantined_reasons"]
            return pd.DataFrame(rows, columns=cols)
        raise ValueError(f"unknown part {part!r}; one of {', '.join(self.PARTS)}")


_ALL_METRICS = list(dict.fromkeys(m for t in TRACKS for m in TRACK_METRICS[t]))
_CRIT_COLS = ["id", "label", "clause", "kind", "metric", "op", "bound", "unit", "value", "outcome",
              "margin", "margin_unit", "wording", "explanation"]
_NEAR_COLS = ["id", "label", "clause", "metric", "unit", "value", "bound", "shortfall", "shortfall_unit",
              "relative_shortfall", "explanation"]


def _crit_row(c: Criterion) -> dict:
    d = c.to_dict()
    return {k: d.get(k) for k in _CRIT_COLS}


def _str_or_none(v):
    return None if v is None else str(v)


def _iso_beijing(ts: pd.Timestamp) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


def _json_ready(v):
    if isinstance(v, dict):
        return {str(k): _json_ready(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_ready(x) for x in v]
    if isinstance(v, Path):
        return str(v)
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    return v


# --- calendar months -----------------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` plus ``months`` calendar months, clamped to the month's last day
    (2022-08-31 + 6 = 2023-02-28): the Civil Code's count (arts. 201-202)."""
    m0 = d.month - 1 + months
    y, m = d.year + m0 // 12, m0 % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def deeds_chars(text) -> int | None:
    """Characters of 主要事迹, white space not counted; None when there is no text."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return None
    n = len(_WS.sub("", str(text)))
    return n if n else None


# --- comparing ---------------------------------------------------------------------


def _holds(value, op: str, bound) -> bool:
    if op == ">=":
        return value >= bound
    if op == "<=":
        return value <= bound
    if op == ">":
        return value > bound
    if op == "<":
        return value < bound
    if op == "==":
        return value == bound
    raise ValueError(op)


def _show(unit: str, metric: str, v, *, other=None) -> str:
    """A value with its unit, as the report writes it."""
    if unit == "yuan":
        return f"{fmt_yuan(v)} 元"
    if unit == "fraction":
        return fmt_pct(v, differ_from=other)
    word = METRIC_LABELS.get(metric, ("", ""))[1] or {"persons": "人", "person_times": "人次", "count": "件",
                                                       "characters": "字"}.get(unit, "")
    return f"{fmt_int(v)} {word}".rstrip()


def _show_margin(unit: str, metric: str, diff) -> str:
    if unit == "fraction":
        return f"{fmt_pp(diff)} 个百分点"
    return _show(unit, metric, abs(diff))


def _json_value(unit: str, v):
    if v is None:
        return None
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    return v


def _threshold(rc, value, *, label: str, unknown_reason: str | None = None, value_text: str | None = None) -> Criterion:
    """A numeric criterion: exact comparison, explanation with the margin."""
    base = dict(id=rc.id, label=rc.label, clause=rc.clause, wording=rc.wording, metric=rc.metric, op=rc.op,
                bound=rc.bound_number(), unit=rc.unit)
    if value is None:
        return Criterion(outcome="unknown", value=None,
                         explanation=f"{label}未知：{unknown_reason or '缺少数据'}（{rc.clause}）", **base)
    bound = rc.bound
    ok = _holds(value, rc.op, bound)
    unit, metric = rc.unit, rc.metric
    shown_v = value_text or f"{label} {_show(unit, metric, value, other=bound)}"
    shown_b = _show(unit, metric, bound)
    diff = Fraction(value) - Fraction(bound)
    margin = diff if rc.op in (">=", ">") else -diff
    rel = None
    if rc.op == "==":
        margin = -abs(diff)
        text = (f"{shown_v}，符合“{rc.wording}”（{rc.clause}）" if ok
                else f"{shown_v}，不符合“{rc.wording}”（{rc.clause}）")
        if not ok:
            rel = float(abs(diff) / bound) if bound else float(abs(diff))
    elif rc.op in (">=", ">"):
        if ok:
            text = (f"{shown_v}，恰好达到标准 {shown_b}（{rc.clause}）" if diff == 0
                    else f"{shown_v}，达到标准 {shown_b}（{rc.clause}），超出 {_show_margin(unit, metric, diff)}")
        else:
            word = "低于" if diff < 0 else "未超过"
            text = f"{shown_v}，{word}标准 {shown_b}（{rc.clause}），差 {_show_margin(unit, metric, diff)}"
            rel = float(-diff / bound) if bound else 1.0
    else:
        if ok:
            text = (f"{shown_v}，未超过标准 {shown_b}（{rc.clause}），余 {_show_margin(unit, metric, diff)}"
                    if diff else f"{shown_v}，恰好等于上限 {shown_b}（{rc.clause}）")
        else:
            word = "超过" if diff > 0 else "未低于"
            text = f"{shown_v}，{word}标准 {shown_b}（{rc.clause}），超出 {_show_margin(unit, metric, diff)}"
            rel = float(diff / bound) if bound else float(diff)
    if unit == "fraction":
        margin_num, margin_unit = float(margin * 100), SHORTFALL_UNITS[unit]
    else:
        word = METRIC_LABELS.get(metric, ("", ""))[1]
        margin_num, margin_unit = _json_value(unit, margin), (word if word and word != "%" else
                                                              SHORTFALL_UNITS.get(unit))
    return Criterion(outcome="pass" if ok else "fail", value=_json_value(unit, value), explanation=text,
                     margin=margin_num, margin_unit=margin_unit, relative_shortfall=rel, **base)


def _months(rc, start, as_of: dt.date, *, label: str, terminated=None, unknown_reason: str | None = None,
            missing_fails: str | None = None) -> Criterion:
    """A period in calendar months: start + N months (clamped) on or before ``as_of``,
    and, for a contract, not terminated on or before ``as_of``."""
    base = dict(id=rc.id, label=rc.label, clause=rc.clause, wording=rc.wording, metric=rc.metric, op=rc.op,
                bound=rc.bound_number(), unit=rc.unit)
    if start is None:
        if missing_fails:
            return Criterion(outcome="fail", explanation=f"{missing_fails}（{rc.clause}）", relative_shortfall=1.0,
                             **base)
        return Criterion(outcome="unknown", explanation=f"{label}未知：{unknown_reason or '缺少数据'}（{rc.clause}）",
                         **base)
    start = pd.Timestamp(start).date()
    n = int(rc.bound)
    reached = add_months(start, n)
    detail = {"reached_on": reached.isoformat()}
    ok = reached <= as_of if rc.op == ">=" else reached < as_of
    margin = (as_of - reached).days
    if n == 0:
        text = (f"{label} {start.isoformat()}，截至 {as_of.isoformat()} 已签订（{rc.clause}）" if ok
                else f"{label} {start.isoformat()}，截至 {as_of.isoformat()} 尚未签订（{rc.clause}），差 {-margin} 天")
    elif ok:
        text = (f"{label} {start.isoformat()}，至 {as_of.isoformat()} 已满 {n} 个月（{reached.isoformat()} 届满）"
                f"（{rc.clause}）")
    else:
        text = (f"{label} {start.isoformat()}，至 {as_of.isoformat()} 未满 {n} 个月（{reached.isoformat()} 届满）"
                f"（{rc.clause}），差 {-margin} 天")
    rel = None if ok else max(-margin, 1) / max((reached - start).days, 1)
    if terminated is not None and not pd.isna(terminated):
        term = pd.Timestamp(terminated).date()
        detail["terminated_on"] = term.isoformat()
        if term <= as_of:
            ok = False
            rel = 1.0
            margin = None
            detail["margin_unit"] = None
            text = f"{label} {start.isoformat()}，合同已于 {term.isoformat()} 终止（{rc.clause}）"
    margin_unit = detail.pop("margin_unit", "天")
    return Criterion(outcome="pass" if ok else "fail", value=start.isoformat(), explanation=text,
                     margin=margin, margin_unit=margin_unit, relative_shortfall=rel, detail=detail, **base)


def _qualitative(rc) -> Criterion:
    return Criterion(id=rc.id, label=rc.label, clause=rc.clause, wording=rc.wording, kind="qualitative",
                     outcome="unknown", explanation=f"需评审人员审核：{rc.label}（{rc.clause}）")


# --- unknown reasons ---------------------------------------------------------------


def _metric_unknown_reason(metric: str, row: dict, present: set[str], track: str) -> str:
    pay = "staff_payments" if track == "staff" else "professional_enrollments"
    if metric in ("paid_trainees", "income", "person_times", "refunds") and pay not in present:
        return f"缺少{pay}表"
    if metric in RATIOS:
        num, den = RATIOS[metric]
        if metric == "paid_to_registered" and "staff_registrations" not in present:
            return "缺少注册明细表（staff_registrations）"
        if metric == "paid_to_target":
            if "targets" not in present:
                return "缺少应培人数表（targets）"
            if row.get(den) is None or row.get(den) is pd.NA:
                return "应培人数表中没有该单位的应培人数（或同一单位有两个不同的应培人数）"
        if metric == "refund_rate" and pay not in present:
            return f"缺少{pay}表"
        d = row.get(den)
        if d is not None and d is not pd.NA and int(d) == 0:
            return f"{METRIC_LABELS.get(den.replace('_fen', ''), (den,))[0]}为 0，比例无法计算"
        return "缺少计算所需数据"
    if metric in ("major_complaints", "complaints"):
        return "缺少投诉登记表（complaints），无法确认没有投诉"
    if metric == "dedicated_staff":
        if "teams" not in present:
            return "缺少培训团队表（teams）"
        return "培训团队表中没有该单位本项目的专职人员数"
    if metric == "target_trainees":
        return "应培人数表中没有该单位的应培人数"
    return "缺少数据"


# --- evaluation ----------------------------------------------------------------------


def evaluate(year_data, rules) -> Evaluation:
    """Evaluate every unit and nominee of ``year_data`` against ``rules``."""
    warns: list[str] = []
    if (pd.Timestamp(year_data.period_start) != rules.period_start
            or pd.Timestamp(year_data.period_end) != rules.period_end):
        msg = (f"the data's period {year_data.period_start} .. {year_data.period_end} differs from the rules' "
               f"{rules.period_start} .. {rules.period_end}; metrics use the rules' period")
        warns.append(msg)
        warnings.warn(msg, stacklevel=2)
    yd = _with_period(year_data, rules)
    present = set(yd.tables)
    metrics = unit_metrics(yd, as_of=rules.as_of)
    names = yd.unit_names()
    noms = yd.tables.get("nominations")
    noms = _nominations_frame(noms)
    contract_counts = _contract_counts(yd)

    collective: list[UnitResult] = []
    nominations_of = _collective_nominations(noms)
    for row in metrics.to_dict("records"):
        award = rules.award_for("collective", row["track"])
        if award is None:
            continue
        crits = [_collective_criterion(rc, row, rules, present) for rc in award.criteria]
        nom = _collective_nomination(nominations_of.get((f"{row['track']}.collective", row["unit_id"])),
                                     row["track"], row["unit_id"])
        collective.append(UnitResult(
            track=row["track"], unit_id=row["unit_id"], unit_name=row["unit_name"],
            metrics=_metrics_json(row), criteria=crits, outcome=_outcome(crits),
            nominated=nom is not None, award=award.key, award_label=award.label,
            nominee=_text(nom.get("nominee")) if nom else None,
            nomination_row=int_or_none(nom.get("row")) if nom else None,
            deeds_chars=deeds_chars(nom.get("deeds")) if nom else None,
        ))
    torder = {t: i for i, t in enumerate(TRACKS)}
    collective.sort(key=lambda u: (torder.get(u.track, 9), u.unit_id))

    individual, innovation = [], []
    for rec in noms.to_dict("records") if noms is not None else []:
        kind = rec.get("kind")
        if kind not in ("individual", "innovation"):
            continue
        award = rules.awards.get(rec["category"])
        if award is None:
            continue
        res = _nominee(rec, award, rules, names, contract_counts)
        (individual if kind == "individual" else innovation).append(res)
    key = lambda n: (torder.get(n.track, 9), n.category, n.unit_id or "", n.row if n.row is not None else -1,  # noqa: E731
                     n.nominee or "")
    individual.sort(key=key)
    innovation.sort(key=key)

    flags = compute_flags(yd, rules, metrics)
    near = near_misses(collective)

    return Evaluation(
        year=rules.year, period_start=rules.period_start, period_end=rules.period_end, as_of=rules.as_of,
        rules_path=_rules_path(rules.path), rules_sha256=rules.sha256,
        collective=collective, individual=individual, innovation=innovation, flags=flags,
        near_misses=near, ledger=[_json_ready(e) for e in yd.ledger], metrics=metrics, unit_names=names,
        award_labels=rules.labels(),
        criterion_labels={k: {c.id: c.label for c in a.criteria} for k, a in rules.awards.items()},
        rsvp_deadline=rules.rsvp_deadline, near_limit_share=float(rules.near_limit_share),
        missing_tables=list(getattr(yd, "missing_tables", []) or []), warnings=warns,
    )


def _with_period(year_data, rules):
    """The year data seen through the rules' period (a shallow copy when they differ)."""
    if (pd.Timestamp(year_data.period_start) == rules.period_start
            and pd.Timestamp(year_data.period_end) == rules.period_end):
        return year_data
    import copy

    yd = copy.copy(year_data)
    yd.period_start, yd.period_end = rules.period_start, rules.period_end
    return yd


def _rules_path(p: Path) -> str:
    """The rules file as evaluation.json names it: relative to the project folder when it
    lies inside it (``rules/2022.yaml``), else absolute; never relative to the current
    directory, so the same inputs give the same bytes wherever the run starts."""
    p = Path(p).resolve()
    try:
        return p.relative_to(paths.PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def _text(v):
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return None
    s = str(v).strip()
    return s or None


def _metrics_json(row: dict) -> dict:
    out = {}
    for m in TRACK_METRICS[row["track"]]:
        v = row.get(m)
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
            out[m] = None
        elif isinstance(v, pd.Timestamp):
            out[m] = v.date().isoformat()
        elif m in ("income", "refunds"):
            out[m] = int(row[m + "_fen"]) / 100
        elif m in RATIOS:
            out[m] = float(v)
        else:
            out[m] = int(v)
    return out


def _nominations_frame(noms):
    if noms is None or noms.empty:
        return None
    noms = noms.copy()
    if "kind" not in noms.columns:
        noms["kind"] = noms["category"].map(lambda c: "innovation" if str(c).startswith("innovation.")
                                            else str(c).split(".")[-1])
    if "track" not in noms.columns:
        noms["track"] = noms["category"].map(lambda c: str(c).split(".")[-1] if str(c).startswith("innovation.")
                                             else str(c).split(".")[0])
    if "row" not in noms.columns:
        noms["row"] = range(2, len(noms) + 2)
    return noms


def _collective_nominations(noms) -> dict:
    """{(category, unit_id): that unit's nomination rows}, so that each unit's lookup
    filters a few rows rather than the whole table (a province has ~250 units)."""
    if noms is None or noms.empty:
        return {}
    groups = noms.groupby(["category", "unit_id"], sort=False, dropna=True).indices
    return {key: noms.iloc[pos] for key, pos in groups.items()}


def _collective_nomination(noms, track: str, unit_id: str) -> dict | None:
    if noms is None:
        return None
    m = noms[(noms["category"] == f"{track}.collective") & (noms["unit_id"] == unit_id)]
    if m.empty:
        return None
    return m.sort_values("row").iloc[0].to_dict()


def _contract_counts(yd) -> dict[tuple[str, str], int] | None:
    c = yd.tables.get("contracts")
    if c is None:
        return None
    return {(u, t): int(n) for (u, t), n in c.groupby(["unit_id", "track"]).size().items()}


def _collective_criterion(rc, row: dict, rules, present: set[str]) -> Criterion:
    if rc.qualitative:
        return _qualitative(rc)
    label = METRIC_LABELS.get(rc.metric, (rc.metric,))[0]
    if rc.metric == "contract_signed_on":
        signed = row.get("contract_signed_on")
        signed = None if signed is None or pd.isna(signed) else signed
        has_table = "contracts" in present
        return _months(rc, signed, rules.as_of, label=label, terminated=row.get("contract_terminated_on"),
                       unknown_reason="缺少合同台账（contracts）",
                       missing_fails="合同台账中没有该单位本项目的合同" if has_table else None)
    value = exact_value(row, rc.metric)
    reason = None if value is not None else _metric_unknown_reason(rc.metric, row, present, row["track"])
    return _threshold(rc, value, label=label, unknown_reason=reason)


def _nominee(rec: dict, award, rules, names: dict, contract_counts) -> NomineeResult:
    unit_id = _text(rec.get("unit_id"))
    chars = deeds_chars(rec.get("deeds"))
    started = rec.get("started_on")
    started = None if started is None or pd.isna(started) else pd.Timestamp(started)
    crits, qual = [], []
    for rc in award.criteria:
        if rc.qualitative:
            crits.append(_qualitative(rc))
            qual.append({"id": rc.id, "label": rc.label, "clause": rc.clause, "wording": rc.wording})
        elif rc.metric == "started_on":
            crits.append(_months(rc, started, rules.as_of, label="从事培训工作起始日期",
                                 unknown_reason="推荐表未填从事培训工作起始日期"))
        elif rc.metric == "deeds_chars":
            crits.append(_threshold(rc, chars, label="主要事迹", unknown_reason="推荐表未填主要事迹",
                                    value_text=None if chars is None else f"主要事迹 {fmt_int(chars)} 字（不计空白）"))
        elif rc.metric == "unit_contracts":
            if unit_id is None:
                crits.append(_threshold(rc, None, label="所在单位本项目合同", unknown_reason="推荐单位无法识别"))
            elif contract_counts is None:
                crits.append(_threshold(rc, None, label="所在单位本项目合同", unknown_reason="缺少合同台账（contracts）"))
            else:
                n = contract_counts.get((unit_id, award.track), 0)
                crits.append(_threshold(rc, n, label="所在单位本项目合同"))
        else:
            crits.append(_threshold(rc, None, label=rc.metric, unknown_reason=f"指标 {rc.metric} 不适用于推荐人选"))
    return NomineeResult(
        category=award.key, track=award.track, kind=award.kind, unit_id=unit_id,
        unit_name=names.get(unit_id) if unit_id else None,
        nominee=_text(rec.get("nominee")) or (names.get(unit_id) if award.kind == "innovation" and unit_id else None),
        row=int_or_none(rec.get("row")), deeds_chars=chars, criteria=crits, outcome=_outcome(crits),
        qualitative=qual, award_label=award.label or CATEGORY_LABELS.get(award.key, ""),
        started_on=started.date().isoformat() if started is not None else None,
        deeds=_text(rec.get("deeds")), unit_leader=_text(rec.get("unit_leader")),
        contact_name=_text(rec.get("contact_name")), contact_title=_text(rec.get("contact_title")),
        contact_phone=_text(rec.get("contact_phone")),
    )


def near_misses(collective: list[UnitResult]) -> list[NearMiss]:
    """Every unit that failed, with what failed and by how much, closest first: fewest
    failed criteria, then the smallest sum of relative shortfalls."""
    out = []
    for u in collective:
        failed = u.failed
        if not failed:
            continue
        items = []
        for c in failed:
            shortfall = None if c.margin is None else abs(c.margin)
            items.append({"id": c.id, "label": c.label, "clause": c.clause, "metric": c.metric, "unit": c.unit,
                          "value": c.value, "bound": c.bound, "shortfall": shortfall,
                          "shortfall_unit": c.margin_unit, "relative_shortfall": c.relative_shortfall,
                          "explanation": c.explanation})
        closeness = sum(i["relative_shortfall"] or 1.0 for i in items)
        c_ops = {c.id: c.op for c in failed}
        parts = []
        for i in items:
            if i["shortfall"] is not None and i["id"] not in ("major_complaints", "complaints"):
                s = i["shortfall"]
                s_text = (fmt_pp(Fraction(repr(s)) / 100) if i["shortfall_unit"] == "个百分点"
                          else fmt_yuan(Fraction(repr(s)) if isinstance(s, float) else s) if i["shortfall_unit"] == "元"
                          else fmt_int(s))
                verb = "超出" if c_ops.get(i["id"]) in ("<=", "<") else "差"
                parts.append(f"{i['label']}{verb} {s_text} {i['shortfall_unit']}")
            else:
                parts.append(i["explanation"])
        out.append(NearMiss(track=u.track, unit_id=u.unit_id, unit_name=u.unit_name, failed=items,
                            failed_count=len(items), closeness=closeness,
                            message=f"未达标 {len(items)} 项：" + "；".join(parts), nominated=u.nominated))
    torder = {t: i for i, t in enumerate(TRACKS)}
    out.sort(key=lambda m: (m.failed_count, m.closeness, torder.get(m.track, 9), m.unit_id))
    return out

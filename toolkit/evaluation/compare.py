"""Judging one criterion: a metric against its bound (:func:`judge_threshold`), a
period in calendar months (:func:`judge_period`), or a judgement left to the reviewers
(:func:`judge_qualitative`). Each result carries its reason in words (``explanation``):
the value against the bound, the margin, and the cause where the value alone does not
say it (a contract terminated on a date, a missing row, a zero denominator, the date a
period would have been reached).

Comparisons are exact: counts as integers, money in fen, ratios as
:class:`~fractions.Fraction`, periods in calendar months (Civil Code arts. 201-202).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from fractions import Fraction

import pandas as pd

from toolkit.evaluation.results import Criterion
from toolkit.metrics.compute import METRIC_LABELS
from toolkit.metrics.format import fmt_measure
from toolkit.vocabulary import MARGIN_UNIT_LABELS, MARGIN_UNITS

_WS = re.compile(r"\s+")


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


def _word(unit: str, metric: str) -> str | None:
    """The word after a whole number of ``metric`` (its display word; the unit's word
    when it has none)."""
    word = METRIC_LABELS.get(metric, ("", ""))[1]
    return word if word and word != "%" else None


def _show(unit: str, metric: str, v, *, other=None) -> str:
    """A value with its unit, as the report writes it."""
    return fmt_measure(v, unit, None if unit == "yuan" else _word(unit, metric), differ_from=other)


def margin_unit(unit: str, metric: str | None) -> tuple[str, str | None]:
    """The code of the unit a criterion's margin is counted in (:data:`MARGIN_UNITS`: a
    share's in percentage points) and the word after it (the metric's own word where it
    has one: 份 for contracts)."""
    code = MARGIN_UNITS.get(unit, unit)
    if code == "points":
        return code, MARGIN_UNIT_LABELS[code]
    return code, _word(unit, metric) or MARGIN_UNIT_LABELS.get(code)


def _show_margin(unit: str, metric: str, diff) -> str:
    code, word = margin_unit(unit, metric)
    return fmt_measure(diff * 100 if code == "points" else abs(diff), code, word)


def _json_value(unit: str, v):
    if v is None:
        return None
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    return v


def judge_threshold(rc, value, *, label: str, unknown_reason: str | None = None, value_text: str | None = None) -> Criterion:
    """A numeric criterion: exact comparison, explanation with the margin."""
    base = dict(id=rc.id, label=rc.label, clause=rc.clause, wording=rc.wording, metric=rc.metric, op=rc.op,
                bound=rc.bound_number(), unit=rc.unit)
    if value is None:
        why = unknown_reason or "缺少数据"
        return Criterion(outcome="unknown", value=None, explanation=f"{label}未知：{why}（{rc.clause}）",
                         reason=why, **base)
    bound = rc.bound
    ok = _holds(value, rc.op, bound)
    unit, metric = rc.unit, rc.metric
    shown_v = value_text or f"{label} {_show(unit, metric, value, other=bound)}"
    shown_b = _show(unit, metric, bound)
    diff = Fraction(value) - Fraction(bound)
    margin = diff if rc.op in (">=", ">") else -diff
    rel = reason = None
    if rc.op == "==":
        margin = -abs(diff)
        text = (f"{shown_v}，符合“{rc.wording}”（{rc.clause}）" if ok
                else f"{shown_v}，不符合“{rc.wording}”（{rc.clause}）")
        if not ok:
            rel = float(abs(diff) / bound) if bound else float(abs(diff))
            reason = shown_v
    elif rc.op in (">=", ">"):
        if ok:
            text = (f"{shown_v}，恰好达到标准 {shown_b}（{rc.clause}）" if diff == 0
                    else f"{shown_v}，达到标准 {shown_b}（{rc.clause}），超出 {_show_margin(unit, metric, diff)}")
        else:
            word = "低于" if diff < 0 else "未超过"
            text = f"{shown_v}，{word}标准 {shown_b}（{rc.clause}），差 {_show_margin(unit, metric, diff)}"
            rel = float(-diff / bound) if bound else 1.0
            reason = f"差 {_show_margin(unit, metric, diff)}" if diff else f"{word}标准 {shown_b}"
    else:
        if ok:
            text = (f"{shown_v}，未超过标准 {shown_b}（{rc.clause}），余 {_show_margin(unit, metric, diff)}"
                    if diff else f"{shown_v}，恰好等于上限 {shown_b}（{rc.clause}）")
        else:
            word = "超过" if diff > 0 else "未低于"
            text = f"{shown_v}，{word}标准 {shown_b}（{rc.clause}），超出 {_show_margin(unit, metric, diff)}"
            rel = float(diff / bound) if bound else float(diff)
            reason = f"超出 {_show_margin(unit, metric, diff)}" if diff else f"{word}标准 {shown_b}"
    code, word = margin_unit(unit, metric)
    margin_num = float(margin * 100) if code == "points" else _json_value(unit, margin)
    return Criterion(outcome="pass" if ok else "fail", value=_json_value(unit, value), explanation=text,
                     margin=margin_num, margin_unit=word, relative_shortfall=rel, reason=reason, **base)


def judge_period(rc, start, as_of: dt.date, *, label: str, terminated=None, unknown_reason: str | None = None,
            missing_fails: str | None = None) -> Criterion:
    """A period in calendar months: start + N months (clamped) on or before ``as_of``,
    and, for a contract, not terminated on or before ``as_of``."""
    base = dict(id=rc.id, label=rc.label, clause=rc.clause, wording=rc.wording, metric=rc.metric, op=rc.op,
                bound=rc.bound_number(), unit=rc.unit)
    if start is None:
        if missing_fails:
            return Criterion(outcome="fail", explanation=f"{missing_fails}（{rc.clause}）", relative_shortfall=1.0,
                             reason=missing_fails, **base)
        why = unknown_reason or "缺少数据"
        return Criterion(outcome="unknown", explanation=f"{label}未知：{why}（{rc.clause}）", reason=why, **base)
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
    reason = None
    if not ok:
        reason = (f"截至 {as_of.isoformat()} 尚未签订" if n == 0
                  else f"{reached.isoformat()} 方满 {n} 个月，差 {-margin} 天")
    if terminated is not None and not pd.isna(terminated):
        term = pd.Timestamp(terminated).date()
        detail["terminated_on"] = term.isoformat()
        if term <= as_of:
            ok = False
            rel = 1.0
            margin = None
            detail["margin_unit"] = None
            text = f"{label} {start.isoformat()}，合同已于 {term.isoformat()} 终止（{rc.clause}）"
            reason = f"合同已于 {term.isoformat()} 终止"
    word = detail.pop("margin_unit", MARGIN_UNIT_LABELS[MARGIN_UNITS["months"]])
    return Criterion(outcome="pass" if ok else "fail", value=start.isoformat(), explanation=text,
                     margin=margin, margin_unit=word, relative_shortfall=rel, reason=reason, detail=detail,
                     **base)


def judge_qualitative(rc) -> Criterion:
    return Criterion(id=rc.id, label=rc.label, clause=rc.clause, wording=rc.wording, kind="qualitative",
                     outcome="unknown", explanation=f"需评审人员审核：{rc.label}（{rc.clause}）",
                     reason="需评审人员审核")


"""Draft approval forms: for each collective that is ``eligible`` or ``needs_review``
and has no nomination of its award, a form whose 主要事迹 is written from the unit's
figures in the evaluation, for the unit to check, complete and send."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from toolkit.evaluation.results import UnitResult
from toolkit.outputs.forms.document import text
from toolkit.outputs.forms.nominations import FormData, attachment_of, deeds_length, deeds_limit
from toolkit.rules.load import Rules
from toolkit.vocabulary import TRACK_LABELS

DRAFT_OUTCOMES = ("eligible", "needs_review")
#: how a draft's 主要事迹 asks the unit for what only it can write (the intake
#: quarantines a form whose text still holds it)
TO_BE_FILLED = "【请单位补充："


def _number(value) -> float | None:
    if value is None or isinstance(value, bool | str):  # a date is no figure
        return None
    x = float(value)
    return None if x != x or x in (float("inf"), float("-inf")) else x


def _dec(x: float, places: str) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _percent(ratio: float) -> str:
    """A fraction as a percentage to 0.01% (half up): 0.80125 -> '80.13'."""
    return str(_dec(ratio * 100, "0.01"))


def _int_text(x: float) -> str:
    return str(int(_dec(x, "1")))


def _yuan(x: float) -> str:
    return f"{_dec(x, '0.01')}"


def draft_deeds(u: UnitResult, year: int, unit_name: str, limit: int | None) -> str:
    """主要事迹 for a draft form, written from the unit's figures (Chinese prose);
    within ``limit`` characters when there is one."""
    m = {k: _number(v) for k, v in u.metrics.items()}
    track_label = TRACK_LABELS.get(u.track, u.track)
    staff_n = m.get("dedicated_staff")
    team = f"配备专职培训工作人员{_int_text(staff_n)}名，" if staff_n else ""
    head = f"{unit_name}高度重视{track_label}项目，{team}积极组织、推进{year}年度培训工作。"
    parts: list[str] = []
    paid, reg, target = (m.get(k) for k in ("paid_trainees", "registered_trainees", "target_trainees"))
    if u.track == "staff":
        p2r, p2t = m.get("paid_to_registered"), m.get("paid_to_target")
        if p2r is None and paid is not None and reg:
            p2r = paid / reg
        if p2t is None and paid is not None and target:
            p2t = paid / target
        if paid is not None:
            s = f"年度内参培人数（缴费人数）{_int_text(paid)}人"
            if p2r is not None:
                reg_txt = f"（{_int_text(reg)}人）" if reg is not None else ""
                s += f"，占注册人数{reg_txt}的{_percent(p2r)}%"
            if p2t is not None:
                tgt_txt = f"（{_int_text(target)}人）" if target is not None else ""
                s += f"，占当地应培人数{tgt_txt}的{_percent(p2t)}%"
            parts.append(s)
        income, refunds, rate = (m.get(k) for k in ("income", "refunds", "refund_rate"))
        if rate is None and refunds is not None and income:
            rate = refunds / income
        if income is not None:
            parts.append(f"培训总收入{_yuan(income)}元（{_dec(income / 10000, '0.01')}万元）")
        if refunds is not None:
            s = f"退费金额{_yuan(refunds)}元"
            if rate is not None:
                s += f"，占总收入的{_percent(rate)}%"
            parts.append(s)
    else:
        person_times, income = m.get("person_times"), m.get("income")
        if person_times is not None:
            parts.append(f"年度内开展专业技术人员继续教育培训{_int_text(person_times)}人次")
        if income is not None:
            parts.append(f"培训金额收入{_yuan(income)}元（{_dec(income / 10000, '0.01')}万元）")
    figures = ("；".join(parts) + "。") if parts else ""
    bound = f"，全文不超过{limit}字（不计空白字符）" if limit is not None else ""
    tail = f"{TO_BE_FILLED}培训工作团队建设、管理服务举措、特色做法及取得的成效等{bound}。】"
    out = head + figures + "\n" + tail
    if limit is not None and deeds_length(out) > limit:  # a tight limit: the figures alone, within it
        out = head + figures
    return out


def draft_forms(collective: list[UnitResult], nominations: pd.DataFrame | None, names: dict[str, str],
                year: int, rules: Rules) -> list[tuple[FormData, None]]:
    """A draft form per collective result that is eligible or needs review, has a form
    and was not nominated (by the evaluation's reckoning or by a nomination row)."""
    nominated = set()
    if nominations is not None and not nominations.empty:
        nominated = {(text(u), text(c)) for u, c in zip(nominations["unit_id"], nominations["category"],
                                                       strict=False)}
    out = []
    for u in sorted(collective, key=lambda u: (u.track, u.unit_id)):
        award = rules.awards.get(u.award)
        if u.outcome not in DRAFT_OUTCOMES or award is None or attachment_of(award) is None:
            continue
        if u.nominated or (u.unit_id, award.key) in nominated:
            continue
        unit_name = names.get(u.unit_id) or text(u.unit_name) or u.unit_id
        deeds = draft_deeds(u, year, unit_name, deeds_limit(rules, award))
        out.append((FormData(award=award, unit_name=unit_name, nominee=unit_name, deeds=deeds, draft=True),
                    None))
    return out

"""The one vocabulary: every code the toolkit writes, with its one Chinese label.

Codes (``needs_review``, ``over_refund``, ``staff_payments``, ``>=``...) stay in
``evaluation.json`` and in the code; every output a person reads shows the label from
here, and nothing else labels a code on its own. The metrics' labels, units and
definitions are in :mod:`toolkit.metrics.registry`; the awards' and criteria's labels
come from the year's rules file.

A label is the word a leader reads. A few groups also have a *short* form, for narrow
table columns (``TRACK_SHORT``), and the operators have their mathematical *symbol*
(``OP_SYMBOLS``) for compact headers; neither is a second label: each is listed here,
beside the label it abbreviates.
"""

from __future__ import annotations

#: training programmes
TRACK_LABELS = {"staff": "事业单位工作人员培训", "professional": "专业技术人员继续教育培训"}
TRACK_SHORT = {"staff": "事业单位", "professional": "专技"}

#: kinds of award
AWARD_KIND_LABELS = {"collective": "先进集体", "individual": "先进个人", "innovation": "创新创意奖"}

#: the outcome of a unit or a nominee for an award
OUTCOME_LABELS = {"eligible": "符合条件", "needs_review": "需复核", "not_eligible": "不符合条件"}
#: the outcome of one criterion, and its mark in dense tables
CRITERION_OUTCOME_LABELS = {"pass": "符合", "fail": "不符合", "unknown": "待核实"}
CRITERION_MARKS = {"pass": "✓", "fail": "✗", "unknown": "?"}

#: kinds of criterion
CRITERION_KIND_LABELS = {"threshold": "量化", "qualitative": "定性"}

#: whether a unit applied for an award (a nomination form was received)
NOMINATED_LABELS = {True: "已申报", False: "未申报"}

#: a nomination that could not be used (its category, or another value, unreadable)
NOMINATION_STATUS_LABELS = {"unaccepted": "申报未受理"}
#: risks the report shows before signing that are not flags
RISK_LABELS = {"narrow_margin": "余量很小"}

#: flags: what the analyst should look at (they never change an outcome)
FLAG_LABELS = {
    "refund_rate_over_limit": "退费率超过上限",
    "refund_rate_near_limit": "退费率接近上限",
    "refunds_after_cutoff": "截止日后退费",
    "over_refund": "退费超过缴费",
    "major_complaint": "重大投诉",
    "professional_complaint": "专技培训投诉",
    "unresolved_complaint": "投诉未办结",
    "quarantined_rows": "数据行被隔离",
}

#: why a row was excluded (a rule of the notice) or quarantined (unusable)
EXCLUSION_REASON_LABELS = {
    "duplicate": "完全重复",
    "out_of_period": "不在统计期间",
    "failed_status": "支付未成功",
    "after_cutoff": "截止日后退费",
    "order_not_in_year": "订单不属本年度",
}
QUARANTINE_REASON_LABELS = {
    "conflicting_key": "编号重复且内容冲突",
    "missing_value": "必填值缺失",
    "bad_amount": "金额无法识别",
    "bad_date": "日期无法识别",
    "bad_value": "取值无法识别",
    "unknown_unit": "单位无法识别",
    "non_positive_amount": "金额为零或负数",
    "unknown_order": "退费订单不存在",
    "imprecise_number": "长数字编号精度丢失",
}
REASON_LABELS = {**EXCLUSION_REASON_LABELS, **QUARANTINE_REASON_LABELS}

#: the input tables of the data contract
TABLE_LABELS = {
    "units": "办学单位名册",
    "contracts": "合作合同（协议）台账",
    "targets": "应培人数表",
    "teams": "培训团队表",
    "staff_registrations": "事业单位注册明细",
    "staff_payments": "事业单位缴费明细",
    "staff_refunds": "事业单位退费明细",
    "professional_enrollments": "专技报名明细",
    "professional_refunds": "专技退费明细",
    "complaints": "投诉登记表",
    "nominations": "推荐申报表",
    "rsvp": "参会回执",
}

#: units of measure of the rules file (a bound's unit) and the word shown after a number
UNIT_LABELS = {
    "persons": "人", "person_times": "人次", "yuan": "元", "fraction": "比例", "months": "个月",
    "characters": "字", "count": "件",
}
#: what a margin (room to spare or shortfall) is stated in, per unit of the bound
MARGIN_UNIT_LABELS = {
    "persons": "人", "person_times": "人次", "yuan": "元", "fraction": "个百分点",
    "months": "天", "characters": "字", "count": "件",
}

#: comparison operators of the rules file: the label (a word) and the symbol
OP_LABELS = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "==": "等于"}
OP_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}

#: every group, by name: what a test walks to check that labels are unique per code
GROUPS: dict[str, dict] = {
    "tracks": TRACK_LABELS,
    "award_kinds": AWARD_KIND_LABELS,
    "outcomes": OUTCOME_LABELS,
    "criterion_outcomes": CRITERION_OUTCOME_LABELS,
    "criterion_kinds": CRITERION_KIND_LABELS,
    "nominated": NOMINATED_LABELS,
    "nomination_status": NOMINATION_STATUS_LABELS,
    "risks": RISK_LABELS,
    "flags": FLAG_LABELS,
    "reasons": REASON_LABELS,
    "tables": TABLE_LABELS,
    "units": UNIT_LABELS,
    "operators": OP_LABELS,
}


def label(group: str, code, default: str | None = None) -> str:
    """The label of ``code`` in ``group`` (``label("outcomes", "eligible")``); the code
    itself, or ``default``, when it has none."""
    found = GROUPS[group].get(code)
    if found is not None:
        return found
    return default if default is not None else str(code)


# --- years (helper "years"): the multi-year index ---------------------------------------

#: how a unit's presence in the unit registry changed from one year of a span to the next
UNIT_CHANGE_LABELS = {"joined": "新增", "left": "退出"}
GROUPS["unit_changes"] = UNIT_CHANGE_LABELS

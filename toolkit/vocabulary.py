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

#: the result tables (tables/<name>.csv, a sheet of results.xlsx): each table's sheet name
#: (toolkit/evaluation/tables.py specifies them)
RESULT_TABLE_LABELS = {
    "collective": "先进集体", "criteria": "评选标准明细", "individual": "先进个人", "innovation": "创新创意奖",
    "near_misses": "差距分析", "flags": "提示", "ledger": "数据台账",
}
#: the ledger's columns as the tables head them (results.xlsx's 数据台账, a loaded year's view)
LEDGER_HEADERS = {
    "table": "数据表", "file": "文件", "sheet": "工作表", "rows_read": "读取行数", "rows_used": "使用行数",
    "excluded": "排除行数", "quarantined": "隔离行数", "excluded_reasons": "排除原因", "quarantined_reasons": "隔离原因",
}
#: the result tables' column headers (a metric's is its registry header, a criterion's its
#: label in the rules); ``<table>.<column>`` for a header of one table only. Column names,
#: not codes that reach a reader alone: not in GROUPS (说明 heads two columns)
RESULT_COLUMN_LABELS = {
    "track": "培训项目", "award": "奖项", "unit_id": "单位编码", "unit_name": "单位名称",
    "nominated": "是否申报", "outcome": "评选结果", "failed": "未达标项", "unknown": "待核实项",
    "nominee": "推荐对象", "row": "推荐表行号", "label": "评选标准", "clause": "条款",
    "kind": "类型", "metric": "指标", "op": "比较方式", "bound": "标准值", "unit": "计量单位",
    "value": "实际值", "margin": "差额", "margin_unit": "差额单位", "wording": "通知原文",
    "explanation": "说明", "category": "推荐类别", "qualitative": "待评审事项",
    "table": "数据表", "count": "笔数/件数", "amount": "金额（元）", "message": "说明",
    "rank": "序号", "failed_count": "未达标项数", "closeness": "相对差距合计", "shortfall": "差额",
    "shortfall_unit": "差额单位", "relative_shortfall": "相对差距",
    **LEDGER_HEADERS,
    "flags.kind": "提示类型", "flags.value": "数值", "flags.bound": "标准",
}

#: units of measure of the rules file (a bound's unit) and the word shown after a number
UNIT_LABELS = {
    "persons": "人", "person_times": "人次", "yuan": "元", "fraction": "比例", "months": "个月",
    "characters": "字", "count": "件",
}
#: the unit a margin (room to spare or shortfall) is counted in, per unit of the bound:
#: a share's margin in percentage points, a period's in days, any other in the bound's unit
MARGIN_UNITS = {
    "persons": "persons", "person_times": "person_times", "yuan": "yuan", "fraction": "points",
    "months": "days", "characters": "characters", "count": "count",
}
#: the word after a margin, per unit of the margin
MARGIN_UNIT_LABELS = {
    "persons": "人", "person_times": "人次", "yuan": "元", "points": "个百分点",
    "days": "天", "characters": "字", "count": "件",
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


# --- the final list (docs/review-cycle.md, "The final list") ----------------------------
#: the column naming a proposed collective or person, by award kind (the forms' own
#: labels; an innovation award goes to the unit and has no such column)
NOMINEE_NAME_LABELS = {"collective": "先进集体名称", "individual": "先进个人姓名"}
#: a nomination on the final list: proposed for its award, or still pending
FINAL_STATUS_LABELS = {"proposed": "拟表彰", "pending": "待定"}
GROUPS["nominee_names"] = NOMINEE_NAME_LABELS
GROUPS["final_status"] = FINAL_STATUS_LABELS

# --- rules across years (toolkit rules --diff) and the planner (toolkit plan) ------------

#: the sections and settings of a rules file, as `toolkit rules --diff` names them
RULE_SECTION_LABELS = {
    "year": "年度", "period": "统计期间", "cutoff": "数据截止时间", "as_of": "月数计算截止日",
    "near_limit_share": "退费率临近上限提示比例", "rsvp_deadline": "参会回执截止日", "awards": "奖项",
}
#: how an entry of the rules changed from one file to another
CHANGE_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}
#: the fields of an award, a criterion or a setting in the rules file
RULE_FIELD_LABELS = {
    "value": "取值", "label": "名称", "clause": "条款", "wording": "原文", "metric": "指标", "op": "比较方式",
    "bound": "界限", "unit": "计量单位", "kind": "类型", "note": "备注", "track": "培训项目",
}
#: the planner: the two rules compared and the populations counted
PLAN_LABELS = {
    "current": "现行规则", "candidate": "拟议规则", "all": "全部单位", "nominated": "已申报单位",
    "nominees": "推荐人选", "not_evaluated": "不评选",
}

GROUPS.update({"rule_sections": RULE_SECTION_LABELS, "changes": CHANGE_LABELS, "rule_fields": RULE_FIELD_LABELS,
               "plan": PLAN_LABELS})
# --- intake: why a returned approval form was not used -----------------------------------
INTAKE_REASON_LABELS = {
    "unreadable": "文件无法读取",
    "not_approval_form": "不是推荐审批表",
    "no_box_ticked": "未勾选推荐类别",
    "several_boxes_ticked": "勾选了多个推荐类别",
    "unknown_unit": "单位不在名册中",
    "nominee_missing": "未填写推荐对象名称或姓名",
    "draft_not_filled": "草稿未经单位填写",
    "value_too_long": "内容超过表格单元格容量",
}
GROUPS["intake_reasons"] = INTAKE_REASON_LABELS
#: what became of a form read, in the intake's ledger file (推荐申报受理台账.xlsx)
INTAKE_FATE_LABELS = {"used": "采用", "quarantined": "未采用"}
GROUPS["intake_fates"] = INTAKE_FATE_LABELS

# --- the review cycle (docs/review-cycle.md) ---------------------------------------------
#: how the reviewers' decisions on a qualitative criterion combine (rules: review.decision)
REVIEW_POLICY_LABELS = {"majority": "多数决", "all": "全体一致"}
#: the fields of the corrections file (更正.xlsx) as the report heads them
CORRECTION_FIELD_LABELS = {
    "file": "文件", "row": "行", "table": "数据表", "unit": "单位", "track": "项目", "field": "字段",
    "old": "原值", "new": "更正值", "reason": "原因", "approver": "批准人",
}
GROUPS["review_policies"] = REVIEW_POLICY_LABELS
GROUPS["correction_fields"] = CORRECTION_FIELD_LABELS

# --- years: the multi-year index --------------------------------------------------------

#: how a unit's presence in the unit registry changed from one year of a span to the next
UNIT_CHANGE_LABELS = {"joined": "新增", "left": "退出"}
GROUPS["unit_changes"] = UNIT_CHANGE_LABELS
# --- the columns of 推荐申报.xlsx as toolkit intake writes them --------------------------
#: field -> header; each header of a data-contract column is one the contract accepts
#: (toolkit/ingest/contract.py), 填报单位 and 来源文件 are the intake's own
INTAKE_COLUMN_LABELS = {
    "category": "推荐类别", "unit": "单位名称", "nominee": "名称", "deeds": "主要事迹",
    "started_on": "从事培训工作起始日期", "unit_leader": "单位负责人", "contact_name": "联系人姓名",
    "contact_title": "职务", "contact_phone": "手机号码", "filler": "填报单位", "source": "来源文件",
}
GROUPS["intake_columns"] = INTAKE_COLUMN_LABELS
# --- the review policy and the award forms in `toolkit rules --diff`,
# the columns of the award cycle's tables -------------------------------------------------
#: the rules file's ``review:`` section and its settings (clause, note: RULE_FIELD_LABELS)
REVIEW_RULE_LABELS = {"review": "评审规则", "decision": "评审结论合并方式", "min_reviewers": "最少评审人数"}
#: an award's ``form:`` (the approval form it is nominated on) and its fields
FORM_FIELD_LABELS = {
    "form": "推荐审批表", "attachment": "附件编号", "title": "审批表标题", "category": "勾选框文字",
    "side": "所在栏", "nominee": "推荐对象栏名称",
}
#: the side of the form an award's column is on
FORM_SIDE_LABELS = {"left": "左栏", "right": "右栏"}
GROUPS["review_rules"] = REVIEW_RULE_LABELS
GROUPS["form_fields"] = FORM_FIELD_LABELS
GROUPS["form_sides"] = FORM_SIDE_LABELS
#: the review workbook's own columns (评审表.xlsx; the award, unit and nominee columns
#: are the result tables' headers, outputs/tables.py)
REVIEW_SHEET_HEADERS = {
    "key": "编号", "checked": "已核对的条件", "open": "待补充或更正的数据", "reviewer": "评审人", "remark": "评审意见",
}
#: the final list's column of what keeps an entry pending, and its word for an award
#: nobody is proposed for
FINAL_LIST_LABELS = {"reason": "待定原因", "none": "无"}
#: the corrections file's (更正.xlsx) other accepted headers, per column (the first
#: header of each is CORRECTION_FIELD_LABELS')
CORRECTION_HEADER_ALIASES = {
    "table": ("表", "表名"), "unit": ("单位名称", "单位编码", "办学单位"), "track": ("培训项目", "项目类型"),
    "field": ("列", "列名"), "value": ("更正后", "值"), "reason": ("更正原因",), "approver": ("审批人",),
}
GROUPS["review_sheet"] = REVIEW_SHEET_HEADERS
GROUPS["final_list"] = FINAL_LIST_LABELS

# --- governance of the review (docs/review-cycle.md, "Who may judge") -----------------

#: the reviewer roster's (评审专家.xlsx) columns, and the other headers each accepts (column
#: names, not codes that reach a reader: not in GROUPS, like the record's headers below)
ROSTER_HEADERS = {"name": "姓名", "unit": "所在单位", "recuse": "回避单位", "note": "备注"}
ROSTER_HEADER_ALIASES = {
    "name": ("评审人", "专家姓名", "评审专家"), "unit": ("单位", "工作单位", "所在单位名称"),
    "recuse": ("需回避单位", "回避"), "note": ("说明",),
}
#: why a reviewer's decision is not counted
RECUSAL_LABELS = {"own_unit": "本单位", "listed_unit": "回避单位"}
GROUPS["recusal"] = RECUSAL_LABELS
#: whether a decision counts (是否计入)
COUNTED_LABELS = {"counted": "计入", "recused": "回避"}
GROUPS["counted"] = COUNTED_LABELS
#: a roster reviewer's state on a nomination under review (评审进度.xlsx)
PROGRESS_LABELS = {"done": "已评", "recused": "回避", "open": "未评"}
GROUPS["progress"] = PROGRESS_LABELS
#: the review meeting's agenda (评审会议程): why a row is on it, in the agenda's order
AGENDA_LABELS = {"short": "评审人数不足", "tie": "票数相同", "split": "意见不一致"}
GROUPS["agenda"] = AGENDA_LABELS
#: the columns of the record (评审记录.xlsx) and of the progress workbook
RECORD_HEADERS = {
    "award": "奖项", "unit_name": "单位名称", "nominee": "推荐对象", "criterion": "条件", "reviewer": "评审人",
    "decision": "结论", "remark": "评审意见", "counted": "是否计入", "file": "文件", "sheet": "工作表", "row": "行",
    "counts": "计入结论", "state": "状态", "reason": "列入原因",
}

# --- the public notice's objections (异议登记.xlsx) and what changed
# since the last publication (changes.json) ------------------------------------------------
#: the objections register's columns (异议登记.xlsx, docs/review-cycle.md)
OBJECTION_COLUMN_LABELS = {
    "number": "编号", "received": "收到日期", "objector": "异议人", "award": "奖项", "unit": "单位名称",
    "nominee": "推荐对象", "grounds": "事由", "finding": "核查结论", "action": "处理", "correction_row": "更正行",
    "approver": "批准人", "note": "说明",
}
#: the register's other accepted headers, per column
OBJECTION_HEADER_ALIASES = {
    "number": ("异议编号",), "received": ("收到时间", "受理日期"), "objector": ("反映人", "异议提出人"),
    "award": ("推荐类别", "奖项名称"), "unit": ("单位", "推荐单位", "被异议单位"),
    "nominee": ("名称", "推荐对象名称", "被异议对象"), "grounds": ("异议事由", "异议内容", "反映内容"),
    "finding": ("核查结果",), "action": ("处理结果", "处理意见"), "correction_row": ("更正.xlsx行号",),
    "approver": ("审批人",), "note": ("备注",),
}
#: the finding of the check (an empty cell: under check)
OBJECTION_FINDING_LABELS = {"upheld": "成立", "rejected": "不成立", "checking": "核查中"}
#: what an upheld objection does
OBJECTION_ACTION_LABELS = {"withdraw": "撤销推荐", "correct": "更正", "none": "无"}
#: an objection's effect on the final list
OBJECTION_EFFECT_LABELS = {
    "held": "待定：异议核查中", "withdrawn": "撤销推荐", "corrected": "按更正处理",
    "upheld": "成立，无需调整名单", "rejected": "不成立，不影响结果", "anonymous": "匿名异议，按规定不予受理",
}
#: whether an objection was signed
OBJECTOR_LABELS = {"named": "实名", "anonymous": "匿名"}
#: a nomination's state on the final list (拟表彰名单), compared between publications
FINAL_STATE_LABELS = {"proposed": "拟表彰", "pending": "待定", "withdrawn": "撤销", "absent": "未列入"}
#: the causes of a change since the last publication (changes.json keeps the codes)
CHANGE_CAUSE_LABELS = {
    "review": "评审意见", "correction": "数据更正", "objection": "异议", "input": "输入文件变化",
    "rules": "规则文件变化",
}
#: the columns of 异议处理情况.xlsx beyond the register's own
OBJECTION_REPORT_LABELS = {"effect": "对名单的影响", "state": "名单状态", "withdrawn_reason": "撤销原因",
                           "withdrawn": "撤销推荐"}
GROUPS["objection_columns"] = OBJECTION_COLUMN_LABELS
GROUPS["objection_findings"] = OBJECTION_FINDING_LABELS
GROUPS["objection_actions"] = OBJECTION_ACTION_LABELS
GROUPS["objection_effects"] = OBJECTION_EFFECT_LABELS
GROUPS["objectors"] = OBJECTOR_LABELS
GROUPS["final_states"] = FINAL_STATE_LABELS
GROUPS["change_causes"] = CHANGE_CAUSE_LABELS
GROUPS["objection_report"] = OBJECTION_REPORT_LABELS

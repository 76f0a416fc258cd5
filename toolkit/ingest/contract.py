"""The data contract as data: which tables a year's folder holds, their file names,
their columns with aliases and value kinds, and the words that map to codes.

Everything that reads or writes input files (``ingest``, ``clean``, ``demo``) takes its
names from here, so the contract lives in one place. ``data/README.md`` explains it in
prose.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

# --- value kinds -------------------------------------------------------------------
# id        text kept exactly (leading zeros, long digit strings)
# text      free text, NFKC-normalised and trimmed
# unit      a unit reference (id, name or alias) resolved against the registry
# amount    money in yuan, stored as integer fen
# datetime  a moment, Beijing time, stored tz-naive
# date      a calendar date
# int       a whole number
# track, status, severity, substantiated, complaint_status, category, bool: coded words

UNIT_ALIASES = ("单位", "单位名称", "办学单位", "所属单位", "报名单位", "分校名称", "单位编码")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    file_names: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = True
    # key columns: rows that share these but differ elsewhere are a conflict
    key: tuple[str, ...] = ()
    # conditional requirements, described for users; enforced in clean
    notes: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _unit(required: bool = True) -> Column:
    return Column("unit", "unit", required, UNIT_ALIASES)


_TRACK = Column("track", "track", True, ("项目", "培训项目", "项目类型"))
_ORDER = Column("order_id", "id", True, ("订单号", "订单编号", "缴费单号"))
_TRAINEE = Column("trainee_id", "id", True, ("学员编号", "学员ID", "用户ID"))
_PAY_AMOUNT = Column("amount", "amount", True, ("金额", "缴费金额", "实缴金额", "支付金额"))
_PAID_AT = Column("paid_at", "datetime", True, ("支付时间", "缴费时间", "付款时间"))
_PAY_STATUS = Column("status", "status", False, ("支付状态", "订单状态", "状态"))

_REFUND_COLUMNS = (
    _ORDER,
    Column("amount", "amount", True, ("退费金额", "退款金额")),
    Column("refunded_at", "datetime", True, ("退费时间", "退款时间")),
    Column("refund_id", "id", False, ("退费单号", "退款单号")),
    Column("reason", "text", False, ("退费原因",)),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "units",
            ("办学单位", "单位名册"),
            (
                Column("unit_id", "id", True, ("单位编码", "单位代码")),
                Column("unit_name", "text", True, ("单位名称", "办学单位")),
                Column("aliases", "text", False, ("别名", "曾用名")),
                Column("level", "text", False, ("层级", "级别")),
                Column("parent_id", "id", False, ("上级单位编码",)),
            ),
            key=("unit_id",),
        ),
        Table(
            "contracts",
            ("合作协议", "协议台账", "合同台账"),
            (
                _unit(),
                _TRACK,
                Column("signed_on", "date", True, ("签订日期", "签约日期")),
                Column("contract_no", "id", False, ("合同编号", "协议编号")),
                Column("terminated_on", "date", False, ("终止日期", "解约日期")),
            ),
        ),
        Table(
            "targets",
            ("应培人数",),
            (_unit(), Column("target", "int", True, ("应培人数", "应培训人数"))),
        ),
        Table(
            "teams",
            ("培训团队", "专职人员"),
            (_unit(), _TRACK, Column("dedicated_staff", "int", True, ("专职人员数", "专职人数"))),
        ),
        Table(
            "staff_registrations",
            ("注册明细", "事业单位注册明细"),
            (
                _TRAINEE,
                _unit(),
                Column("registered_at", "datetime", True, ("注册时间", "注册日期")),
                Column("name", "text", False, ("姓名",)),
                Column("id_number", "id", False, ("身份证号", "证件号码")),
                Column("phone", "id", False, ("手机号", "手机号码", "联系电话")),
            ),
        ),
        Table(
            "staff_payments",
            ("缴费明细", "事业单位缴费明细"),
            (_ORDER, _TRAINEE, _unit(), _PAY_AMOUNT, _PAID_AT, _PAY_STATUS),
            key=("order_id",),
        ),
        Table("staff_refunds", ("退费明细", "事业单位退费明细"), _REFUND_COLUMNS, key=("refund_id",)),
        Table(
            "professional_enrollments",
            ("专技报名明细", "专技缴费明细"),
            (
                _ORDER,
                _TRAINEE,
                _unit(),
                _PAY_AMOUNT,
                _PAID_AT,
                Column("course", "text", False, ("课程", "课程名称", "培训项目", "科目")),
                _PAY_STATUS,
            ),
            key=("order_id",),
        ),
        Table("professional_refunds", ("专技退费明细",), _REFUND_COLUMNS, key=("refund_id",)),
        Table(
            "complaints",
            ("投诉登记", "投诉台账"),
            (
                _unit(),
                _TRACK,
                Column("received_at", "datetime", True, ("受理时间", "投诉时间", "登记日期")),
                Column("severity", "severity", True, ("等级", "投诉等级", "严重程度")),
                Column("complaint_id", "id", False, ("投诉编号",)),
                Column("substantiated", "substantiated", False, ("是否属实",)),
                Column("summary", "text", False, ("投诉内容", "内容")),
                Column("status", "complaint_status", False, ("处理状态",)),
            ),
            required=False,
            key=("complaint_id",),
        ),
        Table(
            "nominations",
            ("推荐申报", "推荐名单"),
            (
                Column("category", "category", True, ("推荐类别",)),
                _unit(),
                # required for collectives and individuals, not for innovation
                Column("nominee", "text", False, ("先进集体名称", "先进个人姓名", "名称", "姓名")),
                Column("deeds", "text", True, ("主要事迹",)),
                # required for individuals
                Column("started_on", "date", False, ("从事培训工作起始日期", "开始从事时间")),
                Column("unit_leader", "text", False, ("单位负责人",)),
                Column("contact_name", "text", False, ("联系人姓名", "联系人")),
                Column("contact_title", "text", False, ("职务",)),
                Column("contact_phone", "id", False, ("手机号码", "联系电话")),
            ),
            required=False,
            notes=(
                "nominee is required for collectives and individuals",
                "started_on is required for individuals",
            ),
        ),
        Table(
            "rsvp",
            ("参会回执",),
            (
                _unit(),
                Column("name", "text", True, ("姓名",)),
                Column("gender", "text", False, ("性别",)),
                Column("title", "text", False, ("职务",)),
                Column("phone", "id", False, ("电话", "手机号码")),
                Column("note", "text", False, ("备注",)),
                Column("needs_room", "bool", False, ("是否预留住宿", "住宿")),
                Column("submitted_at", "datetime", False, ("回执时间", "发送时间")),
            ),
            required=False,
        ),
    )
}

# the workbooks as Excel, WPS (.et) and LibreOffice (.ods) save them; see ingest.formats
FILE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xlsb", ".xls", ".et", ".ods", ".parquet")
# the header row is looked for in this many rows from the top (a logo, a title block and
# notes may stand above it)
HEADER_SEARCH_ROWS = 50
FOOTER_WORDS = ("合计", "小计", "总计")

TRACKS = ("staff", "professional")
TRACK_WORDS = {
    "staff": ("staff", "事业单位工作人员培训", "事业单位培训", "事业单位"),
    "professional": ("professional", "专业技术人员继续教育培训", "专业技术人员继续教育", "专技培训", "专技"),
}

STATUS_WORDS = {
    "success": ("success", "成功", "支付成功", "已支付", "已缴费", "已完成", "已退款"),
    "failure": ("failure", "失败", "支付失败", "未支付", "待支付", "已取消", "取消", "已关闭", "关闭"),
}
SEVERITY_WORDS = {
    "major": ("major", "重大", "重大投诉", "严重"),
    "minor": ("minor", "一般", "一般投诉", "轻微", "普通"),
}
# a complaint counts unless it says one of these (the contract's three words, and the
# plain "no" forms a spreadsheet or a Parquet boolean column gives)
UNSUBSTANTIATED_WORDS = ("否", "不属实", "无效", "不是", "false", "no", "n", "0")
CLOSED_WORDS = ("已办结", "办结", "已处理", "已解决", "已关闭", "已完成")
CATEGORY_WORDS = {
    "staff.collective": ("staff.collective", "事业单位工作人员培训先进集体"),
    "staff.individual": ("staff.individual", "事业单位工作人员培训先进个人"),
    "professional.collective": ("professional.collective", "专业技术人员继续教育培训先进集体"),
    "professional.individual": ("professional.individual", "专业技术人员继续教育培训先进个人"),
    "innovation.staff": ("innovation.staff", "事业单位工作人员培训创新创意"),
    "innovation.professional": ("innovation.professional", "专业技术人员继续教育培训创新创意"),
}
CATEGORY_LABELS = {k: v[1] for k, v in CATEGORY_WORDS.items()}
BOOL_WORDS = {
    True: ("是", "需要", "y", "yes", "true", "1"),
    False: ("否", "不需要", "n", "no", "false", "0"),
}
ALIAS_SEPARATORS = (";", "；", "、", ",", "，")


def table_for_stem(stem: str) -> str | None:
    """The table a file stem names (canonical or Chinese file name), or None."""
    s = unicodedata.normalize("NFKC", stem).strip()
    for t in TABLES.values():
        if s == t.name or s in t.file_names:
            return t.name
    return None

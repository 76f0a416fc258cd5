"""The metric registry: each metric is one entry, and everything else about metrics is
derived from it (in the spirit of OpenFisca's variables). An entry holds the metric's
label, unit and definition in words, the tables it needs and why it can be unknown, the
tracks that have it, and what computes it: the SQL column of
:data:`toolkit.metrics.queries.UNIT_METRICS` (``column``) in its named piece of SQL, its
family (``family``: a CTE of :mod:`toolkit.metrics.queries`; ``evaluate`` for the nominee
metrics, read from a nomination row; none for a ratio, divided from its numerator and
denominator).

From the entries come :data:`TRACK_METRICS` (each track's collective metrics, in entry
order), :data:`COLLECTIVE_METRICS` (the columns of the collective table), the columns of
the metrics frame (:mod:`toolkit.metrics.compute`), evaluation.json's metrics, the
rules loader's check of a criterion's unit and track, and the report's definitions
(:data:`DEFINED_METRICS`). A metric the SQL already computes is usable in a criterion,
and shown everywhere, by adding its entry here.

``unit`` is a unit of the rules file (see :mod:`toolkit.vocabulary`); ``display`` is
the word shown after a value (``%`` for a fraction shown as a percentage). ``entity``
says what the metric describes: a unit in a track (``unit``) or a nominee
(``nominee``).
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.ingest.contract import TRACKS
from toolkit.vocabulary import TABLE_LABELS

#: the payments table of each track, and the refunds table
PAYMENTS_TABLE = {"staff": "staff_payments", "professional": "professional_enrollments"}
REFUNDS_TABLE = {"staff": "staff_refunds", "professional": "professional_refunds"}
#: the family of the nominee metrics: read from a nomination row by evaluate
NOMINATION_ROW = "evaluate"


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str  # a unit of the rules file: persons, person_times, yuan, fraction, months, characters, count, date
    display: str  # shown after a value: 人, 元, %, ... ("" for dates)
    definition: str  # how it is counted, in the words of the rules document
    tables: tuple[str, ...] = ()  # the input tables it needs ({pay} is the track's payments table)
    missing_row: str = ""  # why it is unknown when its tables are there but the unit has no value
    absent_note: str = ""  # what a missing table means beyond "缺少<table>"
    entity: str = "unit"  # unit (a unit in a track) or nominee
    tracks: tuple[str, ...] = TRACKS  # the tracks whose collective awards have it
    main: bool = False  # its track's main figure: first among the track's metrics
    family: str = ""  # the CTE of metrics/queries.py computing it; NOMINATION_ROW; "" for a ratio
    column: str = ""  # its column in the SQL's result when not its name (money: its fen_column)
    numerator: str | None = None  # ratios: the column divided ...
    denominator: str | None = None  # ... by this one
    fen_column: str | None = None  # money: the exact column in fen
    subject: str = ""  # what a nominee's value is about, in its explanation (主要事迹); default the label
    ends_with: str | None = None  # a date metric: the metric holding its end (a contract's termination)
    missing_fails: str = ""  # a date metric: a missing value fails (not unknown) when the table is there

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    @property
    def is_money(self) -> bool:
        return self.fen_column is not None

    @property
    def is_date(self) -> bool:
        """Its value is a date (a criterion in months counts from it)."""
        return self.unit in ("months", "date")

    @property
    def sql_column(self) -> str | None:
        """The column of the SQL's result (:data:`toolkit.metrics.queries.UNIT_METRICS`)
        that holds it; None for a ratio (divided afterwards) and a nominee metric."""
        if self.entity != "unit" or self.is_ratio:
            return None
        return self.column or self.fen_column or self.name

    @property
    def unknown_when(self) -> str:
        """Why the metric can be unknown, in words (for the report's definitions)."""
        def name(t: str) -> str:
            return {"{pay}": "缴费（报名）明细", "{refund}": "退费明细"}.get(t) or TABLE_LABELS.get(t, t)

        parts = ["缺少" + "或".join(dict.fromkeys(name(t) for t in self.tables))]
        if self.missing_row:
            parts.append(self.missing_row)
        if self.is_ratio:
            parts.append("分母为 0")
        return "；".join(parts)

    def header(self) -> str:
        """The column header of a table: label and display unit (缴费人数（人）)."""
        return f"{self.label}（{self.display}）" if self.display and self.display != "%" else self.label

    def __post_init__(self) -> None:
        if not self.subject:
            object.__setattr__(self, "subject", self.label)

    def needs(self, track: str) -> tuple[str, ...]:
        return tuple(t.replace("{pay}", PAYMENTS_TABLE[track]).replace("{refund}", REFUNDS_TABLE[track])
                     for t in self.tables)


def _m(*args, **kw) -> Metric:
    return Metric(*args, **kw)


#: every metric, in the order of the tables (a track's main figure first)
METRICS: dict[str, Metric] = {m.name: m for m in (
    _m("paid_trainees", "缴费人数", "persons", "人",
       "统计期间内至少有一笔成功缴费且该笔缴费未被全额退费的不同学员数",
       ("{pay}",), tracks=("staff",), family="paid_trainees", main=True),
    _m("registered_trainees", "注册人数", "persons", "人",
       "统计期间内注册的不同学员数，期间内成功缴费的学员一并计入（缴费即视为已注册）",
       ("staff_registrations", "{pay}"), tracks=("staff",), family="registered"),
    _m("target_trainees", "应培人数", "persons", "人", "单位的应培人数",
       ("targets",), "应培人数表中没有该单位的应培人数（或同一单位有两个不同的应培人数）", tracks=("staff",),
       family="known_targets"),
    _m("paid_to_registered", "缴费人数占注册人数", "fraction", "%",
       "缴费人数 ÷ 注册人数，不四舍五入比较，报告显示到0.01%",
       ("{pay}", "staff_registrations"), tracks=("staff",),
       numerator="paid_trainees", denominator="registered_trainees"),
    _m("paid_to_target", "缴费人数占应培人数", "fraction", "%", "缴费人数 ÷ 应培人数",
       ("{pay}", "targets"), tracks=("staff",), numerator="paid_trainees", denominator="target_trainees"),
    _m("income", "培训总收入", "yuan", "元", "统计期间内成功缴费金额合计（退费前）",
       ("{pay}",), fen_column="income_fen", family="money"),
    _m("refunds", "退费金额", "yuan", "元",
       "统计期间内针对上述缴费的退费金额合计；截止日后的退费不计入，但单独提示",
       ("{pay}",), fen_column="refunds_fen", family="money"),
    _m("refund_rate", "退费率", "fraction", "%", "退费金额 ÷ 培训总收入",
       ("{pay}",), numerator="refunds_fen", denominator="income_fen"),
    _m("major_complaints", "重大投诉", "count", "件",
       "事业单位项目期间内的重大投诉件数（经核实不属实的除外）",
       ("complaints",), absent_note="无法确认没有投诉", tracks=("staff",),
       family="complaint_counts", column="complaints"),
    _m("complaints", "投诉", "count", "件",
       "专技项目期间内的投诉件数，不论等级（经核实不属实的除外）",
       ("complaints",), absent_note="无法确认没有投诉", tracks=("professional",), family="complaint_counts"),
    _m("person_times", "培训人次", "person_times", "人次",
       "专技项目期间内成功且未全额退费的报名中，不同（学员，课程）组合数；无课程信息时每笔订单计一人次",
       ("{pay}",), tracks=("professional",), family="person_times", main=True),
    _m("contract_signed_on", "合同签订日期", "months", "",
       "合同（协议）签订日期；月数按《民法典》第二百零一、二百零二条计算至认定截止日",
       ("contracts",), ends_with="contract_terminated_on", missing_fails="合同台账中没有该单位本项目的合同",
       family="contract_in_force"),
    _m("contract_terminated_on", "合同终止日期", "date", "", "合同（协议）终止日期；未终止时为空",
       ("contracts",), family="contract_in_force"),
    _m("dedicated_staff", "专职人员数", "persons", "人", "本项目专职人员数",
       ("teams",), "培训团队表中没有该单位本项目的专职人员数", family="dedicated"),
    # nominee metrics
    _m("started_on", "从事培训工作起始日期", "months", "",
       "推荐表填写的从事培训工作起始日期；月数计算至认定截止日",
       ("nominations",), "推荐表未填从事培训工作起始日期", entity="nominee", family=NOMINATION_ROW),
    _m("deeds_chars", "主要事迹字数", "characters", "字", "推荐表主要事迹的字数，空白字符不计",
       ("nominations",), "推荐表未填主要事迹", entity="nominee", family=NOMINATION_ROW, subject="主要事迹"),
    _m("unit_contracts", "本项目合同数", "count", "份",
       "推荐单位在合同台账中本项目的合同（协议）份数",
       ("contracts",), "推荐单位无法识别", entity="nominee", family=NOMINATION_ROW,
       subject="所在单位本项目合同"),
)}

#: the metrics of each track's collective evaluation (the entries naming the track), in
#: table order: its main figure, then the others in entry order
TRACK_METRICS: dict[str, tuple[str, ...]] = {
    t: tuple(m.name for m in sorted(METRICS.values(), key=lambda m: not m.main)
             if m.entity == "unit" and t in m.tracks)
    for t in TRACKS
}
#: the metric columns of the collective table: the first track's, then the others' new ones
COLLECTIVE_METRICS: tuple[str, ...] = tuple(dict.fromkeys(m for t in TRACKS for m in TRACK_METRICS[t]))
#: the metrics the report defines: the collective ones, less a date that only ends another
#: (a contract's termination is part of the contract's months)
DEFINED_METRICS: tuple[str, ...] = tuple(
    m.name for m in METRICS.values()
    if m.entity == "unit" and m.name not in {e.ends_with for e in METRICS.values()})
RATIOS = {m.name: (m.numerator, m.denominator) for m in METRICS.values() if m.is_ratio}
MONEY = {m.name: m.fen_column for m in METRICS.values() if m.is_money}
NOMINEE_METRICS = tuple(m.name for m in METRICS.values() if m.entity == "nominee")


def metric(name: str) -> Metric:
    return METRICS[name]


def metric_label(name: str) -> str:
    m = METRICS.get(name)
    return m.label if m else name

"""The report: notebook execution (papermill), HTML (nbconvert, own template), PDF
(WeasyPrint), and the report's sections as HTML fragments for the notebooks.

The notebooks (``notebooks/evaluation.ipynb``, ``notebooks/unit.ipynb``) hold the
narrative and call the section functions below; every number, table and chart comes
from here, so a notebook holds no business logic.

Safety: every string that comes from data (unit and nominee names, deeds, complaint
texts, file names) goes through :func:`html.escape` before it is put into HTML, and
the rendered page is checked to hold no script and no external URL
(:func:`check_self_contained`). Trainees' names, ID and phone numbers are not in the
clean tables, and long digit runs in free text are redacted (:func:`redact`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import logging
import math
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from toolkit import __version__, paths
from toolkit.exceptions import RunError
from toolkit.outputs import charts
from toolkit.vocabulary import TRACK_LABELS

log = logging.getLogger(__name__)

TEMPLATES_DIR = paths.PACKAGE_DIR / "templates"
TEMPLATE_NAME = "report"
NOTEBOOKS_DIR = paths.notebooks_dir()
KERNEL_NAME = "toolkit"
KERNEL_DISPLAY_NAME = "toolkit (.venv)"
#: cells with these tags never appear in the rendered report
HIDDEN_CELL_TAGS = ("parameters", "injected-parameters", "remove-cell")

#: the tracks' short names, for table columns (the headings use the full names)
TRACK_SHORT = {"staff": "事业单位", "professional": "专技"}
OUTCOME_LABELS = {"eligible": "符合条件", "needs_review": "需复核", "not_eligible": "不符合条件"}
CRITERION_MARKS = {"pass": "✓", "fail": "✗", "unknown": "?"}
FLAG_LABELS = {
    "refund_rate_over_limit": "退费率超过上限",
    "refund_rate_near_limit": "退费率接近上限",
    "refunds_after_cutoff": "截止日后退费",
    "over_refund": "超额退费",
    "major_complaint": "重大投诉",
    "professional_complaint": "专技项目投诉",
    "unresolved_complaint": "投诉未办结",
    "quarantined_rows": "数据行被隔离",
}
REASON_LABELS = {
    "out_of_period": "不在统计期间",
    "failed_status": "支付未成功",
    "duplicate": "完全重复",
    "after_cutoff": "截止日后退费",
    "order_not_in_year": "订单不属本年度",
    "unknown_unit": "单位无法识别",
    "bad_amount": "金额无法识别",
    "bad_date": "日期无法识别",
    "bad_value": "取值无法识别",
    "missing_value": "必填值缺失",
    "conflicting_key": "编号重复且内容冲突",
    "unknown_order": "退费订单不存在",
    "non_positive_amount": "金额为零或负数",
}
TABLE_LABELS = {
    "units": "办学单位",
    "contracts": "合作协议",
    "targets": "应培人数",
    "teams": "培训团队",
    "staff_registrations": "事业单位注册明细",
    "staff_payments": "事业单位缴费明细",
    "staff_refunds": "事业单位退费明细",
    "professional_enrollments": "专技报名明细",
    "professional_refunds": "专技退费明细",
    "complaints": "投诉登记",
    "nominations": "推荐申报",
    "rsvp": "参会回执",
}
#: how each metric is counted, in the words of the rules document (for the report)
METRIC_DEFINITIONS = {
    "paid_trainees": "统计期间内至少有一笔成功缴费且该笔缴费未被全额退费的不同学员数",
    "registered_trainees": "统计期间内注册的不同学员数，期间内成功缴费的学员一并计入（缴费即视为已注册）",
    "target_trainees": "单位的应培人数",
    "paid_to_registered": "缴费人数 ÷ 注册人数，不四舍五入比较，报告显示到0.01%",
    "paid_to_target": "缴费人数 ÷ 应培人数",
    "income": "统计期间内成功缴费金额合计（退费前）",
    "refunds": "统计期间内针对上述缴费的退费金额合计；截止日后的退费不计入，但单独提示",
    "refund_rate": "退费金额 ÷ 培训总收入",
    "major_complaints": "事业单位项目期间内的重大投诉件数（经核实不属实的除外）",
    "complaints": "专技项目期间内的投诉件数，不论等级（经核实不属实的除外）",
    "person_times": "专技项目期间内成功且未全额退费的报名中，不同（学员，课程）组合数；无课程信息时每笔订单计一人次",
    "contract_signed_on": "合同（协议）签订日期；月数按《民法典》第二百零一、二百零二条计算至认定截止日",
    "dedicated_staff": "本项目专职人员数",
}
OP_WORDS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
UNIT_WORDS = {
    "persons": "人", "person_times": "人次", "yuan": "元", "fraction": "", "months": "个月",
    "characters": "字", "count": "件",
}

# --- HTML fragments ------------------------------------------------------------------


class Fragment:
    """A piece of report HTML; notebooks display it (``_repr_html_``)."""

    def __init__(self, html_text: str, label: str = "") -> None:
        self.html = html_text
        self.label = label

    def _repr_html_(self) -> str:
        return self.html

    def __html__(self) -> str:  # Jinja's Markup protocol
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:  # keeps text/plain in the executed notebook short
        return f"<报告片段 {self.label}>" if self.label else "<报告片段>"

    def __add__(self, other: Fragment) -> Fragment:
        return Fragment(self.html + str(other), self.label or getattr(other, "label", ""))


def esc(value: Any) -> str:
    """Text from data, escaped for HTML; missing values are an empty string."""
    if _missing(value):
        return ""
    return html.escape(str(value), quote=True)


_LONG_DIGITS = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?\d[\d -]{5,}\d[0-9Xx]?(?![0-9A-Za-z])")


def redact(text: Any) -> str:
    """Free text with phone and ID numbers (runs of 7 or more digits) replaced."""
    if text is None:
        return ""
    return _LONG_DIGITS.sub(
        lambda m: "［号码已隐去］" if sum(ch.isdigit() for ch in m.group()) >= 7 else m.group(),
        str(text),
    )


def table(headers: Iterable[str], rows: Iterable[Iterable[Any]], *, cls: str = "",
          num_cols: Iterable[int] = (), caption: str = "", raw_cols: Iterable[int] = (),
          col_classes: dict[int, str] | None = None) -> str:
    """An HTML table; cell values are escaped unless their column is in ``raw_cols``
    (already-built HTML such as a badge). ``col_classes`` gives a column's header and
    cells a CSS class: ``nowrap`` for short labels (never data of unbounded length),
    ``unit`` and ``person`` for a minimum width, so that print does not squeeze them to
    one character per line."""
    nums, raws, extra = set(num_cols), set(raw_cols), dict(col_classes or {})

    def col_class(i: int) -> str:
        return " ".join(c for c in ("num" if i in nums else "", extra.get(i, "")) if c)

    def th(i: int, h: str) -> str:
        klass = col_class(i)
        return f'<th class="{klass}" scope="col">{esc(h)}</th>' if klass else f'<th scope="col">{esc(h)}</th>'

    head = "".join(th(i, h) for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            klass, content = "", v
            if isinstance(v, tuple):  # (content, css class)
                content, klass = v
            text = str(content) if i in raws else esc(content)
            classes = " ".join(c for c in (col_class(i), klass) if c)
            cells.append(f'<td class="{classes}">{text}</td>' if classes else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    klass = f' class="{cls}"' if cls else ""
    return (f'<div class="table-wrap"><table{klass}>{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def badge(outcome: str) -> str:
    return f'<span class="badge {esc(outcome)}">{esc(OUTCOME_LABELS.get(outcome, outcome))}</span>'


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(v, float) and math.isnan(v)


def fmt_value(v, unit: str | None = None) -> str:
    """A metric value for display: ``31,000``, ``75.21%``, ``5,010,000.00元``, ``?``."""
    if _missing(v):
        return "?"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime | dt.date):
        return v.strftime("%Y-%m-%d")
    if hasattr(v, "isoformat") and hasattr(v, "year"):  # pandas Timestamp
        return str(v)[:10]
    if isinstance(v, str):
        return v[:10] if re.match(r"\d{4}-\d\d-\d\d", v) else v
    try:
        num = float(v)
    except (TypeError, ValueError):
        return str(v)
    if unit == "fraction":
        return f"{num * 100:.2f}%"
    if unit == "yuan":
        return f"{num:,.2f}"
    return f"{int(num):,}" if num.is_integer() else f"{num:,.2f}"


def fmt_bound(op: str | None, bound, unit: str | None) -> str:
    if bound is None:
        return ""
    b = float(bound)
    if unit == "fraction":
        text = f"{b * 100:g}%"
    elif unit == "yuan":
        text = f"{b:,.0f}元" if b < 10000 else f"{b / 10000:g}万元"
    else:
        text = f"{b:,.0f}{UNIT_WORDS.get(unit or '', '')}"
    return f"{OP_WORDS.get(op or '', op or '')} {text}"


# --- context -------------------------------------------------------------------------


@dataclass
class PreviousYear:
    """The year before, for the comparison: metrics only."""

    year: int
    data_dir: Path
    period: str  # how its period was set
    metrics: Any  # DataFrame as metrics.unit_metrics gives it
    files: list = field(default_factory=list)


@dataclass
class ReportContext:
    """Everything the notebooks' sections need, prepared once."""

    year: int
    rules: Any
    year_data: Any
    evaluation: Any
    previous: PreviousYear | None = None
    previous_note: str = ""
    out_dir: Path | None = None
    generated_at: str = ""

    @property
    def unit_names(self) -> dict[str, str]:
        names = dict(self.year_data.unit_names())
        for r in self.evaluation.collective:
            names.setdefault(r.unit_id, r.unit_name)
        return names

    def unit_name(self, unit_id: str) -> str:
        return self.unit_names.get(unit_id) or str(unit_id)


def now_text() -> str:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S (UTC+08:00)")


def load_previous_year(year: int, data_dir: Path, rules) -> tuple[PreviousYear | None, str]:
    """The year before ``year`` if its folder sits beside this year's (``data/<year-1>``).

    Its period is that of ``rules/<year-1>.yaml`` (beside this year's rules file) when
    that exists, otherwise the calendar year. Returns (previous or None, a note saying
    why there is none or how it was read). A year that cannot be read is not an error
    of this run: the note says what went wrong.
    """
    from toolkit.clean.year import load_year
    from toolkit.metrics.compute import unit_metrics

    prev = year - 1
    prev_dir = Path(data_dir).resolve().parent / str(prev)
    if not prev_dir.is_dir():
        return None, f"未找到上一年度（{prev}年）数据目录 {prev_dir.name}，不作同比。"
    prev_rules_path = Path(rules.path).parent / f"{prev}.yaml"
    try:
        if prev_rules_path.is_file():
            from toolkit.rules.load import load_rules

            prev_rules = load_rules(prev, prev_rules_path)
            how = f"统计期间按 {prev_rules_path.name} 的规定"
        else:
            prev_rules = calendar_year_rules(rules, prev)
            how = f"未找到 {prev_rules_path.name}，统计期间按自然年（{prev}-01-01 至 {prev}-12-31）"
        yd = load_year(prev, prev_dir, rules=prev_rules, use_cache=True, progress=False)
        frame = unit_metrics(yd, as_of=getattr(prev_rules, "as_of", None))
    except Exception as exc:  # noqa: BLE001 - the comparison is optional
        log.warning("previous year %s not compared: %s", prev, exc)
        return None, f"上一年度（{prev}年）数据无法读取，不作同比：{exc}"
    return PreviousYear(prev, prev_dir, how, frame, list(getattr(yd, "files", []))), how


def calendar_year_rules(rules, year: int):
    """A copy of ``rules`` whose period is calendar ``year`` (for a year with no rules file)."""
    import copy

    import pandas as pd

    r = copy.copy(rules)
    r.year = year
    r.period_start = pd.Timestamp(f"{year}-01-01 00:00:00")
    r.period_end = pd.Timestamp(f"{year}-12-31 23:59:59")
    if hasattr(r, "cutoff"):
        r.cutoff = r.period_end
    r.as_of = dt.date(year, 12, 31)
    return r


def prepare(year: int, data_dir: str = "", rules: str = "", *, out_dir: str = "",
            use_cache: bool = True, context_file: str = "", generated_at: str = "",
            compare_previous: bool = True) -> ReportContext:
    """Load the year, evaluate it and load the previous year: the notebooks' first step.

    ``toolkit run`` has done this already and passes ``context_file`` (a pickle in its
    staging folder) so the notebook shows exactly the evaluation that was exported and
    the year is read once; opened by hand in JupyterLab the notebook computes it here.
    """
    if context_file and not Path(context_file).exists():
        # An executed notebook re-run by hand: `toolkit run`'s staging folder is gone.
        log.info("context file %s is gone; loading and evaluating the year here", context_file)
        context_file = ""
    if context_file:
        with open(context_file, "rb") as fh:
            ctx = pickle.load(fh)
        if ctx.year != year:
            raise RunError(f"context file is for {ctx.year}, not {year}", stage="notebook")
    else:
        from toolkit.clean.year import load_year
        from toolkit.evaluation.evaluate import evaluate
        from toolkit.rules.load import load_rules

        rules_obj = load_rules(year, rules or None)
        ddir = paths.data_dir(year, data_dir or None)
        yd = load_year(year, ddir, rules=rules_obj, use_cache=use_cache, progress=False)
        ev = evaluate(yd, rules_obj)
        ctx = ReportContext(year=year, rules=rules_obj, year_data=yd, evaluation=ev)
        if compare_previous:
            ctx.previous, ctx.previous_note = load_previous_year(year, ddir, rules_obj)
    if out_dir:
        ctx.out_dir = Path(out_dir)
    ctx.generated_at = generated_at or ctx.generated_at or now_text()
    return ctx


def save_context(ctx: ReportContext, path: Path) -> Path:
    with open(path, "wb") as fh:
        pickle.dump(ctx, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


#: columns of the clean tables the report reads (the monthly charts)
_REPORT_COLUMNS = {
    "staff_payments": ("unit_id", "amount_fen", "paid_at"),
    "staff_refunds": ("unit_id", "amount_fen", "refunded_at"),
    "professional_enrollments": ("unit_id", "amount_fen", "paid_at"),
    "professional_refunds": ("unit_id", "amount_fen", "refunded_at"),
}
_REPORT_TABLES = ("units", "contracts", "targets", "teams", *_REPORT_COLUMNS)


def slim_context(ctx: ReportContext, unit_id: str | None = None) -> ReportContext:
    """A copy of ``ctx`` holding only what the report shows, for the notebook's pickle.

    Registrations, excluded rows and the quarantined rows' values are dropped (the
    report shows counts only); with ``unit_id`` everything is cut down to that unit,
    so a unit report cannot show another unit's figures even by mistake.
    """
    import dataclasses

    yd = ctx.year_data
    tables = {}
    for name in _REPORT_TABLES:
        df = yd.tables.get(name)
        if df is None:
            continue
        cols = [c for c in _REPORT_COLUMNS.get(name, df.columns) if c in df.columns]
        df = df[cols]
        if unit_id is not None and "unit_id" in df.columns:
            df = df[df["unit_id"] == unit_id]
        tables[name] = df.reset_index(drop=True)
    q = yd.quarantine
    keep = [c for c in ("table", "reason") if q is not None and c in q.columns]
    quarantine = q[keep].reset_index(drop=True) if unit_id is None and q is not None else q.iloc[0:0]
    slim_yd = dataclasses.replace(
        yd, tables=tables, excluded={}, quarantine=quarantine,
        ledger=list(yd.ledger) if unit_id is None else [])
    ev = ctx.evaluation
    if unit_id is not None:
        def mine(items):
            return [x for x in items or [] if _get(x, "unit_id") == unit_id]

        ev = dataclasses.replace(
            ev, collective=mine(ev.collective), individual=mine(ev.individual),
            innovation=mine(ev.innovation), flags=mine(ev.flags), near_misses=mine(ev.near_misses),
            ledger=[], metrics=ev.metrics[ev.metrics["unit_id"] == unit_id]
            if "unit_id" in getattr(ev.metrics, "columns", ()) else ev.metrics,
            unit_names={k: v for k, v in (ev.unit_names or {}).items() if k == unit_id})
    return dataclasses.replace(ctx, year_data=slim_yd, evaluation=ev,
                               previous=ctx.previous if unit_id is None else None)


# --- helpers over the evaluation ----------------------------------------------------


def _get(obj, name: str, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def collectives(ctx: ReportContext, track: str | None = None) -> list:
    return [r for r in ctx.evaluation.collective if track is None or r.track == track]


def tracks(ctx: ReportContext) -> list[str]:
    """Tracks with a collective award in the rules, staff first."""
    order = list(TRACK_LABELS)
    found = {a.track for a in ctx.rules.awards.values() if a.kind == "collective"}
    return [t for t in order if t in found] + sorted(found - set(order))


def _criteria_of(result) -> list:
    return list(_get(result, "criteria", []) or [])


def _crit(result, cid: str):
    for c in _criteria_of(result):
        if _get(c, "id") == cid:
            return c
    return None


def _metric(result, name: str):
    m = _get(result, "metrics", {}) or {}
    return m.get(name) if isinstance(m, dict) else getattr(m, name, None)


def _num(v) -> float | None:
    if _missing(v):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _award(ctx, kind: str, track: str):
    return ctx.rules.award_for(kind, track)


# --- sections: the provincial report --------------------------------------------------


def title_block(ctx: ReportContext, unit_id: str | None = None) -> Fragment:
    r = ctx.rules
    title = f"湖南开放大学{ctx.year}年度培训工作评估报告"
    if unit_id is not None:
        title = f"{ctx.unit_name(unit_id)} · {ctx.year}年度培训工作评估"
    rules_path = Path(r.path)
    rows = [
        ("评估年度", f"{ctx.year}年"),
        ("统计期间", f"{fmt_ts(r.period_start)} 至 {fmt_ts(r.period_end)}（北京时间，含起止时刻）"),
        ("数据截止", fmt_ts(getattr(r, "cutoff", r.period_end))),
        ("月数计算截止日", fmt_value(r.as_of)),
        ("规则文件", f"{rules_path.name}（SHA-256 {r.sha256[:16]}…）"),
        ("数据目录", Path(ctx.year_data.data_dir).name),
        ("生成时间", ctx.generated_at or now_text()),
        ("工具版本", f"toolkit {__version__}"),
    ]
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    return Fragment(
        f'<header class="title-block"><h1>{esc(title)}</h1>'
        f'<table class="meta"><tbody>{body}</tbody></table></header>', "标题")


def fmt_ts(ts) -> str:
    if _missing(ts):
        return "?"
    return str(ts)[:19]


def summary(ctx: ReportContext) -> Fragment:
    parts = []
    near = list(ctx.evaluation.near_misses or [])
    for track in tracks(ctx):
        rs = collectives(ctx, track)
        counts = {k: sum(1 for r in rs if r.outcome == k) for k in OUTCOME_LABELS}
        n_near = sum(1 for m in near if m.track == track and m.failed_count == 1)
        cards = [("参评单位", len(rs)), ("符合条件", counts["eligible"]),
                 ("需复核", counts["needs_review"]), ("不符合条件", counts["not_eligible"]),
                 ("仅差一项", n_near)]
        card_html = "".join(
            f'<div class="card"><div class="n">{n}</div><div>{esc(label)}</div></div>'
            for label, n in cards)
        eligible = [r for r in rs if r.outcome == "eligible"]
        if eligible:
            names = "".join(f"<li>{esc(r.unit_name)}（{esc(r.unit_id)}）"
                            f"{'，已推荐' if _get(r, 'nominated') else ''}</li>" for r in eligible)
            listing = f"<p>符合全部量化条件的单位：</p><ol>{names}</ol>"
        else:
            listing = "<p>本项目没有单位符合全部量化条件。</p>"
        review = [r for r in rs if r.outcome == "needs_review"]
        if review:
            listing += ("<p>需复核（部分条件因数据缺失无法判定）："
                        + "、".join(esc(r.unit_name) for r in review) + "</p>")
        parts.append(f"<h3>{esc(TRACK_LABELS.get(track, track))}</h3>"
                     f'<div class="summary-cards">{card_html}</div>{listing}')
    return Fragment("".join(parts), "汇总")


def _cell(c) -> tuple[str, str]:
    outcome = _get(c, "outcome", "unknown")
    value = _get(c, "value")
    unit = _get(c, "unit")
    mark = CRITERION_MARKS.get(outcome, "?")
    shown = fmt_value(value, unit) if not _missing(value) else ""
    return (f"{mark} {shown}".strip(), outcome)


def matrix(ctx: ReportContext, track: str, unit_id: str | None = None) -> Fragment:
    """Units × criteria: ✓ pass, ✗ fail, ? unknown, each with the value."""
    award = _award(ctx, "collective", track)
    rs = collectives(ctx, track)
    if unit_id is not None:
        rs = [r for r in rs if r.unit_id == unit_id]
    if award is None or not rs:
        return Fragment("<p>本项目无参评单位。</p>", "资格矩阵")
    crits = list(award.criteria)
    headers = ["单位"] + [f"{c.label}（{fmt_bound(c.op, c.bound_number(), c.unit)}）"
                          for c in crits] + ["结论"]
    rows = []
    for r in rs:
        row: list[Any] = [f"{r.unit_name}（{r.unit_id}）"]
        for c in crits:
            found = _crit(r, c.id)
            row.append(_cell(found) if found is not None else ("?", "unknown"))
        row.append(badge(r.outcome))
        rows.append(row)
    legend = '<p class="note">✓ 达到　✗ 未达到　? 无法判定（数据缺失或分母为零）；比值不四舍五入比较，显示到0.01%。</p>'
    return Fragment(table(headers, rows, cls="matrix", num_cols=range(1, len(crits) + 1),
                          raw_cols={len(crits) + 1}) + legend, "资格矩阵")


def matrices(ctx: ReportContext) -> Fragment:
    """The matrix of every track, each under its heading."""
    return Fragment("".join(
        f"<h3>{esc(TRACK_LABELS.get(t, t))}</h3>{matrix(ctx, t)}" for t in tracks(ctx)), "资格矩阵")


def _bound(ctx, track: str, metric: str):
    """(bound as a number, op, label) of the collective criterion on ``metric``."""
    c = ctx.rules.bound_for(track, metric)
    if c is None:
        return None, ">=", ""
    b = c.bound_number()
    return b, c.op, fmt_bound(c.op, b, c.unit)


def _monthly(ctx, track: str, unit_id: str | None = None):
    """Payments and refunds in yuan by month of the period, from the clean tables."""
    from toolkit.metrics.compute import payments_table, refunds_table

    t = ctx.year_data.tables
    start, end = ctx.year_data.period_start, ctx.year_data.period_end
    import pandas as pd

    months = pd.period_range(start, end, freq="M")
    labels = [f"{p.month}月" if len(months) <= 12 else f"{p.year}-{p.month:02d}" for p in months]
    out = {}
    for name, table_name, col in (("缴费", payments_table(track), "paid_at"),
                                  ("退费", refunds_table(track), "refunded_at")):
        df = t.get(table_name)
        if df is None or df.empty:
            out[name] = [0.0] * len(months)
            continue
        if unit_id is not None:
            df = df[df["unit_id"] == unit_id]
        per = df.groupby(df[col].dt.to_period("M"))["amount_fen"].sum()
        out[name] = [float(per.get(p, 0)) / 100 for p in months]
    return labels, out


def chart_list(ctx: ReportContext) -> list[charts.Chart]:
    """The provincial charts, bounds taken from the rules."""
    out = []
    staff = collectives(ctx, "staff")
    if staff:
        names = [r.unit_name for r in staff]
        b, op, label = _bound(ctx, "staff", "paid_trainees")
        rb, rop, rlabel = _bound(ctx, "staff", "refund_rate")
        out.append(charts.bars(
            names,
            [charts.Panel("年度缴费人数", [_num(_metric(r, "paid_trainees")) for r in staff],
                          bound=b, op=op, bound_label=label, axis_label="人")],
            title="事业单位项目：各单位缴费人数", caption=f"虚线为条件 {label}；蓝色达到，灰色未达到，黄色无法判定。",
            alt=f"各单位事业单位项目缴费人数条形图，虚线为{label}"))
        xb, _, xl = _bound(ctx, "staff", "paid_to_registered")
        yb, _, yl = _bound(ctx, "staff", "paid_to_target")
        out.append(charts.ratio_scatter(
            names, [_num(_metric(r, "paid_to_registered")) for r in staff],
            [_num(_metric(r, "paid_to_target")) for r in staff],
            x_bound=xb, y_bound=yb, x_label="缴费人数 ÷ 注册人数", y_label="缴费人数 ÷ 应培人数",
            title="事业单位项目：缴费占注册与缴费占应培",
            caption=f"竖虚线为缴费占注册 {xl}，横虚线为缴费占应培 {yl}；右上区域两项均达到。"
                    f"单位较多时只标注最接近同时达到两项的 {charts.LABEL_ALL_POINTS} 个单位，各单位数值见资格矩阵。",
            alt=f"散点图：各单位缴费占注册比例与缴费占应培比例，界线 {xl} 与 {yl}"))
        out.append(charts.bars(
            names,
            [charts.Panel("退费率", [_num(_metric(r, "refund_rate")) for r in staff],
                          bound=rb, op=rop, bound_label=rlabel, percent=True)],
            title="事业单位项目：各单位退费率", caption=f"虚线为条件 {rlabel}（退费金额 ÷ 培训总收入）。",
            alt=f"各单位退费率条形图，虚线为{rlabel}"))
    for track in tracks(ctx):
        if not collectives(ctx, track):
            continue
        months, series = _monthly(ctx, track)
        out.append(charts.monthly(
            months, series, scale=10000, axis_label="万元",
            title=f"{TRACK_LABELS.get(track, track)}：按月缴费与退费",
            caption="缴费按支付时间、退费按退费时间归月，单位万元。",
            alt=f"{TRACK_LABELS.get(track, track)}按月缴费与退费金额柱状图"))
    prof = collectives(ctx, "professional")
    if prof:
        names = [r.unit_name for r in prof]
        pb, pop, pl = _bound(ctx, "professional", "person_times")
        ib, iop, il = _bound(ctx, "professional", "income")
        out.append(charts.bars(
            names,
            [charts.Panel("培训人次", [_num(_metric(r, "person_times")) for r in prof],
                          bound=pb, op=pop, bound_label=pl, axis_label="人次"),
             charts.Panel("培训金额收入（万元）", [_num(_metric(r, "income")) for r in prof],
                          bound=ib, op=iop, bound_label=il, axis_label="万元", scale=10000)],
            title="专业技术人员继续教育培训：人次与收入",
            caption=f"虚线分别为 {pl} 与 {il}。",
            alt=f"各单位专技培训人次与收入条形图，虚线为{pl}与{il}"))
    return out


def figures(ctx: ReportContext) -> Fragment:
    return Fragment("".join(c.html() for c in chart_list(ctx)), "图表")


def flags(ctx: ReportContext, unit_id: str | None = None) -> Fragment:
    fl = [f for f in ctx.evaluation.flags if unit_id is None or _get(f, "unit_id") == unit_id]
    if not fl:
        return Fragment("<p>未发现退费、投诉或数据方面需要提示的情况。</p>", "提示")
    rows = []
    for f in fl:
        kind = _get(f, "kind")
        uid = _get(f, "unit_id")
        unit = f"{ctx.unit_name(uid)}（{uid}）" if uid else "—"
        value, bound = _get(f, "value"), _get(f, "bound")
        is_rate = kind.startswith("refund_rate")
        rows.append([
            FLAG_LABELS.get(kind, kind), TRACK_SHORT.get(_get(f, "track"), _get(f, "track") or "—"),
            unit, fmt_value(value, "fraction" if is_rate else None) if not _missing(value) else "",
            fmt_value(bound, "fraction" if is_rate else None) if not _missing(bound) else "",
            redact(_get(f, "message", "")),
        ])
    counts: dict[str, int] = {}
    for f in fl:
        counts[_get(f, "kind")] = counts.get(_get(f, "kind"), 0) + 1
    head = "；".join(f"{FLAG_LABELS.get(k, k)} {n} 条" for k, n in counts.items())
    return Fragment(f"<p>共 {len(fl)} 条提示：{esc(head)}。提示不改变评审结论，结论只由条件决定。</p>"
                    + table(["类别", "项目", "单位", "数值", "界限", "说明"], rows, cls="flags",
                            num_cols=(3, 4), col_classes={0: "nowrap", 1: "nowrap", 2: "unit"}), "提示")


#: near misses shown in the report: units that failed at most this many criteria
NEAR_MISS_MAX_FAILED = 2


def near_misses(ctx: ReportContext) -> Fragment:
    """Units that failed one or two criteria, closest first, with the shortfalls."""
    nm = [m for m in ctx.evaluation.near_misses or [] if m.failed_count <= NEAR_MISS_MAX_FAILED]
    rest = len(ctx.evaluation.near_misses or []) - len(nm)
    if not nm:
        out = "<p>没有仅差一两项条件的单位。</p>"
    else:
        rows = []
        for m in nm:
            for i, f in enumerate(m.failed):
                rc = _rule(ctx, m.track, f.get("id"))
                unit = rc.unit if rc else None
                first = i == 0
                rows.append([
                    TRACK_SHORT.get(m.track, m.track) if first else "",
                    f"{m.unit_name or m.unit_id}（{m.unit_id}）" if first else "",
                    f.get("label") or f.get("id"), fmt_value(f.get("value"), unit),
                    fmt_bound(rc.op if rc else None, f.get("bound"), unit),
                    fmt_shortfall(f.get("shortfall"), f.get("shortfall_unit")),
                    "已推荐" if (first and m.nominated) else "",
                ])
        out = table(["项目", "单位", "未达到的条件", "实际值", "界限", "差距", "推荐"], rows,
                    cls="near-misses", num_cols=(3, 4, 5),
                    col_classes={0: "nowrap", 1: "unit", 6: "nowrap"})
    if rest > 0:
        out += (f'<p class="note">另有 {rest} 个单位未达到三项或以上条件，'
                "完整排序见 tables/ 中的接近达标表。</p>")
    return Fragment(out, "接近达标")


def _rule(ctx, track: str, cid: str | None):
    """The collective criterion ``cid`` of ``track`` as the rules file states it, or None."""
    try:
        return ctx.rules.criterion(f"{track}.collective", cid)
    except (KeyError, AttributeError):
        return None


def fmt_shortfall(value, unit_word: str | None) -> str:
    """A shortfall as evaluate gives it (number and its unit word: 人, 元, 个百分点 ...)."""
    if _missing(value):
        return ""
    v = float(value)
    num = f"{v:,.2f}" if unit_word in ("元", "个百分点") else (
        f"{int(v):,}" if v.is_integer() else f"{v:,.2f}")
    return f"差 {num} {unit_word or ''}".rstrip()


def nominees(ctx: ReportContext, part: str = "individual", unit_id: str | None = None) -> Fragment:
    """The individual or innovation screening; qualitative items are left for reviewers."""
    items = [n for n in getattr(ctx.evaluation, part) or []
             if unit_id is None or _get(n, "unit_id") == unit_id]
    if not items:
        return Fragment("<p>无此类推荐。</p>", part)
    rows = []
    qualitative: set[str] = set()
    for n in items:
        uid = _get(n, "unit_id")
        marks, left = [], []
        for c in _criteria_of(n):
            cid = _get(c, "id")
            lab = _get(c, "label") or cid
            if _get(c, "kind") == "qualitative":
                left.append(lab)
                qualitative.add(lab)
                continue
            oc = _get(c, "outcome", "unknown")
            val = _get(c, "value")
            shown = f" {fmt_value(val, _get(c, 'unit'))}" if not _missing(val) else ""
            marks.append(f"{CRITERION_MARKS.get(oc, '?')} {lab}{shown}")
        row = [TRACK_SHORT.get(_get(n, "track"), _get(n, "track"))]
        if part != "innovation":
            row.append(_get(n, "nominee") or "")
        row += [f"{ctx.unit_name(uid)}（{uid}）" if uid else "—", "；".join(marks),
                "、".join(left) or "—", (badge(_get(n, "outcome", "needs_review")))]
        rows.append(row)
    headers = ["项目"] + (["被推荐人"] if part != "innovation" else []) + [
        "推荐单位", "量化条件", "留待评审", "结论"]
    note = ("<p class=\"note\">量化条件由系统核对；" + esc("、".join(sorted(qualitative)))
            + "等定性条件由评审专家判断，因此结论至多为“需复核”。</p>") if qualitative else ""
    unit_col = 1 if part == "innovation" else 2
    classes = {0: "nowrap", unit_col: "unit", len(headers) - 1: "nowrap"}
    if part != "innovation":
        classes[1] = "person"
    return Fragment(table(headers, rows, cls="nominees", raw_cols={len(headers) - 1},
                          col_classes=classes) + note, part)


def data_quality(ctx: ReportContext) -> Fragment:
    """The ledger per file and quarantine reasons: counts only, never values."""
    ledger = list(ctx.year_data.ledger or [])
    rows = []
    for e in ledger:
        exc = e.get("excluded", {}) or {}
        qua = e.get("quarantined", {}) or {}
        rows.append([
            TABLE_LABELS.get(e.get("table"), e.get("table")),
            e.get("file", "") + (f"［{e['sheet']}］" if e.get("sheet") else ""),
            f"{e.get('rows_read', 0):,}", f"{e.get('rows_used', 0):,}",
            f"{sum(exc.values()):,}", f"{sum(qua.values()):,}",
            "；".join(f"{REASON_LABELS.get(k, k)} {v:,}" for k, v in exc.items() if v),
            "；".join(f"{REASON_LABELS.get(k, k)} {v:,}" for k, v in qua.items() if v),
        ])
    out = table(["数据表", "文件", "读取行数", "使用", "排除", "隔离", "排除原因", "隔离原因"],
                rows, cls="ledger", num_cols=(2, 3, 4, 5), col_classes={0: "nowrap"})
    missing = list(getattr(ctx.year_data, "missing_tables", []) or [])
    if missing:
        out += ("<p>缺少的可选数据表（相关条件记为“无法判定”）："
                + "、".join(esc(TABLE_LABELS.get(m, m)) for m in missing) + "。</p>")
    q = ctx.year_data.quarantine
    if q is not None and len(q):
        grouped = q.groupby(["table", "reason"], sort=True).size().reset_index(name="n")
        out += "<h4>隔离原因统计</h4>" + table(
            ["数据表", "原因", "行数"],
            [[TABLE_LABELS.get(r.table, r.table), REASON_LABELS.get(r.reason, r.reason), f"{r.n:,}"]
             for r in grouped.itertuples()], num_cols=(2,))
        out += ('<p class="note">被隔离的行（含文件、行号与原因，证件号与手机号仅保留后四位）见内部文件 '
                "internal/quarantine/，不对外提供。</p>")
    else:
        out += "<p>没有被隔离的数据行。</p>"
    return Fragment(out, "数据质量")


def year_over_year(ctx: ReportContext) -> Fragment:
    prev = ctx.previous
    if prev is None:
        return Fragment(f"<p>{esc(ctx.previous_note or '无上一年度数据，不作同比。')}</p>", "同比")
    import pandas as pd

    cur = _metrics_frame(ctx)
    old = prev.metrics
    parts = [f"<p>上一年度（{prev.year}年）：{esc(prev.period)}。仅比较指标，不比较评审结论。</p>"]
    keys = {"staff": ("paid_trainees", "registered_trainees", "income", "refunds"),
            "professional": ("person_times", "income", "refunds")}
    for track in tracks(ctx):
        c = cur[cur["track"] == track] if len(cur) else cur
        o = old[old["track"] == track] if len(old) else old
        if c.empty and o.empty:
            continue
        rows = [["参评单位数", f"{len(o):,}", f"{len(c):,}", _change(len(o), len(c))]]
        for m in keys.get(track, ()):
            a = _sum(o, m)
            b = _sum(c, m)
            rows.append([_metric_label(m), fmt_value(a, "yuan" if m in ("income", "refunds") else None),
                         fmt_value(b, "yuan" if m in ("income", "refunds") else None), _change(a, b)])
        if "income" in keys.get(track, ()):
            ra = _ratio(_sum(o, "refunds"), _sum(o, "income"))
            rb = _ratio(_sum(c, "refunds"), _sum(c, "income"))
            rows.append(["整体退费率", fmt_value(ra, "fraction"), fmt_value(rb, "fraction"),
                         "" if ra is None or rb is None else f"{(rb - ra) * 100:+.2f} 个百分点"])
        parts.append(f"<h3>{esc(TRACK_LABELS.get(track, track))}</h3>" + table(
            ["指标", f"{prev.year}年", f"{ctx.year}年", "变化"], rows, num_cols=(1, 2, 3)))
        # per unit, main measure
        main = keys[track][0] if track in keys else None
        if main and not c.empty:
            merged = pd.merge(c[["unit_id", "unit_name", main]], o[["unit_id", main]] if main in o else
                              pd.DataFrame(columns=["unit_id", main]), on="unit_id", how="left",
                              suffixes=("", "_prev"))
            urows = [[f"{r.unit_name}（{r.unit_id}）", fmt_value(getattr(r, f"{main}_prev")),
                      fmt_value(getattr(r, main)), _change(_num(getattr(r, f"{main}_prev")),
                                                           _num(getattr(r, main)))]
                     for r in merged.itertuples()]
            parts.append(table(["单位", f"{prev.year}年{_metric_label(main)}",
                                f"{ctx.year}年{_metric_label(main)}", "变化"], urows, num_cols=(1, 2, 3)))
    return Fragment("".join(parts), "同比")


def _metrics_frame(ctx):
    import pandas as pd

    rows = []
    for r in ctx.evaluation.collective:
        m = dict(_get(r, "metrics", {}) or {})
        rows.append({"track": r.track, "unit_id": r.unit_id, "unit_name": r.unit_name, **m})
    return pd.DataFrame(rows)


def _metric_label(m: str) -> str:
    from toolkit.metrics.compute import METRIC_LABELS

    return METRIC_LABELS.get(m, (m, ""))[0]


def _sum(df, col: str) -> float | None:
    if df is None or df.empty or col not in df.columns:
        return None
    import pandas as pd

    s = pd.to_numeric(df[col], errors="coerce")
    return None if s.notna().sum() == 0 else float(s.sum())


def _ratio(a, b):
    return None if a is None or not b else a / b


def _change(a, b) -> str:
    if a is None or b is None:
        return ""
    if a == 0:
        return f"{b - a:+,.0f}"
    return f"{(b - a) / a * 100:+.1f}%"


def rules_section(ctx: ReportContext) -> Fragment:
    """How the rules were read: the period, each award's bounds with clause and wording,
    and how each metric is counted."""
    r = ctx.rules
    parts = [
        "<ul>"
        f"<li>统计期间：{esc(fmt_ts(r.period_start))} 至 {esc(fmt_ts(r.period_end))}，北京时间，起止时刻均含。</li>"
        f"<li>数据截止：{esc(fmt_ts(getattr(r, 'cutoff', r.period_end)))}；截止日后的退费不计入退费率，单独提示。</li>"
        f"<li>合同与从事培训工作的月数计算至 {esc(fmt_value(r.as_of))}：起始日加满月数（月末对齐）不晚于该日即为“满”。</li>"
        "<li>界限用语按《民法典》第一千二百五十九条：“以上、以下、以内、届满”含本数，“不满、超过、以外”不含本数。</li>"
        "</ul>"
    ]
    for award in r.awards.values():
        rows = []
        for c in award.criteria:
            if c.qualitative:
                rule = "定性，由评审专家判断"
            else:
                rule = fmt_bound(c.op, c.bound_number(), c.unit)
            rows.append([c.id, c.label, c.clause, c.wording, rule])
        parts.append(f"<h4>{esc(award.label)}（{esc(award.clause)}）</h4>"
                     + table(["编号", "条件", "条款", "通知原文", "判定"], rows))
    defs = [[_metric_label(k), k, v] for k, v in METRIC_DEFINITIONS.items()]
    parts.append("<h4>指标口径</h4>" + table(["指标", "名称", "口径"], defs))
    parts.append(f'<p class="note">规则文件 {esc(Path(r.path).name)}，SHA-256：'
                 f"<code>{esc(r.sha256)}</code></p>")
    return Fragment("".join(parts), "规则")


def forms_list(ctx: ReportContext) -> Fragment:
    d = ctx.out_dir / "forms" if ctx.out_dir else None
    files = sorted(p.name for p in d.iterdir() if p.is_file()) if d and d.is_dir() else []
    if not files:
        return Fragment("<p>本次运行未生成表格。</p>", "表格")
    return Fragment("<p>以下文件位于报告目录的 forms/ 下：</p><ol>"
                    + "".join(f"<li>{esc(f)}</li>" for f in files) + "</ol>", "表格")


# --- sections: one unit ----------------------------------------------------------------


def unit_ids(ctx: ReportContext) -> list[str]:
    """Every unit evaluated for a collective or named in a nomination, sorted."""
    ids = {r.unit_id for r in ctx.evaluation.collective}
    for part in ("individual", "innovation"):
        ids |= {_get(n, "unit_id") for n in getattr(ctx.evaluation, part) or [] if _get(n, "unit_id")}
    return sorted(ids)


def require_unit(ctx: ReportContext, unit_id: str) -> None:
    """A unit notebook's check of its parameter."""
    from toolkit.exceptions import ParameterError

    known = unit_ids(ctx)
    if unit_id not in known:
        hint = None
        if not isinstance(unit_id, str):
            hint = ("unit ids are text: with the papermill command line pass -r unit_id 073100 "
                    "(-p reads 073100 as the number 73100)")
        raise ParameterError(f"unit_id {unit_id!r} is not evaluated in {ctx.year}",
                             expected="one of " + ", ".join(known[:20]) + ("…" if len(known) > 20 else ""),
                             hint=hint)


def unit_summary(ctx: ReportContext, unit_id: str) -> Fragment:
    parts = []
    for track in tracks(ctx):
        rs = [r for r in collectives(ctx, track) if r.unit_id == unit_id]
        if not rs:
            continue
        r = rs[0]
        rows = []
        for c in _criteria_of(r):
            cid = _get(c, "id")
            rc = _rule(ctx, track, cid)
            if rc is not None:
                label, unit, rule = rc.label, rc.unit, fmt_bound(rc.op, rc.bound_number(), rc.unit)
            else:
                label, unit, rule = cid, _get(c, "unit"), fmt_bound(_get(c, "op"), _get(c, "bound"), None)
            oc = _get(c, "outcome", "unknown")
            rows.append([label, _get(c, "clause") or "", fmt_value(_get(c, "value"), unit), rule,
                         (CRITERION_MARKS.get(oc, "?"), oc)])
        parts.append(f"<h3>{esc(TRACK_LABELS.get(track, track))}　{badge(r.outcome)}</h3>"
                     + table(["条件", "条款", "实际值", "界限", "判定"], rows, num_cols=(2,)))
    if not parts:
        parts.append("<p>本单位不在集体评估范围内（无合同且无本年度业务）。</p>")
    return Fragment("".join(parts), "单位结论")


def unit_chart_list(ctx: ReportContext, unit_id: str) -> list[charts.Chart]:
    """This unit's figures only: each threshold as a share of its bound, and its months."""
    out = []
    name = ctx.unit_name(unit_id)
    for track in tracks(ctx):
        rs = [r for r in collectives(ctx, track) if r.unit_id == unit_id]
        if not rs:
            continue
        r = rs[0]
        award = _award(ctx, "collective", track)
        labels, shares, ops = [], [], []
        for c in award.criteria:
            if c.qualitative or c.unit == "months" or c.op == "==":
                continue
            b = c.bound_number()
            v = _num(_metric(r, c.metric))
            if not b:
                continue
            labels.append(f"{c.label}\n{fmt_value(v, c.unit)} / {fmt_bound(c.op, b, c.unit)}")
            shares.append(None if v is None else v / b)
            ops.append(c.op)
        if labels:
            # each value divided by its own bound: the line at 100% is every bound
            out.append(charts.bars(
                labels, [charts.Panel("实际值 ÷ 界限", shares, bound=1.0, op=ops,
                                      bound_label="界限", percent=True)],
                title=f"{name}：{TRACK_LABELS.get(track, track)}各项条件",
                caption="每项指标除以其界限；虚线（100%）即规则文件中的界限。“以上”类条件应达到虚线，"
                        "“不超过”类条件（如退费率）应在虚线以内；蓝色为达到，灰色为未达到。",
                alt=f"{name}{TRACK_LABELS.get(track, track)}各项量化条件相对界限的条形图"))
        months, series = _monthly(ctx, track, unit_id)
        out.append(charts.monthly(
            months, series, scale=10000, axis_label="万元",
            title=f"{name}：{TRACK_LABELS.get(track, track)}按月缴费与退费",
            alt=f"{name}{TRACK_LABELS.get(track, track)}按月缴费与退费金额柱状图"))
    return out


def unit_figures(ctx: ReportContext, unit_id: str) -> Fragment:
    return Fragment("".join(c.html() for c in unit_chart_list(ctx, unit_id)), "单位图表")


# --- execution: papermill on this interpreter's kernel ------------------------------


def _same_interpreter(argv0: str) -> bool:
    """Whether a kernelspec's python is this interpreter (the same bin folder: a venv's
    python and python3 are both fine, another venv's python is not)."""
    p = Path(argv0)
    if not p.is_absolute():
        return False
    try:
        return os.path.samefile(p.parent, Path(sys.executable).parent) and p.exists()
    except OSError:
        return False


def kernel_json(display_name: str = KERNEL_DISPLAY_NAME) -> dict:
    return {
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
                 "{connection_file}"],
        "display_name": display_name,
        "language": "python",
        # lets jupyter_client provision CurveZMQ keys instead of plain TCP
        "metadata": {"debugger": True, "supported_encryption": ["curve"]},
    }


@contextlib.contextmanager
def kernel(name: str = KERNEL_NAME) -> Iterator[str]:
    """A kernel name whose python is ``sys.executable``.

    The ``toolkit`` kernelspec that ``make setup`` installs into ``sys.prefix`` is used
    when it points at this interpreter. Otherwise a kernelspec is written into a
    temporary folder put first on ``JUPYTER_PATH`` for the duration, so a run never
    depends on a globally registered kernel (or on one of another environment).
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    env = {"PYDEVD_DISABLE_FILE_VALIDATION": "1", "MPLBACKEND": "Agg"}
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
        usable = _same_interpreter(spec.argv[0])
    except NoSuchKernel:
        usable = False
    if usable:
        with _environ(env):
            yield name
        return
    log.info("kernel %r not installed for %s; using a temporary kernelspec", name, sys.executable)
    with tempfile.TemporaryDirectory(prefix="toolkit-kernel-") as tmp:
        kdir = Path(tmp) / "kernels" / name
        kdir.mkdir(parents=True)
        (kdir / "kernel.json").write_text(json.dumps(kernel_json(), indent=1), encoding="utf-8")
        jp = os.pathsep.join(p for p in (tmp, os.environ.get("JUPYTER_PATH", "")) if p)
        with _environ({**env, "JUPYTER_PATH": jp}):
            yield name


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute_notebook(src: Path, dst: Path, parameters: dict, *, timeout: int | None,
                     progress: bool = False, kernel_name: str | None = None,
                     stage: str = "notebook") -> None:
    """Execute ``src`` into ``dst`` with papermill on this interpreter's kernel.

    Parameters are passed as values (ints, bools, strings), which papermill writes as
    literals into the injected cell. The kernel inherits the current directory; the
    notebooks take absolute paths. ``kernel_name`` is one yielded by :func:`kernel`
    (entered here when not given). A failing cell, a dead kernel or a cell over its
    time limit is a :class:`RunError` naming ``stage``, the cell and the error; ``dst``
    then holds the notebook as far as it ran.
    """
    if kernel_name is None:
        with kernel() as name:
            return execute_notebook(src, dst, parameters, timeout=timeout, progress=progress,
                                    kernel_name=name, stage=stage)
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    # CurveZMQ keys for the kernel's sockets when the kernelspec declares support
    # (ipykernel's does), instead of plain TCP on localhost
    config = Config({"KernelManager": {"transport_encryption": "auto"}})
    show_bar = bool(progress and sys.stderr.isatty())
    try:
        pm.execute_notebook(
            str(src), str(dst), parameters=parameters, kernel_name=kernel_name,
            execution_timeout=timeout, progress_bar=show_bar, log_output=False,
            start_timeout=120, request_save_on_cell_execute=True, config=config,
        )
    except PapermillExecutionError as exc:
        raise RunError(
            f"cell In [{exc.exec_count}] (cell {exc.cell_index + 1}) of {src.name} raised "
            f"{exc.ename}: {exc.evalue}", stage=stage) from exc
    except Exception as exc:
        kind = type(exc).__name__
        what = {
            "CellTimeoutError": f"a cell of {src.name} ran longer than the time limit ({timeout} s)",
            "DeadKernelError": f"the kernel died while running {src.name} (out of memory?)",
        }.get(kind, f"{src.name} could not be executed: {kind}: {exc}")
        raise RunError(what, stage=stage) from exc
    return None


# --- rendering -------------------------------------------------------------------------

#: libraries whose INFO lines are progress chatter ("Step 2 - Fetching and parsing CSS",
#: papermill's "Input Notebook: ..."): a scheduled run's log carries our stage lines only
CHATTY_LOGGERS = ("weasyprint", "fontTools", "papermill", "traitlets", "nbconvert", "matplotlib",
                  "PIL", "asyncio", "filelock")


def quiet_library_logs(level: int = logging.WARNING) -> None:
    """Raise :data:`CHATTY_LOGGERS` to ``level`` (warnings and errors still pass),
    unless the root logger is at DEBUG (``toolkit -v``): then everything is shown.
    A logger already set higher is left alone."""
    if logging.getLogger().getEffectiveLevel() <= logging.DEBUG:
        return
    for name in CHATTY_LOGGERS:
        lg = logging.getLogger(name)
        if lg.level < level:
            lg.setLevel(level)

_EMBEDDING_TAGS = frozenset({"script", "iframe", "object", "embed", "link", "frame", "applet", "base"})
_URL_ATTRS = frozenset({"src", "href", "action", "formaction", "poster", "data", "srcset",
                        "background", "xlink:href"})
_EXTERNAL_URL = re.compile(r"^\s*(?:https?:)?//", re.I)
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript):", re.I)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import)""", re.I)


class _MarkupCheck(HTMLParser):
    """The page's tags, attributes and style sheets as a browser reads them. Text is
    not markup: a unit or nominee named ``href=http://x`` or ``@import`` is shown as
    text (escaped) and must not stop the run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problem: tuple[str, str] | None = None
        self._style = 0

    def _found(self, what: str, where: str) -> None:
        if self.problem is None:
            self.problem = (what, where)

    def handle_starttag(self, tag, attrs):
        here = self.get_starttag_text() or f"<{tag}>"
        if tag in _EMBEDDING_TAGS:
            self._found("a script or embedded object", here)
        for name, value in attrs:
            v = value or ""
            if name.startswith("on") or (name in _URL_ATTRS and _SCRIPT_URL.match(v)):
                self._found("a script or embedded object", here)
            elif name in _URL_ATTRS and any(_EXTERNAL_URL.match(u) for u in v.split(",")):
                self._found("an external URL", here)
            elif name == "style" and _CSS_URL.search(v):
                self._found("an external stylesheet resource", here)
        if tag == "style":
            self._style += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._style = max(self._style - 1, 0)

    def handle_data(self, data):
        if self._style and _CSS_URL.search(data):
            m = _CSS_URL.search(data)
            self._found("an external stylesheet resource", data[max(m.start() - 60, 0):m.end() + 60])


def check_self_contained(page: str) -> None:
    """Raise if the page would load anything from outside or run a script: a script or
    embedding tag, an event attribute, a ``javascript:`` or external URL in an
    attribute, an external ``url()`` or ``@import`` in a style sheet."""
    checker = _MarkupCheck()
    checker.feed(page)
    checker.close()
    if checker.problem is not None:
        what, where = checker.problem
        raise RunError(f"the rendered report holds {what}: …{where[:200]}…", stage="html")


def render_html(nb, *, title: str) -> str:
    """The executed notebook as the report page: our template, no code, no prompts, no
    parameter cells, no external resources."""
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    if isinstance(nb, str | Path):
        nb = nbformat.read(str(nb), as_version=4)
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_CELL_TAGS)
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = True  # "#heading" links: noise on paper
    exporter = HTMLExporter(config=c, template_name=TEMPLATE_NAME,
                            extra_template_basedirs=[str(TEMPLATES_DIR)])
    page, _ = exporter.from_notebook_node(nb, resources={"report_title": title})
    check_self_contained(page)
    return page


def render_pdf(page: str, dst: Path) -> Path:
    """The report page as an A4 PDF (fonts embedded, page x of y) via WeasyPrint."""
    quiet_library_logs()  # before the import: WeasyPrint logs progress while it loads
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # data: URIs only: the page is checked to refer to nothing else, and the PDF
    # renderer must not reach the network or the file system on its own either
    fetcher = URLFetcher(allowed_protocols={"data"})
    HTML(string=page, base_url=str(dst.parent), url_fetcher=fetcher).write_pdf(str(dst))
    return dst

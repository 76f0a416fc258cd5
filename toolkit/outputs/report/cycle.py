"""The report's section on the award cycle (docs/review-cycle.md): every correction
applied from 更正.xlsx (file, row, table, unit, field, old and new value, reason,
approver) and the reviewers' files read."""

from __future__ import annotations

from toolkit.ingest import contract
from toolkit.outputs.report.context import ReportContext
from toolkit.outputs.report.format import esc
from toolkit.outputs.report.frame import ReportTable, report_table
from toolkit.vocabulary import CORRECTION_FIELD_LABELS, TABLE_LABELS, TRACK_LABELS

COLUMNS = ("file", "row", "table", "unit", "track", "field", "old", "new", "reason", "approver")


def _field(table: str, field: str) -> str:
    """A field by the Chinese column name the data contract gives it first."""
    try:
        col = contract.TABLES[table].column(field)
    except KeyError:
        return field
    return col.aliases[0] if col.aliases else field


def _or_dash(v):
    """A trail value as shown: a number or a date as it is (0 too), — for none."""
    return "—" if v is None or v == "" else v


def _row(c: dict) -> list:
    unit = c.get("unit_name") or c.get("unit_id")
    return [c.get("file"), c.get("row"), TABLE_LABELS.get(c.get("table"), c.get("table")),
            f"{unit}（{c.get('unit_id')}）" if c.get("unit_name") else unit,
            TRACK_LABELS.get(c.get("track"), "—") if c.get("track") else "—",
            _field(c.get("table"), c.get("field")), _or_dash(c.get("old")), _or_dash(c.get("new")),
            c.get("reason"), c.get("approver")]


def _reviews(ctx: ReportContext) -> str:
    ev = ctx.evaluation
    files = (ev.review or {}).get("files") or []
    if not files:
        return (f'<p class="note">尚未读取评审意见：评审表见 review/评审表.xlsx，评审人员填写后放入 '
                f"data/{esc(ctx.year)}/评审意见/，重新评估后结论随之更新。</p>")
    decided = sum(1 for r in (*ev.collective, *ev.individual, *ev.innovation)
                  for c in r.criteria if c.detail.get("source") == "review")
    names = "、".join(esc(f.get("path")) for f in files)
    return (f"<p>已读取评审意见文件 {len(files)} 个（{names}），{decided} 项定性条件已按评审结论判定；"
            "各条件的评审人、结论与评审意见见下文评审记录。</p>")


def corrections(ctx: ReportContext) -> ReportTable:
    """The corrections applied, then the review files read."""
    rows = [_row(c) for c in (ctx.evaluation.review or {}).get("corrections") or []]
    return report_table([CORRECTION_FIELD_LABELS[k] for k in COLUMNS], rows, num_cols=(1,),
                        before="<p>以下数值经省校批准更正（更正.xlsx），评估按更正后的数值进行。</p>" if rows else "",
                        empty=f"<p>本年度没有数据更正（data/{esc(ctx.year)}/更正.xlsx）。</p>",
                        after=_reviews(ctx), label="数据更正与评审意见")

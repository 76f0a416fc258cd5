"""The table sections as DataFrames (ReportTable) shown as the report's tables."""

from __future__ import annotations

import pandas as pd

from toolkit.outputs.report import appendix, unit
from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import sections as sec
from toolkit.outputs.report.frame import ReportTable


def test_table_sections_are_dataframes_shown_as_the_report_table(ctx):

    m = sec.matrix(ctx, "staff")
    assert isinstance(m, pd.DataFrame) and isinstance(m, ReportTable)
    assert list(m["单位"]) == [f"{r.unit_name}（{r.unit_id}）" for r in report_context.collectives(ctx, "staff")]
    assert set(m["结论"]) <= {"符合条件", "需复核", "不符合条件"}  # the badge's text, no markup
    assert m._repr_html_().startswith('<div class="table-wrap"><table class="matrix">')
    for section in (sec.flags(ctx), sec.near_misses(ctx), sec.nominees(ctx, "individual"),
                    sec.nominees(ctx, "innovation"), appendix.data_quality(ctx)):
        assert isinstance(section, pd.DataFrame) and "<table" in section._repr_html_()
    fl = sec.flags(ctx)
    assert list(fl.columns) == ["类别", "项目", "单位", "数值", "界限", "说明"] and len(fl) == len(ctx.evaluation.flags)
    assert type(fl[fl["项目"] == "事业单位"]) is pd.DataFrame  # a derived frame is a plain one
    empty = sec.flags(unit.open_unit(ctx, "U003"))
    assert empty.empty or "<table" in empty._repr_html_()


def test_the_data_quality_section_is_the_ledger_sheet(ctx):
    from toolkit.outputs.tables import table_rows

    _cols, headers, rows, _raw = table_rows(ctx.evaluation, "ledger")
    quality = appendix.data_quality(ctx)
    assert list(quality.columns) == headers and len(quality) == len(rows) == len(ctx.evaluation.ledger)
    assert list(quality["数据表"]) == [r[0] for r in rows]  # the tables by their labels, as in results.xlsx

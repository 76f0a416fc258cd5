"""The analyst's objects in JupyterLab (toolkit/outputs/display.py): an evaluation, a
loaded year and the rules show a short repr and an HTML view, and give their tables as
DataFrames with the report's Chinese headers, on the session's real screened tiny year."""

from __future__ import annotations

import pytest

from toolkit.analysis import open_year
from toolkit.outputs.tables import table_rows
from toolkit.vocabulary import OUTCOME_LABELS
from toolkit.vocabulary import RESULT_TABLE_LABELS as PARTS


@pytest.fixture(scope="module")
def year(tiny_year, governance_year):
    _ev, rules, _wb, _units = governance_year
    return open_year(2022, tiny_year, rules=rules, use_cache=False, progress=False)


def test_evaluation_shows_its_outcomes_per_award(governance_year):
    ev = governance_year[0]
    text = repr(ev)
    assert len(text) < 120 and "2022" in text and "需复核" in text
    page = ev._repr_html_()
    assert "<table" in page and "UnitResult" not in page
    for label in ev.award_labels.values():
        assert label in page
    counts = ev.outcomes().set_index("奖项")
    for award, by_outcome in ev.summary().items():
        row = counts.loc[ev.award_labels[award]]
        for outcome, n in by_outcome.items():
            assert row[OUTCOME_LABELS[outcome]] == n
        assert row["合计"] == sum(by_outcome.values())


@pytest.mark.parametrize("part", list(PARTS))
def test_evaluation_tables_are_the_result_tables(governance_year, part):
    ev = governance_year[0]
    df = ev.table(part)
    _cols, headers, rows, _codes = table_rows(ev, part)
    assert list(df.columns) == headers
    assert len(df) == len(rows)
    # by its sheet name too
    assert ev.table(PARTS[part]).equals(df)


def test_evaluation_table_labels_not_codes(governance_year):
    ev = governance_year[0]
    df = ev.table("collective")
    assert {"单位名称", "评选结果", "培训项目"} <= set(df.columns)
    assert set(df["评选结果"]) <= set(OUTCOME_LABELS.values())
    assert "staff" not in set(df["培训项目"])


def test_an_unknown_table_is_named_with_the_choices(governance_year):
    with pytest.raises(KeyError, match="collective"):
        governance_year[0].table("collectve")


def test_year_shows_its_ledger(year):
    text = repr(year)
    assert len(text) < 120 and f"{len(year.ledger)} 个文件" in text
    df = year.table()
    assert list(df.columns)[:5] == ["数据表", "文件", "工作表", "读取行数", "使用行数"]
    assert df["读取行数"].tolist() == [e["rows_read"] for e in year.ledger]
    assert "专技退费明细" in set(df["数据表"])  # the table's label, not its code
    assert "截止日后退费：1" in set(df["排除原因"])
    page = year._repr_html_()
    assert "数据台账" in page and "professional_refunds.csv" in page


def test_rules_show_awards_and_criteria_with_bounds_and_clauses(governance_year):
    rules = governance_year[1]
    text = repr(rules)
    assert len(text) < 120 and f"{len(rules.awards)} 个奖项" in text
    awards = rules.table("awards")
    assert awards["奖项"].tolist() == [a.label for a in rules.awards.values()]
    crit = rules.table("criteria")
    assert len(crit) == sum(len(a.criteria) for a in rules.awards.values())
    refund = crit[crit["通知原文"].str.contains("退费金额不超过总收入1.5%")].iloc[0]
    assert refund["标准值"] == "≤ 1.50%" and refund["条款"].startswith("附件")
    assert (crit["类型"] == "定性").any()
    page = rules._repr_html_()
    assert "退费金额不超过总收入1.5%" in page and "RuleCriterion" not in page


def test_a_run_folders_evaluation_and_rules_show_themselves_too(ctx):
    """open_run's evaluation is read back from evaluation.json: the same views."""
    ev = ctx.evaluation
    assert "<table" in ev._repr_html_() and len(repr(ev)) < 120
    assert list(ev.table("collective").columns)[:4] == ["培训项目", "奖项", "单位编码", "单位名称"]
    assert "评选条件" in ctx.rules._repr_html_()

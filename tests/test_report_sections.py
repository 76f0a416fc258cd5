"""The report's sections on results and its charts (sections, figures): escaping, no personal data, marks, bounds from the rules file, the print layout's classes."""

from __future__ import annotations

import pytest
from report_helpers import (
    COMPLAINT_PHONE,
    RULES_2022,
    TRAINEE_ID,
    TRAINEE_NAME,
    TRAINEE_PHONE,
    UNIT_NAMES,
    all_sections,
    run_context,
)

from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import figures, html
from toolkit.outputs.report import sections as sec
from toolkit.outputs.report.format import esc
from toolkit.outputs.report.frame import html_of


@pytest.fixture(scope="module")
def sections(ctx) -> dict[str, str]:
    return all_sections(ctx)



def test_every_section_renders_and_escapes_data(sections):
    everything = "".join(sections.values())
    assert "<script" not in everything.lower()
    assert "<img src=x" not in everything and "<b>五" not in everything
    assert "株洲&lt;script&gt;alert(1)&lt;/script&gt;分校" in sections["matrices"]
    assert "王&lt;b&gt;五&lt;/b&gt;" in sections["individual"]
    html.check_self_contained(everything)  # no external URL, no script
    for name in UNIT_NAMES.values():
        assert esc(name) in sections["matrices"]


def test_no_trainee_personal_data_in_the_report(sections):
    everything = "".join(sections.values())
    for secret in (TRAINEE_NAME, TRAINEE_ID, TRAINEE_PHONE, COMPLAINT_PHONE, "1380000"):
        assert secret not in everything


def test_matrix_marks_and_values(ctx):
    m = html_of(sec.matrix(ctx, "staff"))
    assert "✓" in m and "✗" in m
    assert "≥ 30,000人" in m  # the bound from the rules, shown in the header
    assert "≤ 1.50%" in m and "<br>" in m  # as the flags state the bound; the bound under its condition
    assert m.count("<tr>") == 1 + len(report_context.collectives(ctx, "staff"))


def test_summary_counts(ctx):
    s = str(sec.summary(ctx))
    assert "参评单位" in s and "符合条件" in s and "需复核" in s
    staff = report_context.collectives(ctx, "staff")
    assert f'<div class="n">{len(staff)}</div><div>参评单位' in s


def test_bounds_come_from_the_rules_file(tmp_path, tiny_year):
    text = RULES_2022.read_text(encoding="utf-8")
    assert "达到30000人" in text
    changed = text.replace("达到30000人", "达到20000人").replace("bound: 30000", "bound: 20000")
    rules = tmp_path / "2022.yaml"
    rules.write_text(changed, encoding="utf-8")
    c = run_context(tmp_path / "run", tiny_year, rules, compare_previous=False)
    assert "≥ 20,000人" in html_of(sec.matrix(c, "staff"))
    assert "≥ 20,000人" in str(figures.figures(c))
    assert "30,000" not in str(figures.figures(c))


def test_print_layout_classes_keep_short_labels_whole(sections):
    # the flags table: 类别 and 项目 never wrap, a short track name, the unit has room
    flags = sections["flags"]
    assert '<table class="flags">' in flags
    assert '<th class="nowrap" scope="col">类别</th>' in flags and '<td class="nowrap">事业单位</td>' in flags
    assert '<td class="unit">' in flags
    assert 'class="nominees"' in sections["individual"] and '<td class="person">' in sections["individual"]
    assert 'class="ledger"' in sections["quality"]
    css = (html.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    assert "td.nowrap" in css and "td.unit" in css and "td.person" in css


def test_every_cross_and_question_mark_has_its_reason_beside_it(ctx):
    """The decision model's reason is shown beside each ✗ and ?, in the matrix and the
    nominee tables, exactly as the evaluation states it."""
    crosses = 0
    for track in report_context.tracks(ctx):
        frame = sec.matrix(ctx, track)
        for r in report_context.collectives(ctx, track):
            row = frame[frame["单位"] == f"{r.unit_name}（{r.unit_id}）"].iloc[0]
            for c in r.criteria:
                cell = next(v for h, v in row.items() if h.startswith(c.label))
                if c.outcome != "pass":
                    crosses += 1
                    assert c.reason and cell.endswith("：" + c.reason), (c.id, cell)
                else:
                    assert "：" not in cell, cell
    assert crosses, "the tiny year has no ✗ or ? to check"
    for part in ("individual", "innovation"):
        text = html_of(sec.nominees(ctx, part))
        for n in getattr(ctx.evaluation, part):
            for c in n.criteria:
                if c.kind != "qualitative" and c.outcome != "pass":
                    assert esc(f"（{c.reason}）") in text, (c.id, c.reason)

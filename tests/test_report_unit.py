"""One unit's report: its sections hold only that unit; the unit parameter is checked."""

from __future__ import annotations

import re

import pytest
from report_helpers import UNIT_NAMES

from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import sections as sec
from toolkit.outputs.report import unit
from toolkit.outputs.report.format import esc
from toolkit.outputs.report.frame import html_of


def test_unit_sections_hold_only_that_unit(ctx):
    for uid in report_context.unit_ids(ctx):
        slim = unit.open_unit(ctx, uid)
        page = "".join(html_of(f) for f in (
            sec.title_block(slim, unit_id=uid), unit.unit_summary(slim, uid),
            unit.unit_figures(slim, uid), sec.flags(slim, unit_id=uid),
            sec.nominees(slim, "individual", unit_id=uid),
            sec.nominees(slim, "innovation", unit_id=uid)))
        for other, name in UNIT_NAMES.items():
            if other != uid:
                assert esc(name) not in page, (uid, other)
                assert other not in page, (uid, other)
        assert {r.unit_id for r in slim.evaluation.collective} <= {uid}
        assert set(slim.monthly["unit_id"]) <= {uid}


def test_require_unit(ctx):
    from toolkit.exceptions import ParameterError

    unit.require_unit(ctx, "U001")
    with pytest.raises(ParameterError):
        unit.require_unit(ctx, "NOPE")


def test_unit_summary_gives_the_reason_of_each_cross_and_question_mark(ctx):
    for r in ctx.evaluation.collective:
        # a date in a cell is wrapped so that it keeps its line: the words are the reason's
        text = re.sub(r'<span class="nowrap">(.*?)</span>', r"\1", html_of(unit.unit_summary(ctx, r.unit_id)))
        for c in r.criteria:
            if c.outcome != "pass":
                assert esc(c.reason) in text, (r.unit_id, c.id)

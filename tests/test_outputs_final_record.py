"""final/评审记录.xlsx (toolkit.outputs.final.record): the record of every decision,
written with the final list; remarks masked; the same decisions give the same bytes."""

from __future__ import annotations

import openpyxl
import pytest
from review_helpers import governance_round

from toolkit import paths
from toolkit.clean.year import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.outputs.final.write import write_final
from toolkit.review.apply import apply_review
from toolkit.review.record import record_rows
from toolkit.review.roster import Units
from toolkit.review.workbook import write_workbook
from toolkit.rules.load import load_rules

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"


@pytest.fixture(scope="module")
def decided(tiny_year, tmp_path_factory):
    rules = load_rules(2022, RULES_2022)
    yd = load_year(2022, tiny_year, rules=rules, use_cache=False)
    ev = evaluate(yd, rules)
    d = tmp_path_factory.mktemp("data")
    governance_round(write_workbook(ev, rules, d / "out" / "评审表.xlsx"), d)
    return ev, apply_review(ev, rules, d, Units.of_year(yd))


def test_the_record_is_written_with_the_final_list(decided, tmp_path):
    screening, ev = decided
    assert write_final(screening, tmp_path / "before") == []  # nothing before the review
    written = write_final(ev, tmp_path / "a")
    path = tmp_path / "a" / "评审记录.xlsx"
    assert path in written
    ws = openpyxl.load_workbook(path)["评审记录"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    headers, expected = record_rows(ev)
    assert rows[0] == headers and rows[1:] == [[v if v != "" else None for v in r] for r in expected]
    flat = "".join(str(v) for r in rows for v in r)
    assert "13912345678" not in flat and "*******5678" in flat
    write_final(ev, tmp_path / "b")
    assert (tmp_path / "b" / "评审记录.xlsx").read_bytes() == path.read_bytes()

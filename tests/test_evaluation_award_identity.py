"""An award is its rules entry (issue: one letter in an award key changed the official
list): its track, kind, label and the words a nomination names it by come from the
rules file alone, its key and its criterion ids are only names. Renaming every key and
id consistently changes no outcome and shows neither to a reader; a second collective
award of a track is evaluated and shown with its own matrix and bounds."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from final_helpers import write_decided_year, write_rules

from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import sections
from toolkit.outputs.report.frame import html_of
from toolkit.outputs.report.unit import unit_summary
from toolkit.outputs.tables import write_outputs
from toolkit.rules.load import load_rules

MARK = "zq"  # every renamed key and id holds it: a reader must never see it


def _renamed(raw: dict, keys: dict[str, str] | None) -> dict:
    """Every award key (``keys``; default all, to ``zq<n>award``) and every criterion id
    (to ``zq<n>c<m>``) renamed consistently."""
    out = dict(raw)
    awards = {}
    for i, (key, award) in enumerate(raw["awards"].items()):
        award = dict(award, criteria=[dict(c, id=f"{MARK}{i}c{j}") for j, c in enumerate(award["criteria"])])
        awards[(keys or {}).get(key, key) if keys is not None else f"{MARK}{i}award"] = award
    out["awards"] = awards
    return out


def _year(root: Path, raw: dict):
    rules_path = root / "rules" / "2022.yaml"
    rules_path.parent.mkdir(parents=True, exist_ok=True)
    rules_path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rules = load_rules(2022, rules_path)
    yd = open_year(2022, root / "data" / "2022", rules=rules, use_cache=False, progress=False)
    return rules, yd, evaluate(yd, rules)


def _outcomes(ev) -> dict:
    """Every outcome by what a reader sees: award label, unit, nominee; each criterion
    by its label."""
    crit = {(a, i): label for a, ids in ev.criterion_labels.items() for i, label in ids.items()}
    out = {}
    for u in ev.collective:
        out[(u.award_label, u.unit_id)] = (u.outcome, u.nominated, u.nominee, sorted(
            (crit[(u.award, c.id)], c.outcome, str(c.value)) for c in u.criteria))
    for n in ev.individual + ev.innovation:
        out[(n.award_label, n.unit_id, n.nominee, n.row)] = (n.kind, n.track, n.outcome, sorted(
            (crit[(n.category, c.id)], c.outcome) for c in n.criteria))
    return out


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    root = tmp_path_factory.mktemp("original")
    write_decided_year(root / "data" / "2022")
    raw = yaml.safe_load(write_rules(root / "base.yaml").read_text(encoding="utf-8"))
    return root, raw, _year(root, raw)


RENAMINGS = [
    ("every key and id", None),
    ("the misspellings of the issue", {"staff.collective": "staff.colective", "staff.individual": "staff.indivdual"}),
    ("keys that read as other awards", {"staff.collective": "innovation.staff", "innovation.staff": "staff.collective",
                                        "professional.individual": "professional.collective",
                                        "professional.collective": "professional.individual"}),
]


@pytest.mark.parametrize("case,keys", RENAMINGS, ids=[r[0] for r in RENAMINGS])
def test_renaming_keys_and_ids_changes_no_outcome(original, tmp_path, case, keys):
    root, raw, (_, _, ev) = original
    write_decided_year(tmp_path / "data" / "2022")
    _, _, renamed = _year(tmp_path, _renamed(raw, keys))
    assert _outcomes(renamed) == _outcomes(ev)
    assert [n.nominee for n in renamed.individual] == [n.nominee for n in ev.individual]
    assert sum(u.nominated for u in renamed.collective) == sum(u.nominated for u in ev.collective) == 2


def test_renamed_keys_and_ids_reach_no_reader(original, tmp_path):
    _, raw, _ = original
    write_decided_year(tmp_path / "data" / "2022")
    rules, yd, ev = _year(tmp_path, _renamed(raw, None))
    out = tmp_path / "run"
    write_outputs(ev, out)
    wb = openpyxl.load_workbook(out / "results.xlsx")
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    cells += [ws.title for ws in wb.worksheets]
    cells += [v for f in (out / "tables").glob("*.csv")
              for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8-sig"))) for v in row]
    ctx = report_context.build(rules=rules, year_data=yd, evaluation=ev, out_dir=out)
    shown = [html_of(sections.matrices(ctx)), html_of(sections.near_misses(ctx)),
             html_of(sections.nominees(ctx, "individual")), html_of(sections.nominees(ctx, "innovation")),
             html_of(unit_summary(ctx, "U001"))]
    seen = [(i, c[max(0, c.find(MARK) - 80):c.find(MARK) + 40]) for i, c in enumerate(cells + shown) if MARK in c]
    assert seen == [], (len(cells), seen[:5])
    assert zipfile.is_zipfile(out / "results.xlsx")


# --- a second collective award of one track ---------------------------------------------------

SECOND = "staff.model"
SECOND_LABEL = "事业单位工作人员培训示范集体"


def _with_second(raw: dict) -> dict:
    """The rules with a second staff collective award: its own label, its own bound on
    the contract's months (24, not 6), no form (nominated by its label)."""
    out = dict(raw, awards=dict(raw["awards"]))
    first = raw["awards"]["staff.collective"]
    crit = [dict(c) for c in first["criteria"] if c["id"] == "contract_months"]
    crit[0].update(label="合作合同签订满24个月", wording="已与省校签订合作合同满24个月", bound=24)
    out["awards"][SECOND] = {"label": SECOND_LABEL, "track": "staff", "kind": "collective", "clause": "示范 一",
                             "criteria": crit}
    return out


@pytest.fixture(scope="module")
def second(tmp_path_factory, original):
    _, raw, _ = original
    root = tmp_path_factory.mktemp("second")
    data = write_decided_year(root / "data" / "2022")
    with open(data / "nominations.csv", "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow([SECOND_LABEL, "U003", "湘潭开放大学", "示范引领" * 10, "", "", "", ""])
    rules, yd, ev = _year(root, _with_second(raw))
    return root, rules, yd, ev


def test_a_second_collective_award_is_evaluated_with_its_own_criteria(second):
    _, rules, _, ev = second
    staff = sorted({u.unit_id for u in ev.collective if u.track == "staff"})
    mine = {u.unit_id: u for u in ev.collective if u.award == SECOND}
    assert sorted(mine) == staff and len(staff) >= 2
    assert {u.award_label for u in mine.values()} == {SECOND_LABEL}
    assert all([c.bound for c in u.criteria] == [24] for u in mine.values())
    first = {u.unit_id: u for u in ev.collective if u.award == "staff.collective"}
    assert all(any(c.bound == 6 for c in u.criteria) for u in first.values())
    # the nomination named the award by its label: nominated for it, and for it only
    assert [u for u in mine if mine[u].nominated] == ["U003"]
    assert not first.get("U003") or not first["U003"].nominated


def test_a_second_collective_award_has_its_sheet_and_its_matrix(second, tmp_path):
    root, rules, yd, ev = second
    write_outputs(ev, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "results.xlsx")
    assert SECOND_LABEL in wb.sheetnames
    ws = wb[SECOND_LABEL]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    staff = {u.unit_name for u in ev.collective if u.award == SECOND}
    assert {v for r in rows[1:] for v in r} >= staff and len(rows) - 1 == len(staff)
    ctx = report_context.build(rules=rules, year_data=yd, evaluation=ev, out_dir=tmp_path)
    shown = html_of(sections.matrices(ctx))
    assert SECOND_LABEL in shown and "事业单位工作人员培训先进集体" in shown  # a heading each
    assert "合作合同签订满24个月" in shown and "合作合同签订满6个月" in shown  # each its own bound
    one = html_of(unit_summary(ctx, "U001"))
    assert SECOND_LABEL in one
    cards = html_of(sections.summary(ctx))
    assert SECOND_LABEL in cards and "事业单位工作人员培训先进集体" in cards  # counted apart

"""Why a row is not used is a declared reason (toolkit.clean.reasons): the cleaning
excludes and quarantines only with declared reasons, every declared reason has its
Chinese label and is used, and the codes written to the ledger are the reasons' values."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit import vocabulary
from toolkit.clean.ledger import Work
from toolkit.clean.reasons import Exclusion, Quarantine
from toolkit.ingest.table import RawTable

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
ENUMS = {"Exclusion": Exclusion, "Quarantine": Quarantine}
CODES = {r.value for r in (*Exclusion, *Quarantine)}
#: where a reason's code may be written as text: its declaration and its label; the
#: intake's own reasons (vocabulary "intake_reasons") are another group of codes
CODE_HOMES = {"vocabulary.py", "clean/reasons.py"}
OTHER_GROUPS = ("intake/",)


def _sources():
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE).as_posix()
        yield rel, ast.parse(p.read_text(encoding="utf-8"), filename=str(p))


SOURCES = list(_sources())


def _work(n: int = 3) -> Work:
    cells = pd.DataFrame({0: [f"P{i}" for i in range(n)]}, index=range(2, 2 + n))
    raw = RawTable(table="staff_payments", path=Path("缴费明细.csv"), sheet=None, encoding="utf-8",
                   header_row=1, headers=["订单号"], columns={"order_id": 0}, cells=cells)
    return Work(raw)


def test_every_reason_has_its_label_and_every_label_its_reason():
    assert {r.value for r in Exclusion} == set(vocabulary.EXCLUSION_REASON_LABELS)
    assert {r.value for r in Quarantine} == set(vocabulary.QUARANTINE_REASON_LABELS)
    assert Quarantine.UNKNOWN_UNIT.label == "单位无法识别"
    assert Exclusion.OUT_OF_PERIOD.label == "不在统计期间"


def test_no_reason_written_as_text_in_the_code():
    """A reason is named by its member (``Quarantine.BAD_DATE``), never by its code."""
    found = []
    for rel, tree in SOURCES:
        if rel in CODE_HOMES or rel.startswith(OTHER_GROUPS):
            continue
        found += [f"{rel}:{n.lineno}: {n.value!r}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in CODES]
    assert not found, found


def test_every_reason_named_in_the_code_is_declared_and_every_declared_one_used():
    used = {name: set() for name in ENUMS}
    undeclared = []
    for rel, tree in SOURCES:
        for n in ast.walk(tree):
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in ENUMS \
                    and n.attr.isupper():
                if n.attr in ENUMS[n.value.id].__members__:
                    used[n.value.id].add(n.attr)
                else:
                    undeclared.append(f"{rel}:{n.lineno}: {n.value.id}.{n.attr}")
    assert not undeclared, undeclared
    for name, enum in ENUMS.items():
        assert set(enum.__members__) == used[name], f"{name} declared but never used: " \
            f"{sorted(set(enum.__members__) - used[name])}"


def test_every_exclusion_and_quarantine_in_the_code_names_a_member():
    """The reason argument of ``Work.exclude`` / ``Work.quarantine``: a member or a
    variable holding one, never text."""
    bad = []
    for rel, tree in SOURCES:
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) \
                    and n.func.attr in ("exclude", "quarantine") and len(n.args) >= 2:
                reason = n.args[1]
                if not isinstance(reason, (ast.Attribute, ast.Name)):
                    bad.append(f"{rel}:{n.lineno}: {ast.unparse(reason)}")
    assert not bad, bad


@pytest.mark.parametrize("call", [
    lambda w: w.quarantine(np.ones(w.n, bool), "bad_date", "order_id"),
    lambda w: w.quarantine(np.ones(w.n, bool), Exclusion.DUPLICATE, "order_id"),
    lambda w: w.exclude(np.ones(w.n, bool), "duplicate"),
    lambda w: w.exclude(np.ones(w.n, bool), Quarantine.BAD_DATE),
    lambda w: w.quarantine(np.zeros(w.n, bool), "late", "order_id"),  # even when no row is hit
], ids=["quarantine-text", "quarantine-exclusion", "exclude-text", "exclude-quarantine", "no-row"])
def test_an_undeclared_reason_is_refused_at_once(call):
    with pytest.raises(TypeError, match="not a declared"):
        call(_work())


def test_the_ledger_and_the_rows_carry_the_codes():
    w = _work(3)
    w.exclude(np.array([True, False, False]), Exclusion.DUPLICATE)
    w.quarantine(np.array([False, True, False]), Quarantine.BAD_AMOUNT, "order_id")
    entry = w.ledger()
    assert entry["excluded"] == {"duplicate": 1} and entry["quarantined"] == {"bad_amount": 1}
    assert all(type(k) is str for k in (*entry["excluded"], *entry["quarantined"]))
    q = w.quarantine_frame()
    assert q["reason"].tolist() == ["bad_amount"] and type(q["reason"].iloc[0]) is str

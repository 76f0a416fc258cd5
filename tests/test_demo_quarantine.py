"""toolkit.demo.quarantine: every kind of row to quarantine is in the files of fmt mixed
(and only there), read back with plain pandas, not toolkit.clean."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from demo_helpers import file_column, isin, read_any, read_payments

from toolkit.demo import QUARANTINE_NOTES, SCENARIOS
from toolkit.demo.small_tables import CATEGORY_WORDS

pytestmark = pytest.mark.usefixtures("release_demo_reads")


# (file, table) -> the reasons its rows must be quarantined for, with their counts
_EXPECTED_PROBLEMS = {
    ("缴费明细.csv", "staff_payments"): {
        "unknown_unit": 9, "bad_amount": 2, "bad_date": 2, "non_positive_amount": 2,
        "missing_value": 2, "bad_value": 2, "conflicting_key": 2},
    ("专技报名明细.xlsx", "professional_enrollments"): {
        "unknown_unit": 2, "bad_amount": 1, "bad_date": 1},
}


_BAD_CATEGORY = "事业单位工作人员培训先进单位"


def _check_quarantine_material(folder: Path, *, mixed: bool) -> None:
    """The rows to quarantine are in the files of fmt mixed (and only those)."""
    orders = {}
    for (file, table), expected in _EXPECTED_PROBLEMS.items():
        p = read_payments(folder, Path(file).stem, table)
        got = dict(Counter(p["problem"].dropna()))
        if mixed:
            assert got == expected, (file, got)
            # on units no scenario uses, each a unit that resolves (its own reason shows)
            units = p.loc[p["problem"].notna() & (p["problem"] != "unknown_unit"), "unit"]
            assert units.notna().all() and not set(units) & set(SCENARIOS.values())
            # the changed re-export: one order id, two amounts
            key = p[p["problem"] == "conflicting_key"]
            assert key["order_id"].nunique() == len(key) // 2 and key["amount"].nunique() == len(key)
        else:  # the benchmark's formats: only the misspelt units
            assert set(got) == {"unknown_unit"}, (file, got)
        orders[table] = p["order_id"]
    # refunds of orders that are in no payment file
    for stem, table, n in (("退费明细", "staff_payments", 2), ("专技退费明细", "professional_enrollments", 1)):
        ref = read_any(folder, stem)
        ref = ref[~ref.iloc[:, 0].astype(str).str.startswith("合计")]
        known = isin(ref[file_column(ref, "staff_refunds", "order_id")].astype(str), orders[table])
        assert (~known).sum() == (n if mixed else 0), stem
    # a nomination of a category the notice does not have
    categories = set(read_any(folder, "推荐申报")["推荐类别"])
    assert categories - set(CATEGORY_WORDS.values()) == ({_BAD_CATEGORY} if mixed else set())


def test_every_quarantine_kind_is_in_the_files(demo):
    """Each reason the ingest stage quarantines for has 2-5 rows of its own in the demo
    files (unknown_unit more), read back here with plain pandas."""
    folder, _ = demo
    _check_quarantine_material(folder, mixed=True)
    kinds = set().union(*_EXPECTED_PROBLEMS.values()) | {"unknown_order"}
    assert kinds == set(QUARANTINE_NOTES)
    counts = Counter()
    for expected in _EXPECTED_PROBLEMS.values():
        counts.update(expected)
    counts.update({"unknown_order": 3, "bad_value": 1})  # refunds; the nomination
    assert all(2 <= n <= 5 for k, n in counts.items() if k != "unknown_unit"), counts


@pytest.mark.parametrize("fmt", ["mixed", "csv", "xlsx"])
def test_quarantine_rows_only_in_mixed(small, fmt):
    _check_quarantine_material(small[fmt], mixed=fmt == "mixed")


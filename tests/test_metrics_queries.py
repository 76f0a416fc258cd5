"""The metric SQL: every unit metric of the registry has its family, the queries run on a
year without any input, and the rules that the small years do not reach."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from metrics_helpers import make_year, pay, refund, row  # noqa: E402

from toolkit.metrics import queries  # noqa: E402
from toolkit.metrics.compute import unit_metrics  # noqa: E402
from toolkit.metrics.engine import run  # noqa: E402
from toolkit.metrics.inputs import timestamp_literal  # noqa: E402
from toolkit.metrics.registry import METRICS, PAYMENTS_TABLE, REFUNDS_TABLE  # noqa: E402


def test_every_unit_metric_is_named_by_a_family():
    source = inspect.getsource(queries)
    for m in METRICS.values():
        if m.entity == "unit":
            assert f"{m.name}" in source.split("# --- the table operation")[0], m.name


def test_inputs_are_the_tracks_tables():
    for table in (*PAYMENTS_TABLE.values(), *REFUNDS_TABLE.values()):
        assert table in queries.INPUTS
        assert table in queries.UNIT_METRICS


def test_no_inputs_no_units():
    out = run(queries.UNIT_METRICS, {}, queries.INPUTS, start=timestamp_literal("2022-01-01"),
              end=timestamp_literal("2022-12-31 23:59:59"), as_of=timestamp_literal("2022-12-31"))
    assert out.empty and "person_times" in out.columns


def test_contracts_signed_the_same_day_the_first_in_the_table_counts():
    yd = make_year({"contracts": [
        {"unit_id": "U001", "track": "staff", "signed_on": "2021-01-01", "terminated_on": "2024-01-01"},
        {"unit_id": "U001", "track": "staff", "signed_on": "2021-01-01"},
    ]})
    assert row(unit_metrics(yd))["contract_terminated_on"] == pd.Timestamp("2024-01-01")


def test_refunds_of_unknown_orders_count_nowhere():
    yd = make_year({"staff_payments": [pay("O1", "T1")],
                    "staff_refunds": [refund("O1", 10), refund("O9", 50)]})
    r = row(unit_metrics(yd))
    assert r["refunds_fen"] == 1000 and r["refund_count"] == 1


def test_registrations_without_a_payments_table_make_no_unit():
    yd = make_year({"staff_registrations": [{"trainee_id": "T1", "unit_id": "U001",
                                             "registered_at": "2022-02-01"}]},
                   omit=("staff_payments",))
    assert unit_metrics(yd).empty

"""The metric SQL on Spark: every query transpiles, and Spark gives the figures and the
evaluation DuckDB gives (slow: a local Spark session starts in a few seconds)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from demo_helpers import YEAR  # noqa: E402
from metrics_helpers import enr, make_year, pay, refund  # noqa: E402

from toolkit.clean.year import load_year  # noqa: E402
from toolkit.evaluation.evaluate import evaluate  # noqa: E402
from toolkit.metrics import queries  # noqa: E402
from toolkit.metrics.compute import unit_metrics  # noqa: E402
from toolkit.metrics.inputs import input_view, timestamp_literal  # noqa: E402
from toolkit.metrics.spark import to_spark  # noqa: E402
from toolkit.outputs.tables import evaluation_json  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
LITERALS = dict(start=timestamp_literal("2022-01-01"), end=timestamp_literal("2022-12-31 23:59:59"),
                as_of=timestamp_literal("2022-12-31"))


def test_every_query_transpiles_to_spark():
    sql = to_spark(queries.UNIT_METRICS.format(**LITERALS))
    assert "TIMESTAMP_NTZ" in sql and "evaluated" in sql
    assert "refunded" in to_spark(queries.OVER_REFUNDS)
    for name, columns in {**queries.INPUTS, **queries.OVER_REFUND_INPUTS}.items():
        assert to_spark(input_view(name, None, [], columns)).startswith("CREATE OR REPLACE TEMPORARY VIEW")


@pytest.mark.slow
@needs_java
def test_hand_built_year_the_same_on_spark():
    yd = make_year({
        "staff_payments": [pay("O1", "T1"), pay("O2", "T2"), pay("O3", "T3", "U002")],
        "staff_refunds": [refund("O2", 180), refund("O3", 50, "U002")],
        "staff_registrations": [{"trainee_id": "T9", "unit_id": "U001", "registered_at": "2022-02-01"}],
        "professional_enrollments": [enr("P1", "T1", "A"), enr("P2", "T1", "A"), enr("P3", "T2", None)],
        "targets": [{"unit_id": "U001", "target": 10}, {"unit_id": "U002", "target": 3},
                    {"unit_id": "U002", "target": 4}],
        "contracts": [{"unit_id": "U003", "track": "staff", "signed_on": "2020-01-01",
                       "terminated_on": "2022-06-30"},
                      {"unit_id": "U003", "track": "staff", "signed_on": "2021-01-01"}],
        "teams": [{"unit_id": "U001", "track": "staff", "dedicated_staff": 2}],
        "complaints": [{"complaint_id": "C1", "unit_id": "U001", "track": "staff", "received_at": "2022-05-01",
                        "severity": "major", "substantiated": None}],
    })
    pd.testing.assert_frame_equal(unit_metrics(yd, engine="spark"), unit_metrics(yd))


@pytest.mark.slow
@needs_java
def test_demo_year_evaluation_json_byte_identical_on_spark(demo):
    data_dir, _ = demo
    yd = load_year(YEAR, data_dir)
    rules = load_rules(YEAR)
    assert evaluation_json(evaluate(yd, rules, engine="spark")) == evaluation_json(evaluate(yd, rules))


@pytest.mark.slow
@needs_java
def test_a_store_year_is_read_by_spark_from_its_files(demo):
    data_dir, _ = demo
    load_year(YEAR, data_dir)
    warm = load_year(YEAR, data_dir)  # served by the clean store: its tables are files
    assert warm.from_cache and isinstance(warm.source("staff_payments"), Path)
    cold = load_year(YEAR, data_dir, use_cache=False)
    pd.testing.assert_frame_equal(unit_metrics(warm, engine="spark"), unit_metrics(cold))


@pytest.mark.parametrize(("value", "expected"), [
    (None, "local[*]"),
    ("", "local[*]"),
    ("  ", "local[*]"),
    ("spark://127.0.0.1:7077", "spark://127.0.0.1:7077"),
    (" yarn ", "yarn"),
])
def test_the_master_is_the_environments_else_local(monkeypatch, value, expected):
    from toolkit.metrics import spark
    if value is None:
        monkeypatch.delenv(spark.MASTER_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(spark.MASTER_VARIABLE, value)
    assert spark.master() == expected


def test_the_scratch_folder_is_the_environments_else_the_systems(monkeypatch, tmp_path):
    from toolkit.metrics import spark
    monkeypatch.delenv(spark.SCRATCH_VARIABLE, raising=False)
    assert spark.scratch() is None
    monkeypatch.setenv(spark.SCRATCH_VARIABLE, str(tmp_path))
    assert spark.scratch() == str(tmp_path)

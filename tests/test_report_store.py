"""The report's data in a run folder (internal/report/) and toolkit.open_run."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from report_helpers import (
    COMPLAINT_PHONE,
    RULES_2022,
    TRAINEE_ID,
    TRAINEE_NAME,
    TRAINEE_PHONE,
)

from toolkit import open_run
from toolkit.analysis import open_year
from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import store
from toolkit.rules.load import load_rules


def test_run_folder_report_data_holds_sums_and_counts_only(ctx, tiny_year):
    d = ctx.out_dir / store.REPORT_DATA_DIR
    assert {p.name for p in d.iterdir()} == {store.META, store.MONTHLY, store.QUARANTINE, store.UNACCEPTED,
                                             RULES_2022.name}  # no previous year beside tiny_year
    monthly = pd.read_parquet(d / store.MONTHLY)
    assert list(monthly.columns) == list(report_context.MONTHLY_COLUMNS)
    assert set(pd.read_parquet(d / store.QUARANTINE).columns) == set(report_context.QUARANTINE_COLUMNS)
    everything = b"".join(p.read_bytes() for p in d.iterdir())
    for secret in ("T00001", "O00002", TRAINEE_NAME, TRAINEE_ID, TRAINEE_PHONE, COMPLAINT_PHONE):
        assert secret.encode() not in everything, secret
    # the monthly sums are the clean tables' sums
    yd = open_year(2022, tiny_year, rules=load_rules(2022, RULES_2022), use_cache=False, progress=False)
    pays = monthly[(monthly["track"] == "staff") & (monthly["kind"] == "payments")]
    assert pays["amount_fen"].sum() == yd.tables["staff_payments"]["amount_fen"].sum()
    assert not list(ctx.out_dir.rglob("*.pkl"))


def test_open_run_rejects_a_folder_that_is_no_run(tmp_path):
    from toolkit.exceptions import ParameterError

    with pytest.raises(ParameterError):
        open_run(tmp_path)


def test_public_names_for_jupyterlab():
    code = ("from toolkit import load_year, evaluate, open_run; "
            "assert callable(load_year) and callable(evaluate) and callable(open_run)")
    subprocess.run([sys.executable, "-c", code], check=True)

"""Several years and provinces of the clean store in one query: the same figures as
``unit_metrics`` of each year, and errors that name what the store lacks."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from toolkit import load_year
from toolkit.clean.period import Period
from toolkit.demo import write_demo_data
from toolkit.exceptions import ParameterError
from toolkit.metrics.compute import unit_metrics
from toolkit.metrics.store import unit_metrics_of_store

pytestmark = pytest.mark.slow  # four small years generated and cleaned (about 10 s)

YEARS = (2021, 2022)
PROVINCES = {"hunan": 20221, "hubei": 7}  # province -> seed of its generated data


def period(year: int) -> Period:
    return Period(pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31 23:59:59"))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Two years of two provinces read into one store; their YearData (cold loads)."""
    root = tmp_path_factory.mktemp("store")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TOOLKIT_CACHE_DIR", str(root))
        for province, seed in PROVINCES.items():
            for year in YEARS:
                d = write_demo_data(year, tmp_path_factory.mktemp(f"{province}{year}") / "d",
                                    scale="small", seed=seed)
                out[(year, province)] = load_year(year, d, period=period(year), province=province)
    return root, out


def test_every_partition_as_its_own_unit_metrics(loaded):
    root, years = loaded
    m = unit_metrics_of_store(root, years=YEARS, provinces=list(PROVINCES))
    assert list(m.columns[:4]) == ["year", "province", "track", "unit_id"]
    parts = list(m[["year", "province"]].drop_duplicates().itertuples(index=False, name=None))
    assert parts == [(2021, "hubei"), (2021, "hunan"), (2022, "hubei"), (2022, "hunan")]
    for (year, province), yd in years.items():
        got = m[(m["year"] == year) & (m["province"] == province)]
        want = unit_metrics(yd)
        got = got.drop(columns=["year", "province"])[list(want.columns)].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert (want["income_fen"] > 0).any()
    # the two provinces differ (else the test could not tell them apart)
    a = m[(m["year"] == 2022) & (m["province"] == "hunan")]["income_fen"].sum()
    b = m[(m["year"] == 2022) & (m["province"] == "hubei")]["income_fen"].sum()
    assert a != b


def test_a_selection_and_the_default_of_all(loaded):
    root, _ = loaded
    one = unit_metrics_of_store(root, years=[2022], provinces=["hubei"])
    assert set(one["year"]) == {2022} and set(one["province"]) == {"hubei"}
    assert len(unit_metrics_of_store(root)) == len(unit_metrics_of_store(
        root, years=YEARS, provinces=PROVINCES))


def test_as_of_picks_the_contract_per_year(loaded):
    root, years = loaded
    early = unit_metrics_of_store(root, years=[2022], provinces=["hunan"],
                                  as_of={2022: pd.Timestamp("2010-01-01")})
    want = unit_metrics(years[(2022, "hunan")], as_of=pd.Timestamp("2010-01-01"))
    pd.testing.assert_series_equal(early["contract_signed_on"].reset_index(drop=True),
                                   want["contract_signed_on"], check_dtype=False)


def test_what_the_store_lacks_is_named(loaded, tmp_path):
    root, _ = loaded
    with pytest.raises(ParameterError, match="no year \\[2019\\]"):
        unit_metrics_of_store(root, years=[2019])
    with pytest.raises(ParameterError, match="no province \\['xizang'\\]"):
        unit_metrics_of_store(root, provinces=["xizang"])
    with pytest.raises(ParameterError, match="holds no year"):
        unit_metrics_of_store(tmp_path / "empty")


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_the_same_on_spark(loaded):
    root, _ = loaded
    pd.testing.assert_frame_equal(unit_metrics_of_store(root, engine="spark"),
                                  unit_metrics_of_store(root))

"""A year cleaned (toolkit.clean.year). Files are read in background threads ahead of
their cleaning (the costliest first); errors still come in contract order, and the
result does not depend on the order."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from ingest_helpers import UNITS, load, minimal_year
from review_helpers import write_corrections

from toolkit import paths
from toolkit.clean import year
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import RegistryError, UnreadableFileError
from toolkit.rules.load import load_rules


def test_the_first_bad_table_in_contract_order_is_reported(tmp_path):
    d = minimal_year(tmp_path / "y")
    (d / "units.csv").write_bytes(b"")  # the first table: empty file
    (d / "staff_payments.csv").write_bytes(b"\x00" * 5000)  # a later one: the largest file
    with pytest.raises(UnreadableFileError) as err:
        load(d)
    assert err.value.file.endswith("units.csv")


def test_a_registry_error_is_raised_while_later_reads_are_pending(tmp_path):
    d = minimal_year(tmp_path / "y", units=UNITS + [["U001", "另一个单位", ""]])
    with pytest.raises(RegistryError):
        load(d)


def test_read_ahead_gives_the_same_year_as_reading_one_by_one(tmp_path, monkeypatch):
    d = minimal_year(tmp_path / "y")
    ahead = load(d, use_cache=False)
    monkeypatch.setattr(year, "READ_AHEAD_THREADS", 1)
    one = load(d, use_cache=False)
    assert ahead.ledger == one.ledger
    for t in ahead.tables:
        pd.testing.assert_frame_equal(ahead.tables[t], one.tables[t])
    pd.testing.assert_frame_equal(ahead.quarantine, one.quarantine)


def test_reads_ahead_stay_within_the_byte_budget(tmp_path, monkeypatch):
    d = minimal_year(tmp_path / "y")
    ahead = load(d, use_cache=False)
    in_flight, most = [], [0]
    real = year.read_table

    def read(path, table):
        in_flight.append(table)
        most[0] = max(most[0], len(in_flight))
        return real(path, table)

    def take(self, table, _take=year.ReadAhead.take):
        raw = _take(self, table)
        in_flight.remove(table)
        return raw

    monkeypatch.setattr(year, "read_table", read)
    monkeypatch.setattr(year.ReadAhead, "take", take)
    monkeypatch.setattr(year, "READ_AHEAD_BYTES", 1)  # every file over budget: one at a time
    one = load(d, use_cache=False)
    assert most[0] == 1 and not in_flight
    assert ahead.ledger == one.ledger
    for t in ahead.tables:
        pd.testing.assert_frame_equal(ahead.tables[t], one.tables[t])
    monkeypatch.setattr(year, "READ_AHEAD_BYTES", 10**9)
    load(d, use_cache=False)
    assert most[0] > 1  # within the budget, files are read ahead


def test_corrections_apply_on_a_store_hit_as_on_a_fresh_build(tiny_year, tmp_path, monkeypatch):
    """A corrections file changes the clean year the same way whether the year is built
    or served from the clean store; editing the file changes the store key (its alias
    corrections take part in the build)."""
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "store"))
    d = shutil.copytree(tiny_year, tmp_path / "2022")
    rules = load_rules(2022, paths.PROJECT_ROOT / "rules" / "2022.yaml")
    write_corrections(d / "更正.xlsx", [["应培人数", "U001", None, "应培人数", 120, "补报", "省校"]])
    built = year.load_year(2022, d, rules=rules)
    served = year.load_year(2022, d, rules=rules)
    assert served.corrections == built.corrections and len(built.corrections) == 1
    assert served.tables["targets"].set_index("unit_id")["target"]["U001"] == 120
    assert evaluate(served, rules).to_dict() == evaluate(built, rules).to_dict()
    write_corrections(d / "更正.xlsx", [["应培人数", "U001", None, "应培人数", 130, "补报", "省校"]])
    again = year.load_year(2022, d, rules=rules)
    assert again.tables["targets"].set_index("unit_id")["target"]["U001"] == 130


def test_a_cold_years_tables_are_served_from_the_store_once_written(tmp_path):
    from ingest_helpers import PERIOD_2022

    from toolkit.clean.model import LazyTables
    from toolkit.ingest.find import find_files

    d = minimal_year(tmp_path / "y")
    yd = load(d, use_cache=False)
    assert not yd.from_cache
    # not kept as frames: the figures' engine reads the store's files
    assert isinstance(yd.tables, LazyTables) and yd.tables.file("staff_payments") is not None
    found = find_files(d)
    built = year.build_year(2022, d, PERIOD_2022, found, {t: "-" for t in found})
    for t in built.tables:
        pd.testing.assert_frame_equal(yd.tables[t], built.tables[t])
        pd.testing.assert_frame_equal(yd.excluded[t], built.excluded[t])

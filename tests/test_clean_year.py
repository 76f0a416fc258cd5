"""A year cleaned (toolkit.clean.year). Files are read in background threads ahead of
their cleaning (the costliest first); errors still come in contract order, and the
result does not depend on the order."""

from __future__ import annotations

import hashlib
import shutil

import pandas as pd
import pytest
from ingest_helpers import UNITS, load, minimal_year, write_table
from review_helpers import write_corrections

from toolkit import paths
from toolkit.clean import store, year
from toolkit.clean.period import Period
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import FileChangedError, RegistryError, UnreadableFileError
from toolkit.ingest import stream
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
    built = year.load_year(2022, d, period=Period.of(rules))
    served = year.load_year(2022, d, period=Period.of(rules))
    assert served.corrections == built.corrections and len(built.corrections) == 1
    assert served.tables["targets"].set_index("unit_id")["target"]["U001"] == 120
    assert evaluate(served, rules).to_dict() == evaluate(built, rules).to_dict()
    write_corrections(d / "更正.xlsx", [["应培人数", "U001", None, "应培人数", 130, "补报", "省校"]])
    again = year.load_year(2022, d, period=Period.of(rules))
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


# --- one snapshot of the inputs (ingest.snapshot) -----------------------------------------

TARGETS_A = [["unit", "target"], ["U001", "100"], ["U002", "50"]]
TARGETS_B = [["unit", "target"], ["U001", "999"], ["U002", "50"]]


def _targets(yd) -> dict:
    return yd.tables["targets"].set_index("unit_id")["target"].to_dict()


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_rewritten_between_its_hash_and_its_parsing_is_evaluated_as_recorded(tmp_path, monkeypatch):
    """``toolkit intake --replace`` (or an office) rewrites a file while the run reads
    the folder: the run evaluates the version it recorded, or stops naming the file;
    and the store never keeps one version's rows under another's hash."""
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "store"))
    d = minimal_year(tmp_path / "y", targets=TARGETS_A)
    a = _sha(d / "targets.csv")
    b = hashlib.sha256(write_table(tmp_path / "b.csv", TARGETS_B).read_bytes()).hexdigest()
    real = store.store_key

    def keyed_then_rewritten(*args, **kwargs):  # every file hashed, none parsed yet
        write_table(d / "targets.csv", TARGETS_B)
        monkeypatch.setattr(store, "store_key", real)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "store_key", keyed_then_rewritten)
    try:
        yd = load(d, use_cache=True)
    except FileChangedError as err:
        assert err.file.endswith("targets.csv") and err.exit_code == 2
    else:
        recorded = {f.table: f.sha256 for f in yd.files}["targets"]
        assert {a: 100, b: 999}[recorded] == _targets(yd)["U001"]
    write_table(d / "targets.csv", TARGETS_A)  # the first version back
    assert _targets(load(d, use_cache=True))["U001"] == 100


def test_a_big_file_rewritten_before_its_batches_are_read_is_exit_2(tmp_path, monkeypatch):
    """A CSV too big to hold is read in batches: a change after its hash is found."""
    rows = [["trainee_id", "unit", "registered_at"]] + [[f"T{i:03d}", "U001", "2022-01-05"] for i in range(40)]
    d = minimal_year(tmp_path / "y", staff_registrations=rows)
    monkeypatch.setattr(stream, "BATCH_BYTES", 256)  # every CSV over 256 bytes read in batches
    real = year.clean_batches
    streamed = []

    def rewritten_first(path, table, *args, **kwargs):
        streamed.append(table)
        if table == "staff_registrations":
            write_table(path, rows + [["T999", "U001", "2022-01-06"]])
        return real(path, table, *args, **kwargs)

    monkeypatch.setattr(year, "clean_batches", rewritten_first)
    a = _sha(d / "staff_registrations.csv")
    try:
        yd = load(d)
    except FileChangedError as err:
        assert err.file.endswith("staff_registrations.csv")
    else:
        recorded = {f.table: f.sha256 for f in yd.files}["staff_registrations"]
        assert (recorded == a) == (len(yd.tables["staff_registrations"]) == 40)
    assert "staff_registrations" in streamed


def test_the_corrections_file_is_keyed_by_the_version_applied(tmp_path, monkeypatch):
    import openpyxl

    d = minimal_year(tmp_path / "y", targets=TARGETS_A)
    a = write_corrections(tmp_path / "a.xlsx", [["targets", "U001", "", "target", "120", "补报", "李主任"]])
    b = write_corrections(tmp_path / "b.xlsx", [["targets", "U001", "", "target", "130", "补报", "李主任"]])
    (d / "更正.xlsx").write_bytes(a.read_bytes())
    real_load, real_key = openpyxl.load_workbook, store.store_key
    keyed = []

    def read_then_saved_again(*args, **kwargs):
        out = real_load(*args, **kwargs)
        (d / "更正.xlsx").write_bytes(b.read_bytes())
        return out

    monkeypatch.setattr(openpyxl, "load_workbook", read_then_saved_again)
    monkeypatch.setattr(store, "store_key", lambda y, p, found, hashes: keyed.append(hashes["corrections"])
                        or real_key(y, p, found, hashes))
    yd = load(d)
    assert {_sha(a): 120, _sha(b): 130}[keyed[-1]] == _targets(yd)["U001"]

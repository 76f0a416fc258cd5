"""A big file cleaned batch by batch (toolkit.clean.batched) gives what the whole-file
cleaning gives, row for row: the same clean and excluded frames, quarantine rows and
ledger. The files here are small; a tiny batch size makes them stream in many
batches, with the hard cases (duplicates, shared keys, refunds) across batches."""

from __future__ import annotations

import pandas as pd
import pytest
from clean_helpers import ledger, q
from ingest_helpers import PERIOD_2022, minimal_year

from toolkit.clean import batched, year
from toolkit.ingest import stream
from toolkit.ingest.find import find_files

BATCH = 2048  # bytes: a file of a few hundred rows streams in dozens of batches

PAY_HEAD = ["order_id", "trainee_id", "unit", "amount", "paid_at", "status", "支付渠道"]


def _payments(n: int = 600) -> list[list[str]]:
    rows = [PAY_HEAD]
    for i in range(n):
        rows.append([f"P{i:05d}", f"T{i:05d}", ("U001", "长沙电大", "U002")[i % 3],
                     f"{100 + i % 7}", f"2022-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00",
                     "成功" if i % 11 else "失败", "微信"])
        if i == 100:
            rows.append([""] * 7)  # a blank row
            rows.append(["PBAD", "TB", "U001", "abc", "2022-05-01", "成功", "微信"])
            rows.append(["PC", "TC", "U001", "100", "2022-05-01", "成功", "微信"])
            rows.append(["PD", "TD", "U002", "100", "2022-05-01", "成功", "微信"])
            rows.append(["POLD", "TO", "U001", "100", "2021-05-01", "成功", "微信"])
            rows.append(["PX", "TX", "某某学院", "100", "2022-05-01", "成功", "微信"])
        if i == 300:
            rows.append(["小计", "", "", "30000", "", "", ""])  # a subtotal row
    rows += [
        rows[10][:],  # P00009 again: an exact duplicate, far from its first
        ["PBAD", "TB", "U001", "abc", "2022-05-01", "成功", "微信"],  # a broken row, again
        ["PC", "TC", "U001", "200", "2022-05-01", "成功", "微信"],  # the key, another amount
        ["PD", "TD", "U002", "100", "2022-05-01", "成功", "微信"],  # PD twice alike...
        ["PD", "TD", "U002", "300", "2022-05-01", "成功", "微信"],  # ...and once not
        rows[11][:6] + ["支付宝"],  # P00010 again, but for an unmapped column
    ]
    return rows


def _year(tmp_path):
    regs = [["trainee_id", "unit", "registered_at"]]
    regs += [[f"T{i:05d}", ("U001", "U002")[i % 2], f"2022-{1 + i % 12:02d}-03"] for i in range(700)]
    regs += [regs[5][:], regs[600][:], ["T99999", "U009", "2022-01-01"], ["", "U001", "2022-01-01"]]
    refunds = [["refund_id", "order_id", "amount", "refunded_at"],
               ["R1", "P00009", "50", "2022-06-01"],  # a payment with a duplicate
               ["R2", "P00011", "50", "2022-06-01"],  # a failed payment: not in the year
               ["R3", "POLD", "50", "2022-06-01"],  # a payment out of the period
               ["R4", "PC", "50", "2022-06-01"],  # a payment of a shared key: unknown
               ["R5", "NOPE", "50", "2022-06-01"],
               ["R6", "P00012", "50", "2023-02-01"]]  # after the cut-off
    return minimal_year(tmp_path / "y", staff_payments=_payments(), staff_registrations=regs,
                        staff_refunds=refunds)


def _build(d, monkeypatch, batch_bytes: int):
    monkeypatch.setattr(stream, "BATCH_BYTES", batch_bytes)
    found = find_files(d)
    return year.build_year(2022, d, PERIOD_2022, found, {t: "-" for t in found})


def _same(a, b) -> None:
    assert set(a.tables) == set(b.tables)
    for t in a.tables:
        pd.testing.assert_frame_equal(a.tables[t], b.tables[t], check_exact=True)
        pd.testing.assert_frame_equal(a.excluded[t], b.excluded[t], check_exact=True)
    pd.testing.assert_frame_equal(a.quarantine, b.quarantine, check_exact=True)
    assert a.ledger == b.ledger
    assert [vars(f) for f in a.files] == [vars(f) for f in b.files]


@pytest.fixture
def both(tmp_path, monkeypatch):
    """(the year cleaned whole, the year cleaned in batches, the batches per table)."""
    d = _year(tmp_path)
    whole = _build(d, monkeypatch, 10**12)
    counts: dict[str, int] = {}
    real = stream.raw_batches

    def counting(path, table, batch_bytes=None):
        for raw in real(path, table, batch_bytes):
            counts[table] = counts.get(table, 0) + 1
            yield raw

    monkeypatch.setattr(batched, "raw_batches", counting)
    return whole, _build(d, monkeypatch, BATCH), counts


def test_batches_give_the_whole_files_outcome(both):
    whole, parts, counts = both
    # every big-enough CSV streamed, in many batches
    assert counts["staff_payments"] > 5 and counts["staff_registrations"] > 5
    _same(whole, parts)


def test_the_whole_table_rules_hold_across_batches(both):
    _, yd, _ = both
    pay = ledger(yd, "staff_payments")
    # P00009's twin far from it, the broken row's twin, one of the alike PDs, and P00010's
    # second row (it differs only in a column the contract does not map)
    assert pay["excluded"]["duplicate"] == 4
    qp = q(yd, "staff_payments")
    conflicting = qp[qp["reason"] == "conflicting_key"]
    assert sorted(conflicting["value"]) == ["PC", "PC", "PD", "PD"]
    # the first broken row keeps its own reason; its twin is a duplicate, not quarantined
    assert qp[qp["reason"] == "bad_amount"]["value"].tolist() == ["abc"]
    assert pay["quarantined"]["unknown_unit"] == 1
    assert list(qp["row"]) == sorted(qp["row"])  # in the file's order


def test_refunds_are_matched_to_a_streamed_payments_table(both):
    _, yd, _ = both
    refunds = ledger(yd, "staff_refunds")
    assert refunds["rows_used"] == 1  # R1: its payment is used (and has a duplicate)
    assert refunds["excluded"] == {"order_not_in_year": 2, "after_cutoff": 1}
    assert refunds["quarantined"] == {"unknown_order": 2}  # R4 (a shared key), R5
    assert yd.tables["staff_refunds"]["unit_id"].tolist() == ["U001"]


@pytest.mark.parametrize("how", ["line break", "title row"])
def test_a_file_that_cannot_stream_is_cleaned_whole(tmp_path, monkeypatch, how):
    rows = _payments(200)
    if how == "line break":  # its quotes are checked on the whole text
        rows[50][6] = "微信\n支付"
    else:  # a title row with a line break in it: pyarrow skips lines, not records
        rows.insert(0, ["缴费明细\n2022年"])
    d = minimal_year(tmp_path / "y", staff_payments=rows)
    whole = _build(d, monkeypatch, 10**12)
    _same(whole, _build(d, monkeypatch, BATCH))


def test_title_rows_above_the_header_stream(tmp_path, monkeypatch):
    rows = [["湖南开放大学事业单位培训缴费明细"], ["导出时间：2023-01-05", "", ""]] + _payments(300)
    d = minimal_year(tmp_path / "y", staff_payments=rows)
    whole = _build(d, monkeypatch, 10**12)
    streamed = []
    real = year.clean_batches

    def spy(path, table, *a, **k):
        out = real(path, table, *a, **k)  # NotStreamable passes through
        streamed.append(table)
        return out

    monkeypatch.setattr(year, "clean_batches", spy)
    _same(whole, _build(d, monkeypatch, BATCH))
    assert "staff_payments" in streamed
    assert next(f for f in whole.files if f.table == "staff_payments").header_row == 3


@pytest.mark.parametrize("batch_bytes", [10**12, 64], ids=["whole", "batches"])
def test_a_refund_takes_the_unit_of_its_first_payment_in_the_files_order(tmp_path, monkeypatch,
                                                                         batch_bytes):
    # ="" is an empty id once read, so neither a conflict nor a missing value: two
    # readable payments of one order with two units; the first in the file (excluded,
    # out of the period) gives the refund its unit, as before the batches
    head = ["order_id", "trainee_id", "unit", "amount", "paid_at"]
    pad = [[f"Q{i}", f"T{i}", "U002", "100", "2022-04-01"] for i in range(40)]
    d = minimal_year(tmp_path / "y", staff_payments=[
        head, ["P1", "007", "U001", "180", "2022-03-05 14:03"],
        ['=""', "008", "U001", "180", "2021-03-05 14:03"], *pad,
        ['=""', "009", "U002", "180", "2022-03-05 14:03"]],
        staff_refunds=[["order_id", "amount", "refunded_at"], ['=""', "50", "2022-06-01"]])
    yd = _build(d, monkeypatch, batch_bytes)
    assert yd.tables["staff_refunds"]["unit_id"].tolist() == ["U001"]


def test_a_streamed_table_goes_to_the_store_as_soon_as_it_is_clean(tmp_path, monkeypatch):
    from toolkit.clean import store
    from toolkit.clean.year import load_year

    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "store"))
    d = _year(tmp_path)
    whole = _build(d, monkeypatch, 10**12)
    spilled = []
    real = store.spill

    def spy(frame, kind, name, *a, **k):
        spilled.append((kind, name, len(frame)))
        return real(frame, kind, name, *a, **k)

    monkeypatch.setattr(store, "spill", spy)
    monkeypatch.setattr(stream, "BATCH_BYTES", BATCH)
    yd = load_year(2022, d, period=PERIOD_2022, use_cache=False)
    assert ("tables", "staff_payments", len(whole.tables["staff_payments"])) in spilled
    assert ("excluded", "staff_registrations",
            len(whole.excluded["staff_registrations"])) in spilled
    assert not any(name == "units" for _, name, _ in spilled)  # a small table waits
    for t in whole.tables:
        pd.testing.assert_frame_equal(yd.tables[t], whole.tables[t])
        pd.testing.assert_frame_equal(yd.excluded[t], whole.excluded[t])
    warm = load_year(2022, d, period=PERIOD_2022)
    assert warm.from_cache and warm.ledger == whole.ledger

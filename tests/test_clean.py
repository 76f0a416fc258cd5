"""Cleaning a year: units, duplicates, period, refunds, nominations, privacy, the
ledger and the validation report."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import UNITS, load, minimal_year, write_table

from toolkit.clean.load import SCHEMA, mask_text, resolve_period, validation_report
from toolkit.exceptions import RegistryError


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def ledger(yd, table):
    return next(e for e in yd.ledger if e["table"] == table)


def q(yd, table):
    return yd.quarantine[yd.quarantine["table"] == table]


PAY_HEAD = ["order_id", "trainee_id", "unit", "amount", "paid_at", "status"]


def pay(*rows):
    return [PAY_HEAD, *[list(r) for r in rows]]


# --- the schema ----------------------------------------------------------------------------


def test_clean_tables_follow_the_schema(tmp_path):
    yd = load(minimal_year(tmp_path))
    for table, df in yd.tables.items():
        assert list(df.columns) == list(SCHEMA[table]), table
        for col, dtype in SCHEMA[table].items():
            assert str(df[col].dtype) == dtype, (table, col)
    assert yd.tables["staff_payments"].iloc[0].to_dict() == {
        "order_id": "P1", "trainee_id": "007", "unit_id": "U001", "amount_fen": 18000,
        "paid_at": pd.Timestamp("2022-03-05 14:03")}
    assert yd.tables["units"].set_index("unit_id").loc["U001", "aliases"] == ["长沙电大", "长沙分校"]
    assert yd.tables["contracts"]["track"].tolist() == ["staff", "professional"]
    assert yd.missing_tables == ["complaints", "nominations", "rsvp"]
    assert not yd.from_cache
    assert {f.table for f in yd.files} == set(yd.tables)
    assert all(len(f.sha256) == 64 for f in yd.files)


# --- units -------------------------------------------------------------------------------


def test_units_resolve_by_id_name_alias(tmp_path):
    rows = pay(
        ("P1", "T", "U001", "1", "2022-03-01", "成功"),
        ("P2", "T", "长沙开放大学", "1", "2022-03-01", "成功"),
        ("P3", "T", "长沙 电大", "1", "2022-03-01", "成功"),
        ("P4", "T", "株洲开放大学(分校)", "1", "2022-03-01", "成功"),
        ("P5", "T", "株洲开放大学（分校）", "1", "2022-03-01", "成功"),
        ("P6", "T", "湘潭广播电视大学", "1", "2022-03-01", "成功"),
        ("P7", "T", "Ｕ００３", "1", "2022-03-01", "成功"),
        ("P8", "T", "长沙开发大学", "1", "2022-03-01", "成功"),
    )
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    used = yd.tables["staff_payments"].set_index("order_id")["unit_id"]
    assert used.to_dict() == {"P1": "U001", "P2": "U001", "P3": "U001", "P4": "U002", "P5": "U002",
                              "P6": "U003", "P7": "U003"}
    bad = q(yd, "staff_payments").iloc[0]
    assert (bad["reason"], bad["row"], bad["column"], bad["value"]) == (
        "unknown_unit", 9, "unit", "长沙开发大学")
    assert bad["suggestion"].split("; ")[0] == "长沙开放大学"
    assert len(bad["suggestion"].split("; ")) == 3


def test_registry_duplicate_id(tmp_path):
    units = [*UNITS, ["U001", "另一个单位", ""]]
    with pytest.raises(RegistryError) as e:
        load(minimal_year(tmp_path, units=units))
    assert "U001" in str(e.value) and "rows 2 and 5" in str(e.value) and "units.csv" in str(e.value)
    assert e.value.exit_code == 2


def test_registry_shared_alias(tmp_path):
    units = [*UNITS, ["U004", "岳阳开放大学", "长沙电大"]]
    with pytest.raises(RegistryError) as e:
        load(minimal_year(tmp_path, units=units))
    assert "长沙电大" in str(e.value) and "U001" in str(e.value) and "U004" in str(e.value)


def test_registry_exact_duplicate_row_is_only_excluded(tmp_path):
    yd = load(minimal_year(tmp_path, units=[*UNITS, UNITS[1]]))
    assert ledger(yd, "units")["excluded"] == {"duplicate": 1}


def test_units_table_chinese_headers(tmp_path):
    units = [["单位编码", "单位名称", "曾用名", "层级", "上级单位编码"],
             ["U001", "长沙开放大学", "长沙电大，长沙分校", "市级", ""],
             ["U002", "株洲开放大学", "", "市级", "U001"]]
    yd = load(minimal_year(tmp_path, units=units))
    u = yd.tables["units"]
    assert u["aliases"].tolist() == [["长沙电大", "长沙分校"], []]
    assert u["parent_id"].isna().tolist() == [True, False]


# --- duplicates, status, period, amounts --------------------------------------------------


def test_payment_fates(tmp_path):
    rows = pay(
        ("P1", "T1", "U001", "180", "2022-03-05", "成功"),  # used
        ("P1", "T1", "U001", "180", "2022-03-05", "成功"),  # exact duplicate
        ("P2", "T2", "U001", "180", "2022-03-05", "已取消"),  # failed
        ("P3", "T3", "U001", "180", "2021-12-31 23:59:59", "成功"),  # before the period
        ("P4", "T4", "U001", "180", "2023-01-01 00:00:00", "成功"),  # after
        ("P5", "T5", "U001", "180", "2022-12-31 23:59:59", "成功"),  # last second: used
        ("P6", "T6", "U001", "180", "2022-03-05", "处理中"),  # unknown status
        ("P7", "T7", "U001", "0", "2022-03-05", "成功"),  # zero
        ("P8", "T8", "U001", "-5", "2022-03-05", "成功"),  # negative
        ("P9", "T9", "U001", "18O", "2022-03-05", "成功"),  # bad amount
        ("P10", "T10", "U001", "180", "2022-02-30", "成功"),  # bad date
        ("P11", "", "U001", "180", "2022-03-05", "成功"),  # missing trainee
        ("P12", "T12", "U001", "180", "2022-03-05", "成功"),  # conflicting key ...
        ("P12", "T13", "U001", "180", "2022-03-05", "成功"),  # ... both rows
        ("P13", "T13", "U001", "180", "2022-03-05", ""),  # empty status
    )
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    e = ledger(yd, "staff_payments")
    assert e["rows_read"] == 15 and e["rows_used"] == 2
    assert e["excluded"] == {"duplicate": 1, "failed_status": 1, "out_of_period": 2}
    assert e["quarantined"] == {"bad_value": 1, "non_positive_amount": 2, "bad_amount": 1,
                                "bad_date": 1, "missing_value": 2, "conflicting_key": 2}
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["P1", "P5"]
    x = yd.excluded["staff_payments"]
    assert x.set_index("row")["reason"].to_dict() == {3: "duplicate", 4: "failed_status",
                                                      5: "out_of_period", 6: "out_of_period"}
    assert list(x.columns[-3:]) == ["file", "row", "reason"]
    qq = q(yd, "staff_payments").set_index("row")
    assert qq.loc[8, "column"] == "status" and qq.loc[8, "value"] == "处理中"
    assert qq.loc[12, "reason"] == "bad_date" and qq.loc[12, "value"] == "2022-02-30"


def test_missing_status_column_means_success(tmp_path):
    rows = [PAY_HEAD[:5], ["P1", "T1", "U001", "180", "2022-03-05"]]
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    assert ledger(yd, "staff_payments")["rows_used"] == 1


def test_period_from_rules_object(tmp_path):
    rows = pay(("P1", "T1", "U001", "180", "2022-06-30 12:00", "成功"),
               ("P2", "T1", "U001", "180", "2022-07-01 12:00", "成功"))
    rules = SimpleNamespace(period_start=pd.Timestamp("2022-07-01"),
                            period_end=pd.Timestamp("2023-06-30 23:59:59"))
    yd = load(minimal_year(tmp_path, staff_payments=rows), rules=rules)
    assert yd.period_start == pd.Timestamp("2022-07-01")
    assert yd.tables["staff_payments"]["order_id"].tolist() == ["P2"]


def test_calendar_period_without_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLKIT_HOME", str(tmp_path))
    p = resolve_period(2021, rules=None)
    # either the project's rules file for 2021 or the calendar year: both are this
    assert (p.start, p.end) == (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31 23:59:59"))


def test_conflicting_complaint_ids_and_complaint_defaults(tmp_path):
    complaints = [
        ["投诉编号", "单位", "项目", "受理时间", "等级", "是否属实", "处理状态"],
        ["C1", "U001", "事业单位", "2022-05-01", "重大", "", "已办结"],
        ["C2", "U001", "专技", "2022-05-02", "一般", "不属实", "处理中"],
        ["C3", "U001", "专技", "2022-05-02", "普通", "是", ""],
        ["C4", "U002", "专技", "2022-05-02", "严重", "", ""],
        ["C4", "U002", "专技", "2022-05-03", "严重", "", ""],
        ["C5", "U002", "专技", "2022-05-03", "很严重", "", ""],
        ["", "U002", "专技", "2021-05-03", "严重", "", ""],
    ]
    d = minimal_year(tmp_path)
    write_table(d / "投诉登记.xlsx", complaints)
    yd = load(d)
    c = yd.tables["complaints"]
    assert c["severity"].tolist() == ["major", "minor", "minor"]
    assert c["substantiated"].tolist() == [True, False, True]
    assert c["status"].tolist() == ["closed", "open", "open"]
    e = ledger(yd, "complaints")
    assert e["quarantined"] == {"conflicting_key": 2, "bad_value": 1}
    assert e["excluded"] == {"out_of_period": 1}


def test_complaints_without_status_column(tmp_path):
    d = minimal_year(tmp_path)
    write_table(d / "complaints.csv", [["unit", "track", "received_at", "severity"],
                                       ["U001", "staff", "2022-05-01", "minor"]])
    c = load(d).tables["complaints"]
    assert c["status"].tolist() == [None] and c["substantiated"].tolist() == [True]
    assert c["complaint_id"].isna().all()


# --- refunds --------------------------------------------------------------------------------


def test_refund_fates(tmp_path):
    payments = pay(
        ("P1", "T1", "U002", "180", "2022-03-05", "成功"),
        ("P2", "T2", "U001", "180", "2022-03-05", "失败"),
        ("P3", "T3", "U001", "180", "2021-03-05", "成功"),
        ("P4", "T4", "badunit", "180", "2022-03-05", "成功"),
    )
    refunds = [
        ["退费单号", "订单号", "退费金额", "退费时间", "退费原因"],
        ["R1", "P1", "50", "2022-05-01", "个人原因"],  # used, unit from the payment
        ["R2", "P1", "30", "2023-01-02", ""],  # after the cut-off
        ["R3", "P1", "30", "2021-12-01", ""],  # before the period
        ["R4", "P2", "30", "2022-05-01", ""],  # failed payment
        ["R5", "P3", "30", "2022-05-01", ""],  # payment out of period
        ["R6", "P9", "30", "2022-05-01", ""],  # no such order
        ["R7", "P4", "30", "2022-05-01", ""],  # order only in the quarantine
        ["R8", "P1", "0", "2022-05-01", ""],  # zero
        ["R9", "P1", "10", "2022-05-01", ""],  # conflicting refund id ...
        ["R9", "P1", "20", "2022-05-01", ""],
        ["", "P1", "20", "2022-06-01", ""],  # no refund id: fine
    ]
    yd = load(minimal_year(tmp_path, staff_payments=payments, staff_refunds=refunds))
    r = yd.tables["staff_refunds"]
    assert r["refund_id"].fillna("-").tolist() == ["R1", "-"]
    assert r["unit_id"].tolist() == ["U002", "U002"]
    assert r["amount_fen"].tolist() == [5000, 2000]
    assert r["reason"].fillna("-").tolist() == ["个人原因", "-"]
    e = ledger(yd, "staff_refunds")
    assert e["excluded"] == {"after_cutoff": 1, "out_of_period": 1, "order_not_in_year": 2}
    assert e["quarantined"] == {"unknown_order": 2, "non_positive_amount": 1, "conflicting_key": 2}
    x = yd.excluded["staff_refunds"].set_index("refund_id")
    assert x.loc["R2", "reason"] == "after_cutoff" and x.loc["R2", "unit_id"] == "U002"
    assert x.loc["R2", "amount_fen"] == 3000
    assert "refund_reason" in x.columns


# --- nominations and rsvp ---------------------------------------------------------------------


def test_nominations(tmp_path):
    rows = [
        ["推荐类别", "单位", "姓名", "主要事迹", "从事培训工作起始日期", "联系人", "手机号码"],
        ["事业单位工作人员培训先进集体", "U001", "长沙开放大学培训部", "事迹", "", "王", "13812345678"],
        ["专业技术人员继续教育培训先进个人", "U002", "李四", "事迹", "2019-03-01", "", ""],
        ["事业单位工作人员培训创新创意", "U001", "", "创意", "", "", ""],
        ["事业单位工作人员培训先进个人", "U001", "张三", "事迹", "", "", ""],  # no start
        ["专业技术人员继续教育培训先进集体", "U001", "", "事迹", "", "", ""],  # no nominee
        ["先进个人", "U001", "张三", "事迹", "2019-03-01", "", ""],  # bad category
        ["事业单位工作人员培训先进个人", "U001", "张三", "", "2019-03-01", "", ""],  # no deeds
    ]
    d = minimal_year(tmp_path)
    write_table(d / "推荐申报.xlsx", rows)
    yd = load(d)
    n = yd.tables["nominations"]
    assert n["row"].tolist() == [2, 3, 4]
    assert n["kind"].tolist() == ["collective", "individual", "innovation"]
    assert n["track"].tolist() == ["staff", "professional", "staff"]
    assert n["category"].tolist() == ["staff.collective", "professional.individual", "innovation.staff"]
    assert n["contact_phone"].tolist()[0] == "13812345678"
    assert n["started_on"].tolist()[1] == pd.Timestamp("2019-03-01")
    qq = q(yd, "nominations").set_index("row")
    assert qq["reason"].to_dict() == {5: "missing_value", 6: "missing_value", 7: "bad_value",
                                      8: "missing_value"}
    assert qq.loc[5, "column"] == "从事培训工作起始日期" and qq.loc[6, "column"] == "姓名"
    # the quarantine masks phone numbers
    assert "13812345678" not in yd.quarantine.to_string()


def test_rsvp(tmp_path):
    rows = [["单位", "姓名", "性别", "职务", "手机号码", "是否预留住宿", "回执时间"],
            ["U001", "王五", "男", "校长", "13912345678", "是", "2022-11-01 10:00"],
            ["U002", "赵六", "女", "", "", "", ""],
            ["U002", "钱七", "女", "", "", "也许", ""]]
    d = minimal_year(tmp_path)
    write_table(d / "参会回执.csv", rows, encoding="gb18030")
    yd = load(d)
    r = yd.tables["rsvp"]
    assert r["needs_room"].tolist() == [True, None]
    assert r["row"].tolist() == [2, 3]
    assert q(yd, "rsvp")["reason"].tolist() == ["bad_value"]


# --- privacy -----------------------------------------------------------------------------------


def test_privacy(tmp_path):
    regs = [["学员编号", "单位", "注册时间", "姓名", "身份证号", "手机号"],
            ["007", "U001", "2022-01-05", "张三", "430102199001011234", "13812345678"],
            ["008", "nowhere", "2022-01-05", "李四", "43010219900101123X", "13912345678"]]
    yd = load(minimal_year(tmp_path, staff_registrations=regs))
    assert list(yd.tables["staff_registrations"].columns) == ["trainee_id", "unit_id", "registered_at"]
    row = q(yd, "staff_registrations").iloc[0]
    raw = json.loads(row["raw"])
    assert raw["身份证号"] == "**************123X"
    assert raw["手机号"] == "*******5678"
    assert "43010219900101123X" not in yd.quarantine.to_string()


def test_mask_text():
    assert mask_text("tel 13812345678, id 430102199001011234") == \
        "tel *******5678, id **************1234"
    assert mask_text("P0001") == "P0001"


# --- the ledger ---------------------------------------------------------------------------------

ROW_KINDS = {
    "good": lambda i: [f"P{i}", f"T{i}", "U001", "180", "2022-03-05", "成功"],
    "failed": lambda i: [f"P{i}", f"T{i}", "U001", "180", "2022-03-05", "失败"],
    "old": lambda i: [f"P{i}", f"T{i}", "U001", "180", "2021-03-05", "成功"],
    "bad_date": lambda i: [f"P{i}", f"T{i}", "U001", "180", "someday", "成功"],
    "bad_amount": lambda i: [f"P{i}", f"T{i}", "U001", "lots", "2022-03-05", "成功"],
    "unknown_unit": lambda i: [f"P{i}", f"T{i}", "Atlantis", "180", "2022-03-05", "成功"],
    "empty": lambda i: [f"P{i}", "", "U001", "180", "2022-03-05", "成功"],
    "blank": lambda i: ["", "", "", "", "", ""],
    "footer": lambda i: ["合计", "", "", "999", "", ""],
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(ROW_KINDS)), st.integers(0, 2)), max_size=25),
       st.sampled_from([".csv", ".xlsx"]))
def test_ledger_balances(tmp_path_factory, spec, suffix):
    rows, expect_read = [], 0
    for i, (kind, copies) in enumerate(spec):
        for _ in range(1 + copies):  # copies: exact duplicates, or conflicting keys
            r = ROW_KINDS[kind](i)
            if copies == 2 and kind == "good":
                r = [*r[:3], str(180 + _), *r[4:]]  # same key, different amount
            rows.append(r)
            expect_read += kind not in ("blank", "footer")
    d = minimal_year(tmp_path_factory.mktemp("y"), skip=("staff_payments",))
    write_table(d / f"缴费明细{suffix}", pay(*rows))
    yd = load(d)
    for e in yd.ledger:
        assert e["rows_read"] == e["rows_used"] + sum(e["excluded"].values()) + sum(
            e["quarantined"].values())
    e = ledger(yd, "staff_payments")
    assert e["rows_read"] == expect_read
    assert len(yd.tables["staff_payments"]) == e["rows_used"]
    assert len(yd.excluded["staff_payments"]) == sum(e["excluded"].values())
    assert len(q(yd, "staff_payments")) == sum(e["quarantined"].values())


# --- the report -----------------------------------------------------------------------------------


def test_validation_report(tmp_path):
    rows = pay(("P1", "T1", "U001", "180", "2022-03-05", "成功"),
               ("P2", "T1", "长沙开发大学", "180", "2022-03-05", "成功"),
               ("P3", "T1", "U001", "180", "2021-03-05", "成功"))
    yd = load(minimal_year(tmp_path, staff_payments=rows))
    text = validation_report(yd)
    assert "staff_payments" in text and "out_of_period 1" in text
    assert "unknown_unit: 1" in text and "row 3" in text and "长沙开放大学" in text
    assert "complaints, nominations, rsvp" in text
    assert "balances" in text


def test_cli_validate(tmp_path, capsys, monkeypatch):
    from toolkit.cli import main

    d = minimal_year(tmp_path / "d")
    assert main(["validate", "--year", "2022", "--data-dir", str(d), "--no-cache"]) == 0
    assert "staff_payments" in capsys.readouterr().out
    (d / "units.csv").unlink()
    assert main(["validate", "--year", "2022", "--data-dir", str(d)]) == 2
    assert "units" in capsys.readouterr().err


# --- reading ahead ----------------------------------------------------------------------------
# Files are read in background threads ahead of their cleaning (the costliest first);
# errors still come in contract order, and the result does not depend on the order.


def test_the_first_bad_table_in_contract_order_is_reported(tmp_path):
    from toolkit.exceptions import UnreadableFileError

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
    from toolkit.clean import load as clean

    d = minimal_year(tmp_path / "y")
    ahead = load(d, use_cache=False)
    monkeypatch.setattr(clean, "READ_AHEAD_THREADS", 1)
    one = load(d, use_cache=False)
    assert ahead.ledger == one.ledger
    for t in ahead.tables:
        pd.testing.assert_frame_equal(ahead.tables[t], one.tables[t])
    pd.testing.assert_frame_equal(ahead.quarantine, one.quarantine)

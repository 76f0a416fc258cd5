"""One table cleaned (toolkit.clean.table): the fates of payment rows (duplicates,
status, period, amounts), complaints, nominations."""

from __future__ import annotations

import pandas as pd
from clean_helpers import PAY_HEAD, ledger, pay, q
from ingest_helpers import load, minimal_year, write_table


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

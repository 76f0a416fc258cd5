"""toolkit.demo.render: title rows and footers, duplicates, status words, extra columns;
the figures survive the messiness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from demo_helpers import (
    isin,
    norm_unit,
    parse_amount,
    parse_time,
    read_csv,
    read_payments,
    read_xlsx,
    resolver,
    sheet_cells,
    staff_metrics,
)

from toolkit.ingest import contract

pytestmark = pytest.mark.usefixtures("release_demo_reads")


def test_title_rows_and_footer_in_workbooks(demo):
    folder, _ = demo
    for p in folder.glob("*.xlsx"):
        rows = sheet_cells(p)
        assert "年" in rows[0][0] and all(v in (None, "") for v in rows[1]), p.name
    df = read_xlsx(folder / "专技退费明细.xlsx")
    assert df.iloc[-1, 0] == "合计"


def test_duplicates_statuses_and_extra_column(payments_text):
    assert payments_text.duplicated().sum() >= 100
    s = set(payments_text["支付状态"])
    assert s & set(contract.STATUS_WORDS["failure"]) and "已退款" in s
    assert "支付渠道" in payments_text.columns
    assert payments_text["订单号"].str.len().min() >= 20  # beyond int64: text ids


def test_staff_figures_hold_after_the_mess(demo, frames, sm):
    """Read the written payments, registrations and refunds back with plain pandas and
    recompute paid trainees, income and refunds for every unit."""
    folder, _ = demo
    pay = read_payments(folder, "缴费明细", "staff_payments")
    assert (pay["problem"] == "unknown_unit").sum() == 9  # the misspelt ones
    pay = pay[pay["problem"].isna()]  # the rows to quarantine (tested below) are not used
    pay = pay.assign(amount=pay["amount"].astype("int64"),
                     status=np.where(pay["status"].isin(contract.STATUS_WORDS["success"]), "success", "failure"))
    ref = read_xlsx(folder / "退费明细.xlsx")
    ref = ref[isin(ref["订单号"].astype(str), pay["order_id"])]  # not the refunds of unknown orders
    ref = pd.DataFrame({"order_id": ref["订单号"].astype(str), "amount": parse_amount(ref["退费金额"]).astype("int64"),
                        "refunded_at": parse_time(ref["退费时间"])})
    reg = read_csv(folder / "注册明细.csv", "utf-8-sig").drop_duplicates()
    reg = pd.DataFrame({"trainee_id": reg["学员ID"], "unit": norm_unit(reg["所属单位"]).map(resolver()),
                        "registered_at": parse_time(reg["注册时间"])})
    fr = dict(frames, staff_payments=pay, staff_refunds=ref, staff_registrations=reg.dropna(subset=["unit"]))
    back = staff_metrics(fr)
    cols = ["paid_trainees", "registered_trainees", "income", "refunds"]
    pd.testing.assert_frame_equal(back[cols], sm[cols], check_dtype=False)


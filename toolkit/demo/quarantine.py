"""The rows of fmt ``mixed`` that the ingest stage quarantines: a few rows of every kind
(``QUARANTINE_NOTES``) added to the rendered sheets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.clean.reasons import Quarantine
from toolkit.demo.cells import fmt_times
from toolkit.demo.clock import rand_times, time_parts, to_datetimes, ymdhms
from toolkit.demo.plans import random_stream
from toolkit.demo.professional import COURSES
from toolkit.demo.render import Sheet
from toolkit.demo.small_tables import deeds_text
from toolkit.demo.units import UNITS_ALL, unit_id_of
from toolkit.ingest import contract

# Each kind of unusable row the ingest stage quarantines, a few of each, as branch schools'
# exports have them. They are added to the rendered files only: none of them is usable, so
# the clean records of ``generate_frames`` (what ingest uses) stay as they are. They sit on
# small county units that no scenario uses, and the unit of every one resolves, so each
# row shows its own reason (and, were a value ever read after all, no scenario would move).
_BROKEN_UNITS = ("汨罗市", "沅江市", "资兴市", "冷水江市", "祁阳市", "华容县", "武冈市")

QUARANTINE_NOTES: dict[Quarantine, str] = {
    Quarantine.UNKNOWN_UNIT: "payments, registrations and enrollments of misspelt units (株州开放大学, 长沙开方大学, 怀化开发大学…)",
    Quarantine.BAD_AMOUNT: "payments of 一百八 and 180元整, an enrollment of 一百二十",
    Quarantine.BAD_DATE: "payments dated <year>-13-45 and 明天, an enrollment dated <year>年2月30日",
    Quarantine.NON_POSITIVE_AMOUNT: "a payment of 0 and one of -180 (a refund typed as a payment)",
    Quarantine.MISSING_VALUE: "two payments with an empty trainee id",
    Quarantine.BAD_VALUE: "payments with the status 处理中 and 退款中; a nomination of the unknown category "
                 "事业单位工作人员培训先进单位",
    Quarantine.CONFLICTING_KEY: "one order exported twice, at 180 and at 200 yuan (both rows quarantined)",
    Quarantine.UNKNOWN_ORDER: "two staff refunds and one professional refund of orders that do not exist",
}


def _canonical(table: str, header: str) -> str:
    """The contract column a rendered header stands for (an extra column: itself)."""
    for c in contract.TABLES[table].columns:
        if header == c.name or header in (contract.UNIT_ALIASES if c.kind == "unit" else c.aliases):
            return c.name
    return header


def _insert_rows(sheet: Sheet, rows: list[dict], at=None) -> None:
    """Insert rows (canonical column -> cell; absent columns empty): row i before the
    body row ``at[i]`` (0-based, clipped to the end; default: all at the end)."""
    n = len(next(iter(sheet.columns.values())))
    at = np.full(len(rows), n) if at is None else np.minimum(np.asarray(at, dtype=np.int64), n)
    for h, col in sheet.columns.items():
        c = _canonical(sheet.table, h)
        vals = np.empty(len(rows), dtype=object)
        vals[:] = [r.get(c) for r in rows]
        sheet.columns[h] = np.insert(np.asarray(col, dtype=object), at, vals)


def add_broken_rows(sheets: dict[str, Sheet], frames: dict[str, pd.DataFrame], year: int,
                    seed: int) -> None:
    rng = random_stream(seed, year, stream=2)
    uids = [unit_id_of(p) for p in _BROKEN_UNITS]
    names = {u.unit_id: u.name for u in UNITS_ALL}

    def when(k: int) -> tuple[np.ndarray, np.ndarray]:
        """k moments in the year: as seconds and as 2022-03-05 14:03:07 text."""
        t = rand_times(rng, k, year)
        return t, fmt_times(to_datetimes(t), np.zeros(k, dtype=np.int64))

    def place(table: str, column: str, t: np.ndarray) -> np.ndarray:
        """Where rows of these times go in a file sorted by time (as the exports are)."""
        secs = frames[table][column].to_numpy().astype("datetime64[s]").astype(np.int64)
        return np.searchsorted(secs, t)

    def trainee(table: str, uid: str) -> str:
        reg = frames[table]
        ids = reg["trainee_id"][(reg["unit"] == uid).to_numpy()].to_numpy(dtype=object)
        return str(ids[int(rng.integers(0, len(ids)))])

    # staff payments: (amount, paid_at or None for a good time, status, trainee id or None)
    pay = frames["staff_payments"]
    spec = [
        ("一百八", None, "支付成功", None), ("180元整", None, "已支付", None),
        ("180", f"{year}-13-45 10:12:33", "支付成功", None), ("200", "明天", "已缴费", None),
        ("0", None, "支付成功", None), ("-180", None, "已退款", None),
        ("180", None, "支付成功", ""), ("150", None, "支付成功", ""),
        ("180", None, "处理中", None), ("200", None, "退款中", None),
    ]
    t, text = when(len(spec) + 1)
    seq = np.arange(len(spec) + 1) + len(pay) + 1
    oids = ymdhms(t.astype("datetime64[s]")) + pd.Series(seq).astype(str).str.zfill(7).to_numpy(dtype=object)
    rows = []
    for i, (amount, paid_at, status, tid) in enumerate(spec):
        uid = uids[i % len(uids)]
        rows.append({"order_id": oids[i], "unit": names[uid], "amount": amount,
                     "trainee_id": trainee("staff_registrations", uid) if tid is None else tid,
                     "paid_at": text[i] if paid_at is None else paid_at, "status": status,
                     "支付渠道": "微信支付"})
    # one order exported twice, the second time with another amount
    uid = uids[-1]
    again = {"order_id": oids[-1], "trainee_id": trainee("staff_registrations", uid),
             "unit": names[uid], "paid_at": text[-1], "status": "支付成功", "支付渠道": "支付宝"}
    rows += [dict(again, amount="180"), dict(again, amount="200")]
    # in time order; the changed copy comes with the re-exported rows at the end
    _insert_rows(sheets["staff_payments"], rows, [*place("staff_payments", "paid_at", t), 10 ** 9])

    # professional enrollments
    enr = frames["professional_enrollments"]
    t, text = when(2)
    Y, M, D, *_ = time_parts(t.astype("datetime64[s]"))
    oids = ["ZJ" + f"{y}{m:02d}{d:02d}" + str(len(enr) + 1 + i).zfill(6)
            for i, (y, m, d) in enumerate(zip(Y, M, D, strict=True))]
    rows = []
    for i, (amount, paid_at) in enumerate((("一百二十", text[0]), ("120", f"{year}年2月30日 14时05分"))):
        uid = next(u for u in uids[i:] if (enr["unit"] == u).any())
        rows.append({"order_id": oids[i], "trainee_id": trainee("professional_enrollments", uid),
                     "unit": names[uid], "amount": amount, "paid_at": paid_at,
                     "course": COURSES[4][0], "status": "支付成功"})
    _insert_rows(sheets["professional_enrollments"], rows, place("professional_enrollments", "paid_at", t))

    # refunds of orders that are in no payment file: ids of the payment files' form, with
    # a sequence number (9…) that no order has
    t, text = when(3)
    placed = ymdhms((t - 5 * 86400).astype("datetime64[s]"))  # when the orders were placed
    for name, prefix, width, order_ids, k in (
            ("staff_refunds", "TF", 6, [placed[0] + "9000000", placed[1] + "9000001"], [0, 1]),
            ("professional_refunds", "ZT", 5, ["ZJ" + placed[2][:8] + "900000"], [2])):
        n0 = len(frames[name])
        rows = [{"refund_id": f"{prefix}{year}{n0 + 1 + i:0{width}d}", "order_id": oid, "amount": "180",
                 "refunded_at": text[j], "reason": "学员申请退费"}
                for i, (oid, j) in enumerate(zip(order_ids, k, strict=True))]
        _insert_rows(sheets[name], rows, place(name, "refunded_at", t[k]))
        if sheets[name].footer:  # 合计 of the amount column
            sheets[name].footer[2] += 180 * len(rows)

    # a nomination of a category the notice does not have (先进单位 for 先进集体)
    uid = uids[0]
    _insert_rows(sheets["nominations"], [{
        "category": "事业单位工作人员培训先进单位", "unit": names[uid], "nominee": names[uid],
        "deeds": deeds_text(rng, 320), "unit_leader": "易建华", "contact_name": "李婷",
        "contact_title": "培训专干", "contact_phone": "13874000021"}])

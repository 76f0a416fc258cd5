"""The staff-training records: registrations, payments and refunds of every unit, with
the rows the evaluation must exclude (failed payments, payments outside the period,
refunds after the cut-off) and the rows of misspelt units (quarantined)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.demo.accumulator import ColumnAccumulator, Counter
from toolkit.demo.clock import epoch, rand_times, to_datetimes, ymdhms
from toolkit.demo.people import synthetic_people, trainee_ids
from toolkit.demo.units import SCENARIOS

_FEES = np.array([150, 180, 200])


def staff_tables(units, plans, year, rng) -> dict[str, pd.DataFrame]:
    """staff_registrations, staff_payments and staff_refunds of the units' staff plans."""
    start, end = epoch(year), epoch(year, 12, 31, 23, 59, 59)
    prev_dec = epoch(year - 1, 12, 1)
    pay = ColumnAccumulator("trainee", "unit", "amount", "t", "ok")
    reg = ColumnAccumulator("trainee", "unit", "t")
    ref = ColumnAccumulator("pos", "amount", "t", "reason")
    tids = Counter().take

    for u in units:
        p = plans[u.unit_id]
        uid = u.unit_id
        nA = p.n_paid
        nB = max(1, round(0.45 * p.refund_rate * nA)) if p.refund_rate > 0 else 0
        nC = max(0, round(nA / p.reg_ratio) - nA - nB)
        nD = max(1, round(0.01 * nA))
        A, B, C, D = tids(nA), tids(nB), tids(nC), tids(nD)
        fee = _FEES[rng.choice(3, size=nA + nB, p=p.fee_p)]
        feeA, feeB = fee[:nA], fee[nA:]
        # A: one successful order each (in period)
        tA = rand_times(rng, nA, year)
        if uid == SCENARIOS["boundary_times"] and nA >= 2:
            tA[0], tA[1] = end, start
        posA = pay.add(nA, trainee=A, unit=uid, amount=feeA, t=tA, ok=np.ones(nA, bool))
        # a few pay twice (second order refunded in full for some)
        im = np.flatnonzero(rng.random(nA) < 0.02)
        tM = rand_times(rng, len(im), year, margin_days=22)
        posM = pay.add(len(im), trainee=A[im], unit=uid, amount=feeA[im], t=tM, ok=np.ones(len(im), bool))
        # failed attempts before a success
        iff = np.flatnonzero(rng.random(nA) < 0.03)
        pay.add(len(iff), trainee=A[iff], unit=uid, amount=feeA[iff],
                t=tA[iff] - rng.integers(60, 2 * 86400, len(iff)), ok=np.zeros(len(iff), bool))
        # B: paid, then fully refunded in the period
        tB = rand_times(rng, nB, year, margin_days=22)
        posB = pay.add(nB, trainee=B, unit=uid, amount=feeB, t=tB, ok=np.ones(nB, bool))
        # C: registered only; some failed, some paid after the cut-off
        rC = rng.random(nC)
        icf = np.flatnonzero(rC < 0.20)
        pay.add(len(icf), trainee=C[icf], unit=uid, amount=_FEES[rng.choice(3, len(icf), p=p.fee_p)],
                t=rand_times(rng, len(icf), year), ok=np.zeros(len(icf), bool))
        icn = np.flatnonzero(rC > 0.98)
        tCn = epoch(year + 1) + rng.integers(0, 30 * 86400, len(icn))
        if uid == SCENARIOS["boundary_times"] and len(icn):
            tCn[0] = epoch(year + 1)
        pay.add(len(icn), trainee=C[icn], unit=uid, amount=180, t=tCn, ok=np.ones(len(icn), bool))
        # D: registered and paid in the previous December
        tD = prev_dec + rng.integers(0, 30 * 86400, nD)
        posD = pay.add(nD, trainee=D, unit=uid, amount=180, t=tD, ok=np.ones(nD, bool))

        # registrations
        tfirst = np.concatenate([tA, tB])
        r = rng.random(nA + nB)
        treg = np.where(r < 0.93, tfirst - rng.integers(0, 30 * 86400, nA + nB),
                        epoch(year - 1, 3) + rng.integers(0, 270 * 86400, nA + nB))
        keep = r < 0.98
        reg.add(int(keep.sum()), trainee=np.concatenate([A, B])[keep], unit=uid, t=treg[keep])
        reg.add(nC, trainee=C, unit=uid, t=rand_times(rng, nC, year))
        reg.add(nD, trainee=D, unit=uid, t=tD - rng.integers(3600, 60 * 86400, nD))

        # refunds: full in the period (B; some in two parts; one over-refund)
        full_sum = 0
        split = rng.random(nB) < 0.10
        for_over = uid == SCENARIOS["staff_over_refund"] and nB > 0
        if for_over:
            split[0] = False
        whole = np.flatnonzero(~split)
        amt = feeB[whole].copy()
        if for_over:
            amt[0] += 20
        ref.add(len(whole), pos=posB[whole], amount=amt,
                t=tB[whole] + rng.integers(3600, 20 * 86400, len(whole)), reason="学员申请退费")
        full_sum += int(amt.sum())
        ws = np.flatnonzero(split)
        a1 = np.round(feeB[ws] * rng.uniform(0.3, 0.7, len(ws))).astype(np.int64)
        t1 = tB[ws] + rng.integers(3600, 10 * 86400, len(ws))
        ref.add(len(ws), pos=posB[ws], amount=a1, t=t1, reason="分次退费")
        ref.add(len(ws), pos=posB[ws], amount=feeB[ws] - a1,
                t=t1 + rng.integers(3600, 10 * 86400, len(ws)), reason="分次退费")
        full_sum += int(feeB[ws].sum())
        # a second order refunded in full: the trainee still counts
        n_mr = min(len(im), max(1, round(0.001 * nA))) if p.refund_rate > 0 else 0
        if n_mr:
            ref.add(n_mr, pos=posM[:n_mr], amount=feeA[im[:n_mr]],
                    t=tM[:n_mr] + rng.integers(3600, 20 * 86400, n_mr), reason="重复缴费")
            full_sum += int(feeA[im[:n_mr]].sum())
        # refunds after the cut-off against December payments (not counted)
        dec = np.flatnonzero(tA >= epoch(year, 12, 1))
        n_ac = min(len(dec), max(1, round(0.002 * nA)))
        iac = rng.choice(dec, n_ac, replace=False) if n_ac else np.array([], dtype=np.int64)
        ref.add(n_ac, pos=posA[iac], amount=feeA[iac],
                t=epoch(year + 1, 1, 2) + rng.integers(0, 23 * 86400, n_ac), reason="学员申请退费")
        # refunds in January of previous-December orders (order not in the year)
        n_dr = max(1, round(0.1 * nD))
        ref.add(n_dr, pos=posD[:n_dr], amount=180,
                t=start + 2 * 86400 + rng.integers(0, 15 * 86400, n_dr), reason="学员申请退费")
        # partial refunds fill the rest of the planned rate
        income = int(feeA.sum() + feeA[im].sum() + feeB.sum())
        rest = round(p.refund_rate * income) - full_sum
        if rest > 0:
            cand = np.setdiff1d(np.arange(nA), iac)
            steps = rng.choice(np.array([30, 40, 50, 60, 80, 90, 100]), size=rest // 30 + 2)
            cs = np.cumsum(steps)
            k = int(np.searchsorted(cs, rest)) + 1
            amts = steps[:k].copy()
            amts[-1] = rest - (cs[k - 2] if k > 1 else 0)
            k = min(k, len(cand))
            ip = rng.choice(cand, k, replace=False)
            tp = tA[ip] + rng.integers(3600, 30 * 86400, k)
            ref.add(k, pos=posA[ip], amount=np.minimum(amts[:k], feeA[ip] - 10),
                    t=np.minimum(tp, end), reason="部分退费")

    # rows of a misspelt unit: quarantine material
    bad = np.array(["株州开放大学"] * 6 + ["湘谭开放大学"] * 3, dtype=object)
    tb = tids(len(bad))
    pay.add(len(bad), trainee=tb, unit=bad, amount=180, t=rand_times(rng, len(bad), year),
            ok=np.ones(len(bad), bool))
    badr = np.array(["长沙开方大学", "长沙开方大学", "株州开放大学"], dtype=object)
    reg.add(len(badr), trainee=tids(len(badr)), unit=badr, t=rand_times(rng, len(badr), year))

    P, R, F = pay.arrays(), reg.arrays(), ref.arrays()
    # export order: by time; order ids carry the payment's date and time
    order = np.lexsort((P["trainee"], P["t"]))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    t = P["t"][order]
    tt = t.astype("datetime64[s]")
    ymd = ymdhms(tt)
    seq = pd.Series(np.arange(len(t)) + 1).astype(str).str.zfill(7).to_numpy(dtype=object)
    order_ids = ymd + seq
    tr = trainee_ids(year, P["trainee"][order])
    payments = pd.DataFrame({
        "order_id": pd.array(order_ids, dtype="str"),
        "trainee_id": pd.array(tr, dtype="str"),
        "unit": pd.array(P["unit"][order].astype(object), dtype="str"),
        "amount": P["amount"][order].astype(np.int64),
        "paid_at": to_datetimes(t),
        "status": pd.array(np.where(P["ok"][order].astype(bool), "success", "failure"), dtype="str"),
    })
    ro = np.lexsort((F["pos"], F["t"]))
    rids = (f"TF{year}" + pd.Series(np.arange(len(ro)) + 1).astype(str).str.zfill(6)).to_numpy(dtype=object)
    refunds = pd.DataFrame({
        "refund_id": pd.array(rids, dtype="str"),
        "order_id": pd.array(order_ids[rank[F["pos"][ro].astype(np.int64)]], dtype="str"),
        "amount": F["amount"][ro].astype(np.int64),
        "refunded_at": to_datetimes(F["t"][ro]),
        "reason": pd.array(F["reason"][ro].astype(object), dtype="str"),
    })
    go = np.lexsort((R["trainee"], R["t"]))
    n = len(go)
    names, idn, phones = synthetic_people(rng, n)
    registrations = pd.DataFrame({
        "trainee_id": pd.array(trainee_ids(year, R["trainee"][go]), dtype="str"),
        "unit": pd.array(R["unit"][go].astype(object), dtype="str"),
        "registered_at": to_datetimes(R["t"][go]),
        "name": pd.array(names, dtype="str"),
        "id_number": pd.array(idn, dtype="str"),
        "phone": pd.array(phones, dtype="str"),
    })
    return {"staff_registrations": registrations, "staff_payments": payments, "staff_refunds": refunds}

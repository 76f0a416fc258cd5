"""The professional-training records: course enrollments and refunds of every unit, with
the rows the evaluation must exclude and the rows of a misspelt unit (quarantined)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.demo.accumulator import ColumnAccumulator, Counter
from toolkit.demo.clock import PAD2, epoch, rand_times, time_parts, to_datetimes
from toolkit.demo.plans import PROF_BIG
from toolkit.demo.units import SCENARIOS

COURSES = (
    ("专业技术人员公需科目：数字经济与创新发展", 120), ("专业技术人员心理健康与压力管理", 150),
    ("人工智能技术应用前沿", 180), ("乡村振兴政策解读与实践", 200), ("职业道德与科研诚信", 100),
    ("大数据分析基础", 240), ("教育信息化2.0实务", 260), ("工程项目管理实务", 300),
    ("卫生健康专业知识更新", 160), ("财会人员继续教育专题", 220), ("农业技术推广新进展", 280),
    ("安全生产法律法规", 140),
)


def professional_tables(units, plans, year, rng) -> dict[str, pd.DataFrame]:
    """professional_enrollments and professional_refunds of the units' professional plans."""
    end = epoch(year, 12, 31, 23, 59, 59)
    C = len(COURSES)
    base = np.array([p for _, p in COURSES])
    enr = ColumnAccumulator("trainee", "unit", "course", "amount", "t", "ok")
    ref = ColumnAccumulator("pos", "amount", "t", "reason")
    tids = Counter().take

    bulk_units = [u.unit_id for u in units if u.unit_id in plans and u.unit_id not in
                  {SCENARIOS[r] for r, *_ in PROF_BIG}][:3]
    for u in units:
        if u.unit_id not in plans:
            continue
        uid, p = u.unit_id, plans[u.unit_id]
        price = np.maximum(100, np.round(base * p.price_factor / 10) * 10).astype(np.int64)
        k = rng.choice(np.array([1, 2, 3, 4]), size=p.n_pt, p=[0.45, 0.3, 0.15, 0.1])
        cs = np.cumsum(k)
        ntr = int(np.searchsorted(cs, p.n_pt)) + 1
        k = k[:ntr].copy()
        k[-1] -= cs[ntr - 1] - p.n_pt
        tr = tids(ntr)
        first = np.repeat(np.cumsum(k) - k, k)
        j = np.arange(p.n_pt) - first
        course = (np.repeat(rng.integers(0, C, ntr), k) + j) % C
        trainee = np.repeat(tr, k)
        amount = price[course]
        if uid in bulk_units:
            amount = amount.copy()
            amount[0] = (12000, 18000, 25000)[bulk_units.index(uid)]
        t = rand_times(rng, p.n_pt, year)
        pos = enr.add(p.n_pt, trainee=trainee, unit=uid, course=course, amount=amount, t=t,
                      ok=np.ones(p.n_pt, bool))
        # repurchases of the same course: person-times unchanged
        ir = np.flatnonzero(rng.random(p.n_pt) < 0.02)
        enr.add(len(ir), trainee=trainee[ir], unit=uid, course=course[ir], amount=price[course[ir]],
                t=rand_times(rng, len(ir), year), ok=np.ones(len(ir), bool))
        # failed orders
        iff = np.flatnonzero(rng.random(p.n_pt) < 0.03)
        cf = rng.integers(0, C, len(iff))
        enr.add(len(iff), trainee=trainee[iff], unit=uid, course=cf, amount=price[cf],
                t=rand_times(rng, len(iff), year), ok=np.zeros(len(iff), bool))
        # new pairs refunded in full in the period: not counted
        nF = max(1, round(0.01 * p.n_pt))
        cF = rng.integers(0, C, nF)
        tF = rand_times(rng, nF, year, margin_days=22)
        posF = enr.add(nF, trainee=tids(nF), unit=uid, course=cF, amount=price[cF], t=tF,
                       ok=np.ones(nF, bool))
        ref.add(nF, pos=posF, amount=price[cF], t=tF + rng.integers(3600, 20 * 86400, nF),
                reason="课程未开通")
        # previous December (out of period)
        nD = max(1, round(0.01 * p.n_pt))
        cD = rng.integers(0, C, nD)
        enr.add(nD, trainee=tids(nD), unit=uid, course=cD, amount=price[cD],
                t=epoch(year - 1, 12, 1) + rng.integers(0, 30 * 86400, nD), ok=np.ones(nD, bool))
        # refunds after the cut-off (not counted) and partial refunds in the period
        dec = np.flatnonzero(t >= epoch(year, 12, 1))
        n_ac = min(len(dec), max(1, round(0.003 * p.n_pt)))
        iac = rng.choice(dec, n_ac, replace=False) if n_ac else np.array([], dtype=np.int64)
        ref.add(n_ac, pos=pos[iac], amount=amount[iac],
                t=epoch(year + 1, 1, 3) + rng.integers(0, 20 * 86400, n_ac), reason="学员申请退费")
        cand = np.setdiff1d(np.arange(p.n_pt), iac)
        n_pa = min(len(cand), max(1, round(0.01 * p.n_pt)))
        ip = rng.choice(cand, n_pa, replace=False)
        pa = np.maximum(10, np.round(amount[ip] * rng.uniform(0.2, 0.5, n_pa) / 10) * 10).astype(np.int64)
        ref.add(n_pa, pos=pos[ip], amount=pa,
                t=np.minimum(t[ip] + rng.integers(3600, 30 * 86400, n_pa), end), reason="部分退费")
    bad = np.array(["怀化开发大学", "怀化开发大学"], dtype=object)
    enr.add(2, trainee=tids(2), unit=bad, course=np.array([0, 1]), amount=base[:2],
            t=rand_times(rng, 2, year), ok=np.ones(2, bool))

    E, F = enr.arrays(), ref.arrays()
    order = np.lexsort((E["trainee"], E["t"]))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    t = E["t"][order]
    Y, M, D, *_ = time_parts(t.astype("datetime64[s]"))
    oid = ("ZJ" + Y.astype(str).astype(object) + PAD2[M] + PAD2[D]
           + pd.Series(np.arange(len(t)) + 1).astype(str).str.zfill(6).to_numpy(dtype=object))
    tid = ("ZJ" + pd.Series(E["trainee"][order].astype(np.int64) + 1).astype(str).str.zfill(8)
           .to_numpy(dtype=object))
    names = np.array([c for c, _ in COURSES], dtype=object)
    enrollments = pd.DataFrame({
        "order_id": pd.array(oid, dtype="str"),
        "trainee_id": pd.array(tid, dtype="str"),
        "unit": pd.array(E["unit"][order].astype(object), dtype="str"),
        "amount": E["amount"][order].astype(np.int64),
        "paid_at": to_datetimes(t),
        "course": pd.array(names[E["course"][order].astype(np.int64)], dtype="str"),
        "status": pd.array(np.where(E["ok"][order].astype(bool), "success", "failure"), dtype="str"),
    })
    ro = np.lexsort((F["pos"], F["t"]))
    refunds = pd.DataFrame({
        "refund_id": pd.array((f"ZT{year}" + pd.Series(np.arange(len(ro)) + 1).astype(str).str.zfill(5))
                              .to_numpy(dtype=object), dtype="str"),
        "order_id": pd.array(oid[rank[F["pos"][ro].astype(np.int64)]], dtype="str"),
        "amount": F["amount"][ro].astype(np.int64),
        "refunded_at": to_datetimes(F["t"][ro]),
        "reason": pd.array(F["reason"][ro].astype(object), dtype="str"),
    })
    return {"professional_enrollments": enrollments, "professional_refunds": refunds}

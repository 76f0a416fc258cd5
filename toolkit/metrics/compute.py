"""Per unit and track figures, computed from the clean tables of a ``YearData``.

The metric names are the spec's (docs/rules.md). Counts are exact integers, money is
integer fen (``income_fen``, ``refunds_fen``; ``income`` and ``refunds`` are the same in
yuan for display), ratios are unrounded floats for display while :func:`exact_value`
gives the exact :class:`~fractions.Fraction` that criteria compare. Unknown is ``<NA>``
(a missing optional table, a unit absent from the targets or teams table, a zero
denominator), never 0.

Everything is vectorised (factorised ids, ``groupby``/``drop_duplicates``): a province
year of about a million payments takes well under a second.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from toolkit.ingest.contract import TRACKS
from toolkit.ingest.keys import digit_keys, factorize
from toolkit.metrics.registry import (
    METRICS,
    MONEY,
    PAYMENTS_TABLE,
    RATIOS,
    REFUNDS_TABLE,
    TRACK_METRICS,
)

#: metrics per track, in report order
#: Chinese label and display unit of each metric (from the registry)
METRIC_LABELS: dict[str, tuple[str, str]] = {m.name: (m.label, m.display) for m in METRICS.values()}

_PAYMENTS = PAYMENTS_TABLE
_REFUNDS = REFUNDS_TABLE
COUNT_COLUMNS = (
    "paid_trainees", "registered_trainees", "target_trainees", "person_times",
    "major_complaints", "complaints", "dedicated_staff", "income_fen", "refunds_fen",
    "payments", "refund_count",
)


def payments_table(track: str) -> str:
    return _PAYMENTS[track]


def refunds_table(track: str) -> str:
    return _REFUNDS[track]


def _in_period(df: pd.DataFrame, col: str, start, end) -> pd.DataFrame:
    if df is None or df.empty or col not in df.columns:
        return df
    t = df[col]
    mask = ((t >= start) & (t <= end)).to_numpy()
    return df if mask.all() else df[mask]


def isin(s: pd.Series, values: pd.Series) -> np.ndarray:
    """Where the values of ``s`` are among ``values`` (pyarrow hash lookup)."""
    import pyarrow as pa
    import pyarrow.compute as pac

    def arrow(x: pd.Series):
        return pa.array(x.astype("str").fillna("") if x.dtype != "str" else x.fillna(""),
                        type=pa.string())

    vs = arrow(values).unique()
    return pac.is_in(arrow(s), value_set=vs).to_numpy(zero_copy_only=False).astype(bool)


def factorize_together(*series: pd.Series) -> tuple[list[np.ndarray], pd.Index]:
    """Integer codes for the values of several series, in one shared code space
    (missing values get code -1)."""
    lengths = [len(x) for x in series]
    both = pd.concat([x.reset_index(drop=True) for x in series], ignore_index=True) if len(series) > 1 \
        else series[0]
    codes, uniques = factorize(both)
    out, pos = [], 0
    for n in lengths:
        out.append(codes[pos:pos + n])
        pos += n
    return out, pd.Index(uniques)


# Digit ids used as their own codes in distinct counts while a (unit, key) pair still
# fits one int64 for this many units (``_distinct_per_unit``): ids up to 13 digits.
_KEYED_UNITS = 4096


def _trainee_codes(*series: pd.Series) -> list[np.ndarray]:
    """Codes of trainee ids for distinct counts: equal for equal ids. Digit ids are
    their own integer keys (``keys.digit_keys``: no hash table of a million ids);
    other ids are factorized."""
    keys = [digit_keys(x) for x in series]
    if all(k is not None for k in keys) and \
            max((int(k.max()) for k in keys if len(k)), default=0) < 2**62 // _KEYED_UNITS:
        return keys
    return factorize_together(*series)[0]


def order_refunds(payments: pd.DataFrame, refunds: pd.DataFrame | None) -> np.ndarray:
    """Fen refunded against each payment row (aligned with ``payments``), from ``refunds``
    (refunds of orders that are not among ``payments`` are ignored)."""
    n = len(payments)
    if refunds is None or refunds.empty or n == 0:
        return np.zeros(n, dtype=np.int64)
    (pc, rc), uniq = factorize_together(payments["order_id"], refunds["order_id"])
    amount = refunds["amount_fen"].to_numpy(dtype=np.int64)
    ok = rc >= 0
    per_order = pd.Series(amount[ok]).groupby(rc[ok]).sum()
    table = np.zeros(len(uniq) + 1, dtype=np.int64)
    table[per_order.index.to_numpy()] = per_order.to_numpy(dtype=np.int64)
    return np.where(pc >= 0, table[pc], 0).astype(np.int64)


def _distinct_per_unit(ucodes: np.ndarray, n_units: int, keys: list[np.ndarray]) -> np.ndarray:
    """Number of distinct key tuples per unit code (codes >= 0), vectorised. Keys are
    integers >= -1 (codes, or ``keys.digit_keys``)."""
    if len(ucodes) == 0:
        return np.zeros(n_units, dtype=np.int64)
    ok = ucodes >= 0
    every = bool(ok.all())
    sizes = [int(k.max()) + 2 if len(k) else 1 for k in keys]  # keys run from -1
    span = 1
    for n in sizes:
        span *= n
    if n_units * span < 2**62:  # one int64 key per row, built in place (2 M rows)
        combined = ucodes.astype(np.int64) if every else ucodes[ok].astype(np.int64)
        for k, n in zip(keys, sizes, strict=True):
            combined *= n
            combined += k if every else k[ok]
            combined += 1
        uniq = pd.unique(combined)  # hashing: faster than sorting here
        return np.bincount(uniq // span, minlength=n_units).astype(np.int64)
    frame = pd.DataFrame({"u": ucodes[ok], **{f"k{i}": k[ok] for i, k in enumerate(keys)}}).drop_duplicates()
    return np.bincount(frame["u"].to_numpy(), minlength=n_units).astype(np.int64)


def _per_unit(values: np.ndarray, uniq: pd.Index) -> pd.Series:
    return pd.Series(values, index=uniq)


def unit_metrics(year_data, as_of=None) -> pd.DataFrame:
    """One row per (track, unit_id) evaluated for a collective, with every metric.

    A unit is in the frame for a track when it has a contract for the track or any
    activity in it in the year (registrations, payments or enrollments, refunds,
    complaints) or a collective nomination. Sorted by track (staff first), unit_id.
    ``as_of`` (a date) picks the contract in force; default the period's end.
    """
    frames = [track_metrics(year_data, t, as_of=as_of) for t in TRACKS]
    out = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(
        not f.empty for f in frames) else _empty_frame()
    return out


def _empty_frame() -> pd.DataFrame:
    cols = ["track", "unit_id", "unit_name"] + sorted(
        {m for ms in TRACK_METRICS.values() for m in ms} | {"income_fen", "refunds_fen"})
    return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})


def track_metrics(year_data, track: str, as_of=None) -> pd.DataFrame:
    """The metrics of every unit evaluated for ``track`` (see :func:`unit_metrics`)."""
    t = year_data.tables
    start, end = year_data.period_start, year_data.period_end
    as_of_ts = pd.Timestamp(as_of) if as_of is not None else end.normalize()

    pay = t.get(_PAYMENTS[track])
    ref = t.get(_REFUNDS[track])
    pay = _in_period(pay, "paid_at", start, end) if pay is not None else None
    ref = _in_period(ref, "refunded_at", start, end) if ref is not None else None

    unit_sets: list[pd.Index] = []
    res: dict[str, pd.Series] = {}

    # --- payments, refunds, trainees ------------------------------------------------
    if pay is not None:
        n = len(pay)
        (ucodes,), units_u = factorize_together(pay["unit_id"])
        nU = len(units_u)
        unit_sets.append(units_u)
        amount = pay["amount_fen"].to_numpy(dtype=np.int64)
        refunded = np.zeros(n, dtype=np.int64)
        refund_count = np.zeros(nU, dtype=np.int64)
        pc = None
        if ref is not None and not ref.empty and n:
            # only the payments whose order has a refund (a few thousand of a million)
            # get order codes: one hash lookup per payment, no hash table of all orders
            rows = np.flatnonzero(isin(pay["order_id"], ref["order_id"]))
            (pcs, rc), orders_u = factorize_together(pay["order_id"].iloc[rows], ref["order_id"])
            in_pay = np.zeros(len(orders_u) + 1, dtype=bool)
            in_pay[pcs] = True
            rmask = (rc >= 0) & in_pay[rc]  # only refunds of the year's payments
            r_codes, r_amount = rc[rmask], ref["amount_fen"].to_numpy(dtype=np.int64)[rmask]
            per_order = pd.Series(r_amount).groupby(r_codes).sum()
            table = np.zeros(len(orders_u) + 1, dtype=np.int64)
            table[per_order.index.to_numpy()] = per_order.to_numpy(dtype=np.int64)
            refunded[rows] = table[pcs]
            first_row = np.full(len(orders_u) + 1, -1, dtype=np.int64)
            first_row[pcs[::-1]] = rows[::-1]  # first payment row of each order
            refund_count = np.bincount(ucodes[first_row[r_codes]], minlength=nU).astype(np.int64)
        kept = refunded < amount  # not fully refunded
        res["payments"] = _per_unit(np.bincount(ucodes, minlength=nU), units_u)
        res["income_fen"] = _per_unit(pd.Series(amount).groupby(ucodes).sum().reindex(range(nU), fill_value=0)
                                      .to_numpy(dtype=np.int64), units_u)
        res["refunds_fen"] = _per_unit(pd.Series(refunded).groupby(ucodes).sum().reindex(range(nU), fill_value=0)
                                       .to_numpy(dtype=np.int64), units_u)
        res["refund_count"] = _per_unit(refund_count, units_u)
        # staff: trainees of the registrations and the payments in one code space, used
        # for paid_trainees and registered_trainees (each id hashed once)
        reg_in = t.get("staff_registrations") if track == "staff" else None
        if reg_in is not None:
            reg_in = _in_period(reg_in, "registered_at", start, end)
            reg_tcodes, tcodes = _trainee_codes(reg_in["trainee_id"], pay["trainee_id"])
        else:
            (tcodes,), _ = factorize_together(pay["trainee_id"])
        if track == "staff":
            res["paid_trainees"] = _per_unit(_distinct_per_unit(ucodes[kept], nU, [tcodes[kept]]), units_u)
        else:
            if "course" in pay.columns:
                course = pay["course"]
                blank = course.isna() | (course.astype("str").str.strip() == "")
                (ccodes,), courses_u = factorize_together(course.where(~blank))
                ccodes = np.where(blank.to_numpy(), -1, ccodes)
            else:
                ccodes, courses_u = np.full(n, -1), pd.Index([])
            ocodes = pc if pc is not None else factorize_together(pay["order_id"])[0][0]
            # a course where given, else the order itself is the unit of a person-time
            key = np.where(ccodes >= 0, ccodes, len(courses_u) + ocodes)
            res["person_times"] = _per_unit(_distinct_per_unit(ucodes[kept], nU, [tcodes[kept], key[kept]]),
                                            units_u)

    if track == "staff":
        reg = t.get("staff_registrations")
        if reg is not None and pay is not None:
            reg = reg_in
            unit_sets.append(pd.Index(reg["unit_id"].unique()))
            # the payments' unit codes extended by the units only registrations name
            (ru,), reg_u = factorize_together(reg["unit_id"])
            both_u = units_u.append(reg_u[~reg_u.isin(units_u)])
            rmap = both_u.get_indexer(reg_u)
            ru = np.where(ru >= 0, rmap[np.maximum(ru, 0)], -1) if len(rmap) else ru
            res["registered_trainees"] = _per_unit(
                _distinct_per_unit(np.concatenate([ru, ucodes]), len(both_u),
                                   [np.concatenate([reg_tcodes, tcodes])]), both_u)
        targets = t.get("targets")
        if targets is not None and not targets.empty:
            tg = targets[["unit_id", "target"]].drop_duplicates()
            tg = tg[tg["target"].notna()]
            conflicting = tg["unit_id"].duplicated(keep=False)  # two different targets: unknown
            tg = tg[~conflicting]
            res["target_trainees"] = pd.Series(tg["target"].to_numpy(), index=tg["unit_id"].to_numpy())

    # --- complaints -----------------------------------------------------------------
    comp = t.get("complaints")
    count_name = "major_complaints" if track == "staff" else "complaints"
    if comp is not None:
        c = comp[comp["track"] == track]
        c = _in_period(c, "received_at", start, end)
        unit_sets.append(pd.Index(c["unit_id"].unique()))
        counts = c
        if "substantiated" in counts.columns:
            counts = counts[counts["substantiated"].astype("boolean").fillna(True).astype(bool)]
        if track == "staff":
            counts = counts[counts["severity"] == "major"]
        res[count_name] = counts.groupby("unit_id").size()

    # --- contracts, teams -------------------------------------------------------------
    contracts = t.get("contracts")
    signed = terminated = None
    if contracts is not None:
        k = contracts[contracts["track"] == track]
        unit_sets.append(pd.Index(k["unit_id"].unique()))
        signed, terminated = _contract_in_force(k, as_of_ts)
    teams = t.get("teams")
    if teams is not None:
        tm = teams[(teams["track"] == track) & teams["dedicated_staff"].notna()]
        res["dedicated_staff"] = tm.groupby("unit_id")["dedicated_staff"].sum()

    noms = t.get("nominations")
    if noms is not None and not noms.empty:
        n = noms[(noms["category"] == f"{track}.collective") & noms["unit_id"].notna()]
        unit_sets.append(pd.Index(n["unit_id"].unique()))

    all_units = sorted(set().union(*[set(u.dropna()) for u in unit_sets])) if unit_sets else []
    if not all_units:
        return _empty_frame().iloc[0:0]
    idx = pd.Index(all_units, name="unit_id")
    out = pd.DataFrame(index=idx)
    names = year_data.unit_names()
    out["track"] = track
    out["unit_name"] = [names.get(u) for u in all_units]

    def put(col: str, default):
        s = res.get(col)
        if s is None:
            out[col] = pd.array([pd.NA] * len(idx) if default is None else [default] * len(idx), dtype="Int64")
        else:
            v = s.reindex(idx)
            if default is not None:
                v = v.fillna(default)
            out[col] = v.astype("Int64")

    if pay is not None:
        for col in ("payments", "income_fen", "refunds_fen", "refund_count"):
            put(col, 0)
    else:
        for col in ("payments", "income_fen", "refunds_fen", "refund_count"):
            put(col, None)
    if track == "staff":
        put("paid_trainees", 0 if pay is not None else None)
        put("registered_trainees", 0 if "registered_trainees" in res else None)
        put("target_trainees", None)  # a unit absent from the targets table: unknown
        put("major_complaints", 0 if comp is not None else None)
    else:
        put("person_times", 0 if pay is not None else None)
        put("complaints", 0 if comp is not None else None)
    put("dedicated_staff", None)  # a unit absent from the teams table: unknown

    out["income"] = out["income_fen"].astype("Float64") / 100
    out["refunds"] = out["refunds_fen"].astype("Float64") / 100
    for name, (num, den) in RATIOS.items():
        if num in out.columns and den in out.columns:
            d = out[den].astype("Float64")
            out[name] = (out[num].astype("Float64") / d.where(d != 0)).astype("Float64")
    if signed is not None:
        out["contract_signed_on"] = signed.reindex(idx)
        out["contract_terminated_on"] = terminated.reindex(idx)
    else:
        out["contract_signed_on"] = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
        out["contract_terminated_on"] = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
    out["has_contracts_table"] = contracts is not None
    out = out.reset_index()
    cols = ["track", "unit_id", "unit_name", *TRACK_METRICS[track], "income_fen", "refunds_fen",
            "payments", "refund_count", "has_contracts_table"]
    return out[[c for c in cols if c in out.columns]]


def _contract_in_force(k: pd.DataFrame, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Per unit: the contract that counts on ``as_of`` (signed_on, terminated_on).

    Among contracts signed on or before ``as_of`` and not terminated by then, the
    earliest signed; if none is in force, the most recently signed one (whose
    termination, or signing after ``as_of``, then fails the criterion).
    """
    if k.empty:
        empty = pd.Series(dtype="datetime64[ns]")
        return empty, empty
    k = k[k["signed_on"].notna()][["unit_id", "signed_on"] + (
        ["terminated_on"] if "terminated_on" in k.columns else [])].copy()
    if "terminated_on" not in k.columns:
        k["terminated_on"] = pd.NaT
    k["terminated_on"] = pd.to_datetime(k["terminated_on"])
    in_force = (k["signed_on"] <= as_of) & ~(k["terminated_on"] <= as_of)
    k["rank"] = np.where(in_force, 0, 1)
    # in force: earliest signed first; otherwise latest signed first
    k["key"] = np.where(in_force, k["signed_on"].astype("int64"), -k["signed_on"].astype("int64"))
    k = k.sort_values(["unit_id", "rank", "key"], kind="stable").drop_duplicates("unit_id")
    k = k.set_index("unit_id")
    return k["signed_on"], k["terminated_on"]


def exact_value(row, metric: str):
    """The exact value of ``metric`` in a metrics row: int, Fraction (ratios, yuan) or a
    Timestamp (contract dates); None when unknown (a zero denominator included)."""
    if metric in RATIOS:
        num, den = RATIOS[metric]
        n, d = _int(row.get(num)), _int(row.get(den))
        if n is None or d is None or d == 0:
            return None
        return Fraction(n, d)
    if metric in MONEY:
        f = _int(row.get(MONEY[metric]))
        return None if f is None else Fraction(f, 100)
    v = row.get(metric)
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v
    if isinstance(v, float) and np.isnan(v):
        return None
    return _int(v)


def _int(v) -> int | None:
    if v is None or v is pd.NA:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return int(v)


def int_or_none(v):
    """A whole number, or None for a missing or non-numeric value."""
    if v is None or v is pd.NA:
        return None
    try:
        return None if pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return None

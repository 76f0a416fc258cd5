"""Flags: refund, complaint and data problems that the analyst should look at.

A flag never changes an outcome (the criteria do). Kinds (fixed by the spec):
``refund_rate_over_limit``, ``refund_rate_near_limit``, ``refunds_after_cutoff``,
``over_refund``, ``major_complaint``, ``professional_complaint``,
``unresolved_complaint``, ``quarantined_rows``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from toolkit.clean.period import end_exclusive
from toolkit.clean.reasons import Exclusion
from toolkit.ingest.contract import TRACKS
from toolkit.metrics.compute import exact_value, int_or_none, payments_table, refunds_table
from toolkit.metrics.engine import run
from toolkit.metrics.format import fmt_int, fmt_pct, fmt_pp, fmt_yuan
from toolkit.metrics.inputs import source_rows
from toolkit.metrics.queries import OVER_REFUND_INPUTS, OVER_REFUNDS
from toolkit.vocabulary import QUARANTINE_REASON_LABELS, TABLE_LABELS, TRACK_LABELS

FLAG_KINDS = (
    "refund_rate_over_limit",
    "refund_rate_near_limit",
    "refunds_after_cutoff",
    "over_refund",
    "major_complaint",
    "professional_complaint",
    "unresolved_complaint",
    "quarantined_rows",
)
#: how many order ids an over_refund flag lists
MAX_ORDERS_LISTED = 20
_REASON_COLUMNS = ("exclusion_reason", "excluded_reason", "reason")


@dataclass
class Flag:
    kind: str
    message: str
    track: str | None = None
    unit_id: str | None = None
    unit_name: str | None = None
    value: float | int | None = None
    bound: float | int | None = None
    count: int | None = None
    amount: float | None = None  # yuan
    table: str | None = None
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {
            "kind": self.kind,
            "track": self.track,
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "value": self.value,
            "bound": self.bound,
            "count": self.count,
            "amount": self.amount,
            "table": self.table,
            "message": self.message,
        }
        if self.details:
            d["details"] = self.details
        return d


def _num(x) -> float | int | None:
    if x is None:
        return None
    if isinstance(x, Fraction):
        return int(x) if x.denominator == 1 else float(x)
    return x


def _yuan(fen: int) -> float:
    return int(fen) / 100


def excluded_after_cutoff(year_data, track: str) -> pd.DataFrame:
    """Refund rows excluded because they are dated after the cut-off (against a used payment)."""
    return excluded_refunds(year_data, track, (Exclusion.AFTER_CUTOFF,))


def excluded_refunds(year_data, track: str, reasons: tuple[Exclusion, ...]) -> pd.DataFrame:
    """Refund rows excluded for one of ``reasons``, with the payment's unit_id."""
    ex = year_data.excluded.get(refunds_table(track))
    if ex is None or ex.empty:
        return pd.DataFrame(columns=["order_id", "unit_id", "amount_fen", "refunded_at"])
    codes = [r.value for r in reasons]
    for col in _REASON_COLUMNS:
        if col in ex.columns and ex[col].isin(codes).any():
            ex = ex[ex[col].isin(codes)]
            break
    else:
        return ex.iloc[0:0]
    ex = ex.copy()
    pay = None
    if "unit_id" not in ex.columns or ex["unit_id"].isna().any():  # else no need to read it
        pay = year_data.tables.get(payments_table(track))
    if pay is not None:
        order_unit = pd.Series(pay["unit_id"].to_numpy(), index=pay["order_id"].to_numpy())
        order_unit = order_unit[~order_unit.index.duplicated()]
        mapped = ex["order_id"].map(order_unit)
        ex["unit_id"] = ex["unit_id"].fillna(mapped) if "unit_id" in ex.columns else mapped
    return ex


def compute_flags(year_data, rules, metrics: pd.DataFrame, engine: str = "duckdb", *,
                  records: list[dict] | None = None,
                  over_refund: list[Flag] | None = None) -> list[Flag]:
    """Every flag of the year, sorted by kind (spec order), track, unit_id; ``engine``
    runs the over-refund lookup (see :mod:`toolkit.metrics.engine`). ``records`` are
    ``metrics.to_dict("records")`` and ``over_refund`` the :func:`over_refund_flags`
    when the caller has them already."""
    names = year_data.unit_names()
    flags: list[Flag] = []
    if records is None:
        records = metrics.to_dict("records") if not metrics.empty else []
    by_unit = {(r["track"], r["unit_id"]): r for r in records}
    for track in TRACKS:
        flags += _refund_rate_flags(rules, records, track)
        flags += _after_cutoff_flags(year_data, track, names, by_unit, rules)
        if over_refund is None:
            flags += _over_refund_flags(year_data, track, names, engine)
    flags += over_refund or []
    flags += _complaint_flags(year_data, records, names)
    flags += _quarantine_flags(year_data)
    order = {k: i for i, k in enumerate(FLAG_KINDS)}
    torder = {t: i for i, t in enumerate(TRACKS)}
    flags.sort(key=lambda f: (order[f.kind], torder.get(f.track, 9), f.unit_id or "", f.table or ""))
    return flags


def _refund_rate_flags(rules, records: list[dict], track: str) -> list[Flag]:
    crit = rules.bound_for(track, "refund_rate")
    if crit is None or crit.op not in ("<=", "<") or not records:
        return []
    bound = Fraction(crit.bound)
    near = rules.near_limit_share * bound
    out = []
    for r in records:
        if r["track"] != track:
            continue
        rate = exact_value(r, "refund_rate")
        if rate is None:
            continue
        over = rate > bound if crit.op == "<=" else rate >= bound
        label = f"{TRACK_LABELS[track]}退费率 {fmt_pct(rate, differ_from=bound)}"
        common = dict(track=track, unit_id=r["unit_id"], unit_name=r["unit_name"], value=float(rate),
                      bound=_num(bound), amount=_yuan(r["refunds_fen"]), count=int_or_none(r.get("refund_count")))
        if over:
            out.append(Flag(
                kind="refund_rate_over_limit",
                message=f"{label}，超过上限 {fmt_pct(bound)}（{crit.clause}），超出 {fmt_pp(rate - bound)} 个百分点；"
                        f"退费 {fmt_yuan(Fraction(r['refunds_fen'], 100))} 元，收入 "
                        f"{fmt_yuan(Fraction(r['income_fen'], 100))} 元",
                **common))
        elif rate >= near:
            out.append(Flag(
                kind="refund_rate_near_limit",
                message=f"{label}，已达上限 {fmt_pct(bound)}（{crit.clause}）的 "
                        f"{fmt_pct(rules.near_limit_share, 0)} 以上，距上限 {fmt_pp(bound - rate)} 个百分点",
                details={"near_limit_share": float(rules.near_limit_share)},
                **common))
    return out


def _after_cutoff_flags(year_data, track: str, names: dict, by_unit: dict, rules) -> list[Flag]:
    """Refunds dated after the cut-off, per unit; the refund rate they would give is said
    only where the track's collective award bounds the refund rate."""
    bounded = rules.bound_for(track, "refund_rate") is not None
    ex = excluded_after_cutoff(year_data, track)
    if ex.empty:
        return []
    g = ex.groupby("unit_id", dropna=False).agg(count=("amount_fen", "size"), fen=("amount_fen", "sum"),
                                                last=("refunded_at", "max"))
    out = []
    g = g.sort_index()
    # column by column, not iterrows: a Series per unit costs more than the flag
    for unit_id, count, fen, last in zip(g.index, g["count"].tolist(), g["fen"].tolist(),
                                         g["last"], strict=True):
        unit_id = None if pd.isna(unit_id) else unit_id
        m = by_unit.get((track, unit_id), {})
        details = {}
        text = (f"{TRACK_LABELS[track]}有 {fmt_int(count)} 笔退费（共 "
                f"{fmt_yuan(Fraction(int(fen), 100))} 元）日期在截止日之后，未计入本年度退费")
        income, refunds = int_or_none(m.get("income_fen")), int_or_none(m.get("refunds_fen"))
        if income:
            with_late = Fraction(refunds + int(fen), income)
            details["refund_rate_if_counted"] = float(with_late)
            if bounded:
                text += f"；若计入，退费率为 {fmt_pct(with_late)}"
        if pd.notna(last):
            details["latest_refund"] = pd.Timestamp(last).isoformat()
        out.append(Flag(kind="refunds_after_cutoff", track=track, unit_id=unit_id,
                        unit_name=names.get(unit_id), value=_yuan(fen), count=int(count),
                        amount=_yuan(fen), message=text, details=details))
    return out


def over_refund_flags(year_data, engine: str = "duckdb") -> list[Flag]:
    """The ``over_refund`` flags of both tracks (they need no metrics: an evaluation runs
    their query while the metric query runs)."""
    names = year_data.unit_names()
    return [f for track in TRACKS for f in _over_refund_flags(year_data, track, names, engine)]


def _over_refund_flags(year_data, track: str, names: dict, engine: str) -> list[Flag]:
    # the frames, or their files in the store (DuckDB reads those itself)
    pay = year_data.source(payments_table(track))
    if pay is None or source_rows(pay) == 0:
        return []
    # every refund seen against the year's payments, in the period or not
    refunds = year_data.source(refunds_table(track))
    dated_out = excluded_refunds(year_data, track, (Exclusion.AFTER_CUTOFF, Exclusion.OUT_OF_PERIOD))
    if (refunds is None or source_rows(refunds) == 0) and dated_out.empty:
        return []
    bad = run(OVER_REFUNDS, {"payments": pay, "refunds": refunds, "dated_out_refunds": dated_out},
              OVER_REFUND_INPUTS, engine)
    if bad.empty:
        return []
    out = []
    for unit_id, g in bad.groupby("unit_id", sort=True):
        orders = g["order_id"].astype(str).tolist()
        shown = "、".join(orders[:MAX_ORDERS_LISTED]) + ("等" if len(orders) > MAX_ORDERS_LISTED else "")
        excess = int(g["excess"].sum())
        out.append(Flag(
            kind="over_refund", track=track, unit_id=unit_id, unit_name=names.get(unit_id),
            value=_yuan(excess), count=len(g), amount=_yuan(excess),
            message=f"{TRACK_LABELS[track]}有 {len(g)} 笔订单退费超过缴费金额，共多退 "
                    f"{fmt_yuan(Fraction(excess, 100))} 元（订单 {shown}）",
            details={"orders": orders[:MAX_ORDERS_LISTED]},
        ))
    return out


def _complaint_flags(year_data, records: list[dict], names: dict) -> list[Flag]:
    out = []
    if records:
        for r in records:
            if r["track"] == "staff":
                n = int_or_none(r.get("major_complaints"))
                if n:
                    out.append(Flag(kind="major_complaint", track="staff", unit_id=r["unit_id"],
                                    unit_name=r["unit_name"], value=n, bound=0, count=n,
                                    message=f"年度内有 {n} 件重大投诉（事业单位工作人员培训）"))
            else:
                n = int_or_none(r.get("complaints"))
                if n:
                    out.append(Flag(kind="professional_complaint", track="professional", unit_id=r["unit_id"],
                                    unit_name=r["unit_name"], value=n, bound=0, count=n,
                                    message=f"年度内有 {n} 件投诉（专业技术人员继续教育培训）"))
    comp = year_data.tables.get("complaints")
    if comp is not None and not comp.empty and "status" in comp.columns:
        at = comp["received_at"]
        c = comp[(at >= year_data.period_start) & (at < end_exclusive(year_data.period_end))]
        c = c[c["status"] == "open"]
        for (track, unit_id), g in c.groupby(["track", "unit_id"], sort=True):
            ids = [str(x) for x in g["complaint_id"].dropna().tolist()] if "complaint_id" in g.columns else []
            text = f"{TRACK_LABELS.get(track, track)}有 {len(g)} 件投诉尚未办结"
            if ids:
                text += "（" + "、".join(ids[:MAX_ORDERS_LISTED]) + "）"
            out.append(Flag(kind="unresolved_complaint", track=track, unit_id=unit_id,
                            unit_name=names.get(unit_id), value=len(g), count=len(g), message=text,
                            details={"complaints": ids[:MAX_ORDERS_LISTED]} if ids else {}))
    return out


def _quarantine_flags(year_data) -> list[Flag]:
    per_table: dict[str, dict] = {}
    for e in year_data.ledger:
        q = {k: int(v) for k, v in (e.get("quarantined") or {}).items() if v}
        if not q:
            continue
        t = per_table.setdefault(e["table"], {"count": 0, "reasons": {}, "files": []})
        t["count"] += sum(q.values())
        for k, v in q.items():
            t["reasons"][k] = t["reasons"].get(k, 0) + v
        if e.get("file"):
            t["files"].append(str(e["file"]))
    out = []
    for table in sorted(per_table):
        t = per_table[table]
        reasons = dict(sorted(t["reasons"].items(), key=lambda kv: (-kv[1], kv[0])))
        text = f"{TABLE_LABELS.get(table, table)}有 {fmt_int(t['count'])} 行被隔离未使用：" + "，".join(
            f"{QUARANTINE_REASON_LABELS.get(k, k)} {fmt_int(v)} 行" for k, v in reasons.items())
        out.append(Flag(kind="quarantined_rows", table=table, value=t["count"], count=t["count"],
                        message=text, details={"reasons": reasons, "files": sorted(set(t["files"]))}))
    return out

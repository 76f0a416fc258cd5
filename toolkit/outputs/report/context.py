"""The run as the report sees it: :class:`ReportContext`, and the lookups the sections
share (the tracks, a unit's results, a criterion as the rules file states it, the
monthly sums for the charts).

A context holds no row-level data: the evaluation, the rules, the payments and refunds
summed per track, unit and month, the quarantine counts per table and reason, the
previous year's unit metrics and a few texts. :func:`build` makes one from the objects
of a run in memory; :mod:`toolkit.outputs.report.store` writes it into the run folder
and reads it back (``toolkit.open_run``).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.clean.privacy import shared_text
from toolkit.evaluation.results import Criterion, Evaluation, UnitResult
from toolkit.ingest.contract import TABLES, UNIT_ALIASES
from toolkit.metrics.registry import PAYMENTS_TABLE, REFUNDS_TABLE
from toolkit.outputs.report.format import fmt_bound
from toolkit.rules.load import Rules
from toolkit.vocabulary import REASON_LABELS, TRACK_LABELS

#: the monthly sums: one row per (track, unit, month, payments or refunds)
MONTHLY_COLUMNS = ("track", "unit_id", "month", "kind", "amount_fen")
#: the quarantine counts: one row per (table, reason)
QUARANTINE_COLUMNS = ("table", "reason", "n")
#: the nominations that could not be used: one row per quarantined nomination row
UNACCEPTED_COLUMNS = ("unit_name", "category", "reason", "nearest", "file", "row")
#: the previous year's metrics the comparison reads
PREVIOUS_METRICS = ("paid_trainees", "registered_trainees", "income", "refunds", "person_times")


@dataclass
class PreviousYear:
    """The year before, for the comparison: metrics only. ``data_dir`` and ``files``
    are known to the run that read it (for the manifest), not to a run folder."""

    year: int
    period: str  # how its period was set
    metrics: pd.DataFrame  # track, unit_id, unit_name and PREVIOUS_METRICS
    data_dir: Path | None = None
    files: list = field(default_factory=list)


@dataclass
class ReportContext:
    """Everything the notebooks' sections need."""

    year: int
    rules: Rules
    evaluation: Evaluation
    monthly: pd.DataFrame  # MONTHLY_COLUMNS
    quarantine_counts: pd.DataFrame  # QUARANTINE_COLUMNS
    unit_names: dict[str, str]
    data_dir_name: str = ""
    previous: PreviousYear | None = None
    previous_note: str = ""
    out_dir: Path | None = None  # the run folder (its forms/ are listed)
    generated_at: str = ""
    unaccepted: pd.DataFrame | None = None  # UNACCEPTED_COLUMNS

    @property
    def period_start(self) -> pd.Timestamp:
        return self.evaluation.period_start

    @property
    def period_end(self) -> pd.Timestamp:
        return self.evaluation.period_end

    def unit_name(self, unit_id: str) -> str:
        return self.unit_names.get(unit_id) or str(unit_id)

    def only(self, unit_id: str) -> ReportContext:
        """A copy cut down to ``unit_id``: a unit report cannot show another unit's
        figures, even by mistake."""
        ev = self.evaluation

        def mine(items):
            return [x for x in items or [] if x.unit_id == unit_id]

        metrics = ev.metrics
        if "unit_id" in metrics.columns:
            metrics = metrics[metrics["unit_id"] == unit_id].reset_index(drop=True)
        ev = dataclasses.replace(
            ev, collective=mine(ev.collective), individual=mine(ev.individual),
            innovation=mine(ev.innovation), flags=mine(ev.flags), near_misses=mine(ev.near_misses),
            ledger=[], metrics=metrics,
            unit_names={k: v for k, v in ev.unit_names.items() if k == unit_id})
        monthly = self.monthly[self.monthly["unit_id"] == unit_id].reset_index(drop=True)
        return dataclasses.replace(
            self, evaluation=ev, monthly=monthly, quarantine_counts=self.quarantine_counts.iloc[0:0],
            unit_names={k: v for k, v in self.unit_names.items() if k == unit_id}, previous=None,
            unaccepted=empty_unaccepted())


# --- building from a run in memory ---------------------------------------------------


def monthly_sums(year_data) -> pd.DataFrame:
    """Payments (by paid_at) and refunds (by refunded_at) in fen, per track, unit and
    month (``YYYY-MM``) of the clean tables."""
    rows = []
    for track in PAYMENTS_TABLE:
        for kind, name, col in (("payments", PAYMENTS_TABLE[track], "paid_at"),
                                ("refunds", REFUNDS_TABLE[track], "refunded_at")):
            df = year_data.tables.get(name)
            if df is None or df.empty:
                continue
            sums = df.groupby([df["unit_id"].astype(str), df[col].dt.to_period("M")],
                              sort=True, observed=True)["amount_fen"].sum()
            rows += [(track, uid, str(month), kind, int(v)) for (uid, month), v in sums.items()]
    return pd.DataFrame(rows, columns=list(MONTHLY_COLUMNS)).astype({"amount_fen": "int64"})


def quarantine_counts(year_data) -> pd.DataFrame:
    """How many rows were quarantined per table and reason (counts only)."""
    q = year_data.quarantine
    if q is None or len(q) == 0 or not {"table", "reason"} <= set(q.columns):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "n" else "object")
                             for c in QUARANTINE_COLUMNS})
    out = q.groupby(["table", "reason"], sort=True).size().reset_index(name="n")
    return out.astype({"table": str, "reason": str, "n": "int64"})


def empty_unaccepted() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "object") for c in UNACCEPTED_COLUMNS})


def unaccepted_nominations(year_data, rules) -> pd.DataFrame:
    """The quarantined rows of the nominations table, one per row: the unit and the
    category as written, the reason, and the award whose label is nearest."""
    q = year_data.quarantine
    if q is None or len(q) == 0 or "table" not in q.columns:
        return empty_unaccepted()
    q = q[q["table"] == "nominations"]
    aliases = TABLES["nominations"].column("category").aliases
    labels = [a.label for a in rules.awards.values()]
    rows = []
    for (file, row), g in q.groupby(["file", "row"], sort=True):
        first = g.iloc[0]
        raw = json.loads(first["raw"]) if isinstance(first.get("raw"), str) else {}
        unit = next((str(raw[k]) for k in UNIT_ALIASES if raw.get(k)), "")
        category = next((str(raw[k]) for k in aliases if raw.get(k)), "")
        reasons = "；".join(f"{REASON_LABELS.get(r.reason, r.reason)}（{r.column}）" if r.column
                           else REASON_LABELS.get(r.reason, r.reason) for r in g.itertuples())
        near = difflib.get_close_matches(category, labels, n=1, cutoff=0.5) if category else []
        rows.append((unit, category, reasons, near[0] if near else "", str(file), int(row)))
    return pd.DataFrame(rows, columns=list(UNACCEPTED_COLUMNS)) if rows else empty_unaccepted()


def previous_metrics(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``metrics.unit_metrics`` that the comparison reads, as numbers."""
    cols = ["track", "unit_id", "unit_name"]
    out = pd.DataFrame({c: frame[c].astype(object) if c in frame else pd.Series(dtype=object)
                        for c in cols})
    for m in PREVIOUS_METRICS:
        if m in frame.columns:
            out[m] = pd.to_numeric(frame[m], errors="coerce").astype("float64")
    return out.reset_index(drop=True)


def build(*, rules, year_data, evaluation, previous: PreviousYear | None = None,
          previous_note: str = "", out_dir: Path | None = None, generated_at: str = "") -> ReportContext:
    """The context of a run whose year, rules and evaluation are in memory."""
    names = dict(year_data.unit_names())
    for r in evaluation.collective:
        names.setdefault(r.unit_id, r.unit_name)
    names = shared_text(names)  # the report shows them (and meta.json keeps them): masked
    if previous is not None:
        previous = dataclasses.replace(previous, metrics=previous_metrics(previous.metrics))
    return ReportContext(
        year=evaluation.year, rules=rules, evaluation=evaluation, monthly=monthly_sums(year_data),
        quarantine_counts=quarantine_counts(year_data), unit_names=names,
        data_dir_name=Path(year_data.data_dir).name, previous=previous, previous_note=previous_note,
        out_dir=out_dir, generated_at=generated_at, unaccepted=unaccepted_nominations(year_data, rules))


# --- lookups over the evaluation and the rules ---------------------------------------


def collectives(ctx: ReportContext, track: str | None = None) -> list[UnitResult]:
    return [r for r in ctx.evaluation.collective if track is None or r.track == track]


def tracks(ctx: ReportContext) -> list[str]:
    """Tracks with a collective award in the rules, staff first."""
    order = list(TRACK_LABELS)
    found = {a.track for a in ctx.rules.awards.values() if a.kind == "collective"}
    return [t for t in order if t in found] + sorted(found - set(order))


def unit_ids(ctx: ReportContext) -> list[str]:
    """Every unit evaluated for a collective or named in a nomination, sorted."""
    ids = {r.unit_id for r in ctx.evaluation.collective}
    for part in (ctx.evaluation.individual, ctx.evaluation.innovation):
        ids |= {n.unit_id for n in part if n.unit_id}
    return sorted(ids)


def criterion(result, cid: str) -> Criterion | None:
    for c in result.criteria:
        if c.id == cid:
            return c
    return None


def metric(result: UnitResult, name: str) -> Any:
    return (result.metrics or {}).get(name)


def award(ctx: ReportContext, kind: str, track: str):
    return ctx.rules.award_for(kind, track)


def rule(ctx: ReportContext, track: str, cid: str | None):
    """The collective criterion ``cid`` of ``track`` as the rules file states it, or None."""
    try:
        return ctx.rules.criterion(f"{track}.collective", cid)
    except (KeyError, AttributeError):
        return None


def bound(ctx: ReportContext, track: str, metric_name: str):
    """(bound as a number, op, label) of the collective criterion on ``metric_name``."""
    c = ctx.rules.bound_for(track, metric_name)
    if c is None:
        return None, ">=", ""
    b = c.bound_number()
    return b, c.op, fmt_bound(c.op, b, c.unit)


def monthly(ctx: ReportContext, track: str, unit_id: str | None = None):
    """(month labels, {"缴费": yuan per month, "退费": ...}) over the period's months."""
    months = pd.period_range(ctx.period_start, ctx.period_end, freq="M")
    labels = [f"{p.month}月" if len(months) <= 12 else f"{p.year}-{p.month:02d}" for p in months]
    m = ctx.monthly[ctx.monthly["track"] == track]
    if unit_id is not None:
        m = m[m["unit_id"] == unit_id]
    out = {}
    for name, kind in (("缴费", "payments"), ("退费", "refunds")):
        per = m[m["kind"] == kind].groupby("month")["amount_fen"].sum()
        out[name] = [float(per.get(str(p), 0)) / 100 for p in months]
    return labels, out

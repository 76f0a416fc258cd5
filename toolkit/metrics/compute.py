"""Per unit and track figures of a ``YearData``: the SQL of :mod:`toolkit.metrics.queries`
run by :mod:`toolkit.metrics.engine` over the clean tables, shaped into the metrics frame.

The metric names are the spec's (docs/rules.md). Counts are exact integers, money is
integer fen (``income_fen``, ``refunds_fen``; ``income`` and ``refunds`` are the same in
yuan for display), ratios are unrounded floats for display while :func:`exact_value`
gives the exact :class:`~fractions.Fraction` that criteria compare. Unknown is ``<NA>``
(a missing optional table, a unit absent from the targets or teams table, a zero
denominator), never 0.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from toolkit.clean.period import end_exclusive
from toolkit.ingest.contract import TRACKS
from toolkit.metrics.engine import run
from toolkit.metrics.inputs import timestamp_literal
from toolkit.metrics.queries import INPUTS, UNIT_METRICS
from toolkit.metrics.registry import (
    METRICS,
    MONEY,
    PAYMENTS_TABLE,
    RATIOS,
    REFUNDS_TABLE,
    TRACK_METRICS,
)

#: Chinese label and display unit of each metric (from the registry)
METRIC_LABELS: dict[str, tuple[str, str]] = {m.name: (m.label, m.display) for m in METRICS.values()}

#: the SQL's whole-number columns the frame carries beside the metrics: the flags read
#: them (the number of payments and of refunds), with the payments table they need
FLAG_COLUMNS = ("payments", "refund_count")


def count_columns(track: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The whole-number columns of a track's frame: column -> (the SQL's column, the
    input tables without which it is unknown). Each count metric of the track under its
    name, each money metric's fen column, and the flags' columns."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name in TRACK_METRICS[track]:
        m = METRICS[name]
        if m.sql_column is None or m.is_date:
            continue
        out[m.fen_column or m.name] = (m.sql_column, m.needs(track))
    for col in FLAG_COLUMNS:
        out.setdefault(col, (col, (PAYMENTS_TABLE[track],)))
    return out


def _dates(track: str) -> tuple[str, ...]:
    """The date metrics of a track (a contract's signing and termination)."""
    return tuple(m for m in TRACK_METRICS[track] if METRICS[m].sql_column and METRICS[m].is_date)


def frame_columns(track: str) -> list[str]:
    """The columns of a track's frame, in order: the metrics, the fen columns, the flags'."""
    fen = [m.fen_column for m in METRICS.values() if m.is_money and track in m.tracks]
    return list(dict.fromkeys(["track", "unit_id", "unit_name", *TRACK_METRICS[track], *fen,
                               *FLAG_COLUMNS, "has_contracts_table"]))


def payments_table(track: str) -> str:
    return PAYMENTS_TABLE[track]


def refunds_table(track: str) -> str:
    return REFUNDS_TABLE[track]


def unit_metrics(year_data, as_of=None, engine: str = "duckdb") -> pd.DataFrame:
    """One row per (track, unit_id) evaluated for a collective, with every metric.

    A unit is in the frame for a track when it has a contract for the track or any
    activity in it in the year (registrations, payments or enrollments, refunds,
    complaints) or a collective nomination. Sorted by track (staff first), unit_id.
    ``as_of`` (a date) picks the contract in force; default the period's end.
    ``engine`` runs the SQL: ``duckdb`` or ``spark`` (:mod:`toolkit.metrics.engine`).
    """
    return metrics_frame(year_data, _query(year_data, as_of, engine))


def metrics_frame(year_data, raw: pd.DataFrame) -> pd.DataFrame:
    """The metrics frame of :func:`unit_metrics` from the rows of the SQL
    (:data:`~toolkit.metrics.queries.UNIT_METRICS`) over ``year_data``."""
    frames = [_track_frame(year_data, raw[raw["track"] == t], t) for t in TRACKS]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else _empty_frame()


def query_inputs(year_data) -> dict:
    """The input tables of the SQL: frames, or files of the store (``YearData.source``)."""
    frames = {name: year_data.source(name) for name in INPUTS}
    if frames["staff_payments"] is None:
        # registrations are read with the payments (a payer counts as registered): without
        # payments they neither give figures nor make a unit evaluated
        frames["staff_registrations"] = None
    return frames


def query_literals(year_data, as_of=None) -> dict[str, str]:
    """The period and as-of literals of the SQL (``as_of`` default: the period's end)."""
    end = year_data.period_end
    return dict(start=timestamp_literal(year_data.period_start),
                end=timestamp_literal(end_exclusive(end)),
                as_of=timestamp_literal(pd.Timestamp(as_of) if as_of is not None else end.normalize()))


def _query(year_data, as_of, engine: str) -> pd.DataFrame:
    """The figures of both tracks as the SQL gives them (counts 0 where a unit has no rows)."""
    return run(UNIT_METRICS, query_inputs(year_data), INPUTS, engine,
               **query_literals(year_data, as_of))


def _empty_frame() -> pd.DataFrame:
    cols = ["track", "unit_id", "unit_name"] + sorted(
        {m for ms in TRACK_METRICS.values() for m in ms} | set(MONEY.values()))
    return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})


def _track_frame(year_data, raw: pd.DataFrame, track: str) -> pd.DataFrame:
    """The metrics frame of one track from its rows of the query."""
    if raw.empty:
        return _empty_frame().iloc[0:0]
    t = year_data.tables
    units = raw["unit_id"].tolist()
    out = pd.DataFrame(index=pd.Index(units, name="unit_id"))
    names = year_data.unit_names()
    out["track"] = track
    out["unit_name"] = [names.get(u) for u in units]
    for col, (source, tables) in count_columns(track).items():
        if all(name in t for name in tables):
            out[col] = pd.array(raw[source].to_numpy(dtype=object), dtype="Int64")
        else:
            out[col] = pd.array([pd.NA] * len(units), dtype="Int64")

    for name in TRACK_METRICS[track]:
        m = METRICS[name]
        if m.is_money:
            out[name] = out[m.fen_column].astype("Float64") / 100
    for name in TRACK_METRICS[track]:
        if name in RATIOS:
            num, den = RATIOS[name]
            d = out[den].astype("Float64")
            out[name] = (out[num].astype("Float64") / d.where(d != 0)).astype("Float64")
    contracts = t.get("contracts")
    for col in _dates(track):
        dtype = "datetime64[ns]"
        if contracts is not None:
            source = col.removeprefix("contract_")
            if source in contracts.columns and str(contracts[source].dtype).startswith("datetime64"):
                dtype = contracts[source].dtype
        out[col] = raw[METRICS[col].sql_column].to_numpy().astype(dtype)
    out["has_contracts_table"] = contracts is not None
    out = out.reset_index()
    return out[[c for c in frame_columns(track) if c in out.columns]]


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

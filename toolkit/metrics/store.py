"""The figures of several years and provinces of the clean store in one query.

Each (year, province) of the store (:mod:`toolkit.clean.store`) is one part of a
``UNION ALL``: the SQL of :mod:`toolkit.metrics.queries` (the same definitions as
:func:`toolkit.metrics.compute.unit_metrics`) over that partition's Parquet files, with
that year's period. DuckDB reads the files itself and runs the parts in parallel; no
table goes through pandas. The rows are then shaped per partition as ``unit_metrics``
shapes them (unknown where a partition lacks a table, ratios, yuan).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from toolkit.clean import store as clean_store
from toolkit.exceptions import ParameterError
from toolkit.metrics.compute import metrics_frame, query_inputs, query_literals
from toolkit.metrics.inputs import duckdb_parquet, input_select, to_pandas
from toolkit.metrics.queries import INPUTS, unit_metrics_over

#: the columns that name a row's partition, first in the frame
PARTITION_COLUMNS = ("year", "province")


def unit_metrics_of_store(store: str | Path | None = None, years: Iterable[int] | None = None,
                          provinces: Iterable[str] | None = None, *,
                          as_of: Mapping[int, object] | None = None) -> pd.DataFrame:
    """One row per (year, province, track, unit_id) evaluated, with every metric.

    ``store`` is the store's root (default ``$TOOLKIT_CACHE_DIR`` or
    ``<project>/.cache/store``); ``years`` and ``provinces`` select its partitions
    (default all). A year enters the store when ``load_year`` has read it once.
    ``as_of`` maps a year to the date that picks the contract in force (default: the
    year's period end, as ``unit_metrics``).

    The columns are ``year``, ``province``, then those of
    :func:`toolkit.metrics.compute.unit_metrics` (track, unit_id, unit_name, every
    metric of the track, income_fen, refunds_fen, ...), with the same values: counts
    as ``Int64``, money in fen, ``<NA>`` for unknown. Sorted by year, province, track
    (staff first), unit_id. A ParameterError names a year or province that the store
    does not hold.
    """
    root = Path(store) if store is not None else clean_store.store_dir()
    parts = select_partitions(root, years, provinces)
    opened = {}
    for year, province in parts:
        yd = clean_store.open_partition(year, province, root=root)
        if yd is None:
            raise ParameterError(f"the store partition year={year} province={province} cannot "
                                 "be read", file=root, hint="load the year again (load_year)")
        opened[(year, province)] = yd
    sql = "\nUNION ALL\n".join(
        _part_sql(yd, year, province, (as_of or {}).get(year))
        for (year, province), yd in opened.items())
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = false")
        raw = to_pandas(con.sql(f"SELECT * FROM ({sql}) AS parts ORDER BY year, province, "
                                "CASE track WHEN 'staff' THEN 0 ELSE 1 END, unit_id")
                        .to_arrow_table())
    finally:
        con.close()
    frames = []
    for (year, province), yd in opened.items():
        rows = raw[(raw["year"] == year) & (raw["province"] == province)]
        f = metrics_frame(yd, rows.drop(columns=list(PARTITION_COLUMNS)).reset_index(drop=True))
        f.insert(0, "province", province)
        f.insert(0, "year", year)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def select_partitions(root: Path, years: Iterable[int] | None,
                      provinces: Iterable[str] | None) -> list[tuple[int, str]]:
    """The (year, province) partitions of the store asked for, sorted."""
    have = clean_store.partitions(root)
    if not have:
        raise ParameterError(f"the store {root} holds no year", file=root,
                             hint="load a year first (toolkit validate or run)")
    ys = None if years is None else {int(y) for y in years}
    ps = None if provinces is None else set(provinces)
    for asked, held, what in ((ys, {y for y, _ in have}, "year"),
                              (ps, {p for _, p in have}, "province")):
        if asked is not None and asked - held:
            raise ParameterError(f"the store {root} holds no {what} {sorted(asked - held)}",
                                 value=", ".join(map(str, sorted(asked - held))),
                                 expected=", ".join(map(str, sorted(held))))
    parts = [(y, p) for y, p in have if (ys is None or y in ys) and (ps is None or p in ps)]
    if not parts:
        raise ParameterError(f"the store {root} holds none of the years {sorted(ys or [])} "
                             f"for the provinces {sorted(ps or [])}", file=root)
    return parts


def _part_sql(yd, year: int, province: str, as_of) -> str:
    """The query of one partition, its rows headed by the year and province."""
    inputs = {}
    for name, source in query_inputs(yd).items():
        columns = INPUTS[name]
        if source is None:
            inputs[name] = input_select(None, [], columns)
        else:
            select, present = duckdb_parquet(source, columns)
            inputs[name] = input_select(f"({select}) AS {name}_file", present, columns)
    body = unit_metrics_over(inputs).format(**query_literals(yd, as_of))
    # the province is a checked name (clean.store.province_of): a safe literal
    return f"SELECT {int(year)} AS year, '{province}' AS province, m.* FROM ({body}) AS m"

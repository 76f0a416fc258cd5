"""The figures of several years and provinces of the clean store in one query.

Each (year, province) of the store (:mod:`toolkit.clean.store`) is one view, and one
query is the ``UNION ALL`` of the views: each the SQL of :mod:`toolkit.metrics.queries`
(the same definitions as :func:`toolkit.metrics.compute.unit_metrics`) over that
partition's Parquet files, with that year's period. DuckDB reads the files itself and runs the parts in parallel; no
table goes through pandas. The rows are then shaped per partition as ``unit_metrics``
shapes them (unknown where a partition lacks a table, ratios, yuan).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from toolkit.clean import store as clean_store
from toolkit.database import connection
from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.metrics.compute import metrics_frame, query_inputs, query_literals
from toolkit.metrics.engine import ENGINES, spark_runner
from toolkit.metrics.inputs import input_select, parquet_columns, to_pandas
from toolkit.metrics.queries import INPUTS, ROW_POSITION, unit_metrics_over

#: the columns that name a row's partition, first in the frame
PARTITION_COLUMNS = ("year", "province")


def unit_metrics_of_store(store: str | Path | None = None, years: Iterable[int] | None = None,
                          provinces: Iterable[str] | None = None, *,
                          as_of: Mapping[int, object] | None = None,
                          engine: str = "duckdb") -> pd.DataFrame:
    """One row per (year, province, track, unit_id) evaluated, with every metric.

    ``store`` is the store's root, a folder (default ``$TOOLKIT_CACHE_DIR`` or
    ``<project>/.cache/store``; on a cluster, a mount that the driver and Spark's
    executors read alike, see docs/scale.md); ``years`` and ``provinces`` select its
    partitions (default all). A year enters the store when ``load_year`` has read it once. ``as_of`` maps a
    year to the date that picks the contract in force (default: the year's period end,
    as ``unit_metrics``). ``engine``: ``duckdb`` (in process) or ``spark`` (the
    session of :mod:`toolkit.metrics.spark`).

    The columns are ``year``, ``province``, then those of
    :func:`toolkit.metrics.compute.unit_metrics` (track, unit_id, unit_name, every
    metric of the track, income_fen, refunds_fen, ...), with the same values: counts
    as ``Int64``, money in fen, ``<NA>`` for unknown. Sorted by year, province, track
    (staff first), unit_id. A ParameterError names a year or province that the store
    does not hold.
    """
    if engine not in ENGINES:
        raise ParameterError(_("unknown engine {engine!r}").format(engine=engine), expected=" or ".join(ENGINES))
    root = Path(store) if store is not None else clean_store.store_dir()
    parts = select_partitions(root, years, provinces)
    opened = {}
    for year, province in parts:
        yd = clean_store.open_partition(year, province, root=root)
        if yd is None:
            raise ParameterError(_("the store partition year={year} province={province} cannot be read").format(year=year, province=province), file=root, hint=_("load the year again (load_year)"))
        opened[(year, province)] = yd
    files: dict[str, tuple[Path, list[str]]] = {}  # view -> (file, row position columns)
    views = {f"part_{i}": _part_sql(yd, i, (as_of or {}).get(year), files)
             for i, ((year, province), yd) in enumerate(opened.items())}
    # the province is a checked name (clean.store.province_of): a safe literal
    union = "\nUNION ALL\n".join(
        f"SELECT {int(year)} AS year, '{province}' AS province, m.* FROM {view} AS m"
        for view, (year, province) in zip(views, opened, strict=True))
    sql = (f"SELECT * FROM ({union}) AS parts ORDER BY year, province, "
           "CASE track WHEN 'staff' THEN 0 ELSE 1 END, unit_id")
    if engine == "spark":
        raw = spark_runner().run_files(sql, files, views)
    else:
        raw = _duckdb(sql, files, views)
    frames = []
    for (year, province), yd in opened.items():
        rows = raw[(raw["year"] == year) & (raw["province"] == province)]
        f = metrics_frame(yd, rows.drop(columns=list(PARTITION_COLUMNS)).reset_index(drop=True))
        f.insert(0, "province", province)
        f.insert(0, "year", year)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def _duckdb(sql: str, files: dict[str, tuple[Path, list[str]]], views: dict[str, str]
            ) -> pd.DataFrame:
    con = connection()
    try:
        for view, (path, positions) in files.items():
            literal = "'" + str(path).replace("'", "''") + "'"
            extra = "".join(f", file_row_number AS {c}" for c in positions)
            option = ", file_row_number = true" if positions else ""
            con.execute(f"CREATE TEMPORARY VIEW {view} AS "
                        f"SELECT *{extra} FROM read_parquet({literal}{option})")
        for view, body in views.items():
            con.execute(f"CREATE TEMPORARY VIEW {view} AS {body}")
        return to_pandas(con.sql(sql).to_arrow_table())
    finally:
        con.close()


def select_partitions(root: Path, years: Iterable[int] | None,
                      provinces: Iterable[str] | None) -> list[tuple[int, str]]:
    """The (year, province) partitions of the store asked for, sorted."""
    have = clean_store.partitions(root)
    if not have:
        raise ParameterError(_("the store {root} holds no year").format(root=root), file=root,
                             hint=_("load a year first (toolkit validate or run)"))
    ys = None if years is None else {int(y) for y in years}
    ps = None if provinces is None else set(provinces)
    for asked, held, what in ((ys, {y for y, _p in have}, "year"),
                              (ps, {p for _y, p in have}, "province")):
        if asked is not None and asked - held:
            raise ParameterError(_("the store {root} holds no {what} {value}").format(root=root, what=what, value=sorted(asked - held)),
                                 value=", ".join(map(str, sorted(asked - held))),
                                 expected=", ".join(map(str, sorted(held))))
    parts = [(y, p) for y, p in have if (ys is None or y in ys) and (ps is None or p in ps)]
    if not parts:
        raise ParameterError(_("the store {root} holds none of the years {value} for the provinces {value2}").format(root=root, value=sorted(ys or []), value2=sorted(ps or [])), file=root)
    return parts


def _part_sql(yd, i: int, as_of, files: dict[str, tuple[Path, list[str]]]) -> str:
    """The query of partition ``i`` (a view ``part_<i>`` of the whole); the files it
    reads are added to ``files`` (one view per table: ``p<i>_<table>``)."""
    inputs = {}
    for name, source in query_inputs(yd).items():
        columns = INPUTS[name]
        if source is None:
            inputs[name] = input_select(None, [], columns)
            continue
        view = f"p{i}_{name}"
        positions = [c for c, kind in columns.items() if kind == ROW_POSITION]
        files[view] = (source, positions)
        inputs[name] = input_select(view, parquet_columns(source, columns) + positions, columns)
    return unit_metrics_over(inputs).format(**query_literals(yd, as_of))

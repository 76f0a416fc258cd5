"""One measured way, run in a fresh process by the harness (``python -m bench.worker``).

Imports happen before the clock starts; the peak resident memory is read with
``getrusage`` right after the measured part, before the untimed extras (the metric
frame written for the agreement check). The result is one JSON line on stdout,
prefixed ``BENCH-RESULT``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from pathlib import Path

MARK = "BENCH-RESULT "


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its reaped children (MiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def toolkit_frame(year_data):
    """The toolkit's per-unit figures in the comparison's shape (money in fen)."""
    from toolkit.metrics.compute import unit_metrics

    m = unit_metrics(year_data).copy()
    for name in ("income", "refunds"):
        if f"{name}_fen" in m:
            m[name] = m[f"{name}_fen"]
    return m


def _write(frame, path: str | None) -> None:
    if path:
        from bench.common import long_frame

        long_frame(frame).to_parquet(path, index=False)


def _read_then_query(t: dict[str, float], read, query):
    """``query(read())``, with the seconds of each and of both in ``t`` (a collection
    first, outside the clock)."""
    gc.collect()
    t0 = time.perf_counter()
    got = read()
    t["read"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    frame = query(got)
    t["query"] = time.perf_counter() - t1
    t["total"] = time.perf_counter() - t0
    return frame


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.worker")
    p.add_argument("way", choices=("toolkit_cold", "toolkit_cold_eval", "toolkit_warm", "plain",
                                   "limit", "limit_duckdb_csv", "limit_parquet", "pdf"))
    p.add_argument("--data", type=Path, help="the year's input folder")
    p.add_argument("--year", type=int, default=2022)
    p.add_argument("--store", type=Path, help="limit_parquet: the toolkit's store")
    p.add_argument("--province", default="hunan", help="limit_parquet: the store partition")
    p.add_argument("--html", type=Path, help="pdf: the rendered HTML report")
    p.add_argument("--metrics-out", default=None, help="write the metric frame here (Parquet)")
    a = p.parse_args(argv)
    t: dict[str, float] = {}
    extra: dict = {}
    frame = None
    clock = time.perf_counter

    if a.way in ("toolkit_cold", "toolkit_cold_eval", "toolkit_warm"):
        from toolkit.clean.period import Period
        from toolkit.clean.year import load_year
        from toolkit.evaluation.evaluate import evaluate
        from toolkit.rules.load import load_rules

        rules = load_rules(a.year)
        gc.collect()
        t0 = clock()
        yd = load_year(a.year, a.data, period=Period.of(rules), use_cache=a.way == "toolkit_warm")
        t["load"] = clock() - t0
        extra["from_cache"] = yd.from_cache
        if a.way == "toolkit_warm" and not yd.from_cache:
            print("toolkit_warm: the store missed (a cold load was measured)", file=sys.stderr)
            return 1
        if a.way in ("toolkit_warm", "toolkit_cold_eval"):
            t0 = clock()
            ev = evaluate(yd, rules)
            t["evaluate"] = clock() - t0
            t["load+evaluate"] = t["load"] + t["evaluate"]
            extra["collectives"] = len(ev.collective)
        extra["peak_rss_mb"] = peak_rss_mb()
        extra["rows_read"] = sum(e.get("rows_read", 0) for e in yd.ledger)
        extra["quarantined"] = int(len(yd.quarantine))
        if a.metrics_out:
            frame = toolkit_frame(yd)
    elif a.way == "plain":
        from bench import plain

        gc.collect()
        t0 = clock()
        tables = plain.read_all(a.data)
        t["read"] = clock() - t0
        t1 = clock()
        frame = plain.compute(tables, a.year)
        t["metrics"] = clock() - t1
        t["total"] = clock() - t0
        extra["peak_rss_mb"] = peak_rss_mb()
    elif a.way == "limit":
        from bench import limit

        con = limit.connect()
        frame = _read_then_query(t, lambda: limit.read_raw(a.data),
                                 lambda tables: limit.query(con, tables, a.year))
        extra["peak_rss_mb"] = peak_rss_mb()
    elif a.way == "limit_duckdb_csv":
        from bench import limit

        con = limit.connect()
        frame = _read_then_query(t, lambda: limit.load_csvs_duckdb(con, a.data),
                                 lambda columns: limit.query_tables(con, columns, a.year))
        extra["peak_rss_mb"] = peak_rss_mb()
    elif a.way == "limit_parquet":
        import duckdb

        from bench import limit

        con = duckdb.connect()
        con.execute("SET preserve_insertion_order = false")  # as the toolkit's engine
        gc.collect()
        t0 = clock()
        result, over = limit.store_query(con, a.store, a.year, a.province)
        t["query"] = clock() - t0
        extra["peak_rss_mb"] = peak_rss_mb()
        extra["over_refunds"] = {k: v.num_rows for k, v in over.items()}
        frame = limit.store_frame(result)
    elif a.way == "pdf":
        from toolkit.outputs.report.pdf import render_pdf

        page = a.html.read_text(encoding="utf-8")
        out = a.html.with_name("bench-render.pdf")
        t0 = clock()
        render_pdf(page, out)
        t["pdf"] = clock() - t0
        extra["peak_rss_mb"] = peak_rss_mb()
        extra["pdf_bytes"] = out.stat().st_size
        out.unlink()

    _write(frame, a.metrics_out)
    print(MARK + json.dumps({"way": a.way, "times": t, **extra}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

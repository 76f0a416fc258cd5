"""``python -m bench`` (``make bench``): the province-scale benchmark.

Generates the province data set once (cached under bench/data/, as .xlsx and as CSV),
measures every way in fresh processes, checks that all ways compute the same metrics
for every unit, prints the table and writes bench/results.md. ``--quick`` does the same
on the small demo scale with one repetition (the smoke test uses it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench import ladder, ladder_report
from bench.compare import compare_all
from bench.harness import (
    BENCH_DIR,
    PROJECT,
    Way,
    data_is_stale,
    ensure_data,
    machine,
    run_interleaved,
    run_way,
    store_has,
)
from bench.report import render


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="small scale, one repetition, no toolkit run/PDF (the smoke test)")
    p.add_argument("--year", type=int, default=2022)
    p.add_argument("--scale", choices=("small", "demo", "province"), default=None,
                   help="data scale (default: province; small with --quick)")
    p.add_argument("--reps", type=int, default=None, help="repetitions of the fast ways (5)")
    p.add_argument("--slow-reps", type=int, default=None,
                   help="repetitions of the plain openpyxl read (1)")
    p.add_argument("--run-reps", type=int, default=None, help="repetitions of toolkit run (2)")
    p.add_argument("--with-run", action="store_true", help="with --quick: measure toolkit run too")
    p.add_argument("--skip-run", action="store_true", help="do not measure toolkit run / PDF")
    p.add_argument("--skip-plain-xlsx", action="store_true",
                   help="do not measure the slow plain openpyxl read")
    p.add_argument("--regenerate", action="store_true",
                   help="generate the data sets again (they are kept under --data-root)")
    p.add_argument("--data-root", type=Path, default=BENCH_DIR / "data",
                   help="where generated data sets are cached (default bench/data)")
    p.add_argument("--work", type=Path, default=None,
                   help="scratch folder for caches, reports and metric frames (default: temporary)")
    p.add_argument("--results", type=Path, default=None,
                   help="the Markdown file written (default bench/results.md; none with --quick)")
    p.add_argument("--ladder", default=os.environ.get("LADDER") or None,
                   help="the ladder's rungs, copies of the year (default $LADDER or 1,3,10; "
                        "1,2 with --quick); 'none' for no ladder")
    p.add_argument("--ladder-only", action="store_true",
                   help="measure the ladder only (not the ways of the province year)")
    return p.parse_args(argv)


def main(argv=None) -> int:
    a = parse_args(argv)
    scale = a.scale or ("small" if a.quick else "province")
    reps = a.reps or (1 if a.quick else 5)
    slow_reps = a.slow_reps or 1
    run_reps = a.run_reps or (1 if a.quick else 2)
    results = a.results or (None if a.quick else BENCH_DIR / "results.md")
    measure_run = (a.with_run or not a.quick) and not a.skip_run
    started = time.perf_counter()
    load_start = os.getloadavg()

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    tmp = None
    if a.work is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-")
        work = Path(tmp.name)
    else:
        work = a.work
        work.mkdir(parents=True, exist_ok=True)
    # Every way measures the same toolkit: a snapshot of the package taken now (others may
    # edit toolkit/ meanwhile, and a changed ingest module would also change the cache key).
    snapshot = work / "src"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(PROJECT / "toolkit", snapshot / "toolkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # the source tree's notebooks sit beside the package (toolkit.paths.notebooks_dir)
    shutil.copytree(PROJECT / "notebooks", snapshot / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(snapshot), str(PROJECT), env.get("PYTHONPATH", "")]
                                        ).rstrip(os.pathsep)
    env["TOOLKIT_HOME"] = str(PROJECT)  # rules/, notebooks/ of the project
    env.setdefault("PYTHONHASHSEED", "0")

    log(f"bench: data ({scale} scale, {a.year}) under {a.data_root}")
    generated = {}
    stale: list[str] = []
    dirs = {}
    for fmt in ("xlsx", "csv"):
        dirs[fmt], secs = ensure_data(a.data_root, a.year, scale, fmt, env, a.regenerate)
        if secs is not None:
            generated[fmt] = secs
            log(f"  generated {dirs[fmt]} in {secs:.0f} s")
        elif data_is_stale(dirs[fmt]):
            stale.append(fmt)
            log(f"  warning: {dirs[fmt]} was written by another version of toolkit/demo/ "
                "(use --regenerate)")

    metrics_dir = work / "metrics"
    metrics_dir.mkdir(exist_ok=True)
    envs = {}
    for fmt in ("xlsx", "csv"):
        e = dict(env)
        e["TOOLKIT_CACHE_DIR"] = str(work / "cache" / fmt)
        envs[fmt] = e

    py = [sys.executable, "-m", "bench.worker"]
    y = ["--year", str(a.year)]
    X, C = str(dirs["xlsx"]), str(dirs["csv"])
    ways: dict[str, Way] = {}
    run_stages: dict = {}

    def measure(way: Way, fmt: str = "xlsx") -> Way:
        ways[way.key] = way
        log(f"bench: {way.label}")
        run_way(way, envs[fmt], metrics_dir, log, cwd=work)  # not PROJECT: see the snapshot
        return way

    def measure_pair(toolkit: Way, limit: Way, fmt: str = "xlsx") -> None:
        """A toolkit way and its limit, repetitions in turns (see run_interleaved)."""
        ways[toolkit.key], ways[limit.key] = toolkit, limit
        log(f"bench: {toolkit.label} | {limit.label} (in turns)")
        run_interleaved([(toolkit, envs[fmt]), (limit, envs[fmt])], metrics_dir, log, cwd=work)

    if not a.ladder_only:
        run_stages = measure_ways(a, measure, measure_pair, py, y, X, C, reps, slow_reps,
                                  run_reps, measure_run, work, envs, metrics_dir, log)
    rungs = []
    if (a.ladder or "").lower() != "none":
        ladder_metrics = work / "ladder-metrics"
        ladder_metrics.mkdir(exist_ok=True)
        rungs = ladder.measure(ladder.parse(a.ladder, "1,2" if a.quick else "1,3,10"),
                               dirs["csv"], a.data_root, work, env, py, a.year, ladder_metrics,
                               log, reps={1: 1, 2: 1} if a.quick else None)

    frames = {p.stem: pd.read_parquet(p) for p in sorted(metrics_dir.glob("*.parquet"))}
    reference = "limit_csv" if "limit_csv" in frames else next(iter(frames), None)
    agreement = compare_all(frames, reference) if reference else {}
    info = machine()
    info["scale"] = scale
    info["reps"] = reps
    info["run_stages"] = run_stages
    info["data"] = {fmt: str(d) for fmt, d in dirs.items()}
    # what the .xlsx set really holds: a table over a worksheet's rows is a CSV there too
    info["xlsx_files"] = sorted((p.name, p.stat().st_size) for p in dirs["xlsx"].iterdir()
                                if p.suffix.lower() in (".xlsx", ".csv"))
    info["generated"] = generated
    info["stale"] = stale
    info["elapsed"] = time.perf_counter() - started
    info["load"] = (load_start, os.getloadavg())
    text, ok = render(ways, agreement, reference, info, frames)
    if rungs:
        ladder_frames = {p.stem: pd.read_parquet(p)
                         for p in sorted((work / "ladder-metrics").glob("*.parquet"))}
        lines, ladder_ok = ladder_report.render(rungs, ladder_report.agreement(rungs, ladder_frames))
        text += "\n".join(lines) + "\n"
        ok = ok and ladder_ok
    print(text)
    if results:
        results.write_text(text, encoding="utf-8")
        log(f"bench: wrote {results}")
    if tmp is not None:
        tmp.cleanup()
    return 0 if ok else 1


def measure_ways(a, measure, measure_pair, py, y, X, C, reps, slow_reps, run_reps,  # noqa: N803
                 measure_run, work, envs, metrics_dir, log) -> dict:
    """The ways of the province year (the main table); returns the run's stage times."""
    run_stages: dict = {}
    measure_pair(Way("toolkit_cold_xlsx", "toolkit cold load (.xlsx)",
                     py + ["toolkit_cold", "--data", X] + y, reps, "load", metrics=True),
                 Way("limit_xlsx", "limit: fastexcel read + DuckDB query (.xlsx)",
                     py + ["limit", "--data", X] + y, reps, "total", metrics=True))
    measure_pair(Way("toolkit_cold_csv", "toolkit cold load (CSV)",
                     py + ["toolkit_cold", "--data", C] + y, reps, "load", metrics=True),
                 Way("limit_csv", "limit: pyarrow read + DuckDB query (CSV)",
                     py + ["limit", "--data", C] + y, reps, "total", metrics=True), "csv")
    store = work / "cache" / "xlsx"
    if not store_has(store, a.year):  # the cold loads failed or wrote no store: fill it once
        log("bench: filling the store")
        run_way(Way("prime", "prime", py + ["toolkit_cold", "--data", X] + y, 1, "load"),
                envs["xlsx"], metrics_dir, log, cwd=work)
    warm = Way("toolkit_warm", "toolkit warm load + evaluate",
               py + ["toolkit_warm", "--data", X] + y, reps, "load+evaluate", metrics=True)
    if store_has(store, a.year):
        measure_pair(warm, Way("limit_parquet", "limit: the same query on the store's Parquet",
                               py + ["limit_parquet", "--store", str(store)] + y,
                               reps, "query", metrics=True))
    else:
        measure(warm)
    measure(Way("plain_csv", "plain: read_csv + groupby",
                py + ["plain", "--data", C] + y, reps, "total", metrics=True), "csv")
    if not a.skip_plain_xlsx:
        measure(Way("plain_xlsx", "plain: read_excel(openpyxl) + groupby",
                    py + ["plain", "--data", X] + y, slow_reps, "total", metrics=True))
    if measure_run:
        out = work / "report"
        measure(Way("toolkit_run", "toolkit run, warm, HTML",
                    [sys.executable, "-m", "toolkit", "-q", "run", "--year", str(a.year),
                     "--data-dir", X, "--out", str(out), "--format", "html"],
                    run_reps, "wall"))
        try:  # the run's own stage timings (last repetition), for the note
            import json

            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            run_stages = manifest.get("stages_s", {})
        except (OSError, ValueError):
            pass
        html = out / "evaluation.html"
        if html.is_file():
            measure(Way("toolkit_pdf", "PDF rendering alone",
                        py + ["pdf", "--html", str(html)] + y, 1, "pdf"))

    return run_stages


if __name__ == "__main__":
    sys.exit(main())

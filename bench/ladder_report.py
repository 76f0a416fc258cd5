"""The ladder's section of bench/results.md: time and peak memory per rung, how they
grow, the issue's targets and the agreement of every way on every rung."""

from __future__ import annotations

from bench.compare import compare_all
from bench.report import _mb, _ok, _s, _x

#: the targets' bounds
COLD_LIMIT = 2.0  # 10x cold load + evaluate / DuckDB reading the CSVs
MEMORY_MB = 4 * 1000**3 / 2**20  # 4 GB
WARM_LIMIT = 1.2  # province warm load + evaluate / the same query on the store
WARM_SECONDS = 1.0

_WAYS = (("toolkit_cold", "toolkit cold load + evaluate (CSV, `use_cache=False`)"),
         ("limit_csv", "limit: DuckDB reads the CSVs (`read_csv`) + SQL clean and metrics"),
         ("toolkit_warm", "toolkit warm load + evaluate (store)"),
         ("limit_parquet", "limit: the same metric query on the store's Parquet"))


def agreement(rungs, frames: dict) -> dict[int, dict]:
    """Per rung, every way's metrics against the rung's DuckDB-on-CSV limit."""
    out = {}
    for r in rungs:
        mine = {k.removeprefix(f"ladder{r.x}_"): f for k, f in frames.items()
                if k.startswith(f"ladder{r.x}_")}
        if "limit_csv" in mine:
            out[r.x] = compare_all(mine, "limit_csv")
    return out


def render(rungs, agree: dict[int, dict]) -> tuple[list[str], bool]:
    if not rungs:
        return [], True
    first, last = rungs[0], rungs[-1]

    def way(r, name):
        return r.ways.get(f"ladder{r.x}_{name}")

    def med(r, name):
        w = way(r, name)
        return w.median() if w else None

    def peak(r, name):
        w = way(r, name)
        return w.peak_mb() if w and w.samples else None

    lines = ["", f"## Ladder: {', '.join(f'{r.x}x' for r in rungs)} the year", "",
             "Copies of the province year (CSV), every order, trainee, refund and complaint id "
             "distinct per copy (`bench/ladder.py`); "
             + ", ".join(f"{r.x}x: {r.bytes / 2**20:,.0f} MiB" for r in rungs)
             + ". Each way in fresh processes, a toolkit way and its limit in turns; growth is "
             f"the value at a rung over the value at {first.x}x, divided by the rung's factor "
             "(1.00 = linear, below 1 = better than linear).", "",
             "| rung | way | reps | median s | peak RSS MiB | time growth per x | "
             "memory growth per x |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rungs:
        f = r.x / first.x
        for name, label in _WAYS:
            w = way(r, name)
            if w is None:
                continue
            t, m = med(r, name), peak(r, name)
            t1, m1 = med(first, name), peak(first, name)
            tg = t / t1 / f if t and t1 and r is not first else None
            mg = m / m1 / f if m and m1 and r is not first else None
            note = f" FAILED: {w.error}" if w.error else ""
            lines.append(f"| {r.x}x | {label}{note} | {len(w.times())} | {_s(t)} | {_mb(m)} | "
                         f"{'–' if tg is None else f'{tg:.2f}'} | "
                         f"{'–' if mg is None else f'{mg:.2f}'} |")

    def ratio(r, a, b):
        x, y = med(r, a), med(r, b)
        return x / y if x and y else None

    cold_ratio = ratio(last, "toolkit_cold", "limit_csv")
    warm_ratio = ratio(first, "toolkit_warm", "limit_parquet")
    warm_s = med(first, "toolkit_warm")
    cold_peak = peak(last, "toolkit_cold")
    growth = []
    for name in ("toolkit_cold", "toolkit_warm"):
        for kind, get in (("time", med), ("memory", peak)):
            a, b = get(first, name), get(last, name)
            if a and b and last is not first:
                growth.append((f"{name.replace('_', ' ')} {kind}", b / a, last.x / first.x))
    lines += ["", "### Targets of the ladder", "", "| target | measured | met |", "|---|---:|---|",
              f"| {last.x}x from CSV: toolkit cold load + evaluate within {COLD_LIMIT:g}× of "
              f"DuckDB reading the same files | {_x(cold_ratio)} "
              f"({_s(med(last, 'toolkit_cold'))} s vs {_s(med(last, 'limit_csv'))} s) | "
              f"{_ok(cold_ratio, '<=', COLD_LIMIT) if last.x == 10 else 'not measured at 10x'} |",
              f"| {last.x}x from CSV: toolkit peak memory under 4 GB | {_mb(cold_peak)} MiB | "
              f"{_ok(cold_peak, '<', MEMORY_MB) if last.x == 10 else 'not measured at 10x'} |",
              f"| province ({first.x}x) warm load + evaluate within {WARM_LIMIT:g}× of the same "
              f"query on the store's Parquet | {_x(warm_ratio)} ({_s(warm_s)} s vs "
              f"{_s(med(first, 'limit_parquet'))} s) | {_ok(warm_ratio, '<=', WARM_LIMIT)} |",
              f"| province ({first.x}x) warm load + evaluate under {WARM_SECONDS:g} s | "
              f"{_s(warm_s)} s | {_ok(warm_s, '<', WARM_SECONDS)} |"]
    for label, g, f in growth:
        lines.append(f"| {label} grows at most linearly, {first.x}x to {last.x}x | "
                     f"{g:.2f}× for {f:g}× the data | {_ok(g, '<=', f)} |")
    ok = True
    lines += ["", "### Agreement on every rung", "",
              "Reference: the rung's `limit_csv` (DuckDB reading the CSVs); as in the agreement "
              "above (money in fen, ratios to 1e-9).", "",
              "| rung | way | units | values | mismatches | agrees |", "|---|---|---:|---:|---:|---|"]
    for x, table in agree.items():
        for k, r in table.items():
            ok = ok and r["agree"]
            lines.append(f"| {x}x | {k} | {r['units']} | {r['values']} | {r['mismatches']} | "
                         f"{'yes' if r['agree'] else '**NO**'} |")
        for k, r in table.items():
            lines += [f"- {x}x {k}: {e}" for e in r["examples"]]
    failed = [w.key for r in rungs for w in r.ways.values() if w.error]
    return lines, ok and not failed and len(agree) == len(rungs)

"""``python -m bench.parsers`` (``make bench-parsers``): typing one column of a million
cells, the general parser against the fast path, in the same process and run.

Columns: times in the demo data's seven notations and mix (with a few unreadable
cells), amounts in the common forms with nearly every value distinct (so parsing once
per distinct value buys nothing), and amounts as the demo writes them (few distinct
values). Each is typed by the general parser (``datetimes_general``,
``amount_fen_general``) and by the fast path (``datetimes``, ``amount_fen``), the two
results checked equal cell for cell, and the best of ``--reps`` printed with the ratio
and the load average (a shared machine inflates both sides alike).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from toolkit.demo.cells import fmt_times
from toolkit.ingest.amounts import amount_fen, amount_fen_general
from toolkit.ingest.dates import datetimes, datetimes_general

#: the demo data's shares of its seven time notations (toolkit.demo.cells.fmt_times)
TIME_FORMS = (0.55, 0.12, 0.07, 0.09, 0.10, 0.02, 0.05)


def columns(n: int, seed: int = 26) -> dict[str, pd.Series]:
    """The generated columns, by name."""
    rng = np.random.default_rng(seed)
    t = pd.Series(np.datetime64("2022-01-01T00:00:00")
                  + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]"))
    times = fmt_times(t, rng.choice(len(TIME_FORMS), size=n, p=TIME_FORMS))
    bad = rng.random(n) < 0.01
    times[bad] = rng.choice(["", "明天", "2022-13-45", "2022年2月30日 14时05分"], int(bad.sum()))
    fen = rng.integers(100, 10_000_000, n)
    yuan, cents = fen // 100, fen % 100
    forms = rng.integers(0, 3, n)
    distinct = np.where(forms == 0, [f"{y}.{c:02d}" for y, c in zip(yuan, cents, strict=True)],
                        np.where(forms == 1, [f"{y:,}.{c:02d}" for y, c in zip(yuan, cents, strict=True)],
                                 [f"¥{y:,}.{c:02d}" for y, c in zip(yuan, cents, strict=True)]))
    few = rng.choice(["180", "180元", "180.00", "¥180", "￥180", "１８０", "360"], n)
    return {"times (7 notations)": pd.Series(times, dtype=object),
            "amounts (distinct)": pd.Series(distinct, dtype=object),
            "amounts (few distinct)": pd.Series(few, dtype=object)}


PATHS = {"times (7 notations)": (datetimes_general, datetimes),
         "amounts (distinct)": (amount_fen_general, amount_fen),
         "amounts (few distinct)": (amount_fen_general, amount_fen)}


def _best(func, s: pd.Series, reps: int) -> tuple[float, pd.Series]:
    best, out = float("inf"), None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = func(s)
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.parsers", description=__doc__.split("\n\n")[0])
    p.add_argument("--cells", type=int, default=1_000_000, help="cells per column (1,000,000)")
    p.add_argument("--reps", type=int, default=3, help="repetitions, best kept (3)")
    a = p.parse_args(argv)
    print(f"{a.cells:,} cells a column, best of {a.reps}; load average {os.getloadavg()[0]:.1f}")
    print("| column | general parser | fast path | ratio | same cells |")
    print("|---|---:|---:|---:|---|")
    same_all = True
    for name, s in columns(a.cells).items():
        general, fast = PATHS[name]
        tg, g = _best(general, s, a.reps)
        tf, f = _best(fast, s, a.reps)
        same = g.equals(f)
        same_all &= same
        print(f"| {name} | {tg:.2f} s | {tf:.2f} s | {tg / tf:.1f}× | {'yes' if same else 'NO'} |",
              flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0 if same_all else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m bench.years`` (``make bench-years``): five years of the demo data through
``toolkit run --years``, then the same command again with nothing changed.

The issue's targets (this machine): the first run, HTML and PDF included, under 3
minutes; the second under 20 s. Printed with met / not met, with the load average, since
a shared machine inflates both. The synthetic rules of the other years are
``rules/2022.yaml`` with its dates moved (as ``make demo-years`` writes them): not policy.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import PROJECT
from toolkit.demo import write_demo_data

TARGETS = {"first": 180.0, "second": 20.0}  # seconds


def derived_rules(year: int) -> str:
    """rules/2022.yaml with every date and year moved to ``year`` (synthetic)."""
    text = (PROJECT / "rules" / "2022.yaml").read_text(encoding="utf-8")
    text = text.replace("2023-03-07", f"{year + 1}-03-07").replace("2022-", f"{year}-")
    text = re.sub(r"^year: 2022$", f"year: {year}", text, flags=re.M)
    return text.replace("2022年", f"{year}年")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.years", description=__doc__.split("\n\n")[0])
    p.add_argument("--years", default="2018-2022", help="the span (default 2018-2022)")
    p.add_argument("--scale", default="demo", choices=("small", "demo"), help="data scale (default demo)")
    p.add_argument("--work", type=Path, default=None, help="scratch folder (default: temporary)")
    a = p.parse_args(argv)
    first, last = (int(x) for x in a.years.split("-"))
    work = a.work or Path(tempfile.mkdtemp(prefix="bench-years-"))
    py = sys.executable
    env = {**os.environ, "TOOLKIT_CACHE_DIR": str(work / "store")}
    (work / "rules").mkdir(parents=True, exist_ok=True)
    for y in range(first, last + 1):
        if not (work / "data" / str(y)).is_dir():
            write_demo_data(y, work / "data" / str(y), scale=a.scale)
        (work / "rules" / f"{y}.yaml").write_text(derived_rules(y), encoding="utf-8")
    argv_run = [py, "-m", "toolkit", "-q", "run", "--years", a.years, "--data-dir", str(work / "data"),
                "--rules", str(work / "rules"), "--out", str(work / "reports")]
    times = {}
    for name in ("first", "second"):
        t0 = time.monotonic()
        proc = subprocess.run(argv_run, capture_output=True, text=True, env=env, cwd=work)
        times[name] = time.monotonic() - t0
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return proc.returncode
    load = os.getloadavg()
    print(f"{last - first + 1} years ({a.years}, {a.scale} scale), HTML and PDF, load average "
          f"{load[0]:.1f}; work folder {work}")
    print("| run | time | target | |\n|---|---:|---:|---|")
    for name, target in TARGETS.items():
        met = "met" if times[name] < target else "not met"
        print(f"| {name} | {times[name]:.1f} s | < {target:.0f} s | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

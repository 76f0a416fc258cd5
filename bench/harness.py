"""The benchmark run: data, the measured ways (each repetition in a fresh process),
the agreement check, the table and ``bench/results.md``."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent
MARK = "BENCH-RESULT "
GIB = 1024


# --- running one process ---------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    rss_mb: float  # ru_maxrss of the process tree (largest single process), MiB
    tree_mb: float  # largest sampled sum of RSS over the process and its descendants
    result: dict | None
    returncode: int
    stderr: str


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0


def spawn(cmd: list[str], env: dict, *, cwd: Path = PROJECT, timeout: float = 3600) -> Sample:
    """Run ``cmd``; wall time, peak RSS (wait4) and the sampled tree RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        deadline = t0 + timeout
        while True:  # os.wait4 gives this child's own rusage (not the sum of all children)
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        done.set()
        th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    result = None
    for line in stdout.splitlines():
        if line.startswith(MARK):
            result = json.loads(line[len(MARK):])
    return Sample(wall, ru.ru_maxrss / 1024, peak[0] / 2**20, result, proc.returncode, stderr)


# --- data ----------------------------------------------------------------------------------


def ensure_data(root: Path, year: int, scale: str, fmt: str, env: dict,
                regenerate: bool = False) -> tuple[Path, float | None]:
    """The cached data set ``<root>/<scale>-<year>-<fmt>``, generated once by
    ``toolkit demo-data`` (again with ``regenerate``); returns (folder, seconds spent
    generating or None). ``.complete`` holds the generator's hash (see data_is_stale)."""
    d = root / f"{scale}-{year}-{fmt}"
    stamp = generator_hash()
    if (d / ".complete").is_file() and not regenerate:
        return d, None
    tmp = root / f".{d.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if scale in ("demo", "province"):
        cmd = [sys.executable, "-m", "toolkit", "-q", "demo-data", "--year", str(year), "--scale",
               scale, "--format", fmt, "--out", str(tmp)]
    else:  # a scale the command line does not offer (the quick run's "small")
        cmd = [sys.executable, "-c", "import sys; from toolkit.demo import write_demo_data; "
               "write_demo_data(int(sys.argv[1]), sys.argv[2], scale=sys.argv[3], fmt=sys.argv[4])",
               str(year), str(tmp), scale, fmt]
    r = subprocess.run(cmd, env=env, cwd=PROJECT, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"bench: data generation failed: {' '.join(cmd)}\n{r.stderr[-3000:]}")
    shutil.rmtree(d, ignore_errors=True)
    tmp.rename(d)
    (d / ".complete").write_text(stamp + "\n")
    return d, time.perf_counter() - t0


def generator_hash() -> str:
    """The data set is regenerated when the generator (or the contract) changes."""
    import hashlib

    h = hashlib.sha256()
    files = sorted((PROJECT / "toolkit" / "demo").glob("*.py")) + [PROJECT / "toolkit" / "ingest" / "contract.py"]
    for p in files:  # a file that is not there is an error, not a constant hash
        h.update(p.relative_to(PROJECT).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def data_is_stale(d: Path) -> bool:
    """The generator changed since the data set was written."""
    try:
        return (d / ".complete").read_text().strip() != generator_hash()
    except OSError:
        return True


def data_summary(d: Path) -> dict[str, int]:
    """Bytes of the input folder and rows of the largest table files (cheap: CSV only)."""
    files = [p for p in d.iterdir() if p.is_file() and not p.name.startswith(".")]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


# --- the ways ------------------------------------------------------------------------------


@dataclass
class Way:
    key: str
    label: str
    cmd: list[str]
    reps: int
    stage: str  # the timing reported in the table (key of the worker's times, or "wall")
    metrics: bool = False  # writes a metric frame (first repetition)
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    def times(self, stage: str | None = None) -> list[float]:
        s = stage or self.stage
        if s == "wall":
            return [x.wall for x in self.samples if x.returncode == 0]
        return [x.result["times"][s] for x in self.samples
                if x.result and s in x.result.get("times", {})]

    def median(self, stage: str | None = None) -> float | None:
        ts = self.times(stage)
        return statistics.median(ts) if ts else None

    def peak_mb(self) -> float | None:
        vals = []
        for x in self.samples:
            if x.result and "peak_rss_mb" in x.result and self.stage != "wall":
                vals.append(x.result["peak_rss_mb"])
            else:
                vals.append(max(x.rss_mb, x.tree_mb))
        return max(vals) if vals else None


LONG = 60.0  # seconds: a way whose repetition takes longer gets at most 2 (keeps the run short)


def run_way(way: Way, env: dict, metrics_dir: Path, log, cwd: Path = PROJECT) -> None:
    """Every repetition of one way, one after the other."""
    run_interleaved([(way, env)], metrics_dir, log, cwd)


def run_interleaved(pairs: list[tuple[Way, dict]], metrics_dir: Path, log,
                    cwd: Path = PROJECT) -> None:
    """The repetitions of several ways in turns (a, b, a, b, ...): a way and the limit it
    is compared with then see the same drift of a shared machine's speed. A way stops
    after a failure, or after two repetitions of over ``LONG`` seconds each."""
    active = list(pairs)
    for i in range(max(w.reps for w, _ in pairs)):
        for way, env in list(active):
            if i >= way.reps or not _run_rep(way, i, env, metrics_dir, log, cwd):
                active.remove((way, env))
        if not active:
            break


def _run_rep(way: Way, i: int, env: dict, metrics_dir: Path, log, cwd: Path) -> bool:
    """Repetition ``i`` of ``way``; False when the way is to stop."""
    if i >= 2 and way.samples and min(x.wall for x in way.samples) > LONG:
        log(f"  {way.key}: {i} repetitions (each over {LONG:.0f} s)")
        return False
    cmd = list(way.cmd)
    if way.metrics and i == 0:
        cmd += ["--metrics-out", str(metrics_dir / f"{way.key}.parquet")]
    s = spawn(cmd, env, cwd=cwd)
    way.samples.append(s)
    if s.returncode != 0 or (way.stage != "wall" and s.result is None):
        way.error = (s.stderr.strip().splitlines() or ["(no message)"])[-1][:300]
        log(f"  {way.key}: FAILED ({way.error})")
        tail = "\n".join(s.stderr.strip().splitlines()[-15:])
        log("    " + tail.replace("\n", "\n    "))
        return False
    t = way.times()[-1] if way.times() else s.wall
    log(f"  {way.key} [{i + 1}/{way.reps}]: {t:.2f} s, peak {way.peak_mb():.0f} MiB")
    return True


def store_has(store: Path, year: int, province: str = "hunan") -> bool:
    """Whether the toolkit's store holds the (year, province) partition."""
    return (store / "meta" / f"year={year}" / f"province={province}" / "meta.json").is_file()


# --- the machine -----------------------------------------------------------------------


def machine() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except ImportError:
        pass
    libs = {}
    for name in ("pandas", "numpy", "pyarrow", "duckdb", "fastexcel", "python-calamine",
                 "openpyxl", "weasyprint", "papermill", "hnou-training-awards"):
        try:
            libs[name] = version(name)
        except PackageNotFoundError:
            libs[name] = "-"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT,
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "toolkit"], cwd=PROJECT,
                           capture_output=True, text=True).stdout.split("\n")
    dirty = [x for x in dirty if x.strip()]
    if dirty:
        commit += f" + {len(dirty)} uncommitted change(s) under toolkit/"
    return {
        "machine": f"{cpu}, {os.cpu_count()} cores, {mem} RAM, {platform.system()} "
                   f"{platform.release()}",
        "python": platform.python_version(),
        "libraries": ", ".join(f"{k} {v}" for k, v in libs.items()),
        "commit": commit,
    }

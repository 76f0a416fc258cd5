"""The ladder: 1x, 3x, 10x the province set (copies of the generated year, every order,
trainee, refund and complaint id made distinct per copy, written as CSV), each measured
cold and warm beside its limits (DuckDB reading the same CSVs itself; the same query on
the store's Parquet), with how time and memory grow.

Copy ``k`` (from 1) writes an id made of digits as ``k`` followed by it (an id of
digits stays one, so it is still hashed as an integer), any other id as ``K<k>-``
followed by it; copy 0 is the year as generated. The small tables (units, contracts,
targets, teams, nominations, rsvp) are written once.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from bench.harness import Way, generator_hash, run_interleaved
from bench.limit import csv_header

#: the tables whose rows are copied, and their id columns (canonical names)
ROW_TABLES = {
    "staff_registrations": ("trainee_id",),
    "staff_payments": ("order_id", "trainee_id"),
    "staff_refunds": ("refund_id", "order_id"),
    "professional_enrollments": ("order_id", "trainee_id"),
    "professional_refunds": ("refund_id", "order_id"),
    "complaints": ("complaint_id",),
}
LADDER_VERSION = "1"
#: repetitions per rung (a 10x repetition takes minutes)
REPS = {1: 3, 3: 2}


def parse(text: str | None, default: str = "1,3,10") -> list[int]:
    """``"1,3,10"`` -> [1, 3, 10] (each a whole number from 1 to 10)."""
    rungs = sorted({int(x) for x in (text or default).split(",") if x.strip()})
    if not rungs or rungs[0] < 1 or rungs[-1] > 10:
        raise SystemExit(f"bench: a ladder of 1 to 10 copies, not {text!r}")
    return rungs


def _distinct(col: pa.ChunkedArray, k: int) -> pa.ChunkedArray:
    digits = pc.utf8_is_digit(pc.utf8_trim_whitespace(col))
    as_digits = pc.binary_join_element_wise(str(k), pc.utf8_trim_whitespace(col), "")
    other = pc.binary_join_element_wise(f"K{k}-", col, "")
    return pc.if_else(digits, as_digits, other)


def write_copies(src: Path, out: Path, n: int) -> float:
    """``out``: ``src`` with the row tables ``n`` times (see the module docstring); the
    seconds spent. Kept until the generated year or this module's scheme changes."""
    stamp = f"{generator_hash()} {LADDER_VERSION} {n}"
    if (out / ".complete").is_file() and (out / ".complete").read_text().strip() == stamp:
        return 0.0
    t0 = time.perf_counter()
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for path, table in _all_files(src):
        target = tmp / path.name
        if table not in ROW_TABLES or n == 1:
            shutil.copyfile(path, target)
            continue
        h, names, encoding = csv_header(path, table)
        with open(path, "rb") as f:
            head = b"".join(f.readline() for _ in range(h + 1))
        data = pcsv.read_csv(path, read_options=pcsv.ReadOptions(
            encoding=encoding, skip_rows=h + 1, column_names=names),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(column_types={c: pa.string() for c in names},
                                                strings_can_be_null=True))
        with open(target, "wb") as f:
            f.write(head)
            for k in range(n):
                copy = data
                for c in ROW_TABLES[table]:
                    if k and c in names:
                        i = names.index(c)
                        copy = copy.set_column(i, c, _distinct(copy.column(i), k))
                pcsv.write_csv(copy, f, pcsv.WriteOptions(include_header=False))
    (tmp / ".complete").write_text(stamp + "\n")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return time.perf_counter() - t0


def _all_files(src: Path) -> list[tuple[Path, str | None]]:
    from toolkit.ingest.contract import table_for_stem

    return [(p, table_for_stem(p.stem)) for p in sorted(src.iterdir())
            if p.is_file() and not p.name.startswith(".")]


@dataclass
class Rung:
    x: int
    data: Path
    bytes: int
    ways: dict[str, Way] = field(default_factory=dict)


def measure(rungs: list[int], src: Path, root: Path, work: Path, env: dict, py: list[str],
            year: int, metrics_dir: Path, log, reps: dict | None = None) -> list[Rung]:
    """Every rung: its data, then cold (toolkit | DuckDB on the CSVs) and warm (toolkit |
    the same query on the store) in turns; each way's metric frame for the agreement."""
    out = []
    for x in rungs:
        d = root / f"ladder-{src.name}-{x}x"
        secs = write_copies(src, d, x)
        if secs:
            log(f"bench ladder: wrote {d} in {secs:.0f} s")
        size = sum(p.stat().st_size for p in d.iterdir() if p.is_file())
        rung = Rung(x, d, size)
        n = (reps or REPS).get(x, 1)
        e = dict(env)
        store = work / f"ladder-store-{x}x"
        e["TOOLKIT_CACHE_DIR"] = str(store)
        y = ["--year", str(year)]
        cold = Way(f"ladder{x}_toolkit_cold", f"{x}x toolkit cold load + evaluate (CSV)",
                   py + ["toolkit_cold_eval", "--data", str(d)] + y, n, "load+evaluate", True)
        limit = Way(f"ladder{x}_limit_csv", f"{x}x limit: DuckDB reads the CSVs + query",
                    py + ["limit_duckdb_csv", "--data", str(d)] + y, n, "total", True)
        warm = Way(f"ladder{x}_toolkit_warm", f"{x}x toolkit warm load + evaluate",
                   py + ["toolkit_warm", "--data", str(d)] + y, n, "load+evaluate", True)
        pq = Way(f"ladder{x}_limit_parquet", f"{x}x limit: the same query on the store",
                 py + ["limit_parquet", "--store", str(store)] + y, n, "query", True)
        for a, b in ((cold, limit), (warm, pq)):
            rung.ways[a.key], rung.ways[b.key] = a, b
            log(f"bench ladder: {a.label} | {b.label} (in turns)")
            run_interleaved([(a, e), (b, e)], metrics_dir, log, cwd=work)
        out.append(rung)
    return out

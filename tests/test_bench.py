"""Smoke test of the benchmark harness (``python -m bench --quick``): it runs, every way
computes the same metrics for every unit, and it writes the table. No timing is
asserted: the figures depend on the machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("duckdb")
pytest.importorskip("fastexcel")


def test_quick_bench_runs_and_ways_agree(tmp_path):
    results = tmp_path / "results.md"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--data-root", str(tmp_path / "data"),
         "--work", str(tmp_path / "work"), "--results", str(results)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = results.read_text(encoding="utf-8")
    assert "| way | reps | median s |" in text
    assert "**NO**" not in text and "FAILED" not in text
    agreement, ladder = text.split("## Agreement", 1)[1].split("## Ladder", 1)
    for way in ("plain_csv", "plain_xlsx", "limit_xlsx", "limit_parquet", "toolkit_cold_xlsx",
                "toolkit_cold_csv", "toolkit_warm"):
        assert f"| {way} |" in agreement, way
    assert agreement.count("| yes |") == 7
    # the quick ladder: 1x and 2x the small year, every way agreeing on both rungs
    assert "| 2x | toolkit cold load + evaluate" in ladder
    rung_agreement = ladder.split("### Agreement on every rung", 1)[1]
    rows = [line for line in rung_agreement.splitlines() if line.startswith("| ") and "x |" in line]
    got = {tuple(c.strip() for c in line.strip("|").split("|"))[:2]: line.rstrip().endswith("| yes |")
           for line in rows}
    assert got == {(rung, way): True for rung in ("1x", "2x")
                   for way in ("toolkit_cold", "toolkit_warm", "limit_parquet")}


def test_parser_bench_runs_and_both_paths_agree(capsys):
    from bench import parsers

    assert parsers.main(["--cells", "3000", "--reps", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("| yes |") == 3 and "| NO |" not in out

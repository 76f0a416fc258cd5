"""The multi-year span run once per session (registered in conftest.py) for
tests/test_pipeline_years.py and tests/test_outputs_index*.py: five tiny years with
their own derived rules through ``run_years`` (HTML, PDF, per-unit reports); then the
same again (nothing changed: everything kept); then again after one input file of the
last year changed (only that year recomputed)."""

from __future__ import annotations

import json
import time

import pytest
from years_helpers import write_tiny_span

from toolkit.pipeline.years import run_years

YEARS = (2018, 2019, 2020, 2021, 2022)  # five years: the index's span


def _finished(out) -> dict[int, str]:
    return {y: json.loads((out / str(y) / "manifest.json").read_text(encoding="utf-8"))["finished_at"]
            for y in YEARS}


@pytest.fixture(scope="session")
def years_span(tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    data, rules = write_tiny_span(root, YEARS)
    out = root / "reports"
    kw = dict(data_dir=data, rules=rules, out=out, per_unit=True, progress=False)
    t0 = time.monotonic()
    first = run_years(YEARS, **kw)
    t_first = time.monotonic() - t0
    after_first = _finished(out)
    index_first = (out / "index.html").stat().st_mtime_ns
    t0 = time.monotonic()
    second = run_years(YEARS, **kw)
    t_second = time.monotonic() - t0
    after_second = _finished(out)
    index_second = (out / "index.html").stat().st_mtime_ns
    time.sleep(1.1)  # manifests record times to the second
    targets = data / "2022" / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace("U001,100", "U001,120"), encoding="utf-8")
    third = run_years(YEARS, **kw)
    return {"root": root, "data": data, "rules": rules, "out": out, "first": first, "second": second,
            "third": third, "finished": [after_first, after_second, _finished(out)],
            "index_mtime": [index_first, index_second], "times": (t_first, t_second)}

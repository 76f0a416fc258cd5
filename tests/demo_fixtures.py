"""Fixtures of the demo tests (tests/test_demo_*.py), registered by conftest.py: the demo
year is written once per session and shared by the test modules of every demo module."""

from __future__ import annotations

import time

import pytest
from demo_helpers import YEAR, clear_read_caches, professional_metrics, read_csv, staff_metrics

from toolkit.demo import FORMATS, write_demo_data
from toolkit.demo import write as demo_write


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The demo year written once for the session, with the frames write_demo_data
    generated on the way (so they are not generated a second time here; that they are
    the frames of ``generate_frames(YEAR, "demo")`` is tested in test_demo_records)."""
    out = tmp_path_factory.mktemp("demo") / str(YEAR)
    seen = []
    real = demo_write.generate_frames

    def spy(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo_write, "generate_frames", spy)
        t0 = time.perf_counter()
        write_demo_data(YEAR, out)
        elapsed = time.perf_counter() - t0
    assert len(seen) == 1
    return out, elapsed, seen[0]


@pytest.fixture(scope="session")
def demo(generated):
    return generated[:2]


@pytest.fixture(scope="session")
def frames(generated):
    return generated[2]


@pytest.fixture(scope="session")
def small(tmp_path_factory):
    """The small data set in each format, written once for the session."""
    root = tmp_path_factory.mktemp("small")
    return {fmt: write_demo_data(YEAR, root / fmt, scale="small", fmt=fmt) for fmt in FORMATS}


@pytest.fixture(scope="session")
def sm(frames):
    return staff_metrics(frames)


@pytest.fixture(scope="session")
def pm(frames):
    return professional_metrics(frames)


@pytest.fixture(scope="module")
def payments_text(demo):
    folder, _ = demo
    return read_csv(folder / "缴费明细.csv", "gb18030")


@pytest.fixture(scope="module")
def release_demo_reads():
    """The big files read back are cached for one test module only."""
    yield
    clear_read_caches()

"""LazyTables: a table of a warm year is read once, on first use, from any thread."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from toolkit.clean.model import LazyTables


def test_two_threads_asking_for_a_table_read_it_once():
    calls = []
    gate = threading.Event()

    def load(source):
        calls.append(source)
        gate.wait(1)  # the second thread asks while the first is reading
        return pd.DataFrame({"unit_id": ["U1"]})

    t = LazyTables({"units": load}, {"units": Path("units.parquet")})
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(t.__getitem__, "units")
        time.sleep(0.05)
        second = pool.submit(t.__getitem__, "units")
        time.sleep(0.05)
        gate.set()
        a, b = first.result(), second.result()
    assert len(calls) == 1 and a is b
    assert t.file("units") is None  # read as a frame: the engines now use the frame

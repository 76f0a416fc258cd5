"""The package itself (toolkit/__init__.py): its public names and its process settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# after importing toolkit: the previous state of numpy's hugepage advice (the setter
# returns it), 1 when numpy still advises huge pages
PROBE = ("import toolkit; from numpy._core.multiarray import _set_madvise_hugepage as s; "
         "print(int(s(True)))")


def _probe(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if env_value is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = env_value
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="numpy advises huge pages on Linux only")
def test_importing_toolkit_stops_numpy_hugepage_advice():
    assert _probe(None) == "0"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="numpy advises huge pages on Linux only")
def test_numpy_own_switch_decides_when_set():
    assert _probe("1") == "1"
    assert _probe("0") == "0"


def test_public_names():
    import toolkit

    assert callable(toolkit.load_year) and callable(toolkit.load_rules)
    assert callable(toolkit.evaluate)  # the function, not the module of the same name
    assert issubclass(toolkit.ToolkitError, Exception)

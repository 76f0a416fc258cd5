"""The package itself (toolkit/__init__.py): its public names and the allocator settings
it makes on import (each left to its environment variable when that is set)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# after importing toolkit: the previous state of numpy's hugepage advice (the setter
# returns it), 1 when numpy still advises huge pages
PROBE = ("import toolkit; from numpy._core.multiarray import _set_madvise_hugepage as s; "
         "print(int(s(True)))")


def _run(code: str, variable: str, value: str | None) -> str:
    """What a fresh interpreter prints for ``code``, with ``variable`` set to ``value``
    (or unset)."""
    env = {k: v for k, v in os.environ.items() if k != variable}
    if value is not None:
        env[variable] = value
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def _probe(env_value: str | None) -> str:
    return _run(PROBE, "NUMPY_MADVISE_HUGEPAGE", env_value)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="numpy advises huge pages on Linux only")
def test_importing_toolkit_stops_numpy_hugepage_advice():
    assert _probe(None) == "0"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="numpy advises huge pages on Linux only")
def test_numpy_own_switch_decides_when_set():
    assert _probe("1") == "1"
    assert _probe("0") == "0"


ARROW_PROBE = "import toolkit, pyarrow as pa; print(pa.default_memory_pool().backend_name)"


def _arrow_pool(env_value: str | None) -> str:
    return _run(ARROW_PROBE, "ARROW_DEFAULT_MEMORY_POOL", env_value)


def test_importing_toolkit_makes_pyarrow_use_the_system_allocator():
    assert _arrow_pool(None) == "system"


def test_arrow_own_switch_decides_when_set():
    import pyarrow as pa

    try:
        pa.mimalloc_memory_pool()
    except (NotImplementedError, AttributeError):
        pytest.skip("this pyarrow has no mimalloc")
    assert _arrow_pool("mimalloc") == "mimalloc"


def test_public_names():
    import toolkit

    assert callable(toolkit.load_year) and callable(toolkit.load_rules)
    assert callable(toolkit.evaluate)  # the function, not the module of the same name
    assert issubclass(toolkit.ToolkitError, Exception)

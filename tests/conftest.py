"""Suite-wide settings: tests never write into the project's own ingest cache."""

import os

import pytest

# the demo tests' fixtures: the demo year is written once for all tests/test_demo_*.py
from demo_fixtures import demo, frames, generated, payments_text, pm, release_demo_reads, sm, small  # noqa: F401


@pytest.fixture(autouse=True, scope="session")
def _isolated_ingest_cache(tmp_path_factory):
    # cache.py reads TOOLKIT_CACHE_DIR at call time; subprocesses inherit it.
    old = os.environ.get("TOOLKIT_CACHE_DIR")
    os.environ["TOOLKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("ingest-cache"))
    yield
    if old is None:
        os.environ.pop("TOOLKIT_CACHE_DIR", None)
    else:
        os.environ["TOOLKIT_CACHE_DIR"] = old

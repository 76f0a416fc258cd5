"""Suite-wide settings: tests never write into the project's own ingest cache."""

import os

import pytest


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

"""Suite-wide settings: tests never write into the project's own ingest cache."""

import os

import pytest

# the demo tests' fixtures: the demo year is written once for all tests/test_demo_*.py
from demo_fixtures import demo, frames, generated, payments_text, pm, release_demo_reads, sm, small  # noqa: F401

# the final list's tests: the decided tiny year, screened once
from final_helpers import final_decided, final_year  # noqa: F401

# the governance tests: the tiny year screened and after the governance round, built once
from governance_fixtures import governance_decided, governance_year  # noqa: F401

# the report tests' fixtures: the tiny year and its run context, built once
from report_fixtures import ctx, tiny_year  # noqa: F401

# the multi-year span (years): run once for tests/test_pipeline_years.py and tests/test_outputs_index*.py
from years_fixtures import years_span  # noqa: F401


@pytest.fixture(autouse=True, scope="session")
def _isolated_ingest_cache(tmp_path_factory):
    # clean/store.py reads TOOLKIT_CACHE_DIR at call time; subprocesses inherit it.
    old = os.environ.get("TOOLKIT_CACHE_DIR")
    os.environ["TOOLKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("ingest-cache"))
    yield
    if old is None:
        os.environ.pop("TOOLKIT_CACHE_DIR", None)
    else:
        os.environ["TOOLKIT_CACHE_DIR"] = old


#: the files whose end-to-end runs take longest (a real run, a Spark session, a wheel):
#: run first, so that with two workers (make test: pytest -n 2 --dist loadfile) the
#: long files do not all land at the end of one worker's queue
HEAVY_FIRST = ("test_pipeline_years.py", "test_outputs_index.py", "test_shared_outputs.py", "test_end_to_end.py",
               "test_metrics_spark.py", "test_metrics_spark_cluster.py", "test_cycle_end_to_end.py",
               "test_metrics_store.py", "test_packaging.py", "test_bench.py")

#: test files that share a costly session fixture and so must run on one worker (a
#: session fixture is built once per worker): the multi-year span (about 80 s) serves both
SHARED_SCOPES = {"test_pipeline_years.py": "years-span", "test_outputs_index.py": "years-span"}


def pytest_xdist_make_scheduler(config, log):
    """--dist loadfile, but the files of :data:`SHARED_SCOPES` form one unit of work."""
    from xdist.scheduler import LoadFileScheduling

    class SharedFixtureScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return SHARED_SCOPES.get(scope.rsplit("/", 1)[-1], scope)

    if config.getoption("dist", None) != "loadfile":
        return None
    return SharedFixtureScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(HEAVY_FIRST)))

"""The report tests' shared fixtures (registered in conftest.py): the tiny year written
once, and the run-folder context built from it once, for every tests/test_report_*.py
file a worker runs. The context is read-only in every test."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import run_context, write_tiny_year


@pytest.fixture(scope="session")
def tiny_year(tmp_path_factory) -> Path:
    return write_tiny_year(tmp_path_factory.mktemp("data") / "2022")


@pytest.fixture(scope="session")
def ctx(tiny_year, tmp_path_factory):
    return run_context(tmp_path_factory.mktemp("run") / "2022", tiny_year)

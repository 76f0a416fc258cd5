"""Where a year's inputs, rules and reports live by default.

Relative defaults (``data/<year>``, ``rules/<year>.yaml``, ``reports/<year>``) are
resolved against the current directory first, then against the project root (the
folder holding the ``toolkit`` package), so a notebook executed from ``notebooks/``
and a cron job started elsewhere find the same files.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("TOOLKIT_HOME", PACKAGE_DIR.parent)).resolve()


def resolve(path: str | os.PathLike | None, default: str) -> Path:
    """An explicit path as given; a default first under the cwd, then the project root."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    here = Path(default)
    if here.exists():
        return here
    return PROJECT_ROOT / default


def data_dir(year: int, path=None) -> Path:
    return resolve(path, f"data/{year}")


def rules_file(year: int, path=None) -> Path:
    return resolve(path, f"rules/{year}.yaml")


def reports_dir(year: int, path=None) -> Path:
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    return PROJECT_ROOT / "reports" / str(year) if not Path("reports").exists() else Path("reports") / str(year)

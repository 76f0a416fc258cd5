"""Where a year's inputs, rules and reports live by default, and where the package's own
files (notebooks, default rules) are.

Relative defaults (``data/<year>``, ``rules/<year>.yaml``, ``reports/<year>``) are
resolved against the current directory first, then against the project root (the
folder holding the ``toolkit`` package), so a notebook executed from ``notebooks/``
and a cron job started elsewhere find the same files. A rules file found in neither
place is taken from the rules the package ships (``toolkit/rules/years`` when
installed, ``rules/`` of the source tree), so ``pip install .`` gives a working
``toolkit run`` for the years it ships.

The notebooks and the default rules live at the project root (``notebooks/``,
``rules/``) for the people who read and edit them; pyproject.toml ships them as the
package data ``toolkit/notebooks`` and ``toolkit/rules/years``.
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


def _shipped(installed: Path, source: Path) -> Path:
    """A folder of package data: inside the installed package, else in the source tree."""
    return installed if installed.is_dir() else source


def notebooks_dir() -> Path:
    """The folder of the report notebooks (evaluation.ipynb, unit.ipynb)."""
    return _shipped(PACKAGE_DIR / "notebooks", PACKAGE_DIR.parent / "notebooks")


def shipped_rules_dir() -> Path:
    """The folder of the rules files the package ships (``<year>.yaml``)."""
    return _shipped(PACKAGE_DIR / "rules" / "years", PACKAGE_DIR.parent / "rules")


def rules_file(year: int, path=None) -> Path:
    found = resolve(path, f"rules/{year}.yaml")
    if path is None or str(path) == "":
        if not found.is_file() and (shipped_rules_dir() / f"{year}.yaml").is_file():
            return shipped_rules_dir() / f"{year}.yaml"
    return found


def reports_dir(year: int, path=None) -> Path:
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    return PROJECT_ROOT / "reports" / str(year) if not Path("reports").exists() else Path("reports") / str(year)

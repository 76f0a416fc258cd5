"""The package as pip installs it (not editable): the notebooks, the templates and the
default rules ship inside it, and ``toolkit run`` works from any folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_sub_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "toolkit").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout's files (an in-tree build/ folder of an
    earlier build could otherwise slip stale modules into it)."""
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("wheel")
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.splitlines()
    for f in files:
        if (ROOT / f).is_file() and not f.startswith(("tests/", "bench/", "data/", "reports/")):
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, src / f)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(src)], check=True, capture_output=True, text=True)
    (found,) = out.glob("*.whl")
    return found


def test_the_wheel_ships_notebooks_templates_and_rules(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("toolkit/notebooks/evaluation.ipynb", "toolkit/notebooks/unit.ipynb",
                   "toolkit/notebooks/planning.ipynb", "toolkit/plan/run.py",
                   "toolkit/templates/report/index.html.j2", "toolkit/rules/years/2022.yaml",
                   "toolkit/cli.py", "toolkit/evaluation/evaluate.py",
                   "toolkit/locale/zh_CN/LC_MESSAGES/messages.mo"):  # the terminal's Chinese (docs/messages.md)
        assert needed in names, needed


@pytest.mark.slow
def test_a_non_editable_install_runs_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, text=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("TOOLKIT_HOME", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)  # the installed copy, before the editable one of this checkout
    env["TOOLKIT_CACHE_DIR"] = str(tmp_path / "cache")

    def toolkit(*args):
        return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=600)

    where = subprocess.run([sys.executable, "-c", "import toolkit; print(toolkit.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(site)), where
    made = toolkit("demo-data", "--year", "2022", "--out", str(tmp_path / "d"))
    assert made.returncode == 0, made.stderr
    done = toolkit("run", "--year", "2022", "--data-dir", str(tmp_path / "d"), "--out", str(tmp_path / "o"),
                   "--format", "html")
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "o" / "evaluation.html").stat().st_size > 10_000
    assert (tmp_path / "o" / "evaluation.json").is_file()
    assert not list(elsewhere.iterdir()), "the run wrote into the folder it was started from"

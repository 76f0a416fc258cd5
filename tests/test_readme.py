"""The README's library example runs as written: every ```python block of README.md,
run in a folder holding a small year as data/2022 (the tiny year of the report tests),
with the project's rules/2022.yaml found as a notebook finds it."""

from __future__ import annotations

import re
import shutil

import pandas as pd

from toolkit import paths

README = paths.PROJECT_ROOT / "README.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_the_readme_shows_a_library_example():
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert blocks and all("import" in b for b in blocks)


def test_the_readme_examples_run_as_written(tiny_year, tmp_path, monkeypatch):
    shutil.copytree(tiny_year, tmp_path / "data" / "2022")
    monkeypatch.chdir(tmp_path)  # data/2022 here; rules/2022.yaml from the project
    namespace: dict = {}
    for block in python_blocks(README.read_text(encoding="utf-8")):
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README
    year, ev = namespace["year"], namespace["ev"]
    assert year.data_dir.resolve() == (tmp_path / "data" / "2022").resolve()
    assert year.rules_file == str(paths.rules_file(2022).absolute())
    # read in the rules' period, the nominations name their awards: none is lost
    assert ev.individual and ev.innovation
    assert isinstance(namespace["ledger"], pd.DataFrame) and isinstance(namespace["units"], pd.DataFrame)
    assert set(namespace["counts"]) >= {u.award for u in ev.collective}

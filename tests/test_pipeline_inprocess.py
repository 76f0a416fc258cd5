"""The package's own notebooks run in this process (toolkit.pipeline.inprocess): what the
per-unit reports use instead of a kernel per unit."""

from __future__ import annotations

import nbformat
import pytest

from toolkit.exceptions import RunError
from toolkit.pipeline import notebook
from toolkit.pipeline.inprocess import execute_in_process


def test_the_unit_notebook_shows_its_unit(ctx, tmp_path):
    uid = sorted(ctx.unit_names)[0]
    nb = execute_in_process(notebook.NOTEBOOKS_DIR / "unit.ipynb", tmp_path / "u.ipynb",
                            {"year": ctx.year, "run_dir": str(ctx.out_dir), "unit_id": uid}, stage="units")
    html = "".join(o["data"].get("text/html", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []))
    assert ctx.unit_name(uid) in html and "评估结论" not in html  # headings are markdown cells
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    assert nbformat.read(str(tmp_path / "u.ipynb"), as_version=4).cells[-1].outputs


def test_a_failing_cell_names_the_cell_and_keeps_the_notebook(tmp_path):
    src = tmp_path / "n.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("x + 1"), nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, str(src))
    with pytest.raises(RunError) as err:
        execute_in_process(src, tmp_path / "out.ipynb", {"x": 5}, stage="units (U1)")
    assert "units (U1)" in str(err.value) and "ZeroDivisionError" in str(err.value)
    kept = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    shown = [c for c in kept.cells if c.cell_type == "code" and c.get("outputs")]
    assert shown[0].outputs[0]["data"]["text/plain"] == "6"  # the parameter injected, then used

"""Notebook execution: the kernel, the committed notebooks."""

from __future__ import annotations

import os
import re
import sys

import nbformat
import pytest

from toolkit.pipeline import notebook


def test_kernel_falls_back_to_a_temporary_kernelspec():
    from jupyter_client.kernelspec import KernelSpecManager

    before = os.environ.get("JUPYTER_PATH")
    with notebook.kernel("toolkit-test-missing-kernel") as name:
        spec = KernelSpecManager().get_kernel_spec(name)
        assert spec.argv[0] == sys.executable
        assert notebook.same_interpreter(spec.argv[0])
    assert os.environ.get("JUPYTER_PATH") == before


NOTEBOOKS = [notebook.NOTEBOOKS_DIR / "evaluation.ipynb", notebook.NOTEBOOKS_DIR / "unit.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_committed_clean_with_one_typed_parameters_cell(path):
    from papermill.translators import PythonTranslator

    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is None and c.outputs == [] for c in code)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    params = PythonTranslator.inspect(tagged[0])
    names = {p.name: p for p in params}
    for required in ("year", "run_dir"):
        assert required in names, required
    for p in params:
        assert p.inferred_type_name in ("int", "str", "bool"), p
        assert p.help, f"{p.name} has no inline comment"
    if path.name == "unit.ipynb":
        assert "unit_id" in names
    assert nb.metadata["kernelspec"]["name"] == notebook.KERNEL_NAME
    # no business logic: every other code line calls into toolkit
    for c in code:
        if c is tagged[0]:
            continue
        for line in c.source.splitlines():
            s = line.strip()
            assert not s or s.startswith((
                "from toolkit import", "from toolkit.outputs.report import", "ctx = open_run(",
                "ctx = unit.open_unit(", "sections.", "figures.", "appendix.", "unit.", "decision.", "contents.",
                "cycle.", "review_record.", "objections.", "changes.")), line
    assert any(c.cell_type == "markdown" and re.search(r"[\u4e00-\u9fff]", c.source) for c in nb.cells)


def test_the_kernel_manager_sends_the_kernels_output_to_a_file():
    from jupyter_client.manager import AsyncKernelManager
    from traitlets.utils.importstring import import_item

    cls = import_item(notebook.KERNEL_MANAGER)  # named by its path: papermill creates it
    assert issubclass(cls, AsyncKernelManager)
    assert cls(output_file="/x/kernel.log").output_file == "/x/kernel.log"

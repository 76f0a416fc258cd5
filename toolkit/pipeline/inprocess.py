"""One of our own notebooks run in this process, without a kernel: the per-unit reports
(``toolkit run --per-unit``), one for each unit, where starting a kernel per unit cost
more than the unit's report itself.

This is safe for the notebooks the package ships only: their code cells do nothing but
call into toolkit (tests/test_pipeline_notebook.py checks every code line of them).
The parameters are injected as papermill injects them; each code cell runs in one
namespace, and the value of a cell's last expression is displayed as a kernel displays
it (IPython's display formatter), so nbconvert renders the same page a kernel's run
gives. A failing cell raises :class:`~toolkit.exceptions.RunError` naming the stage and
the cell; the notebook as far as it ran is written to ``dst`` first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
from IPython.core.formatters import DisplayFormatter
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from toolkit.exceptions import RunError
from toolkit.i18n import gettext as _


def _split_last_expression(source: str, name: str):
    """The cell's statements, and its last expression (None when it ends otherwise)."""
    tree = ast.parse(source, filename=name)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = compile(tree, name, "exec")
    tail = compile(ast.Expression(last.value), name, "eval") if last is not None else None
    return body, tail


def execute_in_process(src: Path, dst: Path, parameters: dict, *, stage: str) -> nbformat.NotebookNode:
    """Run the notebook ``src`` with ``parameters`` here; write it, outputs included, to
    ``dst`` and return it."""
    nb = parameterize_notebook(load_notebook_node(str(src)), parameters)  # as papermill reads it
    formatter = DisplayFormatter()
    namespace: dict = {"__name__": "__main__"}
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        name = f"<{Path(src).name} cell {index + 1}>"
        try:
            body, tail = _split_last_expression(cell.source, name)
            exec(body, namespace)  # noqa: S102 - the package's own notebook (see the module docstring)
            value = eval(tail, namespace) if tail is not None else None  # noqa: S307 - as above
        except Exception as exc:  # noqa: BLE001 - reported with the stage and the cell
            cell.outputs = [nbformat.v4.new_output("error", ename=type(exc).__name__, evalue=str(exc),
                                                   traceback=[])]
            nbformat.write(nb, str(dst))
            raise RunError(_("cell {value}: {error}: {exc}").format(value=index + 1, error=type(exc).__name__, exc=exc), stage=stage) from exc
        cell.execution_count = count
        cell.outputs = []
        if value is not None:
            data, metadata = formatter.format(value)
            cell.outputs.append(nbformat.v4.new_output("execute_result", data=data, metadata=metadata,
                                                       execution_count=count))
    nbformat.write(nb, str(dst))
    return nb

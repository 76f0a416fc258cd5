"""Executing the report notebooks: papermill on this interpreter's kernel, in a given
working folder (the libraries' progress logs are quieted by :mod:`toolkit.logs`)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from toolkit import paths
from toolkit.exceptions import RunError

log = logging.getLogger(__name__)

NOTEBOOKS_DIR = paths.notebooks_dir()
KERNEL_NAME = "toolkit"
KERNEL_DISPLAY_NAME = "toolkit (.venv)"
#: the kernel manager papermill creates: the kernel's own output goes to a file
KERNEL_MANAGER = "toolkit.pipeline.kernel_output.FileOutputKernelManager"


def same_interpreter(argv0: str) -> bool:
    """Whether a kernelspec's python is this interpreter (the same bin folder: a venv's
    python and python3 are both fine, another venv's python is not)."""
    p = Path(argv0)
    if not p.is_absolute():
        return False
    try:
        return os.path.samefile(p.parent, Path(sys.executable).parent) and p.exists()
    except OSError:
        return False


def kernel_json(display_name: str = KERNEL_DISPLAY_NAME) -> dict:
    return {
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
                 "{connection_file}"],
        "display_name": display_name,
        "language": "python",
        # lets jupyter_client provision CurveZMQ keys instead of plain TCP
        "metadata": {"debugger": True, "supported_encryption": ["curve"]},
    }


@contextlib.contextmanager
def environ(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def kernel(name: str = KERNEL_NAME) -> Iterator[str]:
    """A kernel name whose python is ``sys.executable``.

    The ``toolkit`` kernelspec that ``make setup`` installs into ``sys.prefix`` is used
    when it points at this interpreter. Otherwise a kernelspec is written into a
    temporary folder put first on ``JUPYTER_PATH`` for the duration, so a run never
    depends on a globally registered kernel (or on one of another environment).
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    env = {"PYDEVD_DISABLE_FILE_VALIDATION": "1", "MPLBACKEND": "Agg"}
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
        usable = same_interpreter(spec.argv[0])
    except NoSuchKernel:
        usable = False
    if usable:
        with environ(env):
            yield name
        return
    log.info("kernel %r not installed for %s; using a temporary kernelspec", name, sys.executable)
    with tempfile.TemporaryDirectory(prefix="toolkit-kernel-") as tmp:
        kdir = Path(tmp) / "kernels" / name
        kdir.mkdir(parents=True)
        (kdir / "kernel.json").write_text(json.dumps(kernel_json(), indent=1), encoding="utf-8")
        jp = os.pathsep.join(p for p in (tmp, os.environ.get("JUPYTER_PATH", "")) if p)
        with environ({**env, "JUPYTER_PATH": jp}):
            yield name


def _log_kernel_output(path: Path, stage: str) -> None:
    """What the kernel process wrote outside the notebook, at DEBUG (``toolkit -v``)."""
    with contextlib.suppress(OSError):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        if text:
            log.debug("the kernel's own output (%s):\n%s", stage, text)


def execute_notebook(src: Path, dst: Path, parameters: dict, *, timeout: int | None,
                     cwd: Path | None = None, progress: bool = False, kernel_name: str | None = None,
                     stage: str = "notebook") -> None:
    """Execute ``src`` into ``dst`` with papermill on this interpreter's kernel.

    Parameters are passed as values (ints, bools, strings), which papermill writes as
    literals into the injected cell. The kernel starts in ``cwd`` (default: the current
    folder), as JupyterLab starts it in the notebook's folder. ``kernel_name`` is one
    yielded by :func:`kernel` (entered here when not given). A failing cell, a dead
    kernel or a cell over its time limit is a :class:`RunError` naming ``stage``, the
    cell and the error; ``dst`` then holds the notebook as far as it ran.
    """
    if kernel_name is None:
        with kernel() as name:
            return execute_notebook(src, dst, parameters, timeout=timeout, cwd=cwd, progress=progress,
                                    kernel_name=name, stage=stage)
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    show_bar = bool(progress and sys.stderr.isatty())
    with tempfile.TemporaryDirectory(prefix="toolkit-kernel-output-") as tmp:
        kernel_log = Path(tmp) / "kernel.log"
        # CurveZMQ keys for the kernel's sockets when the kernelspec declares support
        # (ipykernel's does), instead of plain TCP on localhost
        config = Config({"KernelManager": {"transport_encryption": "auto"},
                         "NotebookClient": {"kernel_manager_class": KERNEL_MANAGER},
                         "FileOutputKernelManager": {"output_file": str(kernel_log)}})
        try:
            pm.execute_notebook(
                str(src), str(dst), parameters=parameters, kernel_name=kernel_name,
                execution_timeout=timeout, progress_bar=show_bar, log_output=False,
                start_timeout=120, request_save_on_cell_execute=True, config=config,
                cwd=str(cwd) if cwd is not None else None,
            )
        except PapermillExecutionError as exc:
            raise RunError(
                f"cell In [{exc.exec_count}] (cell {exc.cell_index + 1}) of {src.name} raised "
                f"{exc.ename}: {exc.evalue}", stage=stage) from exc
        except Exception as exc:
            kind = type(exc).__name__
            what = {
                "CellTimeoutError": f"a cell of {src.name} ran longer than the time limit ({timeout} s)",
                "DeadKernelError": f"the kernel died while running {src.name} (out of memory?)",
            }.get(kind, f"{src.name} could not be executed: {kind}: {exc}")
            raise RunError(what, stage=stage) from exc
        finally:
            _log_kernel_output(kernel_log, stage)
    return None

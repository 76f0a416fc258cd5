"""The package itself (toolkit/__init__.py): a few public names, loaded on first use, and
no side effect of importing it."""

from __future__ import annotations

import json
import subprocess
import sys


def _fresh(code: str) -> str:
    """What a fresh interpreter prints for ``code``."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_importing_toolkit_imports_no_heavy_library():
    code = "import sys, json, toolkit; print(json.dumps(sorted(m for m in ('numpy', 'pandas', 'pyarrow') if m in sys.modules)))"
    assert json.loads(_fresh(code)) == []


def test_importing_toolkit_leaves_numpy_and_pyarrow_settings_as_they_were():
    # the state of numpy's huge-page advice and pyarrow's memory pool, without and with toolkit
    probe = ("import numpy, pyarrow as pa{extra}; from numpy._core.multiarray import _set_madvise_hugepage as s; "
             "print(int(s(True)), pa.default_memory_pool().backend_name)")
    before = _fresh(probe.format(extra=""))
    after = _fresh(probe.format(extra=", toolkit; toolkit.load_year; toolkit.evaluate"))
    assert after == before


def test_version_and_help_import_no_heavy_library():
    code = ("import sys, json, contextlib, io\n"
            "from toolkit.cli import main\n"
            "for argv in (['--version'], ['--help'], ['run', '--help']):\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        try: main(argv)\n"
            "        except SystemExit: pass\n"
            "print(json.dumps(sorted(m for m in ('numpy', 'pandas', 'pyarrow') if m in sys.modules)))")
    assert json.loads(_fresh(code)) == []


def test_public_names():
    import toolkit

    assert callable(toolkit.load_year) and callable(toolkit.load_rules)
    assert callable(toolkit.evaluate)  # the function, not the module of the same name
    assert issubclass(toolkit.ToolkitError, Exception)
    assert set(toolkit.__all__) >= {"load_year", "load_rules", "evaluate", "ToolkitError", "__version__"}

"""Hunan Open University training-award evaluation toolkit.

The few public names::

    from toolkit import load_year, load_rules, evaluate
    year_data = load_year(2022)
    evaluation = evaluate(year_data, load_rules(2022))

The function ``evaluate`` shares its name with the module ``toolkit.evaluate``; it is
imported here eagerly so that the package attribute is always the function (import the
module's other names with ``from toolkit.evaluate import Evaluation``).
"""

from __future__ import annotations

__version__ = "0.1.0"


def _no_numpy_hugepage_advice() -> None:
    """Stop numpy advising the kernel to back large arrays with huge pages.

    With transparent huge pages on ``madvise`` and their defrag on ``madvise`` (the
    usual Linux default), each page fault of an advised array may stall while the
    kernel compacts memory. A fresh process that evaluates a province year (arrays of
    millions of ids, made and dropped) spent 0.2-0.3 s of its 1.1-1.5 s there, and a
    cold CSV load about 0.5 s (bench/results.md). ``NUMPY_MADVISE_HUGEPAGE`` in the
    environment, numpy's own switch, is left to decide when it is set.
    """
    import os

    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # pragma: no cover - numpy moved it
        return
    _set_madvise_hugepage(False)


_no_numpy_hugepage_advice()

from toolkit.clean import load_year  # noqa: E402
from toolkit.evaluate import evaluate  # noqa: E402
from toolkit.exceptions import ToolkitError  # noqa: E402
from toolkit.rules import load_rules  # noqa: E402

__all__ = ["__version__", "load_year", "load_rules", "evaluate", "ToolkitError"]

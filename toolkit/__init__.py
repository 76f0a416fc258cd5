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


def _tune_allocators() -> None:
    """Set this process's array allocators for the toolkit's work: arrays of millions
    of ids and texts, made and dropped within seconds. An environment variable that
    names the setting decides instead, when it is set.

    - numpy stops advising the kernel to back large arrays with huge pages
      (``NUMPY_MADVISE_HUGEPAGE``): with transparent huge pages and their defrag on
      ``madvise`` (the usual Linux default) each page fault of an advised array may
      stall while the kernel compacts memory. Alternating runs on the province set:
      warm load + evaluate 1.36-1.58 s with the advice, 1.14-1.26 s without.
    - pyarrow allocates with the system allocator instead of its bundled mimalloc
      (``ARROW_DEFAULT_MEMORY_POOL``): warm load + evaluate 1.41-1.76 s with mimalloc,
      1.18-1.30 s with the system's; cold CSV load 5.3-6.1 s and 4.7 s; the same peak
      memory.
    """
    import os

    if "NUMPY_MADVISE_HUGEPAGE" not in os.environ:
        try:
            from numpy._core.multiarray import _set_madvise_hugepage
        except ImportError:  # pragma: no cover - numpy moved it
            pass
        else:
            _set_madvise_hugepage(False)
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())


_tune_allocators()

from toolkit.clean import load_year  # noqa: E402
from toolkit.evaluate import evaluate  # noqa: E402
from toolkit.exceptions import ToolkitError  # noqa: E402
from toolkit.rules import load_rules  # noqa: E402

__all__ = ["__version__", "load_year", "load_rules", "evaluate", "ToolkitError"]

"""The multi-year index (``reports/index.html``): :func:`write_index`."""

from toolkit.outputs.index.write import write_index

__all__ = ["write_index"]

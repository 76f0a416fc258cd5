"""What a sub-package offers the others: its public names, each with the module that
holds it, loaded on first use (so importing a package loads none of its modules).

A package's ``__init__`` declares its offer::

    __getattr__, __dir__, __all__ = offer(__name__, {"year": ("load_year",), "": ("store",)})

(module, relative to the package -> its public names; ``""``: the package's own
sub-modules). Other packages import only these names (tests/test_house.py checks it),
from the package or from the module that holds them."""

from __future__ import annotations

import sys
from importlib import import_module


def offer(package: str, offers: dict[str, tuple[str, ...]]):
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of ``package`` offering ``offers``."""
    where = {name: f"{package}.{module}" if module else package
             for module, names in offers.items() for name in names}

    def __getattr__(name: str):
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        owner = import_module(module) if module != package else None
        if owner is not None and hasattr(owner, name):
            value = getattr(owner, name)
        else:  # a sub-module
            value = import_module(f"{module}.{name}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(where)

    return __getattr__, __dir__, sorted(where)

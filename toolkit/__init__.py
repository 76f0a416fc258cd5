"""Hunan Open University training-award evaluation toolkit.

The few public names::

    from toolkit import load_year, load_rules, evaluate
    year_data = load_year(2022)
    evaluation = evaluate(year_data, load_rules(2022))
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load_year", "load_rules", "evaluate", "ToolkitError"]

from toolkit.exceptions import ToolkitError  # noqa: E402


def __getattr__(name: str):
    # Lazy re-exports keep `import toolkit` (and `toolkit --help`) fast.
    if name == "load_year":
        from toolkit.clean import load_year

        return load_year
    if name == "load_rules":
        from toolkit.rules import load_rules

        return load_rules
    if name == "evaluate":
        from toolkit.evaluate import evaluate

        return evaluate
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")

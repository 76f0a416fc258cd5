"""Hunan Open University training-award evaluation toolkit.

The few public names::

    from toolkit import load_year, load_rules, evaluate
    year_data = load_year(2022)
    evaluation = evaluate(year_data, load_rules(2022))
    ctx = open_run("reports/2022")  # the report context of a run folder
    changes = open_changes("reports/2022")  # what changed since the publication it replaced
    record = review_record("reports/2022")  # every reviewer's decision of a run, as a table

Importing the package changes nothing in the process and imports none of the heavy
libraries: each public name is loaded on first use (``toolkit --version`` stays quick).
The stages live in sub-packages (``ingest``, ``clean``, ``rules``, ``metrics``,
``evaluation``, ``outputs``, ``pipeline``, ``demo``); docs/architecture.md draws them.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

#: public name -> the module that defines it
_PUBLIC = {
    "load_year": "toolkit.clean.year",
    "load_rules": "toolkit.rules.load",
    "evaluate": "toolkit.evaluation.evaluate",
    "ToolkitError": "toolkit.exceptions",
    "open_run": "toolkit.outputs.report.store",
    "open_changes": "toolkit.outputs.changes",
    "review_record": "toolkit.outputs.report.review_record",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

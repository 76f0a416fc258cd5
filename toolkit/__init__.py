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

from toolkit.clean import load_year  # noqa: E402
from toolkit.evaluate import evaluate  # noqa: E402
from toolkit.exceptions import ToolkitError  # noqa: E402
from toolkit.rules import load_rules  # noqa: E402

__all__ = ["__version__", "load_year", "load_rules", "evaluate", "ToolkitError"]

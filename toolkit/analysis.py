"""The analyst's way in (JupyterLab, a script): a year's data read and cleaned under
its rules, in one call::

    from toolkit import open_year, evaluate
    year = open_year(2022)   # data/2022, in the period of rules/2022.yaml
    ev = evaluate(year)      # against the same rules

The rules are resolved here, as every caller of :func:`toolkit.clean.year.load_year`
resolves them (the cleaning takes a period only, never the rules)."""

from __future__ import annotations

from toolkit.clean.model import YearData
from toolkit.clean.period import Period
from toolkit.clean.year import load_year
from toolkit.rules.load import load_rules


def open_year(year: int, data_dir=None, *, rules=None, use_cache: bool = True, progress: bool = False,
              province: str | None = None) -> YearData:
    """``year``'s input folder (default ``data/<year>``) read and cleaned in the period
    of its rules: ``rules`` is a rules object (``load_rules``), a rules file, or None
    for ``rules/<year>.yaml``. ``evaluate(year_data)`` then evaluates against the same
    rules. The other options are :func:`~toolkit.clean.year.load_year`'s."""
    if rules is None or not hasattr(rules, "period_start"):
        rules = load_rules(year, rules)
    return load_year(year, data_dir, period=Period.of(rules), use_cache=use_cache, progress=progress,
                     province=province)

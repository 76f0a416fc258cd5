"""A section's table as a pandas object: :class:`ReportTable` is a DataFrame (one row
per table row, the cells as the report shows them) that displays, in JupyterLab and in
the rendered report, as the report's own HTML table (CSS classes for print, badges,
the notes around it).

:func:`result_table` shows a result table (:mod:`toolkit.evaluation.tables`) as the report's
table: the headers and labelled rows of its sheet in ``results.xlsx``, numbers written as
the report writes them.

The frame is for looking at and for further work (``.to_excel``, filtering: a derived
frame is a plain DataFrame); its HTML is made from the same rows by
:func:`~toolkit.outputs.report.format.table`, so what the report prints is escaped
exactly as before.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.outputs.report.format import fmt_value, table
from toolkit.outputs.tables import table_rows

_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Layout:
    """How a ReportTable is shown: the rows as ``table`` takes them and its options,
    the HTML before and after the table, and what is shown instead when it is empty."""

    headers: tuple[str, ...]
    rows: tuple[tuple, ...]
    options: dict = field(default_factory=dict)
    before: str = ""
    after: str = ""
    empty: str = ""
    label: str = ""


class ReportTable(pd.DataFrame):
    """A DataFrame that shows as the report's table (``_repr_html_``)."""

    _metadata = ["layout"]

    @property
    def _constructor(self):
        return pd.DataFrame  # a derived frame no longer matches the layout's rows

    def _repr_html_(self) -> str:
        lay: Layout = self.layout
        if not lay.rows and lay.empty:
            return lay.empty + lay.after
        return lay.before + table(lay.headers, lay.rows, **lay.options) + lay.after

    def __html__(self) -> str:  # Jinja's Markup protocol
        return self._repr_html_()


def _text(cell: Any, raw: bool) -> Any:
    if isinstance(cell, tuple):  # (content, css class)
        cell = cell[0]
    if raw:
        return html_lib.unescape(_TAGS.sub("", str(cell)))
    return cell


def report_table(headers: Iterable[str], rows: Iterable[Iterable[Any]], *, before: str = "",
                 after: str = "", empty: str = "", label: str = "", **options) -> ReportTable:
    """A ReportTable of ``rows`` under ``headers``; ``options`` are those of
    :func:`~toolkit.outputs.report.format.table` (``cls``, ``num_cols``, ``raw_cols``,
    ``col_classes``, ``caption``)."""
    headers = tuple(headers)
    rows = tuple(tuple(r) for r in rows)
    raws = set(options.get("raw_cols", ()))
    data = [[_text(c, i in raws) for i, c in enumerate(r)] for r in rows]
    frame = ReportTable(data, columns=pd.Index(headers, dtype=object) if headers else None)
    frame.layout = Layout(headers, rows, dict(options), before, after, empty, label)
    return frame


#: how the report writes a number of each format code of the result tables
_SHOWN_AS = {"percent": "fraction", "money": "yuan"}


def result_table(evaluation, name: str, *, keep=None, empty: str = "<p>无。</p>", **options) -> ReportTable:
    """The result table ``name`` as the report shows it: the columns, headers and labels of
    its CSV file and sheet, numbers written as the report writes them (``75.21%``,
    ``5,010,000.00``). ``keep``: a test of a row's codes (one unit's rows, say);
    ``options`` as :func:`report_table`'s."""
    columns, headers, rows, raw = table_rows(evaluation, name)
    cells, nums = [], set()
    for row, codes in zip(rows, raw, strict=True):
        if keep is not None and not keep(codes):
            continue
        line = []
        for i, (col, v) in enumerate(zip(columns, row, strict=True)):
            if isinstance(v, int | float) and not isinstance(v, bool):
                nums.add(i)
                v = fmt_value(v, _SHOWN_AS.get(col.format_of(codes)))
            line.append("" if v is None else v)
        cells.append(line)
    options.setdefault("num_cols", tuple(sorted(nums)))
    options.setdefault("label", name)
    return report_table(headers, cells, empty=empty, **options)


def html_of(section) -> str:
    """The HTML of a section: a ReportTable, a Fragment or anything with ``_repr_html_``."""
    return section._repr_html_() if hasattr(section, "_repr_html_") else str(section)

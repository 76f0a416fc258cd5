"""The result tables, each one specification (:class:`ResultTable`): its name, sheet name
and file stem; its columns (:class:`Column`: code, header, number format, how a code is
shown to a reader); how its rows come from an :class:`~toolkit.evaluation.results.Evaluation`.

``Evaluation.to_frame(name)`` is a table's rows with code values; ``tables/<stem>.csv``,
the sheets of ``results.xlsx`` (:mod:`toolkit.outputs.tables`) and a report section's
table (:func:`toolkit.outputs.report.frame.result_table`) show the same rows with the
labels. A new result table is one more entry of :data:`TABLES`, its sheet name in
``vocabulary.RESULT_TABLE_LABELS``.

Headers come from :data:`~toolkit.vocabulary.RESULT_COLUMN_LABELS` (``<table>.<column>``
before ``<column>``), a metric's from the registry, a criterion's from the rules' labels.
Formats are codes (``percent``, ``money``, ``decimal``) or a function of the row's codes
(a value's format follows its unit); the workbook turns them into Excel number formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from toolkit.clean.ledger_table import ledger_row
from toolkit.evaluation.flags import FLAG_UNITS
from toolkit.metrics.registry import COLLECTIVE_METRICS, METRICS
from toolkit.vocabulary import (
    CRITERION_KIND_LABELS,
    CRITERION_OUTCOME_LABELS,
    FLAG_LABELS,
    NOMINATED_LABELS,
    OP_LABELS,
    OUTCOME_LABELS,
    REASON_LABELS,
    RESULT_COLUMN_LABELS,
    RESULT_TABLE_LABELS,
    TABLE_LABELS,
    TRACK_LABELS,
    UNIT_LABELS,
)

#: (value, the row's codes, the evaluation) -> the value as a person reads it
Shown = Callable[[Any, dict, Any], Any]
#: a format code, or a function of the row's codes giving one (or None)
Format = str | Callable[[dict], str | None] | None
#: the criterion ids of a list column (failed, unknown) are joined by this in the tables
LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class Column:
    """One column: its code (the frame's column name), its header (empty: the
    vocabulary's or the metric registry's), its number format, how its code is shown, and
    whether it reaches the tables at all (a criterion id stays in ``evaluation.json``)."""

    code: str
    header: str = ""
    format: Format = None
    shown: Shown | None = None
    in_tables: bool = True

    def header_in(self, table: str) -> str:
        if self.header:
            return self.header
        if f"{table}.{self.code}" in RESULT_COLUMN_LABELS:
            return RESULT_COLUMN_LABELS[f"{table}.{self.code}"]
        if self.code in METRICS:
            return METRICS[self.code].header()
        return RESULT_COLUMN_LABELS.get(self.code, self.code)

    def format_of(self, row: dict) -> str | None:
        return self.format(row) if callable(self.format) else self.format


@dataclass(frozen=True)
class ResultTable:
    """A result table: ``rows(evaluation)`` gives one dict of codes per row (it may hold
    more than the columns, for ``shown``); ``columns`` is a tuple or a function of the
    evaluation (one column per criterion); ``award_column``, where a table is also split
    into a sheet per award, names the award's column."""

    name: str
    rows: Callable[[Any], list[dict]]
    columns: tuple[Column, ...] | Callable[[Any], tuple[Column, ...]]
    award_column: str | None = None
    stem: str = ""

    @property
    def sheet(self) -> str:
        return RESULT_TABLE_LABELS[self.name]

    @property
    def file_stem(self) -> str:
        return self.stem or self.name

    def columns_of(self, evaluation) -> tuple[Column, ...]:
        return self.columns(evaluation) if callable(self.columns) else self.columns

    def frame(self, columns: tuple[Column, ...], rows: list[dict]) -> pd.DataFrame:
        """``rows`` under ``columns``' codes."""
        codes = [c.code for c in columns]
        return pd.DataFrame([{k: row.get(k) for k in codes} for row in rows], columns=codes)


# --- how codes are shown ------------------------------------------------------------------


def labelled(labels: dict) -> Shown:
    return lambda v, row, ev: labels.get(v, v)


def _metric(v, row, ev):
    return METRICS[v].label if v in METRICS else v


def _award(v, row, ev):
    return ev.award_labels.get(v, v)


def _criteria_of(award_column: str) -> Shown:
    """A list of criterion ids as their labels in the rules, of the row's award."""
    def shown(v, row, ev):
        labels = ev.criterion_labels.get(row.get(award_column), {})
        ids = [i.strip() for i in str(v).split(",") if i.strip()]
        return LIST_SEPARATOR.join(labels.get(i, i) for i in ids)
    return shown


def _reasons_of(key: str) -> Shown:
    """A ledger entry's counts per reason, by the reasons' labels."""
    def shown(v, row, ev):
        counts = row.get(key) or {}
        return "；".join(f"{REASON_LABELS.get(k, k)}：{n}" for k, n in sorted(counts.items()) if n)
    return shown


# --- formats --------------------------------------------------------------------------------


#: the number format of a value of a unit code
UNIT_FORMATS = {"fraction": "percent", "yuan": "money"}


def _by_unit(row: dict) -> str | None:
    return UNIT_FORMATS.get(row.get("unit"))


def _margin_by_unit(row: dict) -> str | None:
    return {"fraction": "decimal", "yuan": "money"}.get(row.get("unit"))


def _by_flag(row: dict) -> str | None:
    """A flag's value and bound in its unit's format (:data:`FLAG_UNITS`)."""
    return UNIT_FORMATS.get(FLAG_UNITS.get(row.get("kind")))


def metric_column(name: str) -> Column:
    return Column(name, format=UNIT_FORMATS.get(METRICS[name].unit))


# --- the columns every table shares ---------------------------------------------------------

TRACK = Column("track", shown=labelled(TRACK_LABELS))
AWARD = Column("award", shown=_award)
UNIT_ID, UNIT_NAME = Column("unit_id"), Column("unit_name")
NOMINATED = Column("nominated", shown=labelled(NOMINATED_LABELS))
OUTCOME = Column("outcome", shown=labelled(OUTCOME_LABELS))
EXPLANATION = Column("explanation")
#: every metric of every track, in the registry's track order
ALL_METRICS = list(COLLECTIVE_METRICS)


# --- the rows -------------------------------------------------------------------------------


def _ids(criteria) -> str:
    return ", ".join(c.id for c in criteria)


def collective_rows(ev) -> list[dict]:
    return [{"track": u.track, "award": u.award, "unit_id": u.unit_id, "unit_name": u.unit_name,
             "nominated": u.nominated, "outcome": u.outcome, "failed": _ids(u.failed),
             "unknown": _ids(u.unknown), **{m: u.metrics.get(m) for m in ALL_METRICS}}
            for u in ev.collective]


def criteria_rows(ev) -> list[dict]:
    rows = []
    for u in ev.collective:
        for c in u.criteria:
            rows.append({**c.to_dict(), "track": u.track, "award": u.award, "unit_id": u.unit_id,
                         "unit_name": u.unit_name, "nominee": None, "row": None})
    for n in ev.individual + ev.innovation:
        for c in n.criteria:
            rows.append({**c.to_dict(), "track": n.track, "award": n.category, "unit_id": n.unit_id,
                         "unit_name": n.unit_name, "nominee": n.nominee, "row": n.row})
    return rows


def _nominee_rows(part: str) -> Callable[[Any], list[dict]]:
    def rows(ev) -> list[dict]:
        out = []
        for n in getattr(ev, part):
            quantitative = [c for c in n.criteria if c.kind != "qualitative"]
            out.append({"category": n.category, "track": n.track, "unit_id": n.unit_id,
                        "unit_name": n.unit_name, "nominee": n.nominee, "row": n.row,
                        "started_on": n.started_on, "deeds_chars": n.deeds_chars, "outcome": n.outcome,
                        "failed": _ids(c for c in n.criteria if c.outcome == "fail"),
                        "unknown": _ids(c for c in quantitative if c.outcome == "unknown"),
                        **{c.id: c.outcome for c in quantitative},
                        "explanation": "；".join(c.explanation for c in quantitative),
                        "qualitative": "；".join(q["label"] for q in n.qualitative)})
        return out
    return rows


def _nominee_columns(part: str) -> Callable[[Any], tuple[Column, ...]]:
    """One column per quantitative criterion of the part's awards, in rules order, headed
    by its label (the labels joined by ／ where the awards label one id apart)."""
    def columns(ev) -> tuple[Column, ...]:
        nominees = getattr(ev, part)
        ids = list(dict.fromkeys(c.id for n in nominees for c in n.criteria if c.kind != "qualitative"))
        headers = _criterion_headers(ev, {n.category for n in nominees})
        shown = labelled(CRITERION_OUTCOME_LABELS)
        return (Column("category", shown=_award), TRACK, UNIT_ID, UNIT_NAME, Column("nominee"), Column("row"),
                Column("started_on"), Column("deeds_chars"), OUTCOME,
                Column("failed", shown=_criteria_of("category")), Column("unknown", shown=_criteria_of("category")),
                *(Column(i, header=headers.get(i, ""), shown=shown) for i in ids),
                EXPLANATION, Column("qualitative"))
    return columns


def _criterion_headers(ev, awards: set[str]) -> dict[str, str]:
    order = (list(ev.criterion_labels).index if all(a in ev.criterion_labels for a in awards) else str)
    labels: dict[str, list[str]] = {}
    for award in sorted(awards, key=order):
        for cid, label in ev.criterion_labels.get(award, {}).items():
            labels.setdefault(cid, [])
            if label not in labels[cid]:
                labels[cid].append(label)
    return {cid: "／".join(ls) for cid, ls in labels.items()}


def flag_rows(ev) -> list[dict]:
    return [f.to_dict() for f in ev.flags]


def near_miss_rows(ev) -> list[dict]:
    return [{**f, "rank": rank, "track": m.track, "unit_id": m.unit_id, "unit_name": m.unit_name,
             "nominated": m.nominated, "failed_count": m.failed_count, "closeness": m.closeness}
            for rank, m in enumerate(ev.near_misses, 1) for f in m.failed]


def ledger_rows(ev) -> list[dict]:
    """The ledger's rows (:func:`toolkit.clean.ledger_table.ledger_row`, one place for a
    loaded year's view and this table), with the counts per reason for the labels."""
    return [{**ledger_row(e), "excluded_counts": e.get("excluded") or {},
             "quarantined_counts": e.get("quarantined") or {}} for e in ev.ledger]


# --- the tables, in the workbook's order ----------------------------------------------------

_VALUE, _BOUND = Column("value", format=_by_unit), Column("bound", format=_by_unit)
_UNIT, _METRIC = Column("unit", shown=labelled(UNIT_LABELS)), Column("metric", shown=_metric)
_ID = Column("id", in_tables=False)

TABLES: dict[str, ResultTable] = {t.name: t for t in (
    ResultTable("collective", collective_rows, (
        TRACK, AWARD, UNIT_ID, UNIT_NAME, NOMINATED, OUTCOME, Column("failed", shown=_criteria_of("award")),
        Column("unknown", shown=_criteria_of("award")), *(metric_column(m) for m in ALL_METRICS)),
        award_column="award"),
    ResultTable("criteria", criteria_rows, (
        TRACK, AWARD, UNIT_ID, UNIT_NAME, Column("nominee"), Column("row"), _ID, Column("label"),
        Column("clause"), Column("kind", shown=labelled(CRITERION_KIND_LABELS)), _METRIC,
        Column("op", shown=labelled(OP_LABELS)), _BOUND, _UNIT, _VALUE,
        Column("outcome", shown=labelled(CRITERION_OUTCOME_LABELS)), Column("margin", format=_margin_by_unit),
        Column("margin_unit"), Column("wording"), EXPLANATION)),
    ResultTable("individual", _nominee_rows("individual"), _nominee_columns("individual"),
                award_column="category"),
    ResultTable("innovation", _nominee_rows("innovation"), _nominee_columns("innovation"),
                award_column="category"),
    ResultTable("near_misses", near_miss_rows, (
        Column("rank"), TRACK, UNIT_ID, UNIT_NAME, NOMINATED, Column("failed_count"),
        Column("closeness", format="percent"), _ID, Column("label"), Column("clause"), _METRIC, _UNIT,
        _VALUE, _BOUND, Column("shortfall", format=_margin_by_unit), Column("shortfall_unit"),
        Column("relative_shortfall", format="percent"), EXPLANATION)),
    ResultTable("flags", flag_rows, (
        Column("kind", shown=labelled(FLAG_LABELS)), TRACK, UNIT_ID, UNIT_NAME,
        Column("table", shown=labelled(TABLE_LABELS)), Column("value", format=_by_flag),
        Column("bound", format=_by_flag), Column("count"), Column("amount", format="money"),
        Column("message"))),
    ResultTable("ledger", ledger_rows, (
        Column("table", shown=labelled(TABLE_LABELS)), Column("file"), Column("sheet"), Column("rows_read"),
        Column("rows_used"), Column("excluded"), Column("quarantined"),
        Column("excluded_reasons", shown=_reasons_of("excluded_counts")),
        Column("quarantined_reasons", shown=_reasons_of("quarantined_counts")))),
)}


def result_table(name: str) -> ResultTable:
    if name not in TABLES:
        raise ValueError(f"unknown result table {name!r}; one of {', '.join(TABLES)}")
    return TABLES[name]


def frame(evaluation, name: str) -> pd.DataFrame:
    """The table ``name`` of the evaluation as shared outputs see it: its columns' codes as
    column names, code values."""
    spec = result_table(name)
    shared = evaluation.shared()
    return spec.frame(spec.columns_of(shared), spec.rows(shared))

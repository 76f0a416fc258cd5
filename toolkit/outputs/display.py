"""How the analyst's objects show themselves in JupyterLab, as pandas objects do: a short
``repr`` and an HTML view (``_repr_html_``), and their tables as DataFrames with the
report's Chinese headers (``table(part)``).

* an evaluation (:class:`~toolkit.evaluation.results.Evaluation`): the outcomes per award
  with their counts; ``ev.table("collective")`` and the other parts of ``results.xlsx``;
* a loaded year (:class:`~toolkit.clean.model.YearData`): its ledger, one row per file
  (its view is :class:`toolkit.clean.ledger_table.YearView`: the clean stage imports no
  output);
* the rules (:class:`~toolkit.rules.model.Rules`): the awards, and the criteria with their
  bounds, clauses and the notice's wording.

The classes mix these views in; the tables come from :mod:`toolkit.outputs.tables` (the
same rows, headers and labels as ``tables/*.csv``), the labels from
:mod:`toolkit.vocabulary` and the metric registry. Free text in an evaluation's tables is
masked as in every shared output (``Evaluation.shared``).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from toolkit.metrics.registry import METRICS
from toolkit.outputs.report.format import fmt_bound
from toolkit.outputs.tables import table_rows
from toolkit.vocabulary import (
    AWARD_KIND_LABELS,
    CRITERION_KIND_LABELS,
    OUTCOME_LABELS,
    RESULT_COLUMN_LABELS,
    RESULT_TABLE_LABELS,
    TRACK_LABELS,
)

HEADERS = RESULT_COLUMN_LABELS

#: the outcome columns of an evaluation's summary, in the report's order
OUTCOME_ORDER = ("eligible", "needs_review", "not_eligible")
TOTAL = "合计"
QUALITATIVE_BOUND = "定性，由评审专家判断"


def _part(name: str, parts: dict[str, str]) -> str:
    """The part named by its key or its Chinese name (``"collective"`` or ``"先进集体"``)."""
    if name in parts:
        return name
    for key, label in parts.items():
        if name == label:
            return key
    known = "、".join(f"{k}（{v}）" for k, v in parts.items())
    raise KeyError(f"没有表格 {name!r}；可选：{known}")


def _html(title: str, frames: list[tuple[str, pd.DataFrame]], notes: list[str]) -> str:
    out = [f"<div class=\"toolkit-view\"><h4>{html.escape(title)}</h4>"]
    for caption, df in frames:
        if caption:
            out.append(f"<p><b>{html.escape(caption)}</b></p>")
        out.append(df.to_html(index=False, na_rep="", escape=True, border=0, classes="dataframe"))
    out += [f"<p style=\"color:#555\">{html.escape(n)}</p>" for n in notes]
    return "".join(out) + "</div>"


def _table_hint(var: str, parts: dict[str, str]) -> str:
    return "表格：" + "，".join(f'{var}.table("{k}")（{v}）' for k, v in parts.items())


# --- an evaluation ----------------------------------------------------------------------


class EvaluationView:
    """An evaluation in a notebook: its outcomes per award, and its tables."""

    def table(self, part: str) -> pd.DataFrame:
        """A part of the results (collective, criteria, individual, innovation,
        near_misses, flags, ledger; or its sheet name, e.g. ``"先进集体"``) as the
        tables show it: Chinese headers, every code by its label, free text masked."""
        key = _part(part, RESULT_TABLE_LABELS)
        _cols, headers, rows, _codes = table_rows(self, key)
        return pd.DataFrame(rows, columns=headers)

    def outcomes(self) -> pd.DataFrame:
        """The outcomes per award with their counts, one row per award of the rules (in
        their order; an award nobody was evaluated for counts 0)."""
        summary = self.summary()
        rows = []
        for award in [*self.award_labels, *(k for k in summary if k not in self.award_labels)]:
            counts = summary.get(award) or dict.fromkeys(OUTCOME_ORDER, 0)
            rows.append([self.award_labels.get(award, award), *(counts[o] for o in OUTCOME_ORDER),
                         sum(counts.values())])
        return pd.DataFrame(rows, columns=[HEADERS["award"], *(OUTCOME_LABELS[o] for o in OUTCOME_ORDER), TOTAL])

    def __repr__(self) -> str:
        counts = {o: 0 for o in OUTCOME_ORDER}
        for award in self.summary().values():
            for o, n in award.items():
                counts[o] += n
        text = "，".join(f"{OUTCOME_LABELS[o]} {counts[o]}" for o in OUTCOME_ORDER)
        return f"<评选结果 {self.year}年度：{len(self.summary())} 个奖项，{text}>"

    def _repr_html_(self) -> str:
        notes = [f"提示 {len(self.flags)} 条；规则文件 {Path(self.rules_path).name}。",
                 _table_hint("ev", RESULT_TABLE_LABELS)]
        return _html(f"{self.year}年度评选结果", [("", self.outcomes())], notes)


# --- the rules ----------------------------------------------------------------------------


class RulesView:
    """A year's rules in a notebook: the awards, and each award's criteria."""

    def table(self, part: str = "criteria") -> pd.DataFrame:
        """``"awards"`` (奖项) or ``"criteria"`` (评选条件): the criteria with each bound as
        the report states it (``≥ 30,000人``), its clause and the notice's wording."""
        key = _part(part, {"awards": "奖项", "criteria": "评选条件"})
        if key == "awards":
            rows = [[a.label, TRACK_LABELS.get(a.track, a.track), AWARD_KIND_LABELS.get(a.kind, a.kind),
                     a.clause, len(a.criteria)] for a in self.awards.values()]
            return pd.DataFrame(rows, columns=[HEADERS["award"], HEADERS["track"], "奖项类别", HEADERS["clause"],
                                               "条件数"])
        rows = []
        for a in self.awards.values():
            for c in a.criteria:
                metric = METRICS[c.metric].label if c.metric in METRICS else (c.metric or "")
                bound = QUALITATIVE_BOUND if c.qualitative else fmt_bound(c.op, c.bound_number(), c.unit)
                rows.append([a.label, c.label, c.clause, CRITERION_KIND_LABELS.get(c.kind, c.kind), metric,
                             bound, c.wording])
        return pd.DataFrame(rows, columns=[HEADERS["award"], HEADERS["label"], HEADERS["clause"],
                                           HEADERS["kind"], HEADERS["metric"], HEADERS["bound"],
                                           HEADERS["wording"]])

    def __repr__(self) -> str:
        n = sum(len(a.criteria) for a in self.awards.values())
        return f"<{self.year}年度评选规则：{len(self.awards)} 个奖项，{n} 项条件（{Path(self.path).name}）>"

    def _repr_html_(self) -> str:
        start, end = pd.Timestamp(self.period_start), pd.Timestamp(self.period_end)
        notes = [f"统计期间：{start:%Y-%m-%d %H:%M:%S} 至 {end:%Y-%m-%d %H:%M:%S}（北京时间）；"
                 f"规则文件 {Path(self.path).name}。",
                 _table_hint("rules", {"awards": "奖项", "criteria": "评选条件"})]
        frames = [("奖项", self.table("awards")), ("评选条件", self.table("criteria"))]
        return _html(f"{self.year}年度评选规则", frames, notes)

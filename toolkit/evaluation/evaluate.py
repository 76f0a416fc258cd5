"""Evaluate units (collectives) and nominees (individuals, innovation) against a year's
rules; collect flags and near misses into an :class:`~toolkit.evaluation.results.Evaluation`.

Every criterion is ``pass``, ``fail`` or ``unknown`` (its input is missing or its
denominator is zero; see :mod:`toolkit.evaluation.compare`). An outcome is
``not_eligible`` if any criterion fails, else ``needs_review`` if any is unknown, else
``eligible``. Qualitative criteria are always unknown, so nominees end at best in
``needs_review``. Which awards exist, their kinds, tracks and criteria come from the
rules file: the code knows metrics, not award keys or criterion ids.

The :class:`Evaluation` holds everything the report, the forms and the exports need
(unit names, metrics, labels), so they do not need the ``YearData`` again.
"""

from __future__ import annotations

import copy
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from toolkit import paths
from toolkit.evaluation.compare import deeds_chars, judge_period, judge_qualitative, judge_threshold
from toolkit.evaluation.flags import compute_flags, over_refund_flags
from toolkit.evaluation.near_misses import near_misses
from toolkit.evaluation.results import (
    Criterion,
    Evaluation,
    NomineeResult,
    UnitResult,
    json_ready,
    outcome_of,
)
from toolkit.ingest.contract import TRACKS
from toolkit.metrics.compute import exact_value, int_or_none, unit_metrics
from toolkit.metrics.format import fmt_int
from toolkit.metrics.registry import METRICS, RATIOS, TRACK_METRICS, metric_label
from toolkit.vocabulary import TABLE_LABELS

# --- unknown reasons ---------------------------------------------------------------


def unknown_reason(metric: str, row: dict, present: set[str], track: str) -> str:
    """Why ``metric`` of a unit is unknown, in words: the missing table (by its label),
    the missing row, or the zero denominator."""
    m = METRICS.get(metric)
    if m is None:
        return "缺少数据"
    missing = [t for t in m.needs(track) if t not in present]
    if missing:
        text = f"缺少{TABLE_LABELS.get(missing[0], missing[0])}"
        return f"{text}，{m.absent_note}" if m.absent_note else text
    if m.is_ratio:
        d = row.get(m.denominator)
        if d is None or d is pd.NA or (isinstance(d, float) and pd.isna(d)):
            den = METRICS.get(m.denominator)
            return den.missing_row if den and den.missing_row else "缺少计算所需数据"
        if int(d) == 0:
            return f"{metric_label(m.denominator.replace('_fen', ''))}为 0，比例无法计算"
        return "缺少计算所需数据"
    return m.missing_row or "缺少数据"


# --- evaluation ----------------------------------------------------------------------


def evaluate(year_data, rules, engine: str = "duckdb") -> Evaluation:
    """Evaluate every unit and nominee of ``year_data`` against ``rules``; ``engine``
    runs the metric SQL (``duckdb`` or ``spark``, see :mod:`toolkit.metrics.engine`)."""
    warns: list[str] = []
    if (pd.Timestamp(year_data.period_start) != rules.period_start
            or pd.Timestamp(year_data.period_end) != rules.period_end):
        msg = (f"the data's period {year_data.period_start} .. {year_data.period_end} differs from the rules' "
               f"{rules.period_start} .. {rules.period_end}; metrics use the rules' period")
        warns.append(msg)
        warnings.warn(msg, stacklevel=2)
    yd = _with_period(year_data, rules)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="toolkit-flags") as pool:
        # the over-refund lookup needs no metrics: on DuckDB (which releases the GIL) it
        # runs beside the metric query and the judging (a Spark session's temporary
        # views are shared, so there it runs in turn)
        over = pool.submit(over_refund_flags, yd, engine) if engine == "duckdb" else None
        return _evaluate(yd, rules, engine, warns, over)


def _evaluate(yd, rules, engine: str, warns: list[str], over) -> Evaluation:
    present = set(yd.tables)
    metrics = unit_metrics(yd, as_of=rules.as_of, engine=engine)
    names = yd.unit_names()
    noms = yd.tables.get("nominations")
    noms = _nominations_frame(noms, rules)
    contract_counts = _contract_counts(yd)

    collective: list[UnitResult] = []
    nominations_of = _collective_nominations(noms)
    records = metrics.to_dict("records")
    for row in records:
        for award in rules.awards_of("collective", row["track"]):
            crits = [judge_unit(rc, row, rules, present) for rc in award.criteria]
            nom = _collective_nomination(nominations_of.get((award.key, row["unit_id"])), award.key, row["unit_id"])
            collective.append(UnitResult(
                track=row["track"], unit_id=row["unit_id"], unit_name=row["unit_name"],
                metrics=_metrics_json(row), criteria=crits, outcome=outcome_of(crits),
                nominated=nom is not None, award=award.key, award_label=award.label,
                nominee=_text(nom.get("nominee")) if nom else None,
                nomination_row=int_or_none(nom.get("row")) if nom else None,
                deeds_chars=deeds_chars(nom.get("deeds")) if nom else None,
            ))
    torder = {t: i for i, t in enumerate(TRACKS)}
    collective.sort(key=lambda u: (torder.get(u.track, 9), u.unit_id))

    individual, innovation = [], []
    for rec in noms.to_dict("records") if noms is not None else []:
        award = rules.awards.get(rec["category"])
        if award is None or award.kind not in ("individual", "innovation"):
            continue
        res = _nominee(rec, award, rules, names, contract_counts)
        (individual if award.kind == "individual" else innovation).append(res)
    key = lambda n: (torder.get(n.track, 9), n.category, n.unit_id or "", n.row if n.row is not None else -1,  # noqa: E731
                     n.nominee or "")
    individual.sort(key=key)
    innovation.sort(key=key)

    flags = compute_flags(yd, rules, metrics, engine=engine, records=records,
                          over_refund=over.result() if over is not None else None)
    near = near_misses(collective)

    return Evaluation(
        year=rules.year, period_start=rules.period_start, period_end=rules.period_end, as_of=rules.as_of,
        rules_path=_rules_path(rules.path), rules_sha256=rules.sha256,
        collective=collective, individual=individual, innovation=innovation, flags=flags,
        near_misses=near, ledger=[json_ready(e) for e in yd.ledger], metrics=metrics, unit_names=names,
        award_labels=rules.labels(), award_kinds={k: a.kind for k, a in rules.awards.items()},
        criterion_labels={k: {c.id: c.label for c in a.criteria} for k, a in rules.awards.items()},
        rsvp_deadline=rules.rsvp_deadline, near_limit_share=float(rules.near_limit_share),
        missing_tables=list(getattr(yd, "missing_tables", []) or []), warnings=warns,
        review={"files": [], "corrections": list(getattr(yd, "corrections", []) or [])},
    )


def _with_period(year_data, rules):
    """The year data seen through the rules' period (a shallow copy when they differ)."""
    if (pd.Timestamp(year_data.period_start) == rules.period_start
            and pd.Timestamp(year_data.period_end) == rules.period_end):
        return year_data
    yd = copy.copy(year_data)
    yd.period_start, yd.period_end = rules.period_start, rules.period_end
    return yd


def _rules_path(p: Path) -> str:
    """The rules file as evaluation.json names it: relative to the project folder when it
    lies inside it (``rules/2022.yaml``), else absolute; never relative to the current
    directory, so the same inputs give the same bytes wherever the run starts."""
    p = Path(p).resolve()
    try:
        return p.relative_to(paths.PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def _text(v):
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return None
    s = str(v).strip()
    return s or None


def _metrics_json(row: dict) -> dict:
    out = {}
    for m in TRACK_METRICS[row["track"]]:
        v = row.get(m)
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
            out[m] = None
        elif isinstance(v, pd.Timestamp):
            out[m] = v.date().isoformat()
        elif METRICS[m].is_money:
            out[m] = int(row[METRICS[m].fen_column]) / 100
        elif m in RATIOS:
            out[m] = float(v)
        else:
            out[m] = int(v)
    return out


def _nominations_frame(noms, rules):
    """The nominations with each row's award kind and track (from the rules' awards)."""
    if noms is None or noms.empty:
        return None
    noms = noms.copy()
    if "kind" not in noms.columns:
        noms["kind"] = noms["category"].map(lambda c: getattr(rules.awards.get(c), "kind", None))
    if "track" not in noms.columns:
        noms["track"] = noms["category"].map(lambda c: getattr(rules.awards.get(c), "track", None))
    if "row" not in noms.columns:
        noms["row"] = range(2, len(noms) + 2)
    return noms


def _collective_nominations(noms) -> dict:
    """{(category, unit_id): that unit's nomination rows}, so that each unit's lookup
    filters a few rows rather than the whole table (a province has ~250 units)."""
    if noms is None or noms.empty:
        return {}
    groups = noms.groupby(["category", "unit_id"], sort=False, dropna=True).indices
    return {key: noms.iloc[pos] for key, pos in groups.items()}


def _collective_nomination(noms, award_key: str, unit_id: str) -> dict | None:
    if noms is None:
        return None
    m = noms[(noms["category"] == award_key) & (noms["unit_id"] == unit_id)]
    if m.empty:
        return None
    return m.sort_values("row").iloc[0].to_dict()


def _contract_counts(yd) -> dict[tuple[str, str], int] | None:
    c = yd.tables.get("contracts")
    if c is None:
        return None
    return {(u, t): int(n) for (u, t), n in c.groupby(["unit_id", "track"]).size().items()}


def judge_unit(rc, row: dict, rules, present: set[str]) -> Criterion:
    """One criterion of a collective award applied to a unit's metrics row (as
    :func:`toolkit.metrics.compute.unit_metrics` gives it). ``present`` names the input
    tables the year has. A criterion in months compares the date the metric holds plus
    the months with the rules' ``as_of`` date (and fails when the metric's end date,
    such as a contract's termination, falls on or before it)."""
    if rc.qualitative:
        return judge_qualitative(rc)
    m = METRICS[rc.metric]
    if rc.unit == "months":
        start = row.get(rc.metric)
        start = None if start is None or pd.isna(start) else start
        end = row.get(m.ends_with) if m.ends_with else None
        tables_present = all(t in present for t in m.needs(row["track"]))
        return judge_period(rc, start, rules.as_of, label=m.label, terminated=end,
                            unknown_reason=unknown_reason(rc.metric, row, present, row["track"]),
                            missing_fails=m.missing_fails if tables_present else None)
    value = exact_value(row, rc.metric)
    reason = None if value is not None else unknown_reason(rc.metric, row, present, row["track"])
    return judge_threshold(rc, value, label=m.label, unknown_reason=reason)


def _nominee_values(rec: dict, award, contract_counts) -> dict:
    """The nominee metrics of a nomination row: value, or (None, reason)."""
    unit_id = _text(rec.get("unit_id"))
    chars = deeds_chars(rec.get("deeds"))
    started = rec.get("started_on")
    started = None if started is None or pd.isna(started) else pd.Timestamp(started)
    if unit_id is None:
        contracts = (None, "推荐单位无法识别")
    elif contract_counts is None:
        contracts = (None, f"缺少{TABLE_LABELS['contracts']}")  # the table, not the row
    else:
        contracts = (contract_counts.get((unit_id, award.track), 0), None)
    return {
        "started_on": (started, METRICS["started_on"].missing_row),
        "deeds_chars": (chars, METRICS["deeds_chars"].missing_row),
        "unit_contracts": contracts,
    }


def judge_nominee(rc, values: dict, rules) -> Criterion:
    """One criterion of an individual or innovation award applied to a nominee's values
    (:func:`_nominee_values`: metric -> (value, why unknown))."""
    if rc.qualitative:
        return judge_qualitative(rc)
    m = METRICS[rc.metric]
    value, why = values.get(rc.metric, (None, f"指标“{m.label}”不适用于推荐人选"))
    if rc.unit == "months":
        return judge_period(rc, value, rules.as_of, label=m.label, unknown_reason=why)
    text = None
    if value is not None and m.unit == "characters":
        text = f"{m.subject} {fmt_int(value)} {m.display}（不计空白）"
    return judge_threshold(rc, value, label=m.subject, unknown_reason=None if value is not None else why,
                           value_text=text)


def _nominee(rec: dict, award, rules, names: dict, contract_counts) -> NomineeResult:
    unit_id = _text(rec.get("unit_id"))
    values = _nominee_values(rec, award, contract_counts)
    started, chars = values["started_on"][0], values["deeds_chars"][0]
    crits = [judge_nominee(rc, values, rules) for rc in award.criteria]
    qual = [{"id": rc.id, "label": rc.label, "clause": rc.clause, "wording": rc.wording}
            for rc in award.criteria if rc.qualitative]
    return NomineeResult(
        category=award.key, track=award.track, kind=award.kind, unit_id=unit_id,
        unit_name=names.get(unit_id) if unit_id else None,
        nominee=_text(rec.get("nominee")) or (names.get(unit_id) if award.kind == "innovation" and unit_id else None),
        row=int_or_none(rec.get("row")), deeds_chars=chars, criteria=crits, outcome=outcome_of(crits),
        qualitative=qual, award_label=award.label,
        started_on=started.date().isoformat() if started is not None else None,
        deeds=_text(rec.get("deeds")), unit_leader=_text(rec.get("unit_leader")),
        contact_name=_text(rec.get("contact_name")), contact_title=_text(rec.get("contact_title")),
        contact_phone=_text(rec.get("contact_phone")),
    )

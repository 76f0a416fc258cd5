"""``evaluation.json`` back into the result types: :func:`evaluation_from_dict` rebuilds
the :class:`~toolkit.evaluation.evaluate.Evaluation` (with its UnitResult,
NomineeResult, Criterion, Flag and NearMiss objects) whose ``to_dict()`` equals the file.

What the file does not hold is rebuilt from what it holds or left empty: ``metrics``
is the frame of the collective results' metrics (one row per track and unit, JSON
values: yuan, not fen), ``unit_names`` the names the results carry, and
``near_limit_share`` and the nominees' contact fields (which never reach the file)
are None. A late-refund flag's :class:`~toolkit.evaluation.flags.IfCounted` is
judged again from the rate the file holds and its unit's refund criterion.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.evaluation.flags import Flag, if_counted
from toolkit.evaluation.results import (
    Criterion,
    Evaluation,
    NearMiss,
    NomineeResult,
    UnitResult,
    json_field_names,
)

#: the keys of Criterion.to_dict() that are fields; any other key is ``detail``
_CRITERION_FIELDS = json_field_names(Criterion)
_FLAG_FIELDS = tuple(f.name for f in dataclasses.fields(Flag) if f.name not in ("details", "if_counted"))


def _of_fields(cls, d: dict, **read) -> Any:
    """``cls`` from the keys of ``d`` that are its JSON fields; ``read`` as given."""
    return cls(**{k: d[k] for k in json_field_names(cls) if k in d and k not in read}, **read)


def criterion_from_dict(d: dict) -> Criterion:
    fields = {k: d.get(k) for k in _CRITERION_FIELDS}
    detail = {k: v for k, v in d.items() if k not in _CRITERION_FIELDS}
    return Criterion(**fields, detail=detail)


def _criteria(d: dict) -> list[Criterion]:
    return [criterion_from_dict(c) for c in d.get("criteria", [])]


def unit_result_from_dict(d: dict) -> UnitResult:
    return _of_fields(UnitResult, d, unit_name=d.get("unit_name"), metrics=dict(d.get("metrics") or {}),
                      criteria=_criteria(d), nominated=bool(d.get("nominated")))


def nominee_from_dict(d: dict) -> NomineeResult:
    return _of_fields(NomineeResult, d, criteria=_criteria(d), qualitative=list(d.get("qualitative") or []),
                      **{k: d.get(k) for k in ("unit_id", "unit_name", "nominee", "row", "deeds_chars")})


def refund_criteria(collective: list[UnitResult]) -> dict[tuple[str, str], Criterion]:
    """The refund-rate criterion of each (track, unit_id) whose first collective result
    (that of the track's first collective award, whose bound the flags use) has one."""
    out: dict[tuple[str, str], Criterion] = {}
    seen: set[tuple[str, str]] = set()
    for u in collective:
        if (u.track, u.unit_id) in seen:
            continue
        seen.add((u.track, u.unit_id))
        crit = next((c for c in u.criteria if c.metric == "refund_rate" and c.bound is not None), None)
        if crit is not None:
            out[(u.track, u.unit_id)] = crit
    return out


def flag_from_dict(d: dict, refund: dict[tuple[str, str], Criterion] | None = None) -> Flag:
    """A flag of the file; a late-refund flag's rate if counted is judged against its
    unit's refund criterion (``refund``, :func:`refund_criteria`), as evaluate judged it
    against the track's award: the file quotes that rate only where the award bounds it."""
    details = dict(d.get("details") or {})
    crit = (refund or {}).get((d.get("track"), d.get("unit_id")))
    rate = details.get("refund_rate_if_counted")
    counted = None
    if d.get("kind") == "refunds_after_cutoff" and rate is not None and crit is not None:
        counted = if_counted(rate, crit.op, crit.bound)
    return Flag(**{k: d.get(k) for k in _FLAG_FIELDS}, details=details, if_counted=counted)


def near_miss_from_dict(d: dict) -> NearMiss:
    return _of_fields(NearMiss, d, unit_name=d.get("unit_name"), failed=list(d.get("failed") or []),
                      message=d.get("message", ""), nominated=bool(d.get("nominated")))


def _timestamp(text: str) -> pd.Timestamp:
    """``2022-01-01T00:00:00+08:00`` as the tz-naive Beijing time evaluate holds."""
    return pd.Timestamp(text[:19])


def metrics_frame(collective: list[UnitResult]) -> pd.DataFrame:
    """One row per (track, unit_id) with the results' metrics (JSON values)."""
    return pd.DataFrame([{"track": u.track, "unit_id": u.unit_id, "unit_name": u.unit_name, **u.metrics}
                         for u in collective], columns=None if collective else ["track", "unit_id", "unit_name"])


def evaluation_from_dict(d: dict) -> Evaluation:
    """The Evaluation that ``evaluation.json`` (``d``) was written from."""
    collective = [unit_result_from_dict(u) for u in d.get("collective", [])]
    individual = [nominee_from_dict(n) for n in d.get("individual", [])]
    innovation = [nominee_from_dict(n) for n in d.get("innovation", [])]
    names: dict[str, str] = {}
    for r in [*collective, *individual, *innovation]:
        if r.unit_id and r.unit_name:
            names.setdefault(r.unit_id, r.unit_name)
    labels = d.get("labels") or {}
    rsvp = d.get("rsvp_deadline")
    refund = refund_criteria(collective)
    return Evaluation(
        year=d["year"], period_start=_timestamp(d["period"]["start"]),
        period_end=_timestamp(d["period"]["end"]), as_of=dt.date.fromisoformat(d["as_of"]),
        rules_path=d["rules"]["path"], rules_sha256=d["rules"]["sha256"],
        collective=collective, individual=individual, innovation=innovation,
        flags=[flag_from_dict(f, refund) for f in d.get("flags", [])],
        near_misses=[near_miss_from_dict(m) for m in d.get("near_misses", [])],
        ledger=list(d.get("ledger") or []), metrics=metrics_frame(collective), unit_names=names,
        award_labels=dict(labels.get("awards") or {}), criterion_labels=dict(labels.get("criteria") or {}),
        rsvp_deadline=dt.date.fromisoformat(rsvp) if rsvp else None, near_limit_share=None,
        missing_tables=list(d.get("missing_tables") or []), warnings=list(d.get("warnings") or []),
        review={**(d.get("review") or {}), "files": list((d.get("review") or {}).get("files") or []),
                "corrections": list((d.get("review") or {}).get("corrections") or [])})


def evaluation_from_json(path: str | Path) -> Evaluation:
    """The Evaluation of an ``evaluation.json`` file."""
    return evaluation_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

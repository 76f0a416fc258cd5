"""``toolkit run --years``: a span of years, each evaluated with its own rules into its
own output folder exactly as ``run --year`` does, then the index of the span
(``<out>/index.html``, ``index.pdf``); docs/years.md.

The span's :class:`~toolkit.pipeline.spec.RunSpec` names the folders:
``data_dir`` is the parent of the years' data folders (``<data_dir>/<year>``,
default ``data/<year>``), ``out`` the parent of the years' reports (``<out>/<year>``,
default ``reports/<year>``; the index in the parent), ``rules`` a folder holding
``<year>.yaml`` (default ``rules/<year>.yaml``, as ``run --year`` finds it).

A year whose published run is current (:mod:`toolkit.pipeline.unchanged`: the same
inputs, rules, toolkit version and code, parameters and previous year) is kept, not
recomputed (``force`` recomputes it anyway). With ``per_unit`` a year is recomputed
too when an earlier year of the span was, since its unit reports show the earlier
years. The index is rebuilt when a year was recomputed or anything it records
(``index.json``: the years, their manifests' hashes, the code, the formats) differs.
Every year's parameters are checked before the first year starts.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import paths
from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.ingest.snapshot import sha256_of
from toolkit.outputs.files import atomic_write
from toolkit.outputs.index.write import INDEX_HTML, INDEX_PDF, write_index
from toolkit.pipeline.lock import year_lock
from toolkit.pipeline.run import run_year
from toolkit.pipeline.spec import RunSpec
from toolkit.pipeline.unchanged import code_hash, why_run

log = logging.getLogger(__name__)

INDEX_STATE = "index.json"
YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_SPAN = 30  # years in one --years


def parse_years(text: str) -> list[int]:
    """``2021-2023`` -> [2021, 2022, 2023]; ``2021,2023`` -> [2021, 2023]; ranges and
    years may be mixed (``2018-2020,2022``). Raises ParameterError for anything else
    (a reversed range, a repeated year, a year out of range)."""
    years: list[int] = []
    for part in str(text).split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", part)
        if not m:
            raise ParameterError(_("--years: {part!r} is not a year or a range of years").format(part=part),
                                 value=text, expected="e.g. 2021-2023 or 2021,2023")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise ParameterError(_("--years: the range {part} ends before it starts").format(part=part), value=text,
                                 expected=f"{last}-{first}")
        years += range(first, last + 1)
    bad = [y for y in years if not YEAR_MIN <= y <= YEAR_MAX]
    if bad:
        raise ParameterError(_("--years: {bad} is not between {YEAR_MIN} and {YEAR_MAX}").format(bad=bad[0], YEAR_MIN=YEAR_MIN, YEAR_MAX=YEAR_MAX), value=text)
    if len(set(years)) != len(years):
        raise ParameterError(_("--years: a year is named twice"), value=text)
    if len(years) > MAX_SPAN:
        raise ParameterError(_("--years: at most {MAX_SPAN} years in one run").format(MAX_SPAN=MAX_SPAN), value=text)
    return sorted(years)


@dataclass
class YearOutcome:
    """What the span did with one year."""

    year: int
    out_dir: Path
    recomputed: bool
    reason: str | None = None  # why it was recomputed


@dataclass
class SpanResult:
    years: list[YearOutcome] = field(default_factory=list)
    index: Path | None = None  # index.html
    index_rebuilt: bool = False

    @property
    def recomputed(self) -> list[int]:
        return [y.year for y in self.years if y.recomputed]


def index_folder(years: Sequence[int], out=None) -> Path:
    """Where the index of the span goes: ``out``, or the parent of the years' reports."""
    return Path(out).expanduser() if out else paths.reports_dir(years[0]).parent


def _manifest_sha(out_dir: Path) -> str | None:
    p = out_dir / "manifest.json"
    return sha256_of(p) if p.is_file() else None


def _index_state(outcomes: list[YearOutcome], formats) -> dict:
    return {"years": [o.year for o in outcomes],
            "manifests": {str(o.year): _manifest_sha(o.out_dir) for o in outcomes},
            "run_dirs": {str(o.year): str(o.out_dir) for o in outcomes},
            "code_sha256": code_hash(), "formats": sorted(set(formats))}


def _index_current(index_dir: Path, state: dict) -> bool:
    try:
        recorded = json.loads((index_dir / INDEX_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = [INDEX_HTML] + ([INDEX_PDF] if "pdf" in state["formats"] else [])
    return recorded == state and all((index_dir / f).is_file() for f in wanted)


def run_years(years: Iterable[int] | str, spec: RunSpec | None = None) -> SpanResult:
    """Evaluate every year of ``years`` (a list, or text such as ``"2021-2023"``) into
    its own output folder as ``spec`` asks (its folders the parents of the years',
    :meth:`RunSpec.in_span`), skipping the years whose published run is current (but
    with ``spec.force``), then write the span's index. Raises what :func:`run_year`
    raises; a failing year stops the span (the years before it stay published, the
    index is not rebuilt)."""
    spec = spec or RunSpec()
    span = parse_years(years) if isinstance(years, str) else sorted(set(int(y) for y in years))
    if not span:
        raise ParameterError(_("--years names no year"), expected="e.g. 2021-2023")
    planned = [spec.in_span(year) for year in span]  # every year checked before any work
    index_dir = index_folder(span, spec.out)
    result = SpanResult()
    earlier_recomputed = False
    for one in planned:
        reason = "--force" if spec.force else why_run(one)
        if reason is None and spec.per_unit and earlier_recomputed:
            reason = _("an earlier year was recomputed (the unit reports show it)")
        if reason is None:
            log.debug("%s: unchanged, kept", one.year)  # the command line's summary says it once
            result.years.append(YearOutcome(one.year, one.out, False))
            continue
        log.info(_("%s: recomputing (%s)"), one.year, reason)
        run_year(one)
        earlier_recomputed = True
        result.years.append(YearOutcome(one.year, one.out, True, reason))
    fmts = planned[0].formats
    state = _index_state(result.years, fmts)
    with year_lock(index_dir / "index", spec.wait):
        if not result.recomputed and _index_current(index_dir, state):
            log.debug("index unchanged, kept: %s", index_dir / INDEX_HTML)
            result.index = index_dir / INDEX_HTML
            return result
        result.index = write_index(index_dir, [o.out_dir for o in result.years], formats=fmts)
        if "pdf" not in fmts:
            (index_dir / INDEX_PDF).unlink(missing_ok=True)  # an older index's, now stale
        atomic_write(index_dir / INDEX_STATE,
                     (json.dumps(state, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        result.index_rebuilt = True
    return result

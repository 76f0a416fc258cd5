"""The report's data in a run folder, and :func:`open_run` (``toolkit.open_run``).

``toolkit run`` writes ``evaluation.json`` (the export stage) and ``internal/report/``:

* ``meta.json``: the generation time, the data folder's name, the units' names, the
  rules file's name, the previous year's number, period and note;
* ``monthly.parquet``: payments and refunds in fen per track, unit and month (sums:
  no row-level data, no trainee ids);
* ``quarantine.parquet``: quarantined rows counted per table and reason;
* ``unaccepted.parquet``: the nominations that could not be used (unit and category
  as written, the reason, the nearest award), for 申报未受理;
* ``previous_metrics.parquet``: the previous year's unit metrics (when compared);
* a copy of the rules file, under its own name.

The notebooks open the folder (``open_run(run_dir)``), so an executed notebook re-run
by hand shows the same figures as the published report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from toolkit import paths
from toolkit.evaluation.serialize import evaluation_from_json
from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.outputs.report.context import PreviousYear, ReportContext, empty_unaccepted
from toolkit.rules.load import load_rules

REPORT_DATA_DIR = Path("internal") / "report"
META = "meta.json"
MONTHLY = "monthly.parquet"
QUARANTINE = "quarantine.parquet"
PREVIOUS = "previous_metrics.parquet"
UNACCEPTED = "unaccepted.parquet"


def write_report_data(ctx: ReportContext, run_dir: Path) -> list[Path]:
    """Write ``internal/report/`` of ``ctx`` into ``run_dir``; return the paths."""
    d = Path(run_dir) / REPORT_DATA_DIR
    d.mkdir(parents=True, exist_ok=True)
    rules_src = Path(ctx.rules.path)
    meta = {
        "year": ctx.year,
        "generated_at": ctx.generated_at,
        "data_dir_name": ctx.data_dir_name,
        "rules_file": rules_src.name,
        "unit_names": dict(sorted(ctx.unit_names.items())),
        "previous": None if ctx.previous is None else {"year": ctx.previous.year,
                                                       "period": ctx.previous.period},
        "previous_note": ctx.previous_note,
    }
    written = [d / META, d / MONTHLY, d / QUARANTINE, d / UNACCEPTED, d / rules_src.name]
    (d / META).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ctx.monthly.to_parquet(d / MONTHLY, index=False)
    ctx.quarantine_counts.to_parquet(d / QUARANTINE, index=False)
    (ctx.unaccepted if ctx.unaccepted is not None else empty_unaccepted()).to_parquet(d / UNACCEPTED, index=False)
    shutil.copyfile(rules_src, d / rules_src.name)
    if ctx.previous is not None:
        ctx.previous.metrics.to_parquet(d / PREVIOUS, index=False)
        written.append(d / PREVIOUS)
    return written


def open_run(path: str | Path = "", year: int | None = None) -> ReportContext:
    """The report context of a run folder (``reports/<year>`` when ``path`` is empty).

    Reads ``evaluation.json`` and ``internal/report/`` only: no input data, so what it
    shows is what the run exported.
    """
    if not str(path):
        if year is None:
            raise ParameterError(_("open_run needs a run folder or a year"))
        path = paths.reports_dir(year)
    run_dir = Path(path)
    d = run_dir / REPORT_DATA_DIR
    if not (run_dir / "evaluation.json").is_file() or not (d / META).is_file():
        raise ParameterError(
            _("{value} is not a run folder (evaluation.json and {value2} are missing)").format(value=run_dir.absolute(), value2=REPORT_DATA_DIR / META), file=run_dir,
            hint=_("run `toolkit run --year <year>` first, or pass the folder it wrote"))
    meta = json.loads((d / META).read_text(encoding="utf-8"))
    if year is not None and int(meta["year"]) != int(year):
        raise ParameterError(_("{run_dir} holds the run of {meta}, not {year}").format(run_dir=run_dir, meta=meta['year'], year=year), file=run_dir)
    evaluation = evaluation_from_json(run_dir / "evaluation.json")
    names = dict(meta.get("unit_names") or {})
    evaluation.unit_names = {**evaluation.unit_names, **names}
    rules = load_rules(int(meta["year"]), d / meta["rules_file"])
    previous = None
    if meta.get("previous") and (d / PREVIOUS).is_file():
        previous = PreviousYear(year=int(meta["previous"]["year"]), period=meta["previous"]["period"],
                                metrics=pd.read_parquet(d / PREVIOUS))
    return ReportContext(
        year=int(meta["year"]), rules=rules, evaluation=evaluation,
        monthly=pd.read_parquet(d / MONTHLY), quarantine_counts=pd.read_parquet(d / QUARANTINE),
        unit_names=names, data_dir_name=meta.get("data_dir_name", ""), previous=previous,
        previous_note=meta.get("previous_note", ""), out_dir=run_dir,
        generated_at=meta.get("generated_at", ""),
        unaccepted=pd.read_parquet(d / UNACCEPTED) if (d / UNACCEPTED).is_file() else empty_unaccepted())

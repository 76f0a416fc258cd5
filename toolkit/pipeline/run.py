"""The whole run of a year: checks, lock, staging folder, stages, atomic replacement,
manifest (docs/interfaces.md, "What a run writes").

A run

1. checks its parameters before anything starts (a missing data folder or rules file,
   an output folder that cannot be written, is an error naming the path: exit 2);
2. takes the lock of the output folder, resolved (:mod:`toolkit.pipeline.outdir`,
   :mod:`toolkit.pipeline.lock`); a second run of the same output waits ``wait``
   seconds, then stops with :class:`~toolkit.exceptions.LockedError`;
3. reads the year once and evaluates it, so input errors stop the run before any
   kernel starts;
4. writes everything into a staging folder beside the output folder
   (:mod:`toolkit.pipeline.publish`): the tables, the forms, the report's data
   (``internal/report/``), the executed notebook, the HTML and the PDF, the per-unit
   reports, the manifest;
5. only when every stage succeeded, makes the staging folder a run folder and switches
   the output folder's link to it in one rename (:mod:`toolkit.pipeline.runs`; file by
   file, the manifest last, where symbolic links cannot be made).

The notebook runs with the staging folder as its working folder and ``run_dir="."``:
it reads the run folder only (``toolkit.open_run``), so the published
``evaluation.ipynb``, re-run in JupyterLab from its own folder, shows the same figures.

A failed run leaves the previous report as it was. When a notebook cell fails, the
notebook as far as it ran is kept for debugging in ``<out>/failed/`` (replaced by the
next failure, removed by the next successful run), and the error names the stage, the
cell and the exception.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import shutil
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from toolkit.clean.period import Period
from toolkit.clean.year import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import RunError, ToolkitError
from toolkit.i18n import gettext as _
from toolkit.logs import quiet_library_logs
from toolkit.outputs.changes import changes_since_published, summary_line, write_changes
from toolkit.outputs.final.write import FINAL_DIR, write_final
from toolkit.outputs.forms.write import write_forms
from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import html, pdf, sections
from toolkit.outputs.report.context import ReportContext
from toolkit.outputs.report.format import now_text
from toolkit.outputs.report.history import write_history
from toolkit.outputs.report.store import write_report_data
from toolkit.outputs.tables import csv_bytes, write_outputs
from toolkit.pipeline import notebook, runs
from toolkit.pipeline.inprocess import execute_in_process
from toolkit.pipeline.lock import year_lock
from toolkit.pipeline.manifest import now, write_manifest
from toolkit.pipeline.names import unit_file_stems
from toolkit.pipeline.outdir import write_denied
from toolkit.pipeline.previous import load_previous_year
from toolkit.pipeline.publish import FAILED_DIR, WORK_DIR, keep_failed, new_staging, publish
from toolkit.pipeline.spec import RunSpec
from toolkit.pipeline.unit_reports import keep_unit_reports
from toolkit.review.cycle import review_cycle
from toolkit.review.objections import check_objections
from toolkit.rules.load import load_rules

log = logging.getLogger(__name__)

class Stages:
    """Times each stage; turns an unexpected exception into a RunError naming it (a
    write refused in or beside ``out_dir`` into a ParameterError naming the folder)."""

    def __init__(self, out_dir: Path | None = None) -> None:
        self.timings: dict[str, float] = {}
        self.out_dir = out_dir

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        log.info(_("stage %s"), name)
        t0 = time.perf_counter()
        try:
            yield
        except ToolkitError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported with the stage's name
            denied = write_denied(exc, self.out_dir) if self.out_dir is not None else None
            if denied is not None:
                raise denied from exc
            raise RunError(f"{type(exc).__name__}: {exc}", stage=name) from exc
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - t0, 3)


def _notebook(name: str) -> Path:
    nb = notebook.NOTEBOOKS_DIR / name
    if not nb.is_file():
        raise RunError(_("the notebook {nb} is missing from the installation").format(nb=nb), stage="check",
                       hint=_("run from a checkout of the project (make setup installs it editable)"))
    return nb


def _load(spec: RunSpec, stages: Stages):
    """The year's rules, and its data read and cleaned in their period."""
    with stages("load"):
        rules = load_rules(spec.year, spec.rules)
        yd = load_year(spec.year, spec.data_dir, period=Period.of(rules), use_cache=spec.use_cache,
                       progress=bool(spec.progress and sys.stderr.isatty()))
    return rules, yd


def safe_name(unit_id: str) -> str:
    """A unit_id as a file name (ids are codes such as U001; anything else is replaced)."""
    return re.sub(r"[^0-9A-Za-z._-]", "_", str(unit_id)).strip(".") or "unit"


def write_quarantine(year_data, dest: Path) -> list[Path]:
    """``internal/quarantine/<table>.csv``: the rows not used, with file, sheet, row,
    column, value, reason and suggestion, as ``clean`` masked them (ID and phone numbers
    but for their last four digits). Internal: never shared."""
    q = year_data.quarantine
    if q is None or len(q) == 0:
        return []
    dest.mkdir(parents=True, exist_ok=True)
    cols = [c for c in ("file", "sheet", "row", "column", "value", "reason", "suggestion", "raw")
            if c in q.columns]
    written = []
    for table_name, g in q.groupby("table", sort=True):
        g = g.sort_values(["file", "row"], kind="stable")
        rows = [[None if v is None or v != v else v for v in r]
                for r in g[cols].astype(object).itertuples(index=False, name=None)]
        path = dest / f"{safe_name(table_name)}.csv"
        path.write_bytes(csv_bytes(cols, rows))
        written.append(path)
    return written


# --- the run ----------------------------------------------------------------------------


def run_year(spec: RunSpec) -> Path:
    """The whole evaluation of ``spec.year`` into ``spec.out`` (default
    ``reports/<year>``), as :class:`~toolkit.pipeline.spec.RunSpec` asks (checked here
    first); ``spec.force`` is the caller's (:func:`toolkit.pipeline.unchanged.kept_run`).

    Returns the output folder. Raises :class:`ParameterError`/:class:`RulesError` and
    the input errors of ``load_year`` (exit 2), :class:`LockedError` and
    :class:`RunError` naming the stage (exit 1).
    """
    started = now()
    quiet_library_logs()
    spec = spec.checked()
    year, ddir, out_dir, fmts, per_unit = spec.year, spec.data_dir, spec.out, spec.formats, spec.per_unit
    nb_path = _notebook("evaluation.ipynb")
    unit_nb = _notebook("unit.ipynb") if per_unit else None
    stages = Stages(out_dir)
    with year_lock(out_dir, spec.wait):
        rules_obj, yd = _load(spec, stages)
        with stages("evaluate"):
            evaluation = evaluate(yd, rules_obj, engine=spec.engine)
        with stages("previous_year"):
            previous, previous_note = load_previous_year(year, ddir, rules_obj)
        with stages("staging"):
            staging = new_staging(out_dir)
        failed_rel: str | None = None
        unit_reports: dict[str, str] | None = None
        kept_units: tuple[dict[str, str], str] | None = None
        try:
            with stages("export"):
                evaluation = review_cycle(evaluation, rules_obj, ddir, staging, yd)  # docs/review-cycle.md
                evaluation = check_objections(evaluation, ddir, yd.tables.get("units"), rules=rules_obj)  # 异议登记.xlsx
                ctx = report_context.build(rules=rules_obj, year_data=yd, evaluation=evaluation,
                                           previous=previous, previous_note=previous_note,
                                           out_dir=staging, generated_at=now_text())
                write_outputs(evaluation, staging, unaccepted=ctx.unaccepted)
                write_final(evaluation, staging / FINAL_DIR, rules_obj.publicity)  # nothing before the review
                changes = changes_since_published(out_dir, evaluation, yd, rules_obj)  # before the switch
                write_changes(staging, changes)
                write_quarantine(yd, staging / "internal" / "quarantine")
                write_report_data(ctx, staging)
                if per_unit:  # years: the unit reports show the earlier years beside (docs/years.md)
                    write_history(staging, out_dir, year)
                else:  # the published run's unit reports kept, marked with the run that made them
                    kept_units = keep_unit_reports(out_dir, staging, year, now_text())
            with stages("forms"):
                write_forms(evaluation, yd, rules_obj, staging / "forms")
            nb_params = {"year": year, "run_dir": "."}
            with notebook.kernel() as kname:
                failed_rel = "evaluation.ipynb"
                with stages("notebook"):
                    notebook.execute_notebook(nb_path, staging / "evaluation.ipynb", nb_params,
                                              timeout=spec.timeout, cwd=staging, progress=spec.progress,
                                              kernel_name=kname, stage="notebook")
                failed_rel = None
                with stages("html"):
                    page = html.render_html(staging / "evaluation.ipynb", title=sections.report_title(ctx))
                    if "html" in fmts:
                        (staging / "evaluation.html").write_text(page, encoding="utf-8")
                if "pdf" in fmts:
                    with stages("pdf"):
                        pdf.render_pdf(page, staging / "evaluation.pdf")
                if per_unit:
                    with stages("units"):
                        unit_reports = _run_units(ctx, unit_nb, staging, fmts)
            with stages("manifest"):
                write_manifest(staging, spec, rules=rules_obj, year_data=yd,
                               previous=previous, started=started, timings=stages.timings, kernel=kname,
                               unit_reports=unit_reports if kept_units is None else kept_units[0],
                               unit_reports_run=None if kept_units is None else kept_units[1],
                               review_files=(evaluation.review or {}).get("files") or [],
                               roster=(evaluation.review or {}).get("roster"),
                               objections=(evaluation.review or {}).get("objections_file"))
            with stages("publish"):
                if runs.publish_run(staging, out_dir) is None:
                    publish(staging, out_dir)
                    shutil.rmtree(out_dir / FAILED_DIR, ignore_errors=True)
        except BaseException as exc:
            failed_rel = getattr(exc, "failed_rel", None) or failed_rel
            kept = keep_failed(staging, out_dir, failed_rel) if failed_rel else None  # never raises
            if kept is not None:  # said once: in the RunError's message, else logged
                if isinstance(exc, RunError):
                    exc.hint = f"the notebook as far as it ran is kept in {kept}"
                else:
                    log.error(_("the notebook as far as it ran: %s"), kept)
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.debug("%s: the run took %.1f s", year, (now() - started).total_seconds())  # the command line says where
    log.info("%s", summary_line(changes))
    return out_dir


#: processes that write the per-unit reports (each runs unit.ipynb in itself, no kernel)
UNIT_PROCESSES = 2


def unit_report(unit_nb: Path, staging: Path, fmts, year: int, uid: str, name: str, stem: str) -> str | None:
    """One unit's report (in a worker process): unit.ipynb run in the process, then
    HTML and PDF. Returns None, or the error message of the failed cell."""
    try:
        nb = execute_in_process(unit_nb, staging / WORK_DIR / "units" / f"{stem}.ipynb",
                                {"year": year, "run_dir": str(staging), "unit_id": uid}, stage=f"units ({uid})")
    except RunError as exc:
        return str(exc)
    page = html.render_html(nb, title=f"{name} {year}年度培训工作评估")
    if "html" in fmts:
        (staging / "units" / f"{stem}.html").write_text(page, encoding="utf-8")
    if "pdf" in fmts:
        pdf.render_pdf(page, staging / "units" / f"{stem}.pdf")
    return None


def _run_units(ctx: ReportContext, unit_nb: Path, staging: Path, fmts) -> dict[str, str]:
    """One report per unit (``units/<unit name>_<unit_id>.html``/``.pdf``, named by
    :mod:`toolkit.pipeline.names`) from ``unit.ipynb``, run without a kernel
    (:mod:`toolkit.pipeline.inprocess`) in :data:`UNIT_PROCESSES` worker processes. Each
    reads the staging folder by its absolute path. A failed unit notebook raises
    RunError carrying ``failed_rel``, the staged partial notebook that run_year keeps.
    Returns ``{unit_id: "units/<file name without extension>"}``."""
    ids = report_context.unit_ids(ctx)
    stems = unit_file_stems((uid, ctx.unit_name(uid)) for uid in ids)
    (staging / "units").mkdir(exist_ok=True)
    (staging / WORK_DIR / "units").mkdir(parents=True, exist_ok=True)
    # spawned, not forked: this process holds DuckDB's and pyarrow's threads
    with ProcessPoolExecutor(max_workers=UNIT_PROCESSES, mp_context=get_context("spawn")) as pool:
        futures = {uid: pool.submit(unit_report, unit_nb, staging, tuple(fmts), ctx.year, uid,
                                    ctx.unit_name(uid), stems[uid]) for uid in ids}
        for uid, future in futures.items():
            failed = future.result()
            if failed is not None:
                for other in futures.values():
                    other.cancel()
                exc = RunError(failed.split(": ", 1)[-1], stage=f"units ({uid})")
                exc.failed_rel = f"{WORK_DIR}/units/{stems[uid]}.ipynb"
                raise exc
            log.info(_("unit report %s written"), uid)
    return {uid: f"units/{stem}" for uid, stem in stems.items()}


def forms_only(spec: RunSpec) -> Path:
    """Read and evaluate ``spec.year`` and write only ``<out>/forms/`` (replaced as a
    whole, file by file, after all forms were written); the spec's folders and
    ``use_cache`` count, its formats and notebook options do not."""
    quiet_library_logs()
    spec = dataclasses.replace(spec, progress=False).checked()
    year, out_dir = spec.year, spec.out
    stages = Stages(out_dir)
    with year_lock(out_dir, 0):
        rules_obj, yd = _load(spec, stages)
        with stages("evaluate"):
            evaluation = evaluate(yd, rules_obj)
        with stages("forms"):
            staging = new_staging(out_dir)
        try:
            with stages("forms"):
                written = write_forms(evaluation, yd, rules_obj, staging / "forms")
            with stages("publish"):
                if runs.publish_run(staging, out_dir, only="forms") is None:
                    publish(staging, out_dir, prune_previous=False, replace_dirs=("forms",))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.debug("%d forms for %s written to %s", len(written), year, out_dir / "forms")
    return out_dir / "forms"

"""The whole run of a year: checks, lock, staging folder, stages, atomic replacement,
manifest (docs/interfaces.md, "What a run writes").

A run

1. checks its parameters before anything starts (a missing data folder or rules file
   is an error naming the path: exit 2);
2. takes the year's lock (``<reports>/.<name>.lock`` beside the output folder); a
   second run of the same output waits ``wait`` seconds, then stops with
   :class:`~toolkit.exceptions.LockedError`;
3. reads the year once and evaluates it, so input errors stop the run before any
   kernel starts;
4. writes everything into a staging folder beside the output folder (same file
   system): the tables, the forms, the executed notebook, the HTML and the PDF, the
   per-unit reports, the manifest;
5. only when every stage succeeded, renames each file into place (``os.replace``),
   the manifest last, and removes files an earlier run wrote that this run did not.

A failed run leaves the previous report as it was. When a notebook cell fails, the
notebook as far as it ran is kept for debugging in ``<out>/failed/`` (replaced by the
next failure, removed by the next successful run), and the error names the stage, the
cell and the exception.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from toolkit import __version__, paths
from toolkit.exceptions import LockedError, ParameterError, RulesError, RunError, ToolkitError
from toolkit.outputs import report

log = logging.getLogger(__name__)

FORMATS = ("html", "pdf")
MANIFEST = "manifest.json"
FAILED_DIR = "failed"
WORK_DIR = ".work"  # inside the staging folder: never published
STAGING_PREFIX = ".staging-"


# --- small pieces ---------------------------------------------------------------------


class Stages:
    """Times each stage; turns an unexpected exception into a RunError naming it."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        log.info("stage %s", name)
        t0 = time.perf_counter()
        try:
            yield
        except ToolkitError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported with the stage's name
            raise RunError(f"{type(exc).__name__}: {exc}", stage=name) from exc
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - t0, 3)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def lock_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.lock"


@contextlib.contextmanager
def year_lock(out_dir: Path, wait: float) -> Iterator[Path]:
    """Hold the lock of ``out_dir``; wait up to ``wait`` seconds for another run."""
    from filelock import FileLock, Timeout

    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=max(float(wait or 0), 0.0))
    except Timeout:
        raise LockedError(
            f"another run is writing {out_dir} (lock file {path}); it was still running after "
            f"waiting {wait or 0:g} s",
            hint="wait for it to finish, or pass --wait SECONDS to queue behind it",
        ) from None
    try:
        yield path
    finally:
        lock.release()


def _check(year: int, data_dir, rules, out, formats) -> tuple[Path, Path, Path, tuple[str, ...]]:
    ddir = paths.data_dir(year, data_dir)
    if not ddir.is_dir():
        raise ParameterError(
            f"the data folder of {year} does not exist: {ddir}",
            file=ddir, hint=f"put the year's exports there, pass --data-dir, or run "
            f"`toolkit demo-data --year {year}` for a synthetic year",
        )
    rpath = paths.rules_file(year, rules)
    if not rpath.is_file():
        raise RulesError(
            f"no rules file for {year}: {rpath} does not exist",
            file=rpath, hint=f"write rules/{year}.yaml (copy the previous year's and change what the "
            "new notice changes) or pass --rules",
        )
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in (formats or FORMATS)))
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise ParameterError(f"unknown format {bad[0] if bad else ''!r}", expected="html, pdf or html,pdf")
    out_dir = paths.reports_dir(year, out).absolute()
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(f"the output path is not a folder: {out_dir}", file=out_dir)
    return ddir.absolute(), rpath.absolute(), out_dir, fmts


def _notebook(name: str) -> Path:
    nb = report.NOTEBOOKS_DIR / name
    if not nb.is_file():
        raise RunError(f"the notebook {nb} is missing from the installation", stage="check",
                       hint="run from a checkout of the project (make setup installs it editable)")
    return nb


def _new_staging(out_dir: Path) -> Path:
    """A fresh staging folder beside ``out_dir``; stale ones of killed runs are removed
    (the caller holds the lock, so no other run is using them)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{STAGING_PREFIX}{os.getpid()}-",
                                    dir=out_dir.parent))
    (staging / WORK_DIR).mkdir()
    return staging


def _published_files(staging: Path) -> list[Path]:
    """Files to publish, relative to the staging folder, the manifest last."""
    files = [p.relative_to(staging) for p in staging.rglob("*")
             if p.is_file() and p.relative_to(staging).parts[0] != WORK_DIR]
    return sorted(files, key=lambda p: (p.as_posix() == MANIFEST, p.as_posix()))


def _previous_outputs(out_dir: Path) -> set[str]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {o["path"] for o in data.get("outputs", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def publish(staging: Path, out_dir: Path, *, prune_previous: bool = True,
            replace_dirs: Sequence[str] = ()) -> list[str]:
    """Rename every staged file into ``out_dir`` (``os.replace``, same file system),
    the manifest last; then remove what an earlier run wrote that this one did not
    (with ``prune_previous``, the files the old manifest lists; and any other file in
    ``replace_dirs``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    old = _previous_outputs(out_dir) if prune_previous else set()
    files = _published_files(staging)
    new = {p.as_posix() for p in files}
    for rel in files:
        dest = out_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, dest)
    stale = {rel for rel in old if rel not in new}
    for d in replace_dirs:
        if (out_dir / d).is_dir():
            stale |= {p.relative_to(out_dir).as_posix() for p in (out_dir / d).rglob("*")
                      if p.is_file()} - new
    for rel in sorted(stale):
        target = (out_dir / rel)
        if out_dir.resolve() in target.resolve().parents:
            target.unlink(missing_ok=True)
    for d in sorted({(out_dir / r).parent for r in stale}, key=lambda p: -len(p.parts)):
        with contextlib.suppress(OSError):
            if d != out_dir:
                d.rmdir()  # only when empty
    return sorted(new)


def _keep_failed(staging: Path, out_dir: Path, rel: str) -> Path | None:
    """Move a partial notebook from staging to ``<out>/failed/`` for debugging."""
    src = staging / rel
    if not src.is_file():
        return None
    dest = out_dir / FAILED_DIR / Path(rel).name if not rel.startswith(f"{WORK_DIR}/units/") else (
        out_dir / FAILED_DIR / "units" / Path(rel).name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dest)
    return dest


def _input_files(year_data) -> list[dict]:
    """Every input file with its SHA-256. Files sit directly in the data folder; the
    name is taken from the recorded path, the size from the folder (a cache hit may
    carry the paths of the folder the cache was built from)."""
    base = Path(year_data.data_dir)
    out = []
    for f in sorted(year_data.files, key=lambda f: (f.table, Path(f.path).name)):
        name = Path(f.path).name
        p = base / name
        out.append({"table": f.table, "file": name, "sheet": f.sheet, "sha256": f.sha256,
                    "bytes": p.stat().st_size if p.exists() else None})
    return out


def _write_manifest(staging: Path, out_dir: Path, *, params: dict, rules, year_data, previous,
                    started: dt.datetime, stages: Stages, kernel: str | None) -> None:
    files = _published_files(staging)
    outputs = [{"path": p.as_posix(), "bytes": (staging / p).stat().st_size,
                "sha256": sha256_file(staging / p)} for p in files if p.as_posix() != MANIFEST]
    finished = _now()
    manifest = {
        "toolkit_version": __version__,
        "parameters": params,
        "output_dir": str(out_dir),
        "rules": {"path": str(rules.path), "sha256": rules.sha256, "year": rules.year},
        "data_dir": str(year_data.data_dir),
        "inputs": _input_files(year_data),
        "from_cache": bool(getattr(year_data, "from_cache", False)),
        "previous_year": None if previous is None else {
            "year": previous.year, "data_dir": str(previous.data_dir), "period": previous.period,
            "inputs": [{"table": f.table, "file": Path(f.path).name, "sha256": f.sha256}
                       for f in previous.files],
        },
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 3),
        "stages_s": dict(stages.timings),
        "environment": {"python": platform.python_version(), "executable": sys.executable,
                        "kernel": kernel, "platform": platform.platform()},
        "outputs": outputs,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")


def _load(year: int, ddir: Path, rpath: Path, use_cache: bool, progress: bool, stages: Stages):
    from toolkit.clean.year import load_year
    from toolkit.rules.load import load_rules

    with stages("load"):
        rules = load_rules(year, rpath)
        yd = load_year(year, ddir, rules=rules, use_cache=use_cache,
                       progress=bool(progress and sys.stderr.isatty()))
    return rules, yd


def write_quarantine(year_data, dest: Path) -> list[Path]:
    """``internal/quarantine/<table>.csv``: the rows not used, with file, sheet, row,
    column, value, reason and suggestion, as ``clean`` masked them (ID and phone numbers
    but for their last four digits). Internal: never shared."""
    from toolkit.outputs.tables import csv_bytes

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
        path = dest / f"{_safe_name(table_name)}.csv"
        path.write_bytes(csv_bytes(cols, rows))
        written.append(path)
    return written


def _write_forms(evaluation, year_data, rules, dest: Path) -> list[Path]:
    try:
        from toolkit.outputs.forms.write import write_forms
    except ImportError as exc:  # the forms are optional in a partial installation
        log.warning("forms not written: %s", exc)
        return []
    return write_forms(evaluation, year_data, rules, dest)


# --- the run ----------------------------------------------------------------------------


def run_year(year: int, *, data_dir=None, rules=None, out=None, formats: Sequence[str] = FORMATS,
             per_unit: bool = False, use_cache: bool = True, timeout: int | None = 1800,
             wait: float = 0, progress: bool = True, engine: str = "duckdb") -> Path:
    """The whole evaluation of ``year`` into ``out`` (default ``reports/<year>``);
    ``engine`` runs the metric SQL (``duckdb`` or ``spark``).

    Returns the output folder. Raises :class:`ParameterError`/:class:`RulesError` and
    the input errors of ``load_year`` (exit 2), :class:`LockedError` and
    :class:`RunError` naming the stage (exit 1).
    """
    started = _now()
    report.quiet_library_logs()
    ddir, rpath, out_dir, fmts = _check(year, data_dir, rules, out, formats)
    nb_path = _notebook("evaluation.ipynb")
    unit_nb = _notebook("unit.ipynb") if per_unit else None
    params = {"year": year, "data_dir": str(ddir), "rules": str(rpath), "out": str(out_dir),
              "formats": list(fmts), "per_unit": bool(per_unit), "use_cache": bool(use_cache),
              "timeout": timeout, "engine": engine}
    stages = Stages()
    with year_lock(out_dir, wait):
        rules_obj, yd = _load(year, ddir, rpath, use_cache, progress, stages)
        with stages("evaluate"):
            from toolkit.evaluation.evaluate import evaluate

            evaluation = evaluate(yd, rules_obj, engine=engine)
        with stages("previous_year"):
            previous, previous_note = report.load_previous_year(year, ddir, rules_obj)
        staging = _new_staging(out_dir)
        failed_rel: str | None = None
        try:
            with stages("export"):
                from toolkit.outputs.tables import write_outputs

                write_outputs(evaluation, staging)
                write_quarantine(yd, staging / "internal" / "quarantine")
            with stages("forms"):
                _write_forms(evaluation, yd, rules_obj, staging / "forms")
            ctx = report.ReportContext(year=year, rules=rules_obj, year_data=yd, evaluation=evaluation,
                                       previous=previous, previous_note=previous_note,
                                       out_dir=staging, generated_at=report.now_text())
            context_file = report.save_context(report.slim_context(ctx),
                                               staging / WORK_DIR / "context.pkl")
            nb_params = {"year": year, "data_dir": str(ddir), "rules": str(rpath),
                         "out_dir": str(staging), "use_cache": bool(use_cache),
                         "context_file": str(context_file), "generated_at": ctx.generated_at}
            with report.kernel() as kname:
                failed_rel = "evaluation.ipynb"
                with stages("notebook"):
                    report.execute_notebook(nb_path, staging / "evaluation.ipynb", nb_params,
                                            timeout=timeout, progress=progress, kernel_name=kname,
                                            stage="notebook")
                failed_rel = None
                title = f"湖南开放大学{year}年度培训工作评估报告"
                with stages("html"):
                    page = report.render_html(staging / "evaluation.ipynb", title=title)
                    if "html" in fmts:
                        (staging / "evaluation.html").write_text(page, encoding="utf-8")
                if "pdf" in fmts:
                    with stages("pdf"):
                        report.render_pdf(page, staging / "evaluation.pdf")
                if per_unit:
                    with stages("units"):
                        _run_units(ctx, unit_nb, nb_params, staging, fmts, timeout=timeout,
                                   kernel_name=kname)
            with stages("manifest"):
                _write_manifest(staging, out_dir, params=params, rules=rules_obj, year_data=yd,
                                previous=previous, started=started, stages=stages, kernel=kname)
            with stages("publish"):
                publish(staging, out_dir)
                shutil.rmtree(out_dir / FAILED_DIR, ignore_errors=True)
        except BaseException as exc:
            failed_rel = getattr(exc, "failed_rel", None) or failed_rel
            kept = _keep_failed(staging, out_dir, failed_rel) if failed_rel else None
            if kept is not None:
                log.error("the notebook as far as it ran: %s", kept)
                if isinstance(exc, RunError):
                    exc.hint = f"the notebook as far as it ran is kept in {kept}"
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.info("report for %s written to %s in %.1f s", year, out_dir, (_now() - started).total_seconds())
    return out_dir


def unit_workers() -> int:
    """Notebooks executed at once for ``--per-unit`` (``TOOLKIT_UNIT_WORKERS`` overrides)."""
    env = os.environ.get("TOOLKIT_UNIT_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, (os.cpu_count() or 2)))


def _run_units(ctx, unit_nb: Path, nb_params: dict, staging: Path, fmts, *, timeout,
               kernel_name: str) -> None:
    """One report per unit (``units/<unit_id>.html``/``.pdf``) from ``unit.ipynb``,
    several kernels at a time. A failed unit notebook raises RunError carrying
    ``failed_rel``, the staged partial notebook that run_year keeps."""
    ids = report.unit_ids(ctx)
    (staging / "units").mkdir(exist_ok=True)
    work = staging / WORK_DIR / "units"
    work.mkdir(parents=True, exist_ok=True)

    def one(uid: str) -> None:
        safe = _safe_name(uid)
        nb_out = work / f"{safe}.ipynb"
        unit_ctx = report.save_context(report.slim_context(ctx, uid), work / f"{safe}.pkl")
        params = {**nb_params, "unit_id": uid, "context_file": str(unit_ctx)}
        try:
            report.execute_notebook(unit_nb, nb_out, params, timeout=timeout,
                                    progress=False, kernel_name=kernel_name, stage=f"units ({uid})")
        except RunError as exc:
            exc.failed_rel = f"{WORK_DIR}/units/{safe}.ipynb"
            raise
        page = report.render_html(nb_out, title=f"{ctx.unit_name(uid)} {ctx.year}年度培训工作评估")
        if "html" in fmts:
            (staging / "units" / f"{safe}.html").write_text(page, encoding="utf-8")
        if "pdf" in fmts:
            report.render_pdf(page, staging / "units" / f"{safe}.pdf")
        log.info("unit report %s written", uid)

    with ThreadPoolExecutor(max_workers=unit_workers(), thread_name_prefix="unit") as pool:
        futures = [pool.submit(one, uid) for uid in ids]
        for f in futures:
            exc = f.exception()
            if exc is not None:
                for other in futures:
                    other.cancel()
                raise exc


def _safe_name(unit_id: str) -> str:
    """A unit_id as a file name (ids are codes such as U001; anything else is replaced)."""
    import re

    name = re.sub(r"[^0-9A-Za-z._-]", "_", str(unit_id)).strip(".") or "unit"
    return name


def forms_only(year: int, *, data_dir=None, rules=None, out=None, use_cache: bool = True) -> Path:
    """Read and evaluate the year and write only ``<out>/forms/`` (replaced as a whole,
    file by file, after all forms were written)."""
    report.quiet_library_logs()
    ddir, rpath, out_dir, _ = _check(year, data_dir, rules, out, FORMATS)
    stages = Stages()
    with year_lock(out_dir, 0):
        rules_obj, yd = _load(year, ddir, rpath, use_cache, False, stages)
        with stages("evaluate"):
            from toolkit.evaluation.evaluate import evaluate

            evaluation = evaluate(yd, rules_obj)
        staging = _new_staging(out_dir)
        try:
            with stages("forms"):
                written = _write_forms(evaluation, yd, rules_obj, staging / "forms")
            with stages("publish"):
                publish(staging, out_dir, prune_previous=False, replace_dirs=("forms",))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.info("%d forms for %s written to %s", len(written), year, out_dir / "forms")
    return out_dir / "forms"

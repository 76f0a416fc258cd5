"""Is a year's published run still up to date? Its ``manifest.json`` against what a
run would read now: every input file's SHA-256 (``ingest.find.year_inputs``: the
tables, the corrections file, the reviewer roster, the reviewers' copies, the objections
register), the rules file's SHA-256, the toolkit version and code, the parameters, and the
previous year's inputs the report compares with (docs/years.md, "What is recomputed").
:func:`why_run` is the one decision, for ``toolkit run --year`` and ``--years`` alike.

:func:`code_hash` is the fingerprint of the code a run executes: every module of the
``toolkit`` package, its report template and the notebooks. ``write_manifest`` records
it as ``code_sha256``; a manifest without it (an older version's) is never current.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from pathlib import Path

from toolkit import __version__, paths
from toolkit.exceptions import ToolkitError
from toolkit.fingerprint import files_sha256
from toolkit.i18n import gettext as _
from toolkit.ingest.find import year_inputs
from toolkit.ingest.snapshot import sha256_of
from toolkit.pipeline.spec import RunSpec
from toolkit.rules.carry import rules_sha256

log = logging.getLogger(__name__)

#: the parameters of a run that decide what it writes (``timeout`` and ``use_cache``
#: do not change a result; ``out`` is where the manifest was found)
COMPARED_PARAMETERS = ("year", "data_dir", "rules", "formats", "per_unit", "engine")
#: what, under the package folder and the notebooks folder, is part of the code
_CODE_SUFFIXES = (".py", ".ipynb", ".j2", ".css", ".json")


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 over every file of the package's code (modules, report template) and the
    notebooks, by relative path and content. Computed once per process."""
    return files_sha256(_code_files())


def _code_files():
    roots = [("toolkit", paths.PACKAGE_DIR), ("notebooks", paths.notebooks_dir())]
    for name, root in roots:
        if not root.is_dir():
            continue
        files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in _CODE_SUFFIXES
                       and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)
        for p in files:
            if name == "toolkit" and p.is_relative_to(paths.PACKAGE_DIR / "notebooks"):
                continue  # the installed copy of the notebooks is hashed as notebooks/
            yield f"{name}/{p.relative_to(root).as_posix()}", p


def current_inputs(data_dir: Path, *, cycle: bool = True) -> dict[str, str]:
    """``{path in the folder: SHA-256}`` of the files a run of ``data_dir`` would read
    now (``cycle``: the reviewers' copies too; a previous year's are not read)."""
    return {rel: sha256_of(p) for rel, p in year_inputs(Path(data_dir), cycle=cycle).items()}


def read_manifest(out_dir: Path) -> dict | None:
    """The manifest of the run published in ``out_dir``, or None."""
    try:
        return json.loads((Path(out_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _recorded_inputs(entries) -> dict[str, str]:
    return {e["file"]: e["sha256"] for e in entries or []}


def recorded_inputs(manifest: dict) -> dict[str, str]:
    """``{path in the data folder: SHA-256}`` of every input the run recorded in
    ``manifest`` read: its tables' files and its award cycle's files."""
    out = _recorded_inputs(manifest.get("inputs"))
    cycle = manifest.get("review_inputs") or {}
    for e in [cycle.get("corrections"), cycle.get("roster"), *(cycle.get("review_files") or []),
              cycle.get("objections")]:
        if e:
            out[e["path"]] = e["sha256"]
    return out


def why_changed(out_dir: Path, *, params: dict, rules_sha256: str, inputs: dict[str, str],
                previous_inputs: dict[str, str] | None) -> str | None:
    """Why the run in ``out_dir`` is not current (a short reason, in the language of the
    messages: :mod:`toolkit.i18n`), or None when
    it is: the same inputs, rules, version, code and parameters, and the same previous
    year (``previous_inputs``: that year's files now, None when it has no folder)."""
    m = read_manifest(out_dir)
    if m is None:
        return _("no published run")
    if m.get("toolkit_version") != __version__:
        return _("toolkit version {old} -> {new}").format(old=m.get("toolkit_version"), new=__version__)
    if m.get("code_sha256") != code_hash():
        return _("toolkit code changed")
    recorded = m.get("parameters") or {}
    for key in COMPARED_PARAMETERS:
        if recorded.get(key) != params.get(key):
            return _("parameter {key}: {old!r} -> {new!r}").format(key=key, old=recorded.get(key), new=params.get(key))
    if (m.get("rules") or {}).get("sha256") != rules_sha256:
        return _("rules file changed")
    if recorded_inputs(m) != inputs:
        return _("input files changed")
    before = m.get("previous_year")
    if (before is None) != (previous_inputs is None):
        return _("previous year's data appeared") if before is None else _("previous year's data is gone")
    if before is not None and _recorded_inputs(before.get("inputs")) != previous_inputs:
        return _("previous year's input files changed")
    if not all((Path(out_dir) / o["path"]).is_file() for o in m.get("outputs", [])):
        return _("an output file is missing")
    return None


def why_run(spec: RunSpec) -> str | None:
    """Why the run ``spec`` (checked) must be run into ``spec.out`` (a short
    reason, in the language of the messages), or None when its published run is current: :func:`why_changed` against
    every input of its data folder now, its rules file as ``load_rules`` hashes it
    (with its ``extends:`` chain) and the previous year's folder beside its data folder."""
    year, ddir = spec.year, spec.data_dir
    prev_dir = Path(os.path.realpath(ddir)).parent / str(year - 1)
    reason = why_changed(spec.out, params=spec.parameters(), rules_sha256=rules_sha256(Path(spec.rules)),
                         inputs=current_inputs(ddir),
                         previous_inputs=current_inputs(prev_dir, cycle=False) if prev_dir.is_dir() else None)
    if reason is None and spec.per_unit:
        later = earlier_published_since(spec.out, year)
        if later is not None:
            reason = _("the run of {year} was published since (the unit reports show it)").format(year=later)
    return reason


def earlier_published_since(out_dir: Path, year: int) -> int | None:
    """An earlier year beside ``out_dir`` (``<parent>/<year>``) whose published run is
    newer than the one in ``out_dir`` (its manifest written later), or None: the unit
    reports of ``--per-unit`` show the earlier years' results."""
    try:
        mine = (Path(out_dir) / "manifest.json").stat().st_mtime_ns
        children = list(Path(out_dir).parent.iterdir())
    except OSError:
        return None
    for p in sorted(children):
        if p.name.isdigit() and len(p.name) == 4 and int(p.name) < year:
            try:
                if (p / "manifest.json").stat().st_mtime_ns > mine:
                    return int(p.name)
            except OSError:
                continue
    return None


def kept_run(spec: RunSpec) -> Path | None:
    """``toolkit run --year``'s first step: the output folder when the run published
    there is current for ``spec`` (:func:`why_run`, as ``run --years`` decides),
    which the caller reports; None when the year must be run (the log says why). The spec
    is checked as the run checks it (a problem is left to the run to report), and
    nothing of the pipeline is imported: keeping a run costs the hashing of its inputs."""
    try:
        spec = spec.checked()
    except ToolkitError:
        return None  # the run says what is wrong, as it always did
    reason = why_run(spec)
    if reason is not None:
        log.info(_("%s: running (%s)"), spec.year, reason)
        return None
    # the command line says it (once); here only with -v
    log.debug("%s: unchanged since the published run, kept: %s", spec.year, spec.out)
    return spec.out

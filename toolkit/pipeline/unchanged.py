"""Is a year's published run still up to date? Its ``manifest.json`` against what a
run would read now: every input file's SHA-256, the rules file's SHA-256, the toolkit
version and code, the parameters, and the previous year's inputs the report compares
with (docs/years.md, "What is recomputed").

:func:`code_hash` is the fingerprint of the code a run executes: every module of the
``toolkit`` package, its report template and the notebooks. ``write_manifest`` records
it as ``code_sha256``; a manifest without it (an older version's) is never current.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from toolkit import __version__, paths
from toolkit.fingerprint import file_sha256, files_sha256
from toolkit.ingest.find import (
    corrections_file,
    find_files,
    objections_file,
    review_files,
    sha256_file,
)

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


def current_inputs(data_dir: Path) -> dict[str, str]:
    """``{file name: SHA-256}`` of the files a run of ``data_dir`` would read now."""
    found = find_files(Path(data_dir))
    return {Path(p).name: sha256_file(Path(p)) for p in found.values()}


def cycle_inputs(data_dir) -> dict:
    """The award cycle's inputs (docs/review-cycle.md) with their SHA-256: the
    corrections file, every review file and the objections register, paths relative to
    the data folder. ``manifest.json`` records them as ``review_inputs``; a run whose
    recorded ones differ from these is not current."""
    base = Path(data_dir)
    if not base.is_dir():
        return {"corrections": None, "review_files": [], "objections": None}

    def entry(p: Path) -> dict:
        return {"path": p.relative_to(base).as_posix(), "sha256": file_sha256(p), "bytes": p.stat().st_size}

    found, register = corrections_file(base), objections_file(base)
    return {"corrections": entry(found) if found else None, "review_files": [entry(p) for p in review_files(base)],
            "objections": entry(register) if register else None}


def read_manifest(out_dir: Path) -> dict | None:
    """The manifest of the run published in ``out_dir``, or None."""
    try:
        return json.loads((Path(out_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _recorded_inputs(entries) -> dict[str, str]:
    return {e["file"]: e["sha256"] for e in entries or []}


def why_changed(out_dir: Path, *, params: dict, rules_sha256: str, inputs: dict[str, str],
                previous_inputs: dict[str, str] | None, cycle_inputs: dict | None = None) -> str | None:
    """Why the run in ``out_dir`` is not current (a short English reason), or None when
    it is: the same inputs, rules, version, code and parameters, the same award-cycle
    files (``cycle_inputs``: :func:`cycle_inputs` now, when given) and the same previous
    year (``previous_inputs``: that year's files now, None when it has no folder)."""
    m = read_manifest(out_dir)
    if m is None:
        return "no published run"
    if m.get("toolkit_version") != __version__:
        return f"toolkit version {m.get('toolkit_version')} -> {__version__}"
    if m.get("code_sha256") != code_hash():
        return "toolkit code changed"
    recorded = m.get("parameters") or {}
    for key in COMPARED_PARAMETERS:
        if recorded.get(key) != params.get(key):
            return f"parameter {key}: {recorded.get(key)!r} -> {params.get(key)!r}"
    if (m.get("rules") or {}).get("sha256") != rules_sha256:
        return "rules file changed"
    if _recorded_inputs(m.get("inputs")) != inputs:
        return "input files changed"
    if cycle_inputs is not None and m.get("review_inputs") != cycle_inputs:
        return "review, corrections or objections files changed"
    before = m.get("previous_year")
    if (before is None) != (previous_inputs is None):
        return "previous year's data appeared" if before is None else "previous year's data is gone"
    if before is not None and _recorded_inputs(before.get("inputs")) != previous_inputs:
        return "previous year's input files changed"
    if not all((Path(out_dir) / o["path"]).is_file() for o in m.get("outputs", [])):
        return "an output file is missing"
    return None

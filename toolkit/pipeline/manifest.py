"""``manifest.json``: what a run read, with which code and parameters, and what it
wrote (every output with its size and SHA-256)."""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys
from pathlib import Path

from toolkit import __version__
from toolkit.fingerprint import file_sha256
from toolkit.pipeline.publish import MANIFEST, published_files
from toolkit.pipeline.spec import RunSpec
from toolkit.pipeline.unchanged import code_hash


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))


def input_files(year_data) -> list[dict]:
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


def cycle_inputs(year_data, review_files=(), roster: dict | None = None, objections: dict | None = None) -> dict:
    """The award cycle's inputs (docs/review-cycle.md) as the run read them, with the
    SHA-256 of the bytes read (never hashed again here): the corrections file
    (``YearData.corrections_file``), the reviewer roster (``evaluation.review["roster"]``),
    every review file (``evaluation.review``) and the objections register
    (``evaluation.review["objections_file"]``); a roster or register absent is None. Paths
    are relative to the data folder."""
    return {"corrections": getattr(year_data, "corrections_file", None),
            "roster": {"path": roster["path"], "sha256": roster["sha256"]} if roster else None,
            "review_files": [{"path": f["path"], "sha256": f["sha256"]} for f in review_files],
            "objections": {"path": objections["path"], "sha256": objections["sha256"]} if objections else None}


def write_manifest(staging: Path, spec: RunSpec, *, rules, year_data, previous,
                   started: dt.datetime, timings: dict[str, float], kernel: str | None,
                   unit_reports: dict[str, str] | None = None, review_files=(), roster: dict | None = None,
                   objections: dict | None = None, unit_reports_run: str | None = None) -> None:
    """``manifest.json`` of the staged run of ``spec`` (checked: its ``parameters()``
    are recorded as they are); ``unit_reports`` (with ``--per-unit``) maps
    each unit_id to its reports' path without extension (``units/长沙开放大学_073100``);
    ``review_files`` are the reviewers' copies the run read, ``roster`` the reviewer
    roster it checked them against and ``objections`` the objections register it read
    (``evaluation.review``). ``unit_reports_run``: when the run that made the unit reports
    started, for reports kept from an earlier run (:mod:`toolkit.pipeline.unit_reports`)."""
    files = published_files(staging)
    outputs = [{"path": p.as_posix(), "bytes": (staging / p).stat().st_size,
                "sha256": file_sha256(staging / p)} for p in files if p.as_posix() != MANIFEST]
    finished = now()
    manifest = {
        "toolkit_version": __version__,
        "code_sha256": code_hash(),  # the package's code and notebooks (toolkit run --years compares it)
        "parameters": spec.parameters(),
        "output_dir": str(spec.out),
        "rules": {"path": str(rules.path), "sha256": rules.sha256, "year": rules.year},
        "data_dir": str(year_data.data_dir),
        "inputs": input_files(year_data),
        "review_inputs": cycle_inputs(year_data, review_files, roster, objections),
        "from_cache": bool(getattr(year_data, "from_cache", False)),
        "previous_year": None if previous is None else {
            "year": previous.year, "data_dir": str(previous.data_dir), "period": previous.period,
            "inputs": [{"table": f.table, "file": Path(f.path).name, "sha256": f.sha256}
                       for f in previous.files],
        },
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 3),
        "stages_s": dict(timings),
        "environment": {"python": platform.python_version(), "executable": sys.executable,
                        "kernel": kernel, "platform": platform.platform()},
        "outputs": outputs,
    }
    if unit_reports is not None:
        manifest["unit_reports"] = dict(sorted(unit_reports.items()))
    if unit_reports_run is not None:
        manifest["unit_reports_run"] = unit_reports_run
    (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")

"""The staging folder: a run writes everything beside the output folder (same file
system); :mod:`toolkit.pipeline.runs` then makes it the run folder the output links
to. Where symbolic links cannot be made, :func:`publish` renames each file into place
(``os.replace``), the manifest last, and removes files an earlier run wrote that this
run did not. A failed notebook is kept in ``<out>/failed/``."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from toolkit.i18n import gettext as _

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FAILED_DIR = "failed"
WORK_DIR = ".work"  # inside the staging folder: never published
STAGING_PREFIX = ".staging-"


def new_staging(out_dir: Path) -> Path:
    """A fresh staging folder beside ``out_dir``; stale ones of killed runs are removed
    (the caller holds the lock, so no other run is using them)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{STAGING_PREFIX}{os.getpid()}-",
                                    dir=out_dir.parent))
    # mkdtemp makes the folder private (0700); a published run is read by others as any
    # folder the user makes is: the umask decides
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    (staging / WORK_DIR).mkdir()
    return staging


def published_files(staging: Path) -> list[Path]:
    """Files to publish, relative to the staging folder, the manifest last."""
    files = [p.relative_to(staging) for p in staging.rglob("*")
             if p.is_file() and p.relative_to(staging).parts[0] != WORK_DIR]
    return sorted(files, key=lambda p: (p.as_posix() == MANIFEST, p.as_posix()))


def previous_outputs(out_dir: Path) -> set[str]:
    """The files the manifest of the run in ``out_dir`` lists."""
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
    old = previous_outputs(out_dir) if prune_previous else set()
    files = published_files(staging)
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


def keep_failed(staging: Path, out_dir: Path, rel: str) -> Path | None:
    """Move a partial notebook from staging to ``<out>/failed/`` for debugging (into
    the current run folder that ``<out>`` links to). None when there is none or it
    cannot be kept (logged: the run's own error matters more)."""
    src = staging / rel
    if not src.is_file():
        return None
    dest = out_dir / FAILED_DIR / Path(rel).name if not rel.startswith(f"{WORK_DIR}/units/") else (
        out_dir / FAILED_DIR / "units" / Path(rel).name)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)
    except OSError as exc:
        log.warning(_("the notebook as far as it ran could not be kept in %s: %s"), dest.parent, exc)
        return None
    return dest

"""Publishing a run as a whole: every run's files in a folder of their own,
``<parent>/.<name>.run-<UTC time>-<pid>/`` (hidden, beside the output folder), and the
output folder ``<parent>/<name>`` (``reports/2022``) a symbolic link to the current
one, switched in one ``os.replace`` of a link made under a temporary name. A reader of
``reports/2022`` sees the whole old report or the whole new one, never a mix.

The run folder sits in the same folder as the link, so a relative path opened from the
run folder (a notebook's working folder is the link's target: ``../2021``,
``../../data/2022``) means what it means from ``reports/2022``. Run folders of the
earlier layout (``<parent>/.runs/<name>-<time>-<pid>/``) are still followed, carried
over from and pruned.

- An output folder that is a real folder (an earlier version's, or the ``failed/``
  of a first run that failed) is moved to a run folder and replaced by a link to it
  on first use.
- Files of the current run folder that no run wrote (not in its ``manifest.json``:
  notes put there by hand) are carried over into the new run folder (hard links
  where the file system allows, copies otherwise); ``failed/`` is not.
- The :data:`KEEP` most recent run folders are kept, older ones removed (never the
  one the link points to).
- Where a symbolic link cannot be made (Windows without the privilege), the caller
  falls back to renaming each file into the output folder
  (:func:`toolkit.pipeline.publish.publish`) and a warning is logged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from toolkit.i18n import gettext as _
from toolkit.pipeline.publish import FAILED_DIR, MANIFEST, WORK_DIR, previous_outputs

log = logging.getLogger(__name__)

#: the folder of the earlier layout's run folders (followed, carried over from, pruned)
RUNS_DIR = ".runs"
KEEP = 3
_STAMP = "%Y%m%dT%H%M%S%f"
_TAIL = r"-(\d{8}T\d{12})-[A-Za-z0-9]+"


def runs_dir(out_dir: Path) -> Path:
    """The folder the run folders are made in: the output folder's own parent."""
    return out_dir.parent


def _run_name(out_dir: Path) -> re.Pattern:
    return re.compile(re.escape(f".{out_dir.name}.run") + _TAIL)


def _legacy_name(out_dir: Path) -> re.Pattern:
    return re.compile(re.escape(out_dir.name) + _TAIL)


def link_target(out_dir: Path) -> Path | None:
    """The run folder that ``out_dir`` links to, when ``out_dir`` is such a link."""
    try:
        if not out_dir.is_symlink():
            return None
        parts = Path(os.readlink(out_dir)).parts
    except OSError:
        return None
    if len(parts) == 1 and _run_name(out_dir).fullmatch(parts[0]):
        return runs_dir(out_dir) / parts[0]
    if len(parts) == 2 and parts[0] == RUNS_DIR and _legacy_name(out_dir).fullmatch(parts[1]):
        return out_dir.parent / RUNS_DIR / parts[1]
    return None


def run_folders(out_dir: Path) -> list[Path]:
    """The run folders of ``out_dir`` (the earlier layout's too), oldest first."""
    found = []
    for folder, pattern in ((runs_dir(out_dir), _run_name(out_dir)),
                            (out_dir.parent / RUNS_DIR, _legacy_name(out_dir))):
        try:
            found += [(m.group(1), p) for p in folder.iterdir()
                      if (m := pattern.fullmatch(p.name)) and p.is_dir() and not p.is_symlink()]
        except OSError:
            continue
    return [p for _stamp, p in sorted(found, key=lambda f: (f[0], f[1].name))]


def _new_name(out_dir: Path, label: str | int) -> str:
    return f".{out_dir.name}.run-{dt.datetime.now(dt.UTC).strftime(_STAMP)}-{label}"


def _temp_link(out_dir: Path, purpose: str = "switch") -> Path:
    return out_dir.parent / f".{out_dir.name}.link-{os.getpid()}-{purpose}"


def _remove_link(link: Path) -> None:
    """Remove a symbolic link to a folder (Windows removes one as a folder)."""
    try:
        link.unlink()
    except (IsADirectoryError, PermissionError):
        os.rmdir(link)


def _switch(tmp: Path, out_dir: Path) -> None:
    """Rename the link ``tmp`` over the link ``out_dir`` in one step; where a link
    cannot replace a link (Windows), remove the old one first."""
    try:
        os.replace(tmp, out_dir)
    except OSError:
        if not out_dir.is_symlink() or os.name != "nt":
            raise
        _remove_link(out_dir)
        os.replace(tmp, out_dir)


def _symlink(target: str, at: Path) -> bool:
    """Make the link ``at -> target``; False where symbolic links cannot be made."""
    if at.is_symlink():
        _remove_link(at)
    try:
        os.symlink(target, at, target_is_directory=True)
    except (OSError, NotImplementedError) as exc:
        log.warning(_("cannot make a symbolic link (%s); publishing file by file, so a killed run may "
                    "leave a mix of old and new files"), exc)
        return False
    return True


def migrate(out_dir: Path) -> Path:
    """Move the real folder ``out_dir`` to a run folder and replace it by a link to it."""
    name = _new_name(out_dir, "migrated")
    tmp = _temp_link(out_dir, "migrate")
    if not _symlink(name, tmp):
        raise OSError(f"cannot make a symbolic link beside {out_dir}")
    os.rename(out_dir, runs_dir(out_dir) / name)
    _switch(tmp, out_dir)
    log.info(_("moved the folder %s into %s and linked it"), out_dir, runs_dir(out_dir) / name)
    return runs_dir(out_dir) / name


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_symlink():
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def carry_over(old: Path, staging: Path, carried: Callable[[str], bool]) -> list[str]:
    """Copy into ``staging`` each file (or symbolic link) of ``old`` for which
    ``carried(relative path)`` holds and that the run did not write itself."""
    done = []
    for root, dirs, files in os.walk(old):
        here = Path(root)
        links = [d for d in dirs if (here / d).is_symlink()]
        dirs[:] = [d for d in dirs if d not in links]
        for name in [*files, *links]:
            rel = (here / name).relative_to(old).as_posix()
            dst = staging / rel
            if not carried(rel) or dst.exists() or dst.is_symlink():
                continue
            _copy(here / name, dst)
            done.append(rel)
    return sorted(done)


def prune(out_dir: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the ``keep`` most recent run folders (never the current one)
    and the temporary links of killed runs."""
    current = link_target(out_dir)
    removed = []
    folders = run_folders(out_dir)
    for p in folders[:max(len(folders) - keep, 0)]:
        if current is not None and p.name == current.name:
            continue
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    for stale in out_dir.parent.glob(f".{out_dir.name}.link-*"):
        if stale.is_symlink():
            with contextlib.suppress(OSError):
                _remove_link(stale)
    return removed


def _is_failed(rel: str) -> bool:
    return rel == FAILED_DIR or rel.startswith(f"{FAILED_DIR}/")


def publish_run(staging: Path, out_dir: Path, *, only: str | None = None) -> Path | None:
    """Make the staging folder the run folder that ``out_dir`` links to.

    Carried over from the current run folder: with ``only`` (a folder such as
    ``forms``, the one thing this run replaces), everything else; otherwise the files
    its manifest does not list. Returns the new run folder, or None when ``out_dir``
    cannot be such a link (symbolic links not allowed, or ``out_dir`` a link of the
    user's that :func:`toolkit.pipeline.outdir.output_folder` did not follow): the
    caller then publishes file by file.
    """
    if out_dir.is_symlink() and link_target(out_dir) is None:
        return None
    name = _new_name(out_dir, os.getpid())
    tmp = _temp_link(out_dir)
    if not _symlink(name, tmp):
        return None
    try:
        shutil.rmtree(staging / WORK_DIR, ignore_errors=True)
        old = migrate(out_dir) if out_dir.is_dir() and not out_dir.is_symlink() else link_target(out_dir)
        if old is not None and old.is_dir():
            if only is not None:
                carry_over(old, staging, lambda rel: not (rel == only or rel.startswith(f"{only}/")
                                                          or _is_failed(rel)))
            else:
                written = previous_outputs(old) | {MANIFEST}
                carry_over(old, staging, lambda rel: rel not in written and not _is_failed(rel))
        os.rename(staging, runs_dir(out_dir) / name)
        _switch(tmp, out_dir)  # one rename of a link
    finally:
        if tmp.is_symlink():
            _remove_link(tmp)
    prune(out_dir)
    return runs_dir(out_dir) / name

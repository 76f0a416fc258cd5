"""The year's lock: one run at a time writes an output folder."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from toolkit.exceptions import LockedError
from toolkit.i18n import gettext as _


def lock_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.lock"


@contextlib.contextmanager
def year_lock(out_dir: Path, wait: float) -> Iterator[Path]:
    """Hold the lock of ``out_dir``; wait up to ``wait`` seconds for another run."""
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=max(float(wait or 0), 0.0))
    except Timeout:
        raise LockedError(
            _("another run is writing {out_dir} (lock file {path}); it was still running after waiting {value:g} s").format(out_dir=out_dir, path=path, value=wait or 0),
            hint=_("wait for it to finish, or pass --wait SECONDS to queue behind it"),
        ) from None
    try:
        yield path
    finally:
        lock.release()

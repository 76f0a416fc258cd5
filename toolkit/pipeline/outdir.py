"""The output folder of a run: which folder a ``--out`` names (symbolic links of the
user's followed, so that two spellings of one folder take one lock), and whether it
can be written (a parameter problem, exit 2, when it cannot)."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from toolkit.exceptions import ParameterError
from toolkit.i18n import gettext as _
from toolkit.pipeline.runs import link_target, runs_dir

MAX_LINKS = 40
#: the errors of a folder one may not write (permission, read-only file system)
DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def output_folder(path: str | os.PathLike) -> Path:
    """The absolute output folder ``path`` names: its parent resolved (``<a link to
    reports>/2022`` is ``reports/2022``), and ``path`` itself followed while it is a
    symbolic link of the user's (``--out mine`` with ``mine -> reports/2022``), but
    not the link a run makes to its run folder (:mod:`toolkit.pipeline.runs`)."""
    p = Path(os.path.abspath(path))
    try:
        for _link in range(MAX_LINKS):
            if p.name in ("", ".", ".."):
                return p.resolve()
            p = p.parent.resolve() / p.name
            if not p.is_symlink() or link_target(p) is not None:
                return p
            p = Path(os.path.abspath(p.parent / os.readlink(p)))
    except (OSError, RuntimeError) as exc:
        raise ParameterError(_("the output folder {path} cannot be resolved: {exc}").format(path=path, exc=exc), file=path) from None
    raise ParameterError(_("the output folder {path} is a loop of symbolic links").format(path=path), file=path)


def unwritable(out_dir: Path, exc: OSError) -> ParameterError:
    reason = exc.strerror or str(exc)
    if exc.filename:
        reason += f": {exc.filename}"
    return ParameterError(_("the output folder {out_dir} cannot be written ({reason})").format(out_dir=out_dir, reason=reason),
                          hint=_("pass --out a folder on a writable disk"))


def check_writable(out_dir: Path) -> None:
    """Create the parent of ``out_dir`` if needed and write a file in it (and
    in ``out_dir`` when it is a real folder): the run writes its
    staging folder, its lock and its run folder there."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        for d in (out_dir.parent, runs_dir(out_dir), out_dir):
            if d.is_dir() and not d.is_symlink():
                fd, probe = tempfile.mkstemp(prefix=f".{out_dir.name}.probe-", dir=d)
                os.close(fd)
                os.unlink(probe)
    except OSError as exc:
        raise unwritable(out_dir, exc) from None
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(_("the output path is not a folder: {out_dir}").format(out_dir=out_dir), file=out_dir)
    if out_dir.is_dir() and not out_dir.is_symlink() and os.path.ismount(out_dir):
        raise ParameterError(_("the output folder {out_dir} is a mount point: a run writes beside it and renames into it, which cannot cross file systems").format(out_dir=out_dir),
                             hint=_("pass --out a folder inside it, e.g. {value}").format(value=out_dir / out_dir.name))


def write_denied(exc: BaseException, out_dir: Path) -> ParameterError | None:
    """The :class:`ParameterError` naming the output folder, when ``exc`` is a write
    refused (permission, read-only file system) in or beside ``out_dir``."""
    if not isinstance(exc, OSError) or exc.errno not in DENIED:
        return None
    names = [Path(os.path.abspath(n)) for n in (exc.filename, exc.filename2) if isinstance(n, (str, os.PathLike))]
    if names and not any(n == out_dir.parent or out_dir.parent in n.parents for n in names):
        return None
    return unwritable(out_dir, exc)

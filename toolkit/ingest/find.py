"""Find a year's input files: which file of a data folder holds which table."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from toolkit.exceptions import DuplicateTableError, InputError, MissingTableError
from toolkit.ingest import contract
from toolkit.ingest.boundary import reading

log = logging.getLogger(__name__)


def accepted_file_names(table: str) -> str:
    """The file names a table may have, for messages: ``缴费明细.xlsx`` etc."""
    t = contract.TABLES[table]
    stems = (t.name, *t.file_names)
    suffixes = "|".join(s.lstrip(".") for s in contract.FILE_SUFFIXES)
    return ", ".join(f"{s}.{{{suffixes}}}" for s in stems)


def find_files(data_dir: Path, *, follow_links: bool = False) -> dict[str, Path]:
    """{table: path} for the files in ``data_dir`` that name a table.

    Raises DuplicateTableError when two files map to one table and MissingTableError
    when a required table has no file. Files that name no table are ignored. A file
    that is a symbolic link pointing outside the folder is an InputError naming the
    link and its target, unless ``follow_links``.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(
            f"the data folder {data_dir} does not exist or is not a folder",
            hint="pass --data-dir, or put the year's files under data/<year>/",
        )
    found: dict[str, Path] = {}
    try:
        entries = sorted(data_dir.iterdir())
    except OSError as exc:
        raise InputError(f"the data folder {data_dir} cannot be listed ({exc.strerror})",
                         hint="check that it is readable") from exc
    for path in entries:
        if not path.is_file() or path.name.startswith(("~$", ".")):
            continue  # Excel lock files, hidden files
        if path.suffix.lower() not in contract.FILE_SUFFIXES:
            log.debug("ignoring %s: not a .csv/.xlsx/.xls/.parquet file", path.name)
            continue
        table = contract.table_for_stem(path.stem)
        if table is None:
            log.debug("ignoring %s: its name matches no table of the data contract", path.name)
            continue
        if not follow_links:
            _inside(path, data_dir)
        if table in found:
            raise DuplicateTableError(
                f"two files map to the table {table!r}: {found[table].name} and {path.name}",
                file=data_dir,
                hint="keep one of them in the folder (move or rename the other)",
            )
        found[table] = path
    for name, t in contract.TABLES.items():
        if t.required and name not in found:
            raise MissingTableError(
                f"the table {name!r} is missing from {data_dir}",
                file=data_dir,
                expected=f"a file named {accepted_file_names(name)}",
            )
    return found


def _inside(path: Path, data_dir: Path) -> None:
    """Nothing when ``path`` is a plain file or a link to a file inside ``data_dir``;
    else an InputError naming the link and where it points (never what it holds)."""
    if not path.is_symlink():
        return
    target = path.resolve()
    if target.is_relative_to(data_dir.resolve()):
        return
    raise InputError(
        f"the file {path.name} is a symbolic link to {os.readlink(path)} ({target}), outside "
        "the data folder; it is not read", file=data_dir,
        hint="copy the file into the data folder instead of linking it (a program may pass "
             "follow_links=True to load_year)",
    )


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex); an UnreadableFileError when it cannot be read."""
    h = hashlib.sha256()
    with reading(path), open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()

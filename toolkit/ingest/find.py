"""Find a year's input files: which file of a data folder holds which table."""

from __future__ import annotations

import difflib
import logging
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.exceptions import DuplicateTableError, InputError, MissingTableError
from toolkit.i18n import gettext as _
from toolkit.ingest import contract
from toolkit.ingest.boundary import OLE2_MAGIC, ZIP_MAGIC

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
            _("the data folder {data_dir} does not exist or is not a folder").format(data_dir=data_dir),
            hint=_("pass --data-dir, or put the year's files under data/<year>/"),
        )
    found: dict[str, Path] = {}
    try:
        entries = sorted(data_dir.iterdir())
    except OSError as exc:
        raise InputError(_("the data folder {data_dir} cannot be listed ({strerror})").format(data_dir=data_dir, strerror=exc.strerror),
                         hint=_("check that it is readable")) from exc
    unread: dict[str, Path] = {}  # table -> a file naming it in a format that is not read
    for path in entries:
        if not path.is_file() or path.name.startswith(("~$", ".")):
            continue  # Excel lock files, hidden files
        if path.suffix.lower() not in contract.FILE_SUFFIXES:
            log.debug("ignoring %s: its format is not read (%s)", path.name,
                      ", ".join(contract.FILE_SUFFIXES))
            named = contract.table_for_stem(path.stem)
            if named is not None:
                unread.setdefault(named, path)
            continue
        table = contract.table_for_stem(path.stem)
        if table is None:
            log.debug("ignoring %s: its name matches no table of the data contract", path.name)
            continue
        if not follow_links:
            _inside(path, data_dir)
        if table in found:
            raise DuplicateTableError(
                _("two files map to the table {table!r}: {name} and {name2}").format(table=table, name=found[table].name, name2=path.name),
                file=data_dir,
                hint=_("keep one of them in the folder (move or rename the other)"),
            )
        found[table] = path
    for name, t in contract.TABLES.items():
        if t.required and name not in found:
            there = unread.get(name)
            raise MissingTableError(
                _("the table {table!r} is missing from {folder}").format(table=name, folder=data_dir) + (
                    _(": the file {file} names it, but its format ({suffix}) is not read").format(
                        file=there.name, suffix=there.suffix) if there is not None else ""),
                file=there or data_dir,
                expected=_("a file named {value}").format(value=accepted_file_names(name)),
                hint=_("save it as {stem}.xlsx or {stem}.csv (UTF-8)").format(stem=there.stem)
                if there is not None else None,
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
        _("the file {name} is a symbolic link to {value} ({target}), outside the data folder; it is not read").format(name=path.name, value=os.readlink(path), target=target), file=data_dir,
        hint=_("copy the file into the data folder instead of linking it (a program may pass "
             "follow_links=True to load_year)"),
    )


# What copying a file adds to its name: "(1)", " - 副本", " copy", "_副本(2)"...
_COPY_SUFFIX = re.compile(r"\s*(?:\(\d+\)|\[\d+\]|[-_ ]*(?:的副本|副本|copy)(?:\s*\(\d+\))?)\s*$",
                          re.IGNORECASE)
_COPY_PREFIX = re.compile(r"^\s*(?:副本|copy of)\s*[-_ ]?\s*", re.IGNORECASE)
# How near (difflib's ratio) a file name must be to an accepted one to be named as it.
CLOSE_NAME = 0.75


def closest_accepted(name: str) -> tuple[str, str] | None:
    """(table, accepted file name without suffix) that a file name naming no table most
    probably means, or None: the name without what copying adds ("(1)", " - 副本",
    " copy") when that is accepted; else the longest accepted name it contains
    (``2022年投诉登记表`` holds 投诉登记); else the closest accepted name by difflib."""
    stem = unicodedata.normalize("NFKC", Path(name).stem).strip()
    while True:
        shorter = _COPY_PREFIX.sub("", _COPY_SUFFIX.sub("", stem))
        if shorter == stem or not shorter:
            break
        stem = shorter
    names = {s.casefold(): (t.name, s) for t in contract.TABLES.values()
             for s in (t.name, *t.file_names)}
    key = stem.casefold()
    if key in names:
        return names[key]
    inside = [k for k in names if k in key]
    if inside:
        return names[max(inside, key=len)]
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=CLOSE_NAME)
    return names[close[0]] if close else None


def probable_table(name: str) -> str | None:
    """The table a file name that names none probably means (see ``closest_accepted``)."""
    found = closest_accepted(name)
    return found[0] if found else None


def unmatched_files(data_dir: Path) -> list[tuple[str, str | None]]:
    """(file name, probable table or None) of every file in ``data_dir`` that is not
    read: its name or its suffix matches no table. Hidden files and Excel's lock files
    (``~$…``) are left out, and so are folders and the award cycle's corrections file and
    objections register."""
    out = []
    for path in sorted(Path(data_dir).iterdir()):
        if path.name.startswith(("~$", ".")) or not path.is_file() or is_corrections_file(path) \
                or is_objections_file(path) or is_roster_file(path):
            continue
        accepted = path.suffix.lower() in contract.FILE_SUFFIXES
        if accepted and contract.table_for_stem(path.stem) is not None:
            continue
        out.append((path.name, probable_table(path.name)))
    return out


# --- the award cycle's files (docs/review-cycle.md) -------------------------------------

#: the corrections file's stems (``data/<year>/更正.xlsx``) and suffixes: every format an
#: export is read in (a 更正 file in another format is an error: see ``corrections_file``)
CORRECTIONS_STEMS = ("corrections", "更正")
CORRECTIONS_SUFFIXES = contract.FILE_SUFFIXES
#: the public notice's objections register (``data/<year>/异议登记.xlsx``): an Excel
#: workbook only (another spreadsheet format is an error, see ``objections_file``)
OBJECTIONS_STEMS = ("objections", "异议登记")
OBJECTIONS_SUFFIXES = (".xlsx",)
#: the folder of the reviewers' filled workbooks (``data/<year>/评审意见/``, sub-folders too)
REVIEW_FOLDER = "评审意见"


def _names_corrections(path: Path) -> bool:
    return unicodedata.normalize("NFKC", path.stem).strip().casefold() in CORRECTIONS_STEMS


def is_corrections_file(path: Path) -> bool:
    return path.suffix.lower() in CORRECTIONS_SUFFIXES and _names_corrections(path)


def corrections_file(data_dir: Path) -> Path | None:
    """The year's corrections file (in any format an export is read in), or None; two of
    them (更正.xlsx and 更正.csv) is an error naming both, and a 更正 file only in a
    format that is not read (更正.numbers, 更正.pdf) an error naming it: a correction is
    never left out without a word. (A 更正.pdf beside a 更正.xlsx, the signed paper, is
    left alone.)"""
    files = [p for p in sorted(Path(data_dir).iterdir())
             if p.is_file() and not p.name.startswith(("~$", ".")) and _names_corrections(p)]
    found = [p for p in files if is_corrections_file(p)]
    if len(found) > 1:
        raise DuplicateTableError(
            _("two corrections files: {files} and {last}").format(
                files=", ".join(p.name for p in found[:-1]), last=found[-1].name), file=data_dir,
            hint=_("keep one of them in the folder"))
    other = [p for p in files if not is_corrections_file(p)]
    if other and not found:
        raise InputError(
            _("the corrections file {name} is in a format that is not read").format(name=other[0].name), file=other[0],
            value=other[0].suffix, expected=_("a corrections table saved as {suffixes}").format(
                suffixes=", ".join(s for s in CORRECTIONS_SUFFIXES)),
            hint=_("save it as 更正.xlsx (Excel, WPS: 另存为 .xlsx) or 更正.csv"))
    return found[0] if found else None


#: the reviewer roster's stems and suffixes (``data/<year>/评审专家.xlsx``; docs/review-cycle.md)
ROSTER_STEMS = ("评审专家", "评审专家名单", "reviewers")
ROSTER_SUFFIXES = (".xlsx",)


def is_roster_file(path: Path) -> bool:
    return (path.suffix.lower() in ROSTER_SUFFIXES
            and unicodedata.normalize("NFKC", path.stem).strip() in ROSTER_STEMS)


def roster_file(data_dir: Path) -> Path | None:
    """The year's reviewer roster, or None; two of them is an error naming both."""
    if not Path(data_dir).is_dir():
        return None
    found = [p for p in sorted(Path(data_dir).iterdir())
             if p.is_file() and not p.name.startswith(("~$", ".")) and is_roster_file(p)]
    if len(found) > 1:
        raise DuplicateTableError(
            _("two reviewer rosters: {name} and {name2}").format(name=found[0].name, name2=found[1].name), file=data_dir,
            hint=_("keep one of them in the folder"))
    return found[0] if found else None


def is_objections_file(path: Path) -> bool:
    return (path.suffix.lower() in OBJECTIONS_SUFFIXES
            and unicodedata.normalize("NFKC", path.stem).strip() in OBJECTIONS_STEMS)


def objections_file(data_dir: Path) -> Path | None:
    """The year's objections register, or None; two of them is an error naming both."""
    base = Path(data_dir)
    if not base.is_dir():
        return None
    files = [p for p in sorted(base.iterdir()) if p.is_file() and not p.name.startswith(("~$", "."))]
    unread = [p for p in files if p.suffix.lower() in (*READ_SUFFIXES, *REFUSED_SUFFIXES)
              and p.suffix.lower() not in OBJECTIONS_SUFFIXES and unicodedata.normalize("NFKC", p.stem).strip() in OBJECTIONS_STEMS]
    if unread:  # a register the toolkit cannot read must not be left out without a word
        raise InputError(_("the objections register {name} is not an .xlsx file").format(name=unread[0].name), file=unread[0],
                         value=unread[0].suffix, expected="异议登记.xlsx",
                         hint=_("save it as .xlsx (Excel, WPS: 另存为 .xlsx)"))
    found = [p for p in files if is_objections_file(p)]
    if len(found) > 1:
        raise DuplicateTableError(
            _("two objections registers: {name} and {name2}").format(name=found[0].name, name2=found[1].name), file=data_dir,
            hint=_("keep one of them in the folder"))
    return found[0] if found else None


#: the files under 评审意见/ (``review_folder``): a reviewer's copy is read or refused
#: (``toolkit.review.copies``), every other file is named by ``toolkit validate``; the
#: unchanged check (``year_inputs``) sees every copy, so none can be left out unnoticed
#: suffixes of the copies that are read (the content decides how)
READ_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".csv", ".tsv")
#: suffixes of spreadsheets that are copies but refused (their reader does not show
#: formulas, hidden rows or merged cells)
REFUSED_SUFFIXES = (".xls", ".xlt", ".xlsb", ".et", ".ett", ".ods", ".fods", ".numbers")
#: files under 评审意见/ that are other documents, never a copy even when zip or OLE
DOCUMENT_SUFFIXES = (".docx", ".doc", ".wps", ".pdf", ".odt", ".rtf", ".pptx", ".ppt", ".txt", ".md")


@dataclass(frozen=True)
class ReviewFolder:
    """The files under 评审意见/: the reviewers' copies (read or refused) and the other
    files, which are not read (``toolkit validate`` names them)."""

    copies: list[Path]
    others: list[Path]


def review_folder(data_dir: Path) -> ReviewFolder:
    """The files under ``data_dir/评审意见/`` and its sub-folders, in path order; Excel's
    lock files (``~$``) and hidden files are left out."""
    folder = Path(data_dir) / REVIEW_FOLDER
    if not folder.is_dir():
        return ReviewFolder([], [])
    found = sorted(p for p in folder.rglob("*")
                   if p.is_file() and not any(part.startswith(("~$", ".")) for part in p.relative_to(folder).parts))
    copies = [p for p in found if is_copy(p)]
    return ReviewFolder(copies, [p for p in found if p not in copies])


def is_copy(path: Path) -> bool:
    """Whether a file under 评审意见/ is a reviewer's copy: a spreadsheet's suffix (in
    any case), or a workbook's content under another suffix (a zip holding ``xl/`` or
    an OpenDocument spreadsheet, an OLE2 file that is no Word document)."""
    suffix = path.suffix.lower()
    if suffix in READ_SUFFIXES or suffix in REFUSED_SUFFIXES:
        return True
    if suffix in DOCUMENT_SUFFIXES:
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(8)
        if head == OLE2_MAGIC:
            return True
        if head[:4] == ZIP_MAGIC and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
                return any(n.startswith("xl/") for n in names) or (
                    "mimetype" in names and b"spreadsheet" in z.read("mimetype")[:100])
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False
    return False


# --- every input of a year, in one list ------------------------------------------------


def year_inputs(data_dir: Path, *, cycle: bool = True) -> dict[str, Path]:
    """Every file of a year's data folder that a run reads, by its path in the folder:
    the tables' files and the corrections file (what ``load_year`` reads), and with
    ``cycle`` the award cycle's files (the reviewer roster, the reviewers' copies, the objections
    register). ``manifest.json`` records these with the hashes of the bytes read; ``toolkit run
    --year`` and ``--years`` keep a published run only when every one is unchanged
    (``pipeline.unchanged``). A new input of the cycle joins this list (one line)
    and is read through ``ingest.snapshot.take``."""
    d = Path(data_dir)
    files = [*find_files(d).values(), *filter(None, [corrections_file(d)])]
    if cycle:
        files += [*filter(None, [roster_file(d)]), *review_folder(d).copies, *filter(None, [objections_file(d)])]
    return {p.relative_to(d).as_posix(): p for p in files}

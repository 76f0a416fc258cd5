"""The clean store: every cleaned year of every province as one partitioned Parquet
data set, which is both the ingest cache and the input of the evaluation.

Layout (hive partitioning, one data set per clean table)::

    <store>/tables/<table>/year=<Y>/province=<P>/part-<key>.parquet
    <store>/excluded/<table>/year=<Y>/province=<P>/part-<key>.parquet
    <store>/quarantine/year=<Y>/province=<P>/part-<key>.parquet
    <store>/meta/year=<Y>/province=<P>/meta.json

``<key>`` (its first 16 hex digits in the file names) is the SHA-256 of what went into
the partition: every input file's content hash (with its table and name), the toolkit
version, a hash of the ingest and clean code, the period and the rules file's hash.
``meta.json`` holds the key, the rows and columns of every file, the ledger, the input
files (with their size and modification time: an unchanged file is not hashed again,
:func:`known_hashes`) and the missing tables. The files hold no year or province column: readers take
them from the folder names (DuckDB ``hive_partitioning``, Spark partition discovery).
Times are written in microseconds (whole seconds in practice), which Spark reads.

A (year, province) whose key changed is cleaned again and replaced: the new files are
written under new names, then ``meta.json`` is replaced (``os.replace``, the moment
the partition changes), then the old files are removed. Other years and provinces are
not touched. A partition whose meta, footers or row counts do not match is rebuilt.

The store is ``$TOOLKIT_CACHE_DIR`` or ``<project>/.cache/store``: it is derived data,
rebuilt from ``data/<year>`` and the code at any time (``make clean`` removes it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from toolkit import __version__, paths
from toolkit.clean.model import InputFile, LazyTables, YearData
from toolkit.clean.schema import QUARANTINE_COLUMNS, conform, conform_excluded
from toolkit.exceptions import ParameterError
from toolkit.fingerprint import files_sha256
from toolkit.i18n import gettext as _

log = logging.getLogger(__name__)

FORMAT = 2
COMPRESSION = "zstd"
#: the province of a delivery that names none (Hunan's own)
DEFAULT_PROVINCE = "hunan"
#: an optional one-line file in a data folder naming its province
PROVINCE_FILE = "province.txt"
_PROVINCE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
#: the sub-packages whose code decides what a partition holds: every module in them is hashed
_CODE_PACKAGES = ("ingest", "clean")
KINDS = ("tables", "excluded")
#: a temporary file older than this (seconds) was left by a process that died
_STALE_TMP = 3600


def store_dir() -> Path:
    """The store's root: ``$TOOLKIT_CACHE_DIR`` or ``<project>/.cache/store``."""
    env = os.environ.get("TOOLKIT_CACHE_DIR")
    return Path(env).expanduser() if env else paths.PROJECT_ROOT / ".cache" / "store"


def province_of(data_dir: Path, province: str | None = None) -> str:
    """The delivery's province: ``province`` when given, else the first line of
    ``<data_dir>/province.txt`` when present, else ``hunan``. Lower-case ASCII letters,
    digits, ``-`` and ``_`` (it names a folder of the store)."""
    source = "province"
    if province is None:
        f = Path(data_dir) / PROVINCE_FILE
        if f.is_file():
            lines = f.read_text(encoding="utf-8-sig").split()
            province, source = (lines[0] if lines else ""), str(f)
        else:
            return DEFAULT_PROVINCE
    if not _PROVINCE.fullmatch(province):
        raise ParameterError(_("the province {province!r} ({source}) cannot name a store partition").format(province=province, source=source),
                             value=province, expected=_("lower-case ASCII letters, digits, - or _ "
                             "(e.g. hunan)"))
    return province


def _code_hash() -> str:
    named = []
    for package in _CODE_PACKAGES:
        modules = sorted((paths.PACKAGE_DIR / package).glob("*.py"))
        if not modules:  # a moved package must not silently stop invalidating the store
            raise RuntimeError(f"no modules found in toolkit/{package} for the store key")
        named += [(f"{package}/{p.name}", p) for p in modules]
    return files_sha256(named)


def store_key(year: int, period, found: dict[str, Path], hashes: dict[str, str]) -> str:
    """The key of a year's partition (see the module docstring)."""
    payload = {
        "format": FORMAT,
        "version": __version__,
        "code": _code_hash(),
        "year": year,
        "period": [period.start.isoformat(), period.end.isoformat()],
        "rules_sha256": getattr(period, "rules_sha256", None),
        "awards": [[a.award, a.track, a.kind, list(a.words)] for a in getattr(period, "awards", None) or ()],
        "files": sorted([t, Path(p).name, hashes[t]] for t, p in found.items()),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _part(year: int, province: str) -> Path:
    return Path(f"year={year}") / f"province={province}"


def meta_path(root: Path, year: int, province: str) -> Path:
    return root / "meta" / _part(year, province) / "meta.json"


def _file(root: Path, kind: str, name: str | None, year: int, province: str, key: str) -> Path:
    base = root / kind / name if name else root / kind
    return base / _part(year, province) / f"part-{key[:16]}.parquet"


def _write_frame(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        # zstd: as fast to write as snappy, a third smaller and faster to read back;
        # microseconds: what Spark reads (the clean times are whole seconds)
        df.to_parquet(tmp, index=False, compression=COMPRESSION, coerce_timestamps="us",
                      allow_truncated_timestamps=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def file_stat(path: Path) -> list[int] | None:
    """What says a file is unchanged without reading it: size and modification time (ns)."""
    try:
        st = Path(path).stat()
    except OSError:
        return None  # hashing it will say what is wrong
    return [st.st_size, st.st_mtime_ns]


def known_hashes(meta: dict | None, found: dict[str, Path], stats: dict[str, list[int]]
                 ) -> dict[str, str]:
    """The SHA-256 of each input file that the partition's meta recorded with the same
    path, size and modification time (taken before it was hashed): those need no
    reading. Any other file is hashed again (and a new hash changes the key)."""
    if not meta:
        return {}
    recorded = {(f["table"], f["path"]): f for f in meta.get("files", [])}
    out = {}
    for table, path in found.items():
        f = recorded.get((table, str(path)))
        if f is not None and f.get("stat") is not None and f.get("stat") == stats.get(table):
            out[table] = f["sha256"]
    return out


def write(yd: YearData, key: str, province: str, root: Path | None = None,
          stats: dict[str, list[int]] | None = None) -> Path:
    """Store ``yd`` as the partition (``yd.year``, ``province``) with ``key``; returns
    its meta file. Readers see the old partition or the new one, never a mixture.
    ``stats`` (table -> :func:`file_stat` taken before hashing) lets the next load skip
    hashing an unchanged file."""
    stats = stats or {}
    root = root or store_dir()
    year = yd.year
    jobs, done = [], []
    for kind, tables in (("tables", yd.tables), ("excluded", yd.excluded)):
        for name in list(tables):
            path = _file(root, kind, name, year, province, key)
            if isinstance(tables, LazyTables) and tables.file(name) == path:
                done.append((path, (kind, name)))  # spilled while the year was built
            else:
                jobs.append((tables[name], path, (kind, name)))
    jobs.append((yd.quarantine, _file(root, "quarantine", None, year, province, key),
                 ("quarantine", None)))
    jobs.sort(key=lambda j: -len(j[0]))  # the big tables first
    # two threads: pyarrow encodes and compresses without the GIL
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda j: _write_frame(j[0], j[1]), jobs))
    parts: dict[str, dict] = {"tables": {}, "excluded": {}}
    quarantine = None
    entries = [(len(df), [str(c) for c in df.columns], path, what) for df, path, what in jobs]
    for path, what in done:
        footer = pq.read_metadata(path)
        entries.append((footer.num_rows, footer.schema.to_arrow_schema().names, path, what))
    for rows, columns, path, (kind, name) in entries:
        entry = {"rows": rows, "columns": columns, "file": path.relative_to(root).as_posix()}
        if kind == "quarantine":
            quarantine = entry
        else:
            parts[kind][name] = entry
    meta = {
        "format": FORMAT, "key": key, "year": year, "province": province,
        "period": [yd.period_start.isoformat(), yd.period_end.isoformat()],
        "tables": {n: parts["tables"][n] for n in yd.tables},
        "excluded": {n: parts["excluded"][n] for n in yd.excluded},
        "quarantine": quarantine,
        "ledger": yd.ledger,
        "files": [{"table": f.table, "path": str(f.path), "sha256": f.sha256, "sheet": f.sheet,
                   "encoding": f.encoding, "header_row": f.header_row,
                   "stat": stats.get(f.table)} for f in yd.files],
        "missing_tables": yd.missing_tables,
    }
    final = meta_path(root, year, province)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".meta-{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, final)  # the partition is now the new one
    _remove_others(root, year, province, {root / p for p in _meta_files(meta)})
    return final


def _meta_files(meta: dict) -> list[str]:
    out = [e["file"] for kind in KINDS for e in meta[kind].values()]
    return out + ([meta["quarantine"]["file"]] if meta.get("quarantine") else [])


def _remove_others(root: Path, year: int, province: str, keep: set[Path]) -> None:
    """Remove the partition's files that its meta does not name (an older key's)."""
    part = _part(year, province)
    folders = [d / part for kind in KINDS for d in (root / kind).glob("*")]
    folders.append(root / "quarantine" / part)
    now = time.time()
    for folder in folders:
        if not folder.is_dir():
            continue
        for f in folder.iterdir():
            if f in keep:
                continue
            try:
                if f.suffix == ".parquet" or now - f.stat().st_mtime > _STALE_TMP:
                    f.unlink()
            except OSError:
                pass
        try:
            folder.rmdir()  # only when empty: a table the year no longer has
        except OSError:
            pass


def read_meta(root: Path, year: int, province: str) -> dict | None:
    """The partition's meta (None when there is none or it cannot be read)."""
    p = meta_path(root, year, province)
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None


def partitions(root: Path | None = None) -> list[tuple[int, str]]:
    """Every (year, province) in the store, sorted."""
    root = root or store_dir()
    out = []
    for p in (root / "meta").glob("year=*/province=*/meta.json"):
        try:
            out.append((int(p.parent.parent.name.removeprefix("year=")),
                        p.parent.name.removeprefix("province=")))
        except ValueError:
            continue
    return sorted(out)


def _check(root: Path, meta: dict) -> None:
    """Every file the meta names exists with its rows (footers only: cheap)."""
    entries = [e for kind in KINDS for e in meta[kind].values()]
    entries += [meta["quarantine"]] if meta.get("quarantine") else []
    for e in entries:
        rows = pq.read_metadata(root / e["file"]).num_rows
        if rows != e["rows"]:
            raise ValueError(f"{e['file']}: {rows} rows, the meta says {e['rows']}")


def open_partition(year: int, province: str, key: str | None = None,
                   root: Path | None = None) -> YearData | None:
    """The partition as a YearData (``from_cache=True``) whose tables are read on first
    use; None when the store has no usable partition (or one with another ``key``)."""
    root = root or store_dir()
    meta = read_meta(root, year, province)
    if meta is None or (key is not None and meta.get("key") != key):
        return None
    try:
        _check(root, meta)
        yd = YearData(
            year=int(meta["year"]), data_dir=Path("."),
            period_start=pd.Timestamp(meta["period"][0]),
            period_end=pd.Timestamp(meta["period"][1]),
            ledger=meta["ledger"],
            files=[InputFile(table=f["table"], path=Path(f["path"]), sha256=f["sha256"],
                             sheet=f["sheet"], encoding=f["encoding"], header_row=f["header_row"])
                   for f in meta["files"]],
            missing_tables=list(meta["missing_tables"]),
            from_cache=True, province=province,
        )
        yd.tables = _lazy(root, meta["tables"], conform)
        yd.excluded = _lazy(root, meta["excluded"], conform_excluded)
        q = pd.read_parquet(root / meta["quarantine"]["file"])
        if list(q.columns) != QUARANTINE_COLUMNS:
            raise ValueError("quarantine columns differ")
        yd.quarantine = q.astype({c: "str" for c in QUARANTINE_COLUMNS if c != "row"}).astype(
            {"row": "int64"})
        return yd
    except Exception as exc:  # any damage: rebuild from the inputs
        log.warning(_("ignoring a damaged store partition year=%s province=%s (%s)"),
                    year, province, exc)
        return None


def spill(frame: pd.DataFrame, kind: str, name: str, year: int, province: str, key: str,
          root: Path | None = None) -> Path:
    """A clean (``kind`` "tables") or excluded table of a year being built written to
    its file of the partition to come, before the rest of the year (``write`` then
    takes it as it is): a big table need not be held until the year is done."""
    path = _file(root or store_dir(), kind, name, year, province, key)
    _write_frame(frame, path)
    return path


def loader_of(kind: str, name: str):
    """How a table of ``kind`` is read back from its file (``LazyTables`` loaders)."""
    shape = conform if kind == "tables" else conform_excluded
    return lambda source: shape(pd.read_parquet(source), name)


def _lazy(root: Path, entries: dict, shape) -> LazyTables:
    files = {name: root / e["file"] for name, e in entries.items()}

    def loader(name: str):
        return lambda source: shape(pd.read_parquet(source), name)

    # every file held open: a later write of the partition under another key (other
    # inputs, in this process or another) removes these files, and an open file stays
    # readable for the YearData that serves it
    return LazyTables({name: loader(name) for name in entries}, files, hold=True)

"""The ingest cache: a cleaned year stored as Parquet, served again while nothing
that went into it has changed.

The key is the SHA-256 of: every input file's content hash (with its table and
name), the toolkit version, a hash of the ingest code itself (contract, parse,
ingest, clean), the period and the rules file's hash. An entry is a folder
``<cache dir>/<key>/`` holding ``tables/*.parquet``, ``excluded/*.parquet``,
``quarantine.parquet`` and ``meta.json`` (ledger, files, missing tables, period). It
is written beside its final place and renamed into it, so a reader never sees half an
entry; an entry that cannot be read is removed and rebuilt.

The cache folder is ``$TOOLKIT_CACHE_DIR`` or ``<project root>/.cache/ingest``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from toolkit import __version__, paths
from toolkit.clean.model import InputFile, YearData
from toolkit.clean.schema import QUARANTINE_COLUMNS, conform, conform_excluded

log = logging.getLogger(__name__)

FORMAT = 1
COMPRESSION = "zstd"
#: the sub-packages whose code decides what a cache entry holds: every module in them is hashed
_CODE_PACKAGES = ("ingest", "clean")


def cache_dir() -> Path:
    env = os.environ.get("TOOLKIT_CACHE_DIR")
    return Path(env).expanduser() if env else paths.PROJECT_ROOT / ".cache" / "ingest"


def _code_hash() -> str:
    h = hashlib.sha256()
    for package in _CODE_PACKAGES:
        modules = sorted((paths.PACKAGE_DIR / package).glob("*.py"))
        if not modules:  # a moved package must not silently stop invalidating the cache
            raise RuntimeError(f"no modules found in toolkit/{package} for the cache key")
        for p in modules:
            h.update(f"{package}/{p.name}".encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def cache_key(year: int, period, found: dict[str, Path], hashes: dict[str, str]) -> str:
    """The key of a year's entry (see the module docstring)."""
    payload = {
        "format": FORMAT,
        "version": __version__,
        "code": _code_hash(),
        "year": year,
        "period": [period.start.isoformat(), period.end.isoformat()],
        "rules_sha256": getattr(period, "rules_sha256", None),
        "files": sorted([t, Path(p).name, hashes[t]] for t, p in found.items()),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in name)


def store(key: str, yd: YearData) -> Path:
    """Write ``yd`` as the entry ``key`` (atomically: a temporary folder renamed)."""
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    final = root / key
    tmp = Path(tempfile.mkdtemp(prefix=f".{key[:16]}-", dir=root))
    try:
        (tmp / "tables").mkdir()
        (tmp / "excluded").mkdir()
        # zstd: about as fast to write as snappy (pandas' default), a third smaller and
        # faster to read back (province year: 49 -> 32 MB, read 0.53 -> 0.30 s). Two
        # threads: pyarrow encodes and compresses without the GIL.
        jobs = [(df, tmp / "tables" / f"{_safe(name)}.parquet") for name, df in yd.tables.items()]
        jobs += [(df, tmp / "excluded" / f"{_safe(name)}.parquet")
                 for name, df in yd.excluded.items()]
        jobs.append((yd.quarantine, tmp / "quarantine.parquet"))
        jobs.sort(key=lambda j: -len(j[0]))  # the big tables first

        def write(job) -> None:
            job[0].to_parquet(job[1], index=False, compression=COMPRESSION)

        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(write, jobs))
        meta = {
            "format": FORMAT,
            "year": yd.year,
            "period": [yd.period_start.isoformat(), yd.period_end.isoformat()],
            "tables": list(yd.tables),
            "excluded": list(yd.excluded),
            "ledger": yd.ledger,
            "files": [
                {"table": f.table, "path": str(f.path), "sha256": f.sha256, "sheet": f.sheet,
                 "encoding": f.encoding, "header_row": f.header_row}
                for f in yd.files
            ],
            "missing_tables": yd.missing_tables,
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        try:
            os.replace(tmp, final)
        except OSError:
            # another process stored the same entry meanwhile: theirs is as good
            if not (final / "meta.json").is_file():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def load(key: str) -> YearData | None:
    """The entry ``key`` as a YearData (``from_cache=True``), or None when there is
    no usable entry (a broken one is removed)."""
    entry = cache_dir() / key
    meta_path = entry / "meta.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"cache format {meta.get('format')!r}")
        yd = YearData(
            year=int(meta["year"]),
            data_dir=Path("."),
            period_start=pd.Timestamp(meta["period"][0]),
            period_end=pd.Timestamp(meta["period"][1]),
            ledger=meta["ledger"],
            files=[InputFile(table=f["table"], path=Path(f["path"]), sha256=f["sha256"],
                             sheet=f["sheet"], encoding=f["encoding"], header_row=f["header_row"])
                   for f in meta["files"]],
            missing_tables=list(meta["missing_tables"]),
            from_cache=True,
        )
        for name in meta["tables"]:
            df = pd.read_parquet(entry / "tables" / f"{_safe(name)}.parquet")
            yd.tables[name] = conform(df, name)
        for name in meta["excluded"]:
            df = pd.read_parquet(entry / "excluded" / f"{_safe(name)}.parquet")
            yd.excluded[name] = conform_excluded(df, name)
        q = pd.read_parquet(entry / "quarantine.parquet")
        if list(q.columns) != QUARANTINE_COLUMNS:
            raise ValueError("quarantine columns differ")
        yd.quarantine = q.astype({c: "str" for c in QUARANTINE_COLUMNS if c != "row"}).astype(
            {"row": "int64"})
        return yd
    except Exception as exc:  # any damage: forget the entry, rebuild from the inputs
        log.warning("ignoring a damaged ingest cache entry %s (%s)", entry, exc)
        shutil.rmtree(entry, ignore_errors=True)
        return None

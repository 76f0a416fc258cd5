"""Per-unit reports that never vanish without a word. A run without ``--per-unit`` (the
nightly one) does not write ``units/``; it keeps the unit reports of the run published
before it, says in ``units/说明.txt`` and in its manifest (``unit_reports_run``) which
run made them, so a link to a unit's report keeps working and nobody takes it for
this run's. A run with ``--per-unit`` writes them anew (docs/interfaces.md, "units/")."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from toolkit.pipeline.publish import MANIFEST

UNITS_DIR = "units"
NOTE = "说明.txt"
NOTE_TEXT = (
    "本文件夹中的单位报告由 {made_at} 开始的运行（toolkit run --per-unit）生成，显示的是该次运行的结果。\n"
    "此后的运行（{now}）未加 --per-unit，没有重新生成单位报告，只保留了这些报告。\n"
    "需要与本次结果一致的单位报告时，运行：toolkit run --year {year} --per-unit\n"
)


def _manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def made_at(manifest: dict) -> str | None:
    """When the run that made a published run's unit reports started (its own start,
    or the run it kept them from)."""
    if not manifest.get("unit_reports"):
        return None
    return manifest.get("unit_reports_run") or manifest.get("started_at")


def keep_unit_reports(out_dir: Path, staging: Path, year: int, now: str) -> tuple[dict[str, str], str] | None:
    """Copy the published run's unit reports (``units/``) into ``staging`` with a note
    naming the run that made them; ``(unit_reports, made_at)`` for the manifest, or None
    when the published run has none."""
    manifest = _manifest(out_dir)
    when = made_at(manifest)
    src = Path(out_dir) / UNITS_DIR
    if when is None or not src.is_dir():
        return None
    dst = Path(staging) / UNITS_DIR
    dst.mkdir(parents=True, exist_ok=True)
    for p in sorted(src.iterdir()):
        if p.is_file() and not p.is_symlink() and p.name != NOTE:
            try:
                os.link(p, dst / p.name)
            except OSError:
                shutil.copy2(p, dst / p.name)
    (dst / NOTE).write_text(NOTE_TEXT.format(made_at=when, now=now, year=year), encoding="utf-8")
    reports = {uid: rel for uid, rel in manifest["unit_reports"].items()
               if any((dst / f"{Path(rel).name}{ext}").is_file() for ext in (".html", ".pdf"))}
    return reports, when

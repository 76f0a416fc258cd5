"""Publishing a staging folder: files renamed into place, the manifest last, the work
folder never published."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from toolkit.pipeline import publish


def test_publish_replaces_files_and_writes_the_manifest_last(tmp_path, monkeypatch):
    staging, out = tmp_path / "s", tmp_path / "o"
    (staging / "tables").mkdir(parents=True)
    (staging / publish.WORK_DIR / "units").mkdir(parents=True)
    for name in ("manifest.json", "evaluation.json", "tables/a.csv", f"{publish.WORK_DIR}/units/U001.ipynb"):
        (staging / name).write_text(name, encoding="utf-8")
    out.mkdir()
    (out / "evaluation.json").write_text("old", encoding="utf-8")
    order = []
    real = os.replace

    def spy(src, dst):
        order.append(Path(dst).name)
        real(src, dst)

    monkeypatch.setattr(publish.os, "replace", spy)
    published = publish.publish(staging, out)
    assert order[-1] == "manifest.json"
    assert published == ["evaluation.json", "manifest.json", "tables/a.csv"]
    assert (out / "evaluation.json").read_text(encoding="utf-8") == "evaluation.json"
    assert not (out / publish.WORK_DIR).exists()


def test_the_staging_folder_takes_the_umask_not_mkdtemp_privacy(tmp_path):
    """A published run folder is read by others (a web server, colleagues) as any folder
    the user makes: 0755 under the usual umask 022, not mkdtemp's private 0700."""
    old = os.umask(0o022)
    try:
        staging = publish.new_staging(tmp_path / "reports" / "2022")
    finally:
        os.umask(old)
    assert stat.S_IMODE(staging.stat().st_mode) == 0o755

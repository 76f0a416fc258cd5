"""Run folders and the one switch of the output folder's link: a reader of
``reports/2022`` sees the whole old report or the whole new one; a real folder is
migrated; files put there by hand are carried over; old run folders are pruned."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from toolkit.pipeline import publish, runs


def _staging(root: Path, tag: str, files=("evaluation.json", "tables/a.csv", "results.xlsx")) -> Path:
    """A staged run whose manifest lists its files with their hashes."""
    s = root / f".2022.staging-{tag}"
    (s / publish.WORK_DIR / "units").mkdir(parents=True)
    (s / publish.WORK_DIR / "units" / "x.ipynb").write_text("work", encoding="utf-8")
    outputs = []
    for name in files:
        (s / name).parent.mkdir(parents=True, exist_ok=True)
        (s / name).write_text(f"{tag} {name}", encoding="utf-8")
        outputs.append({"path": name, "sha256": hashlib.sha256((s / name).read_bytes()).hexdigest()})
    (s / publish.MANIFEST).write_text(json.dumps({"tag": tag, "outputs": outputs}), encoding="utf-8")
    return s


def _view(out: Path) -> str:
    """Which run a reader of ``out`` sees; fails when the folder mixes two runs."""
    manifest = json.loads((out / publish.MANIFEST).read_text(encoding="utf-8"))
    for o in manifest["outputs"]:
        assert hashlib.sha256((out / o["path"]).read_bytes()).hexdigest() == o["sha256"], o["path"]
        assert (out / o["path"]).read_text(encoding="utf-8").startswith(manifest["tag"])
    return manifest["tag"]


class Killed(BaseException):
    pass


def test_a_run_killed_at_any_step_of_publishing_leaves_a_whole_report(tmp_path, monkeypatch):
    calls = {"n": 0, "kill_at": None}
    names = ("rename", "replace", "symlink", "link", "unlink", "mkdir")
    real = {n: getattr(os, n) for n in names}

    def spy(name):
        def f(*a, **kw):
            calls["n"] += 1
            if calls["kill_at"] is not None and calls["n"] >= calls["kill_at"]:
                raise Killed(name)
            return real[name](*a, **kw)
        return f

    k = 1
    while True:
        root = tmp_path / str(k)
        root.mkdir()
        out = root / "2022"
        assert runs.publish_run(_staging(root, "old"), out) is not None
        (out / "notes.txt").write_text("mine", encoding="utf-8")
        staging = _staging(root, "new", files=("evaluation.json", "tables/a.csv", "tables/b.csv"))
        calls.update(n=0, kill_at=k)
        for n in names:
            monkeypatch.setattr(os, n, spy(n))
        try:
            runs.publish_run(staging, out)
            finished = True
        except Killed:
            finished = False
        finally:
            for n in names:
                monkeypatch.setattr(os, n, real[n])
            calls["kill_at"] = None
        seen = _view(out)
        assert seen == ("new" if finished else seen)
        assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
        if seen == "old":
            assert not (out / "tables" / "b.csv").exists()
        if finished:
            assert seen == "new" and not (out / "results.xlsx").exists()  # the old run's, not this one's
            break
        k += 1
    assert k > 3  # it was interrupted at several steps


def test_the_output_folder_links_to_a_run_folder_and_old_ones_are_pruned(tmp_path):
    out = tmp_path / "2022"
    made = [runs.publish_run(_staging(tmp_path, f"r{i}"), out) for i in range(5)]
    assert out.is_symlink() and os.readlink(out) == made[-1].name  # a hidden folder beside the link
    assert made[-1].parent == tmp_path and made[-1].name.startswith(".2022.run-")
    assert _view(out) == "r4"
    assert runs.run_folders(out) == made[-runs.KEEP:]
    # no staging folder or temporary link left
    assert not any(p.name.startswith(".2022.") and not p.name.startswith(".2022.run-") for p in tmp_path.iterdir())
    assert not (out / publish.WORK_DIR).exists()


def test_prune_never_removes_the_current_run_folder(tmp_path):
    out = tmp_path / "2022"
    current = runs.publish_run(_staging(tmp_path, "a"), out)
    for i in range(4):  # newer run folders that were never linked (killed runs)
        (runs.runs_dir(out) / f".2022.run-20990101T00000{i}000000-1").mkdir()
    runs.prune(out)
    assert current.is_dir() and runs.link_target(out) == current
    assert len(runs.run_folders(out)) == runs.KEEP + 1


def test_a_real_output_folder_is_migrated_and_hand_made_files_carried_over(tmp_path):
    out = tmp_path / "2022"
    old = _staging(tmp_path, "old")
    publish.publish(old, out)  # as an earlier version published: a real folder
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "sub").mkdir()
    (out / "sub" / "more.txt").write_text("also mine", encoding="utf-8")
    (out / publish.FAILED_DIR).mkdir()
    (out / publish.FAILED_DIR / "evaluation.ipynb").write_text("{}", encoding="utf-8")
    runs.publish_run(_staging(tmp_path, "new", files=("evaluation.json",)), out)
    assert out.is_symlink() and _view(out) == "new"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "sub" / "more.txt").read_text(encoding="utf-8") == "also mine"
    assert not (out / "results.xlsx").exists() and not (out / "tables").exists()
    assert not (out / publish.FAILED_DIR).exists()  # a successful run has no failed notebook
    migrated, = (p for p in runs.run_folders(out) if p.name.endswith("-migrated"))
    assert (migrated / "results.xlsx").is_file()  # the old report, whole, in its run folder


def test_only_replaces_one_folder_and_carries_the_rest(tmp_path):
    out = tmp_path / "2022"
    runs.publish_run(_staging(tmp_path, "old", files=("evaluation.json", "forms/a.docx", "forms/b.docx")), out)
    forms = tmp_path / "forms-staging"
    (forms / "forms").mkdir(parents=True)
    (forms / "forms" / "a.docx").write_text("new form", encoding="utf-8")
    runs.publish_run(forms, out, only="forms")
    assert sorted(p.name for p in (out / "forms").iterdir()) == ["a.docx"]
    assert (out / "evaluation.json").read_text(encoding="utf-8") == "old evaluation.json"


def test_without_symbolic_links_the_caller_publishes_file_by_file(tmp_path, monkeypatch, caplog):
    def refused(*a, **kw):
        raise OSError(1314, "A required privilege is not held by the client")

    monkeypatch.setattr(runs.os, "symlink", refused)
    with caplog.at_level("WARNING"):
        assert runs.publish_run(_staging(tmp_path, "new"), tmp_path / "2022") is None
    assert "symbolic link" in caplog.text and not (tmp_path / "2022").exists()


def test_a_link_of_the_users_is_not_replaced(tmp_path):
    real = tmp_path / "share"
    real.mkdir()
    out = tmp_path / "2022"
    out.symlink_to(real)
    assert runs.publish_run(_staging(tmp_path, "new"), out) is None
    assert os.readlink(out) == str(real)


@pytest.mark.parametrize("name", [".2022.run-b", ".2022.run-20260101T000000000000-x-y",
                                  ".2021.run-20260101T000000000000-1", "2022-20260101T000000000000-1"])
def test_run_folders_of_other_outputs_are_not_ours(tmp_path, name):
    out = tmp_path / "2022"
    (runs.runs_dir(out) / name).mkdir(parents=True)
    assert runs.run_folders(out) == []



def test_a_relative_path_from_the_run_folder_means_what_it_means_from_the_link(tmp_path):
    """A notebook opened from reports/2022 works in the link's target: its parent is the
    link's, so ../2021 and ../../data are the same seen from either."""
    (tmp_path / "reports" / "2021").mkdir(parents=True)
    out = tmp_path / "reports" / "2022"
    runs.publish_run(_staging(tmp_path, "new"), out)
    real = Path(os.path.realpath(out))
    assert real.parent == out.parent
    assert (real / ".." / "2021").resolve() == (out.parent / "2021").resolve()


def test_a_run_folder_of_the_earlier_layout_is_followed_carried_over_and_pruned(tmp_path):
    out = tmp_path / "2022"
    legacy = tmp_path / runs.RUNS_DIR / "2022-20200101T000000000000-1"
    legacy.mkdir(parents=True)
    (legacy / "notes.txt").write_text("mine", encoding="utf-8")
    out.symlink_to(f"{runs.RUNS_DIR}/{legacy.name}")
    assert runs.link_target(out) == legacy
    made = [runs.publish_run(_staging(tmp_path, f"r{i}"), out) for i in range(runs.KEEP + 1)]
    assert runs.link_target(out) == made[-1] and (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not legacy.exists() and runs.run_folders(out) == made[-runs.KEEP:]

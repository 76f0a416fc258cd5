"""The output folder: two spellings of one folder are one folder (one lock); a folder
that cannot be written is a parameter problem naming it."""

from __future__ import annotations

import errno
import os

import pytest

from toolkit.exceptions import ParameterError
from toolkit.pipeline import outdir, runs


def test_links_of_the_users_are_followed_but_not_the_runs_own(tmp_path):
    reports = tmp_path / "reports"
    (reports / "2022").mkdir(parents=True)
    (tmp_path / "to-reports").symlink_to(reports)
    (tmp_path / "mine").symlink_to(reports / "2022")
    expected = reports / "2022"
    assert outdir.output_folder(reports / "2022") == expected
    assert outdir.output_folder(tmp_path / "to-reports" / "2022") == expected
    assert outdir.output_folder(tmp_path / "mine") == expected
    assert outdir.output_folder(f"{tmp_path}/to-reports/./2022/") == expected
    # once 2022 is the run's link to its run folder, it is not followed
    (reports / "2022").rmdir()
    (reports / ".runs" / "2022-20260101T000000000000-1").mkdir(parents=True)
    (reports / "2022").symlink_to(".runs/2022-20260101T000000000000-1")
    assert runs.link_target(reports / "2022") is not None
    for spelling in (reports / "2022", tmp_path / "to-reports" / "2022", tmp_path / "mine"):
        assert outdir.output_folder(spelling) == expected, spelling


def test_a_loop_of_links_is_a_parameter_error(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(ParameterError) as err:
        outdir.output_folder(tmp_path / "a")
    assert err.value.exit_code == 2 and str(tmp_path / "a") in str(err.value)


@pytest.mark.parametrize("where", ["/proc/toolkit-test/2022", "file/2022", "file"])
def test_a_folder_that_cannot_be_written_is_named(tmp_path, where):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / where if not where.startswith("/") else outdir.output_folder(where)
    with pytest.raises(ParameterError) as err:
        outdir.check_writable(out)
    assert err.value.exit_code == 2 and str(out) in str(err.value) and "\n" not in str(err.value)


def test_a_refused_write_in_or_beside_the_output_is_a_parameter_error(tmp_path):
    out = tmp_path / "reports" / "2022"
    ro = OSError(errno.EROFS, "Read-only file system", str(out.parent / ".2022.staging-1" / "evaluation.json"))
    err = outdir.write_denied(ro, out)
    assert err is not None and err.exit_code == 2 and str(out) in str(err)
    assert outdir.write_denied(PermissionError(errno.EACCES, "Permission denied"), out) is not None
    elsewhere = PermissionError(errno.EACCES, "Permission denied", "/etc/shadow")
    assert outdir.write_denied(elsewhere, out) is None  # not the output's problem
    assert outdir.write_denied(OSError(errno.ENOSPC, "No space left on device", str(out)), out) is None
    assert outdir.write_denied(ValueError("x"), out) is None


def test_probe_files_are_removed(tmp_path):
    out = tmp_path / "reports" / "2022"
    outdir.check_writable(out)
    assert os.listdir(tmp_path / "reports") == []


def test_a_mount_point_is_a_parameter_error(tmp_path, monkeypatch):
    out = tmp_path / "share"
    out.mkdir()
    monkeypatch.setattr(outdir.os.path, "ismount", lambda p: os.fspath(p) == os.fspath(out))
    with pytest.raises(ParameterError) as err:
        outdir.check_writable(out)
    assert err.value.exit_code == 2 and "mount point" in str(err.value) and str(out / "share") in str(err.value)

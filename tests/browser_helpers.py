"""Headless Chromium for the tests that look at a page as a reader's browser shows it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import matplotlib.image
import pytest


def chromium() -> str:
    """The browser's path, or the test is skipped saying why."""
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.skip("no chromium / google-chrome to load the page headless")
    return found


def screenshot(page: Path, tmp_path: Path, size: str = "1200,2000") -> tuple[str, Path]:
    """Load ``page`` headless and take a screenshot: (the browser's log, the image)."""
    shot = tmp_path / "page.png"
    proc = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         f"--screenshot={shot}", f"--window-size={size}", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    return proc.stderr, shot


def assert_loads_without_errors(page: Path, tmp_path: Path, size: str = "1200,2000") -> None:
    """The page loads with no script or console error and shows something (not a blank,
    single-colour page)."""
    log, shot = screenshot(page, tmp_path, size)
    assert "Uncaught" not in log and "ERROR:CONSOLE" not in log, log[-2000:]
    assert shot.is_file()
    img = matplotlib.image.imread(str(shot))
    assert img.shape[0] > 100 and img.shape[1] > 100
    assert float(img[..., :3].std()) > 0.02

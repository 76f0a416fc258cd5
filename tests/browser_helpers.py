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


#: what a reader sees of every table, measured in the page: which tables scroll sideways
#: (their box's scrollWidth over its clientWidth), which first columns are squeezed to a
#: character or two a line, and which numbers, percentages and dates break over two lines
#: (a range over the token with client rects on more than one line)
_MEASURE = r"""<script>
(function () {
  var r = {iw: window.innerWidth, sw: document.documentElement.scrollWidth, scroll: [], squeezed: [],
           broken: [], tables: 0};
  var name = function (t) {
    var head = t.querySelector('th'); return (head ? head.textContent : '').slice(0, 20); };
  document.querySelectorAll('table').forEach(function (t) {
    r.tables += 1;
    var box = t.closest('.table-wrap') || t.parentElement;
    if (box.scrollWidth > box.clientWidth + 1) r.scroll.push([name(t), box.scrollWidth, box.clientWidth]);
    t.querySelectorAll('tbody tr').forEach(function (tr) {
      var c = tr.children[0];
      if (!c || c.classList.contains('num')) return;
      var em = parseFloat(getComputedStyle(c).fontSize), text = c.textContent.trim();
      if (text.length > 4 && c.getBoundingClientRect().width < 3 * em) r.squeezed.push([name(t), text]);
    });
  });
  var token = /(?<![A-Za-z0-9])(?:\d{4}-\d\d-\d\d(?: \d\d:\d\d(?::\d\d)?)?|\d[\d,.:]*%?)(?![A-Za-z])/g;
  document.querySelectorAll('td, th, p, li, summary').forEach(function (el) {
    var walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), n;
    while ((n = walk.nextNode())) {
      if (n.parentElement.closest('td, th, p, li, summary') !== el || n.parentElement.closest('code')) continue;
      var s = n.textContent, m;
      token.lastIndex = 0;
      while ((m = token.exec(s))) {
        if (m[0].length < 2) continue;
        var range = document.createRange();
        range.setStart(n, m.index); range.setEnd(n, m.index + m[0].length);
        var tops = {};
        Array.prototype.forEach.call(range.getClientRects(), function (q) {
          if (q.width > 0) tops[Math.round(q.bottom)] = 1; });
        if (Object.keys(tops).length > 1) r.broken.push(s.slice(Math.max(0, m.index - 8), m.index + m[0].length + 4));
      }
    }
  });
  (window.parent || window).document.body.setAttribute('data-measure', JSON.stringify(r));
})();
</script>"""


def measure(page: Path, tmp_path: Path, width: int) -> dict:
    """Load a copy of ``page`` (beside it, so its links resolve) in an iframe ``width`` px
    wide (a headless window is at least 500 px wide) and measure its tables: a dict with
    ``iw`` and ``sw`` (the frame's width and the page's scroll width), ``scroll`` (the
    tables that scroll sideways), ``squeezed`` (first-column cells under 3 em), ``broken``
    (numbers and dates broken over two lines) and ``tables`` (how many)."""
    import html as html_lib
    import json
    import re

    probe = page.parent / f".measure-{width}-{page.name}"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    outer = tmp_path / f"outer-{width}.html"
    outer.write_text(f'<html><body style="margin:0"><iframe src="{probe.as_uri()}" width="{width}" height="900" '
                     'style="border:0"></iframe></body></html>', encoding="utf-8")
    try:
        proc = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
             f"--user-data-dir={tmp_path / f'profile-{width}'}", f"--window-size={width + 100},1000",
             "--virtual-time-budget=10000", "--dump-dom", outer.as_uri()],
            capture_output=True, text=True, timeout=180)
    finally:
        probe.unlink(missing_ok=True)
    m = re.search(r'data-measure="([^"]*)"', proc.stdout)
    assert m, proc.stderr[-2000:]
    return json.loads(html_lib.unescape(m.group(1)))

"""End to end: `python -m toolkit run` on the generated demo year, the notebooks
executed by papermill on the venv's kernel, the HTML checked as a browser loads it, the
PDF as a printer gets it; failures that must leave the previous report in place.

These run in `make test` (marked slow: `make test-fast` skips them); about two minutes.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from browser_helpers import assert_loads_without_errors, measure
from report_helpers import RULES_2022, UNIT_NAMES, write_tiny_year

from toolkit.exceptions import RunError
from toolkit.outputs.report.format import esc
from toolkit.pipeline import notebook, run
from toolkit.pipeline.publish import FAILED_DIR
from toolkit.pipeline.spec import RunSpec

pytestmark = pytest.mark.slow


def _tree(d: Path) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo year generated, then `toolkit run` on it in a subprocess."""
    from toolkit.demo import write_demo_data

    root = tmp_path_factory.mktemp("e2e")
    data = write_demo_data(2022, root / "data" / "2022")
    out = root / "reports" / "2022"
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "run", "--year", "2022", "--data-dir", str(data),
         "--rules", str(RULES_2022), "--out", str(out)],
        capture_output=True, text=True, timeout=900, cwd=root)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr[-4000:]
    print(f"toolkit run on the demo year: {elapsed:.1f} s")
    return {"data": data, "out": out, "proc": proc, "elapsed": elapsed}


@pytest.fixture(scope="module")
def unit_names(demo):
    ev = json.loads((demo["out"] / "evaluation.json").read_text(encoding="utf-8"))
    return {u["unit_id"]: u["unit_name"] for u in ev["collective"]}


def test_run_logs_have_no_carriage_returns(demo):
    assert "\r" not in demo["proc"].stderr and "\r" not in demo["proc"].stdout
    assert "report for 2022 written to" in demo["proc"].stdout


def test_run_says_each_line_once_and_no_library_warning(demo):
    """Without -q: the stages' progress on stderr, each line once (the report's place is
    said once, on stdout), and no library's warning about the report's CSS or fonts."""
    said = demo["proc"].stdout + demo["proc"].stderr
    assert said.count("report for 2022 written to") == 1
    assert "stage pdf" in demo["proc"].stderr and "WARNING" not in said
    lines = [line.split(" ", 2)[-1] for line in said.splitlines()]  # without the time stamp
    assert len(lines) == len(set(lines)), lines


def test_html_is_self_contained_without_code(demo, unit_names):
    page = (demo["out"] / "evaluation.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "http://" not in page and "https://" not in page
    for marker in ("jp-InputArea", "input_area", "<script", "mathjax", "require.js", "In&nbsp;[",
                   "open_run(", "from toolkit import", "injected-parameters"):
        assert marker.lower() not in page.lower(), marker
    for name in unit_names.values():
        assert esc(name) in page, name
    images = _images(page)
    assert len(images) >= 5
    assert all(a.get("src", "").startswith("data:image/png;base64,") and a.get("alt") for a in images)
    for heading in ("总体情况", "资格条件核对", "图表", "退费与投诉提示", "接近达标", "先进个人",
                    "数据质量", "与上一年度比较", "规则的读取", "已生成的表格"):
        assert heading in page, heading


def _images(page: str) -> list[dict]:
    from html.parser import HTMLParser

    found = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append(dict(attrs))

    P().feed(page)
    return found


def test_pdf_a4_embedded_cjk_font_page_numbers_unit_names(demo, unit_names):
    if not (shutil.which("pdffonts") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdffonts, pdftotext) not installed")
    from pypdf import PdfReader

    pdf = demo["out"] / "evaluation.pdf"
    reader = PdfReader(str(pdf))
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.3) < 1
        assert abs(float(page.mediabox.height) - 841.9) < 1
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(re.search(r"\byes\s+yes\b", line) for line in cjk), fonts  # embedded, subset
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s", "", text)
    n = len(reader.pages)
    assert "第1页/共" in flat and f"第{n}页/共{n}页" in flat
    for name in unit_names.values():
        assert re.sub(r"\s", "", name) in flat, name


def test_manifest(demo):
    m = json.loads((demo["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert m["parameters"]["year"] == 2022 and m["toolkit_version"]
    assert m["rules"]["sha256"] == hashlib.sha256(RULES_2022.read_bytes()).hexdigest()
    files = {p.name for p in demo["data"].iterdir() if p.is_file()}
    assert {i["file"] for i in m["inputs"]} == files
    for i in m["inputs"]:
        assert i["sha256"] == hashlib.sha256((demo["data"] / i["file"]).read_bytes()).hexdigest()
    assert m["started_at"] < m["finished_at"]
    assert {"load", "evaluate", "export", "forms", "notebook", "html", "pdf"} <= set(m["stages_s"])
    print("stage timings (s):", m["stages_s"])


def test_executed_notebook_is_kept_with_code(demo):
    nb = nbformat.read(str(demo["out"] / "evaluation.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in code)
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]


def _html_outputs(nb) -> list[str]:
    return ["".join(o.get("data", {}).get("text/html", "")) for c in nb.cells if c.cell_type == "code"
            for o in c.outputs]


def test_published_notebook_re_run_from_its_folder_shows_the_same(demo, tmp_path):
    """The published evaluation.ipynb, executed again in its own folder (as JupyterLab
    starts its kernel), opens its run folder: the same tables and figures."""
    published = demo["out"] / "evaluation.ipynb"
    again = tmp_path / "again.ipynb"
    notebook.execute_notebook(published, again, {}, timeout=600, cwd=demo["out"])
    first = _html_outputs(nbformat.read(str(published), as_version=4))
    second = _html_outputs(nbformat.read(str(again), as_version=4))
    assert len(first) >= 10 and any('class="summary-cards"' in h for h in first)
    assert second == first
    assert not list(demo["out"].rglob("*.pkl")) and not list(demo["out"].parent.rglob("*.pkl"))
    assert (demo["out"] / "internal" / "report" / "meta.json").is_file()


def test_evaluation_and_tables_byte_identical_on_a_second_run(demo, tmp_path):
    again = run.run_year(RunSpec(2022, data_dir=demo["data"], rules=RULES_2022, out=tmp_path / "2022",
                         formats=("html",), progress=False))
    a, b = _tree(demo["out"]), _tree(again)
    same = [k for k in a if k == "evaluation.json" or k.startswith("tables/")]
    assert len(same) > 1
    assert [k for k in same if a[k] != b.get(k)] == []


def test_browser_loads_the_page_without_errors(demo, tmp_path):
    assert_loads_without_errors(demo["out"] / "evaluation.html", tmp_path)


# --- the tiny hand-made year: per-unit reports and failures -----------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    data = write_tiny_year(root / "data" / "2022")
    out = run.run_year(RunSpec(2022, data_dir=data, rules=RULES_2022, out=root / "reports" / "2022",
                       per_unit=True, progress=False))
    return {"root": root, "data": data, "out": out}


def test_per_unit_reports_hold_only_their_unit(tiny):
    out = tiny["out"]
    reports = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["unit_reports"]
    assert reports["U001"] == "units/长沙开放大学_U001"  # what a person reads: the name and the id
    for uid, name in UNIT_NAMES.items():
        page = (out / f"{reports[uid]}.html").read_text(encoding="utf-8")
        assert esc(name) in page and '<html lang="zh-CN">' in page
        for other, other_name in UNIT_NAMES.items():
            if other != uid:
                assert esc(other_name) not in page and other not in page, (uid, other)
        assert (out / f"{reports[uid]}.pdf").read_bytes().startswith(b"%PDF")
    page = (tiny["out"] / "evaluation.html").read_text(encoding="utf-8")
    assert "<script" not in page and "株洲&lt;script&gt;" in page


def test_unit_notebook_runs_with_its_defaults(tiny, tmp_path):
    """notebooks/unit.ipynb as committed (year 2022, unit U001, run_dir reports/2022)
    from a folder holding reports/2022."""
    out = tmp_path / "unit.ipynb"
    notebook.execute_notebook(notebook.NOTEBOOKS_DIR / "unit.ipynb", out, {}, timeout=600, cwd=tiny["root"])
    page = "".join(_html_outputs(nbformat.read(str(out), as_version=4)))
    assert esc(UNIT_NAMES["U001"]) in page and esc(UNIT_NAMES["U002"]) not in page
    assert not list(tiny["root"].rglob("*.pkl"))


def _notebooks_with(tmp_path: Path, source: str) -> Path:
    """A copy of the notebooks folder whose evaluation.ipynb runs ``source`` after the
    evaluation was prepared."""
    d = tmp_path / "notebooks"
    shutil.copytree(notebook.NOTEBOOKS_DIR, d)
    nb = nbformat.read(str(d / "evaluation.ipynb"), as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "open_run(" in c.source) + 1
    cell = nbformat.v4.new_code_cell(source)
    cell["id"] = "injected-failure"
    nb.cells.insert(at, cell)
    nbformat.write(nb, str(d / "evaluation.ipynb"))
    return d


@pytest.mark.parametrize(("source", "timeout", "expect"), [
    ('raise ValueError("boom from a cell")', 600, "ValueError: boom from a cell"),
    ("import time\ntime.sleep(60)", 3, "time limit"),
    ("import os\nos._exit(1)", 600, "kernel died"),
], ids=["failing-cell", "cell-timeout", "dead-kernel"])
def test_a_failing_notebook_leaves_the_previous_report(tiny, tmp_path, monkeypatch, source, timeout, expect):
    out = tiny["out"]
    # failed/ holds the last failure's notebook (an earlier case of this test may have left one)
    before = {k: v for k, v in _tree(out).items() if not k.startswith(f"{FAILED_DIR}/")}
    monkeypatch.setattr(notebook, "NOTEBOOKS_DIR", _notebooks_with(tmp_path, source))
    with pytest.raises(RunError) as err:
        run.run_year(RunSpec(2022, data_dir=tiny["data"], rules=RULES_2022, out=out, timeout=timeout,
                     progress=False))
    assert err.value.exit_code == 1 and err.value.stage == "notebook"
    assert expect in str(err.value)
    after = _tree(out)
    kept = {k for k in after if k.startswith(f"{FAILED_DIR}/")}
    assert {k: v for k, v in after.items() if k not in kept} == before
    names = sorted(p.name for p in out.parent.iterdir())  # no staging left: the lock, the link, run folders
    assert [n for n in names if not n.startswith(".2022.run-")] == [".2022.lock", "2022"], names
    assert kept == {f"{FAILED_DIR}/evaluation.ipynb"}  # the notebook as far as it ran
    if expect.startswith("ValueError"):
        assert "In [" in str(err.value)  # names the cell
        partial = nbformat.read(str(out / FAILED_DIR / "evaluation.ipynb"), as_version=4)
        assert any(o.output_type == "error" for c in partial.cells if c.cell_type == "code" for o in c.outputs)
        assert str(out / FAILED_DIR / "evaluation.ipynb") in str(err.value)


def test_cli_exit_code_1_for_a_failing_cell(tiny, tmp_path, monkeypatch, capsys):
    # the CLI maps RunError to exit 1 with the stage named; run in this process with the
    # notebooks folder swapped (the installed package's notebooks are found by path, not
    # through TOOLKIT_HOME, so a subprocess cannot be given other notebooks)
    from toolkit import cli

    monkeypatch.setattr(notebook, "NOTEBOOKS_DIR", _notebooks_with(tmp_path, 'raise RuntimeError("cli boom")'))
    out = tmp_path / "out" / "2022"
    code = cli.main(["run", "--year", "2022", "--data-dir", str(tiny["data"]), "--rules", str(RULES_2022),
                     "--out", str(out), "--format", "html"])
    err = capsys.readouterr().err
    assert code == 1, err[-2000:]
    assert "stage 'notebook' failed" in err and "cli boom" in err
    assert not (out / "evaluation.html").exists()


def test_a_cell_past_the_timeout_prints_only_the_toolkits_message(tiny, tmp_path):
    """The kernel, shut down while it still answers the cell, logs a ZMQError traceback
    to its standard error: that must not reach the terminal (a subprocess, as cron runs
    it; the notebooks folder swapped in the child before the command line starts)."""
    nbs = _notebooks_with(tmp_path, "import time\ntime.sleep(60)")
    out = tmp_path / "out" / "2022"
    code = ("import sys; from pathlib import Path; from toolkit.pipeline import notebook; "
            "notebook.NOTEBOOKS_DIR = Path(sys.argv[1]); from toolkit import cli; sys.exit(cli.main(sys.argv[2:]))")
    proc = subprocess.run(
        [sys.executable, "-c", code, str(nbs), "run", "--year", "2022", "--data-dir", str(tiny["data"]),
         "--rules", str(RULES_2022), "--out", str(out), "--format", "html", "--timeout", "2"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "ZMQError" not in proc.stderr, proc.stderr[-3000:]
    assert "Traceback" not in proc.stdout and "ZMQError" not in proc.stdout
    assert "Timeout waiting" not in proc.stderr  # said once, by the toolkit
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("toolkit: error: stage 'notebook' failed") and "time limit (2 s)" in last
    assert (out / FAILED_DIR / "evaluation.ipynb").is_file()


def test_pdf_first_page_holds_the_shortlist_of_every_award(demo):
    ev = json.loads((demo["out"] / "evaluation.json").read_text(encoding="utf-8"))
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(demo["out"] / "evaluation.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "拟表彰名单（初审）" in first
    labels = {u["award_label"] for u in ev["collective"]} | {n["award_label"] for n in ev["individual"]} | {
        n["award_label"] for n in ev["innovation"]}
    assert len(labels) == 6
    flat = re.sub(r"\s+", "", first)
    for label in labels:
        assert label in flat, label
    assert "已推荐" not in first


_CHECK = """<script>
(function () {
  var r = {sw: document.documentElement.scrollWidth, iw: window.innerWidth, off: [], small: []};
  document.querySelectorAll('table.matrix').forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
      return th.textContent.trim(); });
    var col = heads.indexOf('结论');
    var box = table.closest('.table-wrap') || document.documentElement;
    var right = Math.min(window.innerWidth, box.getBoundingClientRect().right);
    table.querySelectorAll('tbody tr').forEach(function (tr) {
      var b = tr.children[col].getBoundingClientRect();
      if (col < 0 || b.right > right + 0.5 || b.left < 0) r.off.push(tr.children[0].textContent);
    });
  });
  document.querySelectorAll('figure.chart img[data-label-px]').forEach(function (img) {
    var px = img.getBoundingClientRect().width / parseFloat(img.getAttribute('width'))
             * parseFloat(img.getAttribute('data-label-px'));
    if (px < 9.99) r.small.push(px);
  });
  (window.parent || window).document.body.setAttribute('data-check', JSON.stringify(r));
})();
</script>"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
@pytest.mark.parametrize("width", [1400, 1024, 390])
def test_page_fits_the_screen(demo, tmp_path, width):
    """In headless Chromium the page never scrolls sideways, the 结论 of every matrix
    row is on screen at 1024 px and wider, and chart text stays >= 10 px. The page is
    shown in an iframe of the width (a headless window is at least 500 px wide) and a
    probe script, added to a copy only, reports to the outer page."""
    page = (demo["out"] / "evaluation.html").read_text(encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", _CHECK + "</body>"), encoding="utf-8")
    outer = tmp_path / "outer.html"
    outer.write_text(f'<html><body style="margin:0"><iframe src="probe.html" width="{width}" height="900" '
                     'style="border:0"></iframe></body></html>', encoding="utf-8")
    proc = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
         f"--window-size={width + 100},1000", "--virtual-time-budget=10000", "--dump-dom", outer.as_uri()],
        capture_output=True, text=True, timeout=120)
    m = re.search(r'data-check="([^"]*)"', proc.stdout)
    assert m, proc.stderr[-2000:]
    r = json.loads(html_lib.unescape(m.group(1)))
    assert r["iw"] == width and r["sw"] <= r["iw"], r
    if width >= 1024:
        assert not r["off"], r["off"]
    assert not r["small"], r["small"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
@pytest.mark.parametrize("width", [1400, 390])
def test_tables_fit_and_numbers_keep_their_line(demo, tmp_path, width):
    """In Chromium: at 1400 px no table of the report scrolls sideways (the matrix of
    section 二 included, all its columns); at 390 px a table may scroll in its own box,
    but no number, percentage or date breaks over two lines and no first column is
    squeezed to a character or two a line."""
    r = measure(demo["out"] / "evaluation.html", tmp_path, width)
    assert r["iw"] == width and r["sw"] <= r["iw"] and r["tables"] > 10, r
    if width >= 1400:
        assert not r["scroll"], r["scroll"]
    assert not r["broken"], r["broken"]
    assert not r["squeezed"], r["squeezed"]

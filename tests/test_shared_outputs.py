"""The safety of what a run shares: the report, the tables and the forms leave the
building (school leaders, the units), so hostile text from the inputs must arrive as
plain text, trainees' personal data must never arrive, and a run's parameters, a
killed run and a second run at once must not damage anything.

One real ``python -m toolkit run`` (a subprocess, as cron starts it) on a generated
small year (``write_demo_data(..., scale="small")``) with hostile text injected into
its unit registry, nominations, complaints and meeting receipts, read from a data
folder and a rules file whose paths carry quotes and shell metacharacters. The
interrupted-run and lock tests start further runs on a copy of its report.

Marked slow (``make test-fast`` skips it); about a minute.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from toolkit import paths
from toolkit.pipeline import publish
from toolkit.pipeline.lock import lock_path

pytestmark = pytest.mark.slow

YEAR = 2022
RULES_2022 = paths.PROJECT_ROOT / "rules" / f"{YEAR}.yaml"

# --- the hostile text -------------------------------------------------------------------
HOSTILE_UNIT = "<script>alert(1)</script>长沙"  # replaces 长沙开放大学's name (old name kept as alias)
HOSTILE_UNIT_ID = "073100"
HYPERLINK = '=HYPERLINK("http://evil","点我")'  # a nominee
DDE = "+cmd|' /C calc'!A0"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_DEEDS = f"{DDE} 事迹{IMG}"  # deeds start with the DDE payload, hold the tag
IMG_NOMINEE = f"{IMG}覃俊杰"  # a nominee carrying the tag (nominees are shown in the report)
TAB_CR_NOMINEE = "\t\r-1+1邓思雨"  # tab and CR at the start, then a minus
URL_NOMINEE = "src=//evil.example/x.png @import 向佳琪"  # markup-like text, no markup
AT_SUMMARY = "@SUM(1+1)"  # a complaint summary
RSVP_TITLE = "@SUM(1+1)"  # a meeting receipt's title
RSVP_NOTE = "=1+1"  # a meeting receipt's note
#: what may arrive once the text was trimmed (leading white space is not data)
TAB_CR_SHOWN = TAB_CR_NOMINEE.strip()

# --- parameters that would be code if pasted into source or a shell ------------------------
EVIL_DATA_PART = "data'); import os; os.system('touch PWNED') #"
EVIL_RULES_PART = 'rules "$(touch PWNED2)"; `touch PWNED3` | & > x < y'

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- building the year -----------------------------------------------------------------


def _header_row(ws, first: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=10):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no header row starting with {first!r} in {ws.title}")


def _columns(ws, header: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[header] if c.value}


def _set(cell, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # a string cell in the input, never a formula


def _edit_xlsx(path: Path, first_header: str, edit) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    h = _header_row(ws, first_header)
    edit(ws, h, _columns(ws, h))
    wb.save(path)


def inject_hostile_text(data: Path) -> None:
    """Put the hostile strings into the generated year's files, keeping every row
    resolvable (the unit's old name stays as an alias)."""

    def units(ws, h, col):
        for r in range(h + 1, ws.max_row + 1):
            if str(ws.cell(r, col["单位编码"]).value) == HOSTILE_UNIT_ID:
                old = ws.cell(r, col["单位名称"]).value
                aliases = ws.cell(r, col["曾用名"]).value or ""
                _set(ws.cell(r, col["单位名称"]), HOSTILE_UNIT)
                _set(ws.cell(r, col["曾用名"]), f"{old}；{aliases}".rstrip("；"))
                return
        raise AssertionError("unit 073100 not in the registry")

    def nominations(ws, h, col):
        individual = [r for r in range(h + 1, ws.max_row + 1)
                      if str(ws.cell(r, col["推荐类别"]).value or "").endswith("先进个人")]
        assert len(individual) >= 4, individual
        a, b, c, d = individual[:4]
        _set(ws.cell(a, col["名称"]), HYPERLINK)
        deeds = ws.cell(a, col["主要事迹"]).value
        _set(ws.cell(a, col["主要事迹"]), HOSTILE_DEEDS + deeds)
        _set(ws.cell(b, col["名称"]), TAB_CR_NOMINEE)
        _set(ws.cell(c, col["名称"]), IMG_NOMINEE)
        _set(ws.cell(d, col["名称"]), URL_NOMINEE)

    def complaints(ws, h, col):
        _set(ws.cell(h + 1, col["投诉内容"]), AT_SUMMARY)

    _edit_xlsx(data / "办学单位.xlsx", "单位编码", units)
    _edit_xlsx(data / "推荐申报.xlsx", "推荐类别", nominations)
    _edit_xlsx(data / "投诉登记.xlsx", "投诉编号", complaints)
    # the meeting receipts: a GB18030 CSV
    rsvp = data / "参会回执.csv"
    rows = list(csv.reader(io.StringIO(rsvp.read_bytes().decode("gb18030"))))
    head = rows[0]
    rows[1][head.index("职务")] = RSVP_TITLE
    rows[1][head.index("备注")] = RSVP_NOTE
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    rsvp.write_bytes(buf.getvalue().encode("gb18030"))


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", "run", "--year", str(YEAR), *args]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The small generated year with hostile text, from a data folder and a rules file
    whose paths would run code if pasted into Python or a shell; one real run."""
    from toolkit.demo import write_demo_data

    root = tmp_path_factory.mktemp("shared")
    data = write_demo_data(YEAR, root / EVIL_DATA_PART / str(YEAR), scale="small")
    inject_hostile_text(data)
    rules = root / EVIL_RULES_PART / f"{YEAR}.yaml"
    rules.parent.mkdir()
    shutil.copyfile(RULES_2022, rules)
    out = root / "reports" / str(YEAR)
    t0 = time.monotonic()
    proc = subprocess.run(
        _cli("--data-dir", str(data), "--rules", str(rules), "--out", str(out)),
        capture_output=True, text=True, timeout=600, cwd=root)
    print(f"toolkit run on the hostile small year: {time.monotonic() - t0:.1f} s")
    return {"root": root, "data": data, "rules": rules, "out": out, "proc": proc}


@pytest.fixture(scope="module")
def done(hostile):
    """The run succeeded (a run that exits 2 naming a path is allowed by the interface,
    but this one's paths are valid: it must work)."""
    proc = hostile["proc"]
    assert proc.returncode == 0, proc.stderr[-4000:]
    return hostile


def _shared_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file()
                  and p.relative_to(out).parts[0] != "internal")


def _pdftotext(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def _flat(text: str) -> str:
    return re.sub(r"\s", "", text)


class _Dom(HTMLParser):
    """Tags, attributes and text of a page as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def _dom(page: str) -> _Dom:
    d = _Dom()
    d.feed(page)
    d.close()
    return d


def _assert_inert(page: str, where: str) -> None:
    dom = _dom(page)
    names = {t for t, _ in dom.tags}
    assert "script" not in names, where
    attrs = {a for _, at in dom.tags for a in at}
    assert not [a for a in attrs if a.startswith("on")], (where, attrs)
    for tag, at in dom.tags:
        if tag == "img":
            assert at.get("src", "").startswith("data:image/"), (where, at.get("src", "")[:80])


def test_the_log_carries_no_library_progress_lines(done):
    """A scheduled run's log holds our stage lines; WeasyPrint's "Step 2 - Fetching and
    parsing CSS", papermill's "Input Notebook: ..." and the like are not news."""
    records = re.findall(r"^\S+ \S+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ([\w.]+):", done["proc"].stderr, re.M)
    assert records and ("INFO", "toolkit.pipeline.run") in records
    assert [r for r in records if r[0] == "INFO" and not r[1].startswith("toolkit")] == []


# --- hostile text arrives as text ----------------------------------------------------------


def test_html_shows_hostile_text_as_text(done):
    page = (done["out"] / "evaluation.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;长沙" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    _assert_inert(page, "evaluation.html")
    text = "".join(_dom(page).text)
    for s in (HOSTILE_UNIT, HYPERLINK, IMG_NOMINEE, TAB_CR_SHOWN, URL_NOMINEE):
        assert s in text, s


def test_executed_notebook_outputs_are_inert(done):
    nb = nbformat.read(str(done["out"] / "evaluation.ipynb"), as_version=4)
    html_outputs = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code"
                    for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert html_outputs
    for h in html_outputs:
        _assert_inert(h, "evaluation.ipynb")
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;长沙" in h for h in html_outputs)


def test_pdf_holds_the_literal_strings(done):
    flat = _flat(_pdftotext(done["out"] / "evaluation.pdf"))
    for s in (HOSTILE_UNIT, HYPERLINK, IMG_NOMINEE, TAB_CR_SHOWN):
        assert _flat(s) in flat, s


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_cells_that_start_like_a_formula_are_neutralised(done):
    cells = []
    for p in sorted((done["out"] / "tables").glob("*.csv")):
        for row in csv.reader(io.StringIO(p.read_text(encoding="utf-8-sig"), newline="")):
            cells += [(p.name, c) for c in row]
    assert cells
    bad = [(f, c) for f, c in cells if c.startswith(FORMULA_START) and not _is_number(c)]
    assert bad == []
    values = {c for _, c in cells}
    assert "'" + HYPERLINK in values and "'" + TAB_CR_SHOWN in values
    assert HOSTILE_UNIT in values  # "<" is not a formula start: left as it is


def _workbooks(out: Path) -> list[Path]:
    books = sorted(p for p in _shared_files(out) if p.suffix == ".xlsx")
    assert {"results.xlsx", "附件5_参会回执汇总.xlsx"} <= {p.name for p in books}
    return books


def test_workbooks_hold_no_formula(done):
    from openpyxl import load_workbook

    found = set()
    for p in _workbooks(done["out"]):
        wb = load_workbook(p)  # not data_only: a formula would load as data_type "f"
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (p.name, ws.title, c.coordinate, c.value)
                    if isinstance(c.value, str):
                        found.add(c.value)
                        if c.value.startswith(FORMULA_START):
                            assert c.quotePrefix, (p.name, ws.title, c.coordinate, c.value)
    for s in (HYPERLINK, TAB_CR_SHOWN, HOSTILE_UNIT, RSVP_TITLE):
        assert s in found, s
    assert [v for v in found if v.startswith(RSVP_NOTE)]  # the roster's remark: note；需预留住宿


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_forms_show_the_literal_text(done):
    forms = sorted((done["out"] / "forms").glob("*.docx"))
    texts = {p.name: _docx_text(p) for p in forms}
    everything = "\n".join(texts.values())
    for s in (HYPERLINK, HOSTILE_UNIT, IMG_NOMINEE, TAB_CR_SHOWN, RSVP_TITLE, RSVP_NOTE):
        assert s in everything, s
    deeds_form = [t for t in texts.values() if HYPERLINK in t]
    assert deeds_form and any(DDE in t and IMG in t for t in deeds_form)
    # a form's file name is no formula and no path either
    assert all(not p.name.startswith(FORMULA_START) and "/" not in p.name for p in forms)


# --- trainees' personal data never arrives -------------------------------------------------


def _output_texts(out: Path) -> dict[str, str]:
    """Every shared file's text: its path, the PDF's text, each zip member's XML and
    that XML without tags (a name split over runs), JSON re-read without \\u escapes."""
    import html as html_lib

    texts = {}
    for p in _shared_files(out):
        rel = p.relative_to(out).as_posix()
        parts = [rel]
        data = p.read_bytes()
        if p.suffix == ".pdf":
            parts.append(_pdftotext(p))
        elif zipfile.is_zipfile(p):
            with zipfile.ZipFile(p) as z:
                for name in z.namelist():
                    xml = z.read(name).decode("utf-8", errors="replace")
                    parts += [name, xml, html_lib.unescape(re.sub(r"<[^>]+>", "", xml))]
        else:
            text = data.decode("utf-8-sig", errors="replace")
            parts.append(text)
            if p.suffix in (".json", ".ipynb"):
                parts.append(json.dumps(json.loads(text), ensure_ascii=False))
            if p.suffix in (".html", ".ipynb"):
                parts.append(html_lib.unescape(text))
        texts[rel] = "\n".join(parts)
    return texts


def _digit_windows(text: str) -> set[str]:
    """Every 11- and 18-character window of every run of digits (an ID may end in X)."""
    out = set()
    for run_ in re.findall(r"\d{11,}[Xx]?", re.sub(r"[\s\-]", "", text)) + re.findall(r"\d{11,}[Xx]?", text):
        for n in (11, 18):
            out |= {run_[i:i + n] for i in range(len(run_) - n + 1)}
    return out


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003ffff]+")


def _cjk_windows(text: str) -> set[str]:
    out = set()
    for run_ in _CJK.findall(text) + _CJK.findall(_flat(text)):
        for n in (2, 3, 4):
            out |= {run_[i:i + n] for i in range(len(run_) - n + 1)}
    return out


def _fixed_text() -> str:
    """The toolkit's own words (code, notebooks, templates, rules): text every report
    carries whatever the data."""
    root = paths.PROJECT_ROOT
    files = [*(root / "toolkit").rglob("*.py"), *(root / "toolkit" / "templates").rglob("*"),
             *(root / "notebooks").glob("*.ipynb"), RULES_2022]
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files if p.is_file())


def test_no_trainee_name_id_or_phone_in_any_shared_output(done):
    """Every file under the output folder except internal/ (the report, the executed
    notebook, the manifest, the tables, results.xlsx, the forms and the roster; the PDF
    as pdftotext reads it, the workbooks and documents member by member) holds no
    trainee's ID number, phone number or name from the generated registrations.

    Names: short Chinese names legitimately coincide with people of the nominations and
    the meeting receipts (contacts, nominees, attendees) and with words of the unit
    registry or of the toolkit's own text; the name check is restricted to names that
    appear in none of those. ID and phone numbers are checked without exception."""
    from toolkit.demo import generate_frames

    frames = generate_frames(YEAR, "small")
    reg = frames["staff_registrations"]
    reg_file = next(done["data"].glob("注册明细.*"))
    raw = reg_file.read_bytes().decode("utf-8-sig", errors="replace")
    ids = set(reg["id_number"].astype(str)) | set(re.findall(r"(?<!\d)\d{17}[\dXx](?!\d)", raw))
    phones = set(reg["phone"].astype(str)) | set(re.findall(r"(?<!\d)1\d{10}(?!\d)", raw))
    assert len(ids) > 1000 and len(phones) > 1000
    legit = "\n".join(frames[t].astype(str).to_csv() for t in ("nominations", "rsvp", "units"))
    legit += _fixed_text()
    names = {n for n in reg["name"].astype(str) if len(n) >= 2 and n not in legit}
    assert len(names) > 1000, len(names)
    phones -= set(re.findall(r"\d{11}", legit))  # a contact's number is not a trainee's

    texts = _output_texts(done["out"])
    assert {"evaluation.html", "evaluation.pdf", "evaluation.ipynb", "manifest.json", "results.xlsx",
            "evaluation.json"} <= set(texts)
    assert any(k.startswith("forms/") for k in texts) and any(k.startswith("tables/") for k in texts)
    leaks = {}
    for rel, text in texts.items():
        digits = _digit_windows(text)
        found = sorted(ids & digits)[:5] + sorted(phones & digits)[:5] + sorted(names & _cjk_windows(text))[:5]
        if found:
            leaks[rel] = found
    assert leaks == {}


# --- parameters are values, never code -----------------------------------------------------


def test_paths_with_quotes_and_shell_metacharacters_are_only_paths(hostile):
    """The data folder's name would close a string and call os.system if pasted into
    Python; the rules file's folder would run commands if pasted into a shell. The run
    works with the literal paths (or, as the interface allows, exits 2 naming them) and
    runs nothing."""
    root, proc = hostile["root"], hostile["proc"]
    assert proc.returncode in (0, 2), proc.stderr[-4000:]
    if proc.returncode == 2:
        assert EVIL_DATA_PART in proc.stderr or EVIL_RULES_PART in proc.stderr, proc.stderr[-2000:]
    assert [p for p in root.rglob("PWNED*")] == []
    assert not list(Path.cwd().glob("PWNED*")) and not list(paths.PROJECT_ROOT.glob("PWNED*"))
    if proc.returncode == 0:
        manifest = json.loads((hostile["out"] / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["parameters"]["data_dir"] == str(hostile["data"])
        assert manifest["parameters"]["rules"] == str(hostile["rules"])


def test_papermill_injects_the_parameters_as_literals(done):
    nb = nbformat.read(str(done["out"] / "evaluation.ipynb"), as_version=4)
    cell, = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    values = {}
    for stmt in ast.parse(cell.source).body:
        # nothing but `name = literal`: no call, no import, no second statement on a line
        assert isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant), ast.dump(stmt)
        values[stmt.targets[0].id] = stmt.value.value
    # the notebook reads the run folder it runs in: no path of the inputs reaches it
    assert values == {"year": YEAR, "run_dir": "."}
    assert str(done["data"]) not in cell.source and str(done["rules"]) not in cell.source


# --- a killed run, two runs at once ---------------------------------------------------------


def _tree(d: Path) -> dict[str, str]:
    return {p.relative_to(d).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


def _stages(log: Path) -> list[str]:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return re.findall(r"INFO toolkit\.pipeline\.run: stage (\w+)", text)


def _wait_for_stage(proc, log: Path, wanted: set[str], timeout: float = 300) -> list[str]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        stages = _stages(log)
        if wanted & set(stages):
            return stages
        assert proc.poll() is None, log.read_text(encoding="utf-8", errors="replace")[-3000:]
        time.sleep(0.05)
    raise AssertionError(f"no stage {wanted} within {timeout} s: {_stages(log)}")


def _kill_run(proc) -> None:
    """SIGKILL the run and the kernel it started (the kernel has its own process group,
    so each is killed by its id)."""
    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(children, timeout=30)


def test_killed_run_leaves_the_report_and_a_second_run_is_refused(done, tmp_path):
    """A run SIGKILLed during the PDF stage leaves every published file
    byte-identical (nothing is renamed into place before all stages succeeded); while it
    ran, a second `toolkit run` of the same output refused at once, exit 1, naming the
    lock; the next run succeeds and removes the killed run's staging folder."""
    out = tmp_path / "reports" / str(YEAR)
    shutil.copytree(done["out"], out)  # the prior good report
    before = _tree(out)
    # --force: the copied report is current (the same inputs, rules, code and options),
    # and a run would keep it without taking the lock
    args = _cli("--data-dir", str(done["data"]), "--rules", str(done["rules"]), "--out", str(out), "--force")
    log = tmp_path / "first.log"
    with open(log, "w", encoding="utf-8") as fh:
        first = subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        _wait_for_stage(first, log, {"load"}, timeout=120)  # the lock is held from here on
        second = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert second.returncode == 1, second.stderr[-2000:]
        lock = str(lock_path(out))
        assert lock in second.stderr and "another run" in second.stderr, second.stderr[-2000:]
        # killed as the PDF is made: the notebook and the HTML are complete by then, so
        # a run that wrote them under their final names would have changed the report
        _wait_for_stage(first, log, {"pdf"})
        _kill_run(first)
    finally:
        if first.poll() is None:
            _kill_run(first)
    stages = _stages(log)
    assert stages[-1] == "pdf", stages  # killed before the manifest and the publishing
    staged = [p for p in out.parent.iterdir() if publish.STAGING_PREFIX in p.name]
    assert staged, "the killed run left no staging folder: was it killed mid-run?"
    assert _tree(out) == before

    third = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert third.returncode == 0, third.stderr[-4000:]
    names = sorted(p.name for p in out.parent.iterdir())  # no staging left: the lock, the link, run folders
    assert [n for n in names if not n.startswith(f".{YEAR}.run-")] == [f".{YEAR}.lock", str(YEAR)], names
    assert out.is_symlink()  # the copied real folder was moved into a run folder beside it and linked
    after = _tree(out)
    assert set(after) == set(before)
    assert {k: v for k, v in after.items() if k.startswith("tables/")} == {
        k: v for k, v in before.items() if k.startswith("tables/")}


# --- one vocabulary across every output ----------------------------------------------------

#: labels that earlier versions gave to codes whose one label is now in toolkit.vocabulary
STALE_LABELS = ("需人工审核", "已推荐", "专技项目投诉", "超额退费", "缺少必填值", "编号重复且内容不一致",
                "退费对应的订单不存在", "staff_payments表", "（unknown_unit）")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]")
#: a folder of a path the report names for the reader to open (review/评审表.xlsx,
#: data/2022/更正.xlsx): a file name, not a code
_FOLDER = re.compile(r"[A-Za-z0-9_.-]+/")


def _codes(evaluation: dict) -> set[str]:
    """Every code a person must never read: the vocabulary's, the metrics', the awards'
    and criteria's of the rules, the tables'."""
    from toolkit.ingest.contract import TABLES
    from toolkit.metrics.registry import METRICS
    from toolkit.vocabulary import GROUPS

    codes = {c for g in GROUPS.values() for c in g if isinstance(c, str) and re.fullmatch(r"[a-z_.]+", c)}
    codes |= set(METRICS) | set(TABLES) | set(evaluation["labels"]["awards"])
    codes |= {cid for crits in evaluation["labels"]["criteria"].values() for cid in crits}
    return codes


class _Visible(HTMLParser):
    """The text of a page that a reader sees (not its style sheet)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _visible(page: str) -> str:
    v = _Visible()
    v.feed(page)
    v.close()
    return "\n".join(v.text)


def _leader_texts(out: Path) -> dict[str, str]:
    """The text a reader sees in each leader-facing output (not the code of a page)."""
    import openpyxl

    texts = {"evaluation.html": _visible((out / "evaluation.html").read_text(encoding="utf-8")),
             "evaluation.pdf": _pdftotext(out / "evaluation.pdf")}
    wb = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    texts["results.xlsx"] = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                                      for v in row if v is not None) + "\n" + "\n".join(wb.sheetnames)
    for p in sorted((out / "tables").glob("*.csv")):
        texts[f"tables/{p.name}"] = p.read_bytes().decode("utf-8-sig")
    for p in sorted((out / "forms").glob("*.docx")):
        texts[f"forms/{p.name}"] = _docx_text(p)
    return texts


def test_no_code_reaches_a_leader_and_each_code_has_one_label(done):
    from toolkit.vocabulary import OUTCOME_LABELS

    evaluation = json.loads((done["out"] / "evaluation.json").read_text(encoding="utf-8"))
    codes = _codes(evaluation)
    texts = _leader_texts(done["out"])
    leaked = {name: sorted(set(_TOKEN.findall(_FOLDER.sub(" ", t))) & codes) for name, t in texts.items()}
    assert not {k: v for k, v in leaked.items() if v}, leaked
    stale = {name: [s for s in STALE_LABELS if s in t] for name, t in texts.items()}
    assert not {k: v for k, v in stale.items() if v}, stale
    # each outcome the year has reads the same in the report, its PDF and the tables
    outcomes = {r["outcome"] for part in ("collective", "individual", "innovation") for r in evaluation[part]}
    assert len(outcomes) > 1
    csv_text = "".join(t for name, t in texts.items() if name.startswith("tables/"))
    for name, text in (("evaluation.html", texts["evaluation.html"]), ("results.xlsx", texts["results.xlsx"]),
                       ("tables/*.csv", csv_text)):
        for oc in outcomes:
            assert OUTCOME_LABELS[oc] in text, (name, oc)
    flat_pdf = _flat(texts["evaluation.pdf"])
    for oc in outcomes:
        assert OUTCOME_LABELS[oc] in flat_pdf, oc

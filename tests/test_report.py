"""The report's sections, the template and the renderers.

``write_tiny_year`` builds a small year by hand (canonical CSV file names) with hostile
strings in unit names, nominee names, deeds and complaint texts, and trainees' names,
ID and phone numbers that must never reach a report. The run and end-to-end tests use
it too.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from toolkit import open_run, paths
from toolkit.clean.load import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import RunError
from toolkit.outputs.report import appendix, figures, html, pdf, store, unit
from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import sections as sec
from toolkit.outputs.report.format import Fragment, esc, redact
from toolkit.outputs.report.frame import ReportTable, html_of
from toolkit.outputs.tables import write_outputs
from toolkit.pipeline import notebook
from toolkit.pipeline.previous import load_previous_year
from toolkit.rules.load import load_rules

HOSTILE_UNIT = "株洲<script>alert(1)</script>分校"
HOSTILE_NOMINEE = "王<b>五</b>"
TRAINEE_NAME = "学员甲乙丙"
TRAINEE_ID = "430101199001011234"
TRAINEE_PHONE = "13812345678"
COMPLAINT_PHONE = "13987654321"
RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"
UNIT_NAMES = {"U001": "长沙开放大学", "U002": HOSTILE_UNIT, "U003": "湘潭开放大学"}


def _write(d: Path, name: str, header: list[str], rows: list) -> None:
    with open(d / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def write_tiny_year(d: Path, year: int = 2022) -> Path:
    """A small, complete year: three units, both tracks, refunds, a complaint,
    nominations; a few hundred rows, deterministic."""
    d.mkdir(parents=True, exist_ok=True)
    _write(d, "units", ["unit_id", "unit_name"], sorted(UNIT_NAMES.items()))
    _write(d, "contracts", ["unit", "track", "signed_on"], [
        ("U001", "staff", f"{year - 1}-03-01"), ("U002", "staff", f"{year}-10-01"),
        ("U003", "professional", f"{year}-01-05"), ("U001", "professional", f"{year - 1}-01-01")])
    _write(d, "targets", ["unit", "target"], [("U001", 100), ("U002", 50), ("U003", 80)])
    _write(d, "teams", ["unit", "track", "dedicated_staff"], [
        ("U001", "staff", 3), ("U002", "staff", 1), ("U003", "professional", 2), ("U001", "professional", 1)])
    regs, pays, refs = [], [], []
    n = 0
    for uid, k in (("U001", 90), ("U002", 30), ("U003", 10)):
        for i in range(k):
            n += 1
            m = n % 12 + 1
            tid = f"T{n:05d}"
            regs.append((tid, uid, f"{year}-{m:02d}-03 10:00:00", f"{TRAINEE_NAME}{n}" if n == 1 else f"学员{n}",
                         TRAINEE_ID if n == 1 else f"43010119900101{n:04d}",
                         TRAINEE_PHONE if n == 1 else f"1380000{n:04d}"))
            if i % 4:
                pays.append((f"O{n:05d}", tid, uid, "180", f"{year}-{m:02d}-05 11:00:00", "成功"))
                if i % 17 == 0:
                    refs.append((f"R{n:05d}", f"O{n:05d}", "180", f"{year}-{m:02d}-20 09:00:00", "重复缴费"))
    _write(d, "staff_registrations", ["trainee_id", "unit", "registered_at", "name", "id_number", "phone"], regs)
    _write(d, "staff_payments", ["order_id", "trainee_id", "unit", "amount", "paid_at", "status"], pays)
    _write(d, "staff_refunds", ["refund_id", "order_id", "amount", "refunded_at", "reason"], refs)
    _write(d, "professional_enrollments", ["order_id", "trainee_id", "unit", "amount", "paid_at", "course"], [
        (f"P{i:05d}", f"S{i:05d}", "U003" if i % 3 else "U001", "300", f"{year}-{i % 12 + 1:02d}-08 08:00:00",
         f"课程{i % 5}") for i in range(60)])
    _write(d, "professional_refunds", ["refund_id", "order_id", "amount", "refunded_at"],
           [("PR1", "P00001", "300", f"{year + 1}-01-05 10:00:00")])
    _write(d, "complaints", ["unit", "track", "received_at", "severity", "summary", "status"], [
        ("U002", "staff", f"{year}-05-01", "重大", f"<img src=x onerror=alert(1)> 学员电话{COMPLAINT_PHONE}", "处理中")])
    _write(d, "nominations", ["category", "unit", "nominee", "deeds", "started_on"], [
        ("事业单位工作人员培训先进个人", "U001", HOSTILE_NOMINEE, "认真负责" * 20, f"{year - 2}-01-01"),
        ("事业单位工作人员培训创新创意", "U002", "", "创新<script>x</script>", ""),
    ])
    return d


def run_context(run_dir: Path, data_dir: Path, rules: Path = RULES_2022, *, compare_previous: bool = True,
                generated_at: str = "2022-12-31 12:00:00 (UTC+08:00)"):
    """The report context of a run folder holding what ``toolkit run`` writes for the
    report (evaluation.json and internal/report/), without the notebook and the forms."""
    rules_obj = load_rules(2022, rules)
    yd = load_year(2022, data_dir, rules=rules_obj, use_cache=False, progress=False)
    ev = evaluate(yd, rules_obj)
    previous, note = load_previous_year(2022, data_dir, rules_obj) if compare_previous else (None, "")
    run_dir.mkdir(parents=True, exist_ok=True)
    write_outputs(ev, run_dir)
    ctx = report_context.build(rules=rules_obj, year_data=yd, evaluation=ev, previous=previous,
                               previous_note=note, out_dir=run_dir, generated_at=generated_at)
    store.write_report_data(ctx, run_dir)
    return open_run(run_dir)


@pytest.fixture(scope="session")
def tiny_year(tmp_path_factory) -> Path:
    return write_tiny_year(tmp_path_factory.mktemp("data") / "2022")


@pytest.fixture(scope="module")
def ctx(tiny_year, tmp_path_factory):
    return run_context(tmp_path_factory.mktemp("run") / "2022", tiny_year)


@pytest.fixture(scope="module")
def sections(ctx) -> dict[str, str]:
    return _sections(ctx)


def _sections(ctx) -> dict[str, str]:
    out = {
        "title": sec.title_block(ctx), "summary": sec.summary(ctx),
        "matrices": sec.matrices(ctx), "figures": figures.figures(ctx), "flags": sec.flags(ctx),
        "near": sec.near_misses(ctx), "individual": sec.nominees(ctx, "individual"),
        "innovation": sec.nominees(ctx, "innovation"), "quality": appendix.data_quality(ctx),
        "yoy": appendix.year_over_year(ctx), "rules": appendix.rules_section(ctx),
        "forms": appendix.forms_list(ctx),
    }
    for uid in report_context.unit_ids(ctx):
        out[f"unit {uid}"] = "".join(html_of(f) for f in (
            sec.title_block(ctx, unit_id=uid), unit.unit_summary(ctx, uid),
            unit.unit_figures(ctx, uid), sec.flags(ctx, unit_id=uid)))
    return {k: html_of(v) for k, v in out.items()}


def test_every_section_renders_and_escapes_data(sections):
    everything = "".join(sections.values())
    assert "<script" not in everything.lower()
    assert "<img src=x" not in everything and "<b>五" not in everything
    assert "株洲&lt;script&gt;alert(1)&lt;/script&gt;分校" in sections["matrices"]
    assert "王&lt;b&gt;五&lt;/b&gt;" in sections["individual"]
    html.check_self_contained(everything)  # no external URL, no script
    for name in UNIT_NAMES.values():
        assert esc(name) in sections["matrices"]


def test_no_trainee_personal_data_in_the_report(sections):
    everything = "".join(sections.values())
    for secret in (TRAINEE_NAME, TRAINEE_ID, TRAINEE_PHONE, COMPLAINT_PHONE, "1380000"):
        assert secret not in everything


def test_matrix_marks_and_values(ctx):
    m = html_of(sec.matrix(ctx, "staff"))
    assert "✓" in m and "✗" in m
    assert "≥ 30,000人" in m  # the bound from the rules, shown in the header
    assert "≤ 1.5%" in m
    assert m.count("<tr>") == 1 + len(report_context.collectives(ctx, "staff"))


def test_summary_counts(ctx):
    s = str(sec.summary(ctx))
    assert "参评单位" in s and "符合条件" in s and "需复核" in s
    staff = report_context.collectives(ctx, "staff")
    assert f'<div class="n">{len(staff)}</div><div>参评单位' in s


def test_bounds_come_from_the_rules_file(tmp_path, tiny_year):
    text = RULES_2022.read_text(encoding="utf-8")
    assert "达到30000人" in text
    changed = text.replace("达到30000人", "达到20000人").replace("bound: 30000", "bound: 20000")
    rules = tmp_path / "2022.yaml"
    rules.write_text(changed, encoding="utf-8")
    c = run_context(tmp_path / "run", tiny_year, rules, compare_previous=False)
    assert "≥ 20,000人" in html_of(sec.matrix(c, "staff"))
    assert "≥ 20,000人" in str(figures.figures(c))
    assert "30,000" not in str(figures.figures(c))


def test_unit_sections_hold_only_that_unit(ctx):
    for uid in report_context.unit_ids(ctx):
        slim = unit.open_unit(ctx, uid)
        page = "".join(html_of(f) for f in (
            sec.title_block(slim, unit_id=uid), unit.unit_summary(slim, uid),
            unit.unit_figures(slim, uid), sec.flags(slim, unit_id=uid),
            sec.nominees(slim, "individual", unit_id=uid),
            sec.nominees(slim, "innovation", unit_id=uid)))
        for other, name in UNIT_NAMES.items():
            if other != uid:
                assert esc(name) not in page, (uid, other)
                assert other not in page, (uid, other)
        assert {r.unit_id for r in slim.evaluation.collective} <= {uid}
        assert set(slim.monthly["unit_id"]) <= {uid}


def test_run_folder_report_data_holds_sums_and_counts_only(ctx, tiny_year):
    d = ctx.out_dir / store.REPORT_DATA_DIR
    assert {p.name for p in d.iterdir()} == {store.META, store.MONTHLY, store.QUARANTINE,
                                             RULES_2022.name}  # no previous year beside tiny_year
    monthly = pd.read_parquet(d / store.MONTHLY)
    assert list(monthly.columns) == list(report_context.MONTHLY_COLUMNS)
    assert set(pd.read_parquet(d / store.QUARANTINE).columns) == set(report_context.QUARANTINE_COLUMNS)
    everything = b"".join(p.read_bytes() for p in d.iterdir())
    for secret in ("T00001", "O00002", TRAINEE_NAME, TRAINEE_ID, TRAINEE_PHONE, COMPLAINT_PHONE):
        assert secret.encode() not in everything, secret
    # the monthly sums are the clean tables' sums
    yd = load_year(2022, tiny_year, rules=load_rules(2022, RULES_2022), use_cache=False, progress=False)
    pays = monthly[(monthly["track"] == "staff") & (monthly["kind"] == "payments")]
    assert pays["amount_fen"].sum() == yd.tables["staff_payments"]["amount_fen"].sum()
    assert not list(ctx.out_dir.rglob("*.pkl"))


def test_open_run_rejects_a_folder_that_is_no_run(tmp_path):
    from toolkit.exceptions import ParameterError

    with pytest.raises(ParameterError):
        open_run(tmp_path)


def test_table_sections_are_dataframes_shown_as_the_report_table(ctx):
    import pandas as pd

    m = sec.matrix(ctx, "staff")
    assert isinstance(m, pd.DataFrame) and isinstance(m, ReportTable)
    assert list(m["单位"]) == [f"{r.unit_name}（{r.unit_id}）" for r in report_context.collectives(ctx, "staff")]
    assert set(m["结论"]) <= {"符合条件", "需复核", "不符合条件"}  # the badge's text, no markup
    assert m._repr_html_().startswith('<div class="table-wrap"><table class="matrix">')
    for section in (sec.flags(ctx), sec.near_misses(ctx), sec.nominees(ctx, "individual"),
                    sec.nominees(ctx, "innovation"), appendix.data_quality(ctx)):
        assert isinstance(section, pd.DataFrame) and "<table" in section._repr_html_()
    fl = sec.flags(ctx)
    assert list(fl.columns) == ["类别", "项目", "单位", "数值", "界限", "说明"] and len(fl) == len(ctx.evaluation.flags)
    assert type(fl[fl["项目"] == "事业单位"]) is pd.DataFrame  # a derived frame is a plain one
    empty = sec.flags(unit.open_unit(ctx, "U003"))
    assert empty.empty or "<table" in empty._repr_html_()


def test_require_unit(ctx):
    from toolkit.exceptions import ParameterError

    unit.require_unit(ctx, "U001")
    with pytest.raises(ParameterError):
        unit.require_unit(ctx, "NOPE")


def test_year_over_year_with_the_previous_year(tmp_path):
    write_tiny_year(tmp_path / "2021", 2021)
    write_tiny_year(tmp_path / "2022", 2022)
    c = run_context(tmp_path / "run", tmp_path / "2022")
    assert c.previous is not None and c.previous.year == 2021
    page = str(appendix.year_over_year(c))
    assert "2021年" in page and "自然年" in page  # no rules/2021.yaml beside the 2022 one
    assert "+0.0%" in page  # the same figures both years


def test_redact_long_digit_runs():
    assert redact(f"电话{TRAINEE_PHONE}，身份证{TRAINEE_ID}") == "电话［号码已隐去］，身份证［号码已隐去］"
    assert redact("订单 O00012 共 3 笔，金额 1,800 元") == "订单 O00012 共 3 笔，金额 1,800 元"


# --- the template and the renderers ---------------------------------------------------


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("year = 2022")
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell("# Parameters\nyear = 2023")
    injected.metadata["tags"] = ["injected-parameters"]
    code = nbformat.v4.new_code_cell("secret_code_marker = sec.summary(ctx)")
    code.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="WarningMarker: noisy\n"),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>片段内容</p>", "text/plain": "<片段>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "'plain & text'"}, execution_count=3),
    ]
    code.execution_count = 3
    nb.cells = [params, injected, nbformat.v4.new_markdown_cell("## 一、标题\n\n说明文字"), code]
    return nb


def test_template_hides_code_prompts_parameters_and_stderr():
    page = html.render_html(_notebook(), title="测试报告 <2022>")
    assert '<html lang="zh-CN">' in page
    assert "<title>测试报告 &lt;2022&gt;</title>" in page
    assert "片段内容" in page and "一、标题" in page and "plain &amp; text" in page
    for gone in ("secret_code_marker", "year = 2023", "year = 2022", "WarningMarker", "In&nbsp;[",
                 "jp-InputArea", "input_area", "anchor-link", "mathjax", "require.js", "<script"):
        assert gone.lower() not in page.lower(), gone
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@page" in page and "counter(pages)" in page


@pytest.mark.parametrize("bad", [
    '<img src="https://cdn.example.com/x.png">', "<link rel=stylesheet href=//cdn.example.com/a.css>",
    "<script>alert(1)</script>", "<style>@import url(http://x/y.css);</style>",
    '<a href="javascript:alert(1)">x</a>', '<div onclick="x()">x</div>',
    '<img srcset="a.png 1x, //cdn.example.com/b.png 2x">', '<p style="background:url(//x/y.png)">x</p>',
])
def test_check_self_contained_rejects_external_resources(bad):
    with pytest.raises(RunError) as err:
        html.check_self_contained(f"<html><body>{bad}</body></html>")
    assert err.value.stage == "html"


@pytest.mark.parametrize("text", ["src=//evil.example/x.png", "href=http://x", "@import url(//x)",
                                  "<script>alert(1)</script>", "onerror=alert(1)"])
def test_check_self_contained_lets_escaped_text_through(text):
    # data that merely looks like markup is text: it must not stop the yearly run
    html.check_self_contained(f"<html><body><td>{esc(text)}</td></body></html>")


def test_pdf_is_a4_with_page_numbers_and_embedded_cjk_font(tmp_path):
    if not (shutil.which("pdffonts") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdffonts, pdftotext) not installed")
    from pypdf import PdfReader

    nb = _notebook()
    title = nbformat.v4.new_code_cell("report.title_block(ctx)")
    title.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<h1>湖南开放大学测试报告</h1>"})]
    nb.cells.insert(2, title)
    nb.cells.append(nbformat.v4.new_markdown_cell("\n\n".join(f"第{i}段 湖南开放大学" for i in range(200))))
    page = html.render_html(nb, title="测试报告")
    written = pdf.render_pdf(page, tmp_path / "r.pdf")
    reader = PdfReader(str(written))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1
    fonts = subprocess.run(["pdffonts", str(written)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts
    text = subprocess.run(["pdftotext", str(written), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [re.sub(r"\s", "", p) for p in text.split("\f") if p.strip()]
    n = len(reader.pages)
    assert len(pages) == n
    for i, p in enumerate(pages, 1):
        assert f"第{i}页/共{n}页" in p  # the footer: 第 x 页 / 共 y 页
        assert "湖南开放大学测试报告" in p  # the running header repeats the title


# --- the kernel ---------------------------------------------------------------------------


def test_kernel_falls_back_to_a_temporary_kernelspec():
    from jupyter_client.kernelspec import KernelSpecManager

    before = os.environ.get("JUPYTER_PATH")
    with notebook.kernel("toolkit-test-missing-kernel") as name:
        spec = KernelSpecManager().get_kernel_spec(name)
        assert spec.argv[0] == sys.executable
        assert notebook.same_interpreter(spec.argv[0])
    assert os.environ.get("JUPYTER_PATH") == before


# --- the notebooks ------------------------------------------------------------------------

NOTEBOOKS = [notebook.NOTEBOOKS_DIR / "evaluation.ipynb", notebook.NOTEBOOKS_DIR / "unit.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_committed_clean_with_one_typed_parameters_cell(path):
    from papermill.translators import PythonTranslator

    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is None and c.outputs == [] for c in code)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    params = PythonTranslator.inspect(tagged[0])
    names = {p.name: p for p in params}
    for required in ("year", "run_dir"):
        assert required in names, required
    for p in params:
        assert p.inferred_type_name in ("int", "str", "bool"), p
        assert p.help, f"{p.name} has no inline comment"
    if path.name == "unit.ipynb":
        assert "unit_id" in names
    assert nb.metadata["kernelspec"]["name"] == notebook.KERNEL_NAME
    # no business logic: every other code line calls into toolkit
    for c in code:
        if c is tagged[0]:
            continue
        for line in c.source.splitlines():
            s = line.strip()
            assert not s or s.startswith((
                "from toolkit import", "from toolkit.outputs.report import", "ctx = open_run(",
                "ctx = unit.open_unit(", "sections.", "figures.", "appendix.", "unit.")), line
    assert any(c.cell_type == "markdown" and re.search(r"[\u4e00-\u9fff]", c.source) for c in nb.cells)


def test_public_names_for_jupyterlab():
    code = ("from toolkit import load_year, evaluate, open_run; "
            "assert callable(load_year) and callable(evaluate) and callable(open_run)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_manifest_style_json_is_plain(tmp_path):
    # the Fragment's text/plain stays short in the executed notebook (not the whole HTML)
    f = Fragment("<p>x</p>" * 1000, "汇总")
    assert len(repr(f)) < 40 and json.dumps(repr(f), ensure_ascii=False)


def test_print_layout_classes_keep_short_labels_whole(sections):
    # the flags table: 类别 and 项目 never wrap, a short track name, the unit has room
    flags = sections["flags"]
    assert '<table class="flags">' in flags
    assert '<th class="nowrap" scope="col">类别</th>' in flags and '<td class="nowrap">事业单位</td>' in flags
    assert '<td class="unit">' in flags
    assert 'class="nominees"' in sections["individual"] and '<td class="person">' in sections["individual"]
    assert 'class="ledger"' in sections["quality"]
    css = (html.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    assert "td.nowrap" in css and "td.unit" in css and "td.person" in css


def test_library_progress_logs_are_quiet_but_warnings_pass(caplog):
    import logging

    names = ["", *notebook.CHATTY_LOGGERS]
    saved = {n: logging.getLogger(n).level for n in names}
    try:
        for n in notebook.CHATTY_LOGGERS:
            logging.getLogger(n).setLevel(logging.NOTSET)
        logging.getLogger().setLevel(logging.INFO)
        notebook.quiet_library_logs()
        with caplog.at_level(logging.INFO):
            logging.getLogger("weasyprint.progress").info("Step 2 - Fetching and parsing CSS")
            logging.getLogger("papermill").info("Input Notebook: x")
            logging.getLogger("weasyprint").warning("Ignored `foo: bar`")
            logging.getLogger("toolkit.pipeline.run").info("stage pdf")
        assert [(r.name, r.levelname) for r in caplog.records] == [
            ("weasyprint", "WARNING"), ("toolkit.pipeline.run", "INFO")]
        # -v: the root logger at DEBUG leaves the libraries as they are
        logging.getLogger("papermill").setLevel(logging.NOTSET)
        logging.getLogger().setLevel(logging.DEBUG)
        notebook.quiet_library_logs()
        assert logging.getLogger("papermill").level == logging.NOTSET
    finally:
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)

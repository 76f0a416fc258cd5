"""The PDF: A4, page numbers, the CJK font embedded."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

import nbformat
import pytest
from report_helpers import report_notebook

from toolkit.outputs.report import html, pdf


def test_pdf_is_a4_with_page_numbers_and_embedded_cjk_font(tmp_path):
    if not (shutil.which("pdffonts") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdffonts, pdftotext) not installed")
    from pypdf import PdfReader

    nb = report_notebook()
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


def test_rendering_the_report_draws_no_library_warning(tmp_path, caplog):
    """WeasyPrint parses only CSS it understands (the screen-only rules are in a
    <style media="screen">), and the fonts are subset without complaint (HarfBuzz's
    subsetter: scripts/system-deps.sh installs libharfbuzz-subset0)."""
    nb = report_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("湖南开放大学 2022 年度"))
    page = html.render_html(nb, title="测试报告")
    caplog.set_level(logging.WARNING)
    pdf.render_pdf(page, tmp_path / "r.pdf")
    noise = [f"{r.name}: {r.getMessage()}" for r in caplog.records
             if r.levelno >= logging.WARNING and r.name.split(".")[0] in ("weasyprint", "fontTools")]
    assert noise == []
    assert "overflow-x" in page and "min-width: 1300px" in page  # a screen keeps its rules

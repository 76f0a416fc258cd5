"""``reports/index.html`` (and ``index.pdf``): the page of a span of years, built from
the years' run folders (:mod:`toolkit.outputs.index.span`).

The page is laid out as a notebook made in memory (markdown headings and cells whose
output is the sections' HTML) and rendered by the report's own path
(:func:`toolkit.outputs.report.html.render_html`: the same template and style sheet,
self-contained, ``lang="zh-CN"``, contents list) and, for print, by WeasyPrint
(A4, CJK fonts, page x of y). No kernel is started. Each file is written beside and
renamed into place.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from toolkit.outputs.files import atomic_write
from toolkit.outputs.index import page as pg
from toolkit.outputs.index.span import YearRun, read_span
from toolkit.outputs.report import html, pdf
from toolkit.outputs.report.contents import placeholder
from toolkit.outputs.report.format import Fragment, now_text

log = logging.getLogger(__name__)

INDEX_HTML = "index.html"
INDEX_PDF = "index.pdf"


def _bases(out_dir: Path, span: list[YearRun]) -> dict[int, str]:
    """year -> its run folder relative to the index (``2022``)."""
    return {y.year: Path(os.path.relpath(y.run_dir, out_dir)).as_posix() for y in span}


def _links(out_dir: Path, span: list[YearRun]) -> dict[int, dict[str, str]]:
    """year -> {"html": relative link, "pdf": ...} to the year's reports that exist."""
    base = _bases(out_dir, span)
    return {y.year: {kind: f"{base[y.year]}/evaluation.{kind}" for kind in ("html", "pdf")
                     if (y.run_dir / f"evaluation.{kind}").is_file()} for y in span}


def index_notebook(span: list[YearRun], out_dir: Path, generated_at: str):
    """The index as an (already "executed") notebook: headings and HTML outputs (a section's
    heading is its title: the page numbers the sections by their order)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    def out(fragment: Fragment):
        return new_code_cell(outputs=[new_output("display_data", data={
            "text/html": fragment.html, "text/plain": repr(fragment)})])

    cells = [
        out(pg.title_block(span, generated_at)),
        out(placeholder()),
        new_markdown_cell("## 各年度评估结论"),
        out(pg.summary(span, _links(out_dir, span))),
        new_markdown_cell("## 全省趋势\n\n### 各项条件达标单位数"),
        out(pg.criteria_trend(span)),
        new_markdown_cell("### 全省合计"),
        out(pg.province(span)),
        new_markdown_cell("## 单位变动\n\n与跨度内上一年度的单位名册相比，新增或退出的单位。"),
        out(pg.changes(span)),
        new_markdown_cell("## 各奖项历年符合条件的申报"),
        out(pg.nominations(span)),
        new_markdown_cell("## 各单位历年情况"),
        out(pg.units(span, _bases(out_dir, span))),
        new_markdown_cell("## 数据来源"),
        out(pg.sources(span)),
    ]
    nb = new_notebook(cells=cells)
    nbformat.validate(nb)
    return nb


def write_index(out_dir: str | os.PathLike, run_dirs: Iterable[str | os.PathLike], *,
                formats: Sequence[str] = ("html", "pdf"), generated_at: str | None = None) -> Path:
    """Write ``<out_dir>/index.html`` for the years published in ``run_dirs`` (and
    ``index.pdf`` when ``"pdf"`` is in ``formats``; the HTML page is always written: it
    is the index). Returns the HTML path."""
    out_dir = Path(out_dir)
    span = read_span([Path(d) for d in run_dirs])
    if not span:
        raise ValueError("write_index needs at least one year's run folder")
    nb = index_notebook(span, out_dir, generated_at or now_text())
    page = html.render_html(nb, title=pg.title(span))
    dest = atomic_write(out_dir / INDEX_HTML, page.encode("utf-8"))
    if "pdf" in formats:
        tmp = out_dir / f".{INDEX_PDF}.{os.getpid()}.tmp"
        try:
            pdf.render_pdf(page, tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, out_dir / INDEX_PDF)
        finally:
            tmp.unlink(missing_ok=True)
    log.debug("index of %s written to %s", pg.years_text(span), dest)
    return dest

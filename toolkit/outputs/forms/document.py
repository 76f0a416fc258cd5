"""The Word side of the forms: an A4 page in the notice's fonts, paragraphs, table cells
and row heights (python-docx), and data values as document text."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from toolkit.ingest.text import ASCII_BLANKS
from toolkit.outputs.values import missing

# --- fonts and page ----------------------------------------------------------------
# 宋体 is the body face of the notice's forms and is present on every Windows/Office
# install the units use; LibreOffice on Linux substitutes a CJK serif (Noto Serif CJK
# SC) through fontconfig. Latin text and digits (phone numbers, amounts) use Times New
# Roman, the usual pairing in Chinese official documents.
EAST_ASIA_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(12)  # 小四
TITLE_SIZE = Pt(16)  # 三号
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN = Mm(25)

# characters XML 1.0 cannot hold (python-docx/lxml would refuse them)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- values ----------------------------------------------------------------------------


def text(value: Any) -> str:
    """A data value as document text: '' for blank, XML-illegal characters dropped,
    ASCII white space trimmed (a leading full-width indent of the deeds is the unit's)."""
    if missing(value):
        return ""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    s = XML_ILLEGAL.sub("", s).strip(ASCII_BLANKS).rstrip()
    return s if s.strip() else ""


# --- documents ---------------------------------------------------------------------------


def new_document(year: int, title: str) -> Document:
    """An empty A4 portrait document in the forms' fonts, its properties fixed (the
    year's last day as its dates), so the same content gives the same bytes."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = PAGE_WIDTH, PAGE_HEIGHT
    sec.left_margin = sec.right_margin = MARGIN
    sec.top_margin = sec.bottom_margin = MARGIN
    sec.header_distance = sec.footer_distance = Mm(12)

    # fonts: on the document defaults (theme fonts removed, else they win) and on Normal
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    set_fonts(normal.element.get_or_add_rPr())
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.25

    props = doc.core_properties
    fixed = dt.datetime(year, 12, 31, 0, 0, 0)
    props.created = props.modified = fixed
    props.last_printed = fixed
    props.author = "toolkit"
    props.last_modified_by = "toolkit"
    props.title = title
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""
    return doc


def set_faces(rpr, east_asia: str, latin: str = LATIN_FONT, *, hint: bool = True) -> None:
    """Latin and East Asian faces on a run-properties element, theme fonts removed;
    ``hint``: the run's characters taken as East Asian where Word could read them either way."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if hint:
        rfonts.set(qn("w:hint"), "eastAsia")


def set_fonts(rpr) -> None:
    """The forms' Latin and East Asian faces on a run-properties element, theme fonts removed."""
    set_faces(rpr, EAST_ASIA_FONT, hint=False)


def para(container, content: str = "", *, bold=False, size=None, align=None, indent_first=False,
         color=None):
    """A new paragraph of plain text (python-docx escapes it; \\n becomes a line break)."""
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent_first:
        p.paragraph_format.first_line_indent = Pt(24)
    if content:
        run = p.add_run(content)
        run.bold = bold
        if size is not None:
            run.font.size = size
        if color is not None:
            run.font.color.rgb = color
    return p


def cell(c, content: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, bold=False):
    """Replace a cell's content with one paragraph of text."""
    c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = c.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.alignment = align
    if content:
        run = p.add_run(content)
        run.bold = bold
    return p


def set_widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for c, w in zip(row.cells, widths_mm, strict=False):
            c.width = Mm(w)
    for col, w in zip(table.columns, widths_mm, strict=False):
        col.width = Mm(w)


def min_height(row, cm: float, *, split: bool = False) -> None:
    """A row at least ``cm`` high; unless ``split``, kept whole on one page (so an
    opinion block with its 盖章 and date never breaks across the page)."""
    row.height = Mm(cm * 10)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    if not split:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))  # cantSplit precedes trHeight


def docx_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

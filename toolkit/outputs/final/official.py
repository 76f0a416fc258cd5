"""The page of the documents the school sends out under its seal (拟表彰名单.docx,
公示稿.docx), laid out as GB/T 9704-2012 《党政机关公文格式》 asks:

* A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm text
  block); 22 lines of 28 characters (a line grid of 28.95 pt, exact line spacing, and
  the body's characters 0.25 pt closer, 15.75 pt each);
* the title in 方正小标宋简体 at 二号 (22 pt), centred, in lines broken where the words
  allow (a ``\\n`` in the title; a line never holds a single character), outside the grid;
* the body in 仿宋_GB2312 at 三号 (16 pt), paragraphs indented by two characters; the
  first-level headings (一、…) in 黑体 at 三号;
* page numbers ``— 1 —`` in 4号 宋体 below the text block, odd pages at the right and
  even pages at the left, one character in from the edge;
* tables at 四号 (14 pt): the header row repeats on every page and stays with the first
  row below it (``tblHeader``, ``keepNext``), no row splits across pages (``cantSplit``),
  and the heading above a table stays with it.

Fonts: each run names the customary Chinese face in ``w:eastAsia`` (Times New Roman for
Latin text and digits), and the font table lists each face with its usual alternatives
(``w:altName``: 仿宋 where 仿宋_GB2312 is missing, then Noto Serif / Sans CJK SC), so Word
uses the customary face where it is installed and a free CJK face where it is not;
LibreOffice on Linux falls back to Noto CJK through fontconfig.
"""

from __future__ import annotations

import math

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from toolkit.outputs.forms.document import LATIN_FONT, new_document, set_faces, set_widths

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
#: a face -> its alternatives, in order (the font table's ``w:altName``)
FONT_ALTERNATIVES = {
    TITLE_FONT: ("方正小标宋_GBK", "华文中宋", "宋体", "Noto Serif CJK SC"),
    BODY_FONT: ("仿宋", "FangSong", "Noto Serif CJK SC"),
    HEADING_FONT: ("SimHei", "Noto Sans CJK SC"),
    PAGE_NUMBER_FONT: ("SimSun", "Noto Serif CJK SC"),
}
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)  # 四号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
TEXT_HEIGHT_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
_PT_PER_MM = 72 / 25.4
#: the line pitch in twentieths of a point (579: 28.95 pt; 22 lines fit the block)
LINE_PITCH = math.floor(TEXT_HEIGHT_MM * _PT_PER_MM / LINES_PER_PAGE * 20)
#: the body's character spacing in twentieths of a point (-5: 15.75 pt a character), so
#: that 28 characters fill a 156 mm line in Word and LibreOffice alike (a character grid,
#: Word's linesAndChars, is laid out differently by LibreOffice)
CHAR_SPACING = math.floor((TEXT_WIDTH_MM * _PT_PER_MM / CHARS_PER_LINE - BODY_SIZE.pt) * 20)
#: the page number's dashes (一字线) and its inset of one character from the edge
PAGE_DASH = "—"
FOOTER_DISTANCE = Mm(25)  # the number sits about 7 mm below the text block


def one_line(title: str) -> str:
    """A title as one line of text (document properties, workbooks)."""
    return title.replace("\n", "")


def official_document(year: int, title: str):
    """An empty document on the GB/T 9704 page: margins, grid, body face and size,
    page numbers and the font table."""
    doc = new_document(year, one_line(title))
    sec = doc.sections[0]
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.footer_distance = FOOTER_DISTANCE
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sec._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    set_faces(normal.element.get_or_add_rPr(), BODY_FONT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING))
    normal.element.get_or_add_rPr().append(spacing)
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_faces(defaults, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):  # the grid's character pitch is reckoned from the default size
        defaults.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH / 20)
    pf.widow_control = True
    page_numbers(doc)
    font_table(doc)
    return doc


def _run(p, content: str, face: str, size, *, latin: str = LATIN_FONT, bold: bool = False):
    run = p.add_run(content)
    run.font.size = size
    run.bold = bold
    set_faces(run._r.get_or_add_rPr(), face, latin)
    return run


def off_grid(p) -> None:
    """A paragraph not snapped to the document grid (a title or a table cell in another
    size than the body's would otherwise take two grid cells per character)."""
    ppr = p._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)


def official_title(doc, title: str):
    """The title: 方正小标宋简体 二号, centred, its lines as the ``\\n`` in it break it,
    a body line of space after it."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(35)  # 二号 lines, a little apart
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_after = Pt(LINE_PITCH / 20)
    off_grid(p)
    for i, line in enumerate(title.split("\n")):
        run = _run(p, line, TITLE_FONT, TITLE_SIZE)
        if i:
            run._r.insert(0, OxmlElement("w:br"))
    return p


def official_heading(doc, content: str):
    """A first-level heading (一、…): 黑体 三号, kept with what follows; Word's 标题 2
    style, so it shows in the navigation pane."""
    p = doc.add_paragraph(style="Heading 2")
    style = p.style
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.bold = False
    style.font.size = BODY_SIZE
    set_faces(style.element.get_or_add_rPr(), HEADING_FONT)
    sf = style.paragraph_format
    sf.space_before = sf.space_after = Pt(0)
    sf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    sf.line_spacing = Pt(LINE_PITCH / 20)
    sf.first_line_indent = BODY_SIZE * 2
    sf.keep_with_next = True
    _run(p, content, HEADING_FONT, BODY_SIZE)
    return p


def official_para(doc, content: str = "", *, indent: bool = True, align=None):
    """A body paragraph: 仿宋 三号, indented by two characters unless ``indent`` is False."""
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = BODY_SIZE * 2
    if content:
        _run(p, content, BODY_FONT, BODY_SIZE)
    return p


def official_table(doc, headers: list[str], rows: list[list[str]], widths_mm: list[float] | None = None):
    """A table at 四号: its header row bold, repeated on every page and kept with the
    first row; no row split across pages."""
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths_mm:
        set_widths(table, widths_mm)
    for i, values in enumerate([headers, *rows]):
        row = table.rows[i]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for c, v in zip(row.cells, values, strict=False):
            c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = c.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf = p.paragraph_format
            pf.first_line_indent = Pt(0)
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
            pf.keep_with_next = i == 0  # the header row stays with the first row below it
            off_grid(p)
            if v:
                _run(p, v, HEADING_FONT if i == 0 else BODY_FONT, TABLE_SIZE)
    return table


def page_numbers(doc) -> None:
    """``— 1 —`` in 4号 宋体: odd pages at the right, even pages at the left, one
    character in from the edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            pf.right_indent = PAGE_NUMBER_SIZE
        else:
            pf.left_indent = PAGE_NUMBER_SIZE
        _run(p, f"{PAGE_DASH} ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, latin=PAGE_NUMBER_FONT)
        field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        p._p.append(field)
        set_faces(field.find(qn("w:r")).get_or_add_rPr(), PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)
        field.find(qn("w:r")).get_or_add_rPr().append(parse_xml(f'<w:sz {nsdecls("w")} w:val="28"/>'))
        _run(p, f" {PAGE_DASH}", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, latin=PAGE_NUMBER_FONT)


def font_table(doc) -> None:
    """Each face of the page in the font table, with its alternatives (``w:altName``)
    and its kind (GB2312 charset, serif or sans), so a missing face is replaced by a like one."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = parse_xml(part.blob)
    for face, alternatives in FONT_ALTERNATIVES.items():
        family = "swiss" if face == HEADING_FONT else "roman"
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{face}"><w:altName w:val="{",".join(alternatives)}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

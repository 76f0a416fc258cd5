"""Reading a returned form (.docx): its body paragraphs and every table, nested tables
included, as grids of cell texts (a merged cell once per row, at its first grid column).

The document part is read straight from the package with a safe XML parser, so a file
that Word, WPS or LibreOffice wrote reads alike. The text of a paragraph is the text of
its runs as shown: tabs and line breaks kept, deleted text of tracked changes left out
(inserted text kept), a symbol of a symbol font (``w:sym``, or a run in Wingdings)
turned into the Unicode character it shows (Wingdings 2 ``R`` is ``☑``, Symbol's
``F0D6`` is ``√``), a legacy
check box form field shown as ``☑`` or ``□``. Text boxes and the fallback copies of
drawings are not read (they would repeat text).
"""

from __future__ import annotations

import math
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

#: the largest document part read (a zip bomb is refused as unreadable)
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
_NS_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OFFICE_DOCUMENT = "/officeDocument"

# What a symbol font's character shows, as Unicode (the box and tick glyphs only).
WINGDINGS_2 = {"R": "☑", "T": "☒", "Q": "☒", "P": "✓", "O": "✗", "£": "□"}
WINGDINGS = {"þ": "☑", "ý": "☒", "ü": "✓", "û": "✗", "¨": "□", "o": "□", "q": "□", "R": "☑"}
SYMBOL = {"Ö": "√"}  # Word's Insert Symbol gives the radical sign of Symbol (F0D6) as a tick


class UnreadableForm(Exception):
    """The file is no .docx that can be read; the message says why."""


@dataclass(eq=False)
class Cell:
    """A table cell: its paragraphs' texts, its first grid column and how many it spans."""

    paragraphs: list[str]
    col: int
    span: int = 1

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Grid:
    """A table: rows of distinct cells, left to right (a vertically merged cell is the
    same :class:`Cell` in each row it covers)."""

    rows: list[list[Cell]] = field(default_factory=list)

    def cells(self):
        seen = set()
        for row in self.rows:
            for c in row:
                if id(c) not in seen:
                    seen.add(id(c))
                    yield c


@dataclass
class FormDoc:
    """A document's body paragraphs (outside tables) and its tables, nested ones after
    the table holding them."""

    paragraphs: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)


def _symbol(font: str | None, ch: str) -> str:
    f = (font or "").casefold()
    if "wingdings 2" in f:
        return WINGDINGS_2.get(ch, "")
    if "wingdings" in f:
        return WINGDINGS.get(ch, "")
    if f == "symbol":
        return SYMBOL.get(ch, ch)
    return ch


class _Reader:
    def __init__(self, ns: str):
        self.w = ns
        q = self.q
        self.skip = {q("del"), q("moveFrom"), q("pPr"), q("rPr"), q("txbxContent"), q("tblPr"),
                     q("tcPr"), q("trPr"), q("tblGrid"), f"{{{_MC}}}Fallback", q("instrText"),
                     q("delText")}

    def q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    def attr(self, el, name: str):
        return el.get(self.q(name)) if el is not None else None

    def count(self, el, lowest: int) -> int:
        """A ``w:gridBefore`` / ``w:gridSpan`` count, at least ``lowest`` (its default):
        a whole number, also as some writers put it (``2.0``, `` 2 ``); anything else
        makes the form unreadable rather than guess its columns."""
        value = self.attr(el, "val")
        if value is None or not value.strip():
            return lowest
        try:
            return max(lowest, int(value))
        except ValueError:
            pass
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not number.is_integer():
            raise UnreadableForm(f"a table row's {etree.QName(el).localname} is {value!r}, not a whole number")
        return max(lowest, int(number))

    # --- paragraphs -------------------------------------------------------------------

    def run_font(self, r) -> str | None:
        rpr = r.find(self.q("rPr"))
        fonts = rpr.find(self.q("rFonts")) if rpr is not None else None
        if fonts is None:
            return None
        names = [self.attr(fonts, k) for k in ("ascii", "hAnsi", "eastAsia", "cs")]
        return next((n for n in names if n and ("wingdings" in n.casefold() or "symbol" in n.casefold())),
                    None)

    def paragraph(self, p) -> str:
        out: list[str] = []
        self._inline(p, out, None)
        return "".join(out)

    def _inline(self, el, out: list[str], font: str | None) -> None:
        q = self.q
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in self.skip:
                continue
            if tag == q("r"):
                self._inline(child, out, self.run_font(child))
            elif tag == q("t"):
                s = child.text or ""
                out.append("".join(_symbol(font, ch) for ch in s) if font else s)
            elif tag == q("tab"):
                out.append("\t")
            elif tag in (q("br"), q("cr")):
                out.append("\n")
            elif tag == q("noBreakHyphen"):
                out.append("-")
            elif tag == q("sym"):
                code = self.attr(child, "char") or ""
                try:
                    n = int(code, 16)
                except ValueError:
                    continue
                out.append(_symbol(self.attr(child, "font") or "Symbol", chr(n - 0xF000 if n >= 0xF000 else n)))
            elif tag == q("fldChar"):
                out.append(self._checkbox(child))
            else:  # hyperlinks, content controls, smart tags, insertions, fields...
                self._inline(child, out, font)

    def _checkbox(self, fld) -> str:
        """A legacy check box form field: ``☑`` when checked, ``□`` when not."""
        box = fld.find(f"{self.q('ffData')}/{self.q('checkBox')}")
        if box is None:
            return ""
        state = box.find(self.q("checked"))
        if state is None:
            state = box.find(self.q("default"))
            checked = state is not None and self.attr(state, "val") in ("1", "true", "on")
        else:
            checked = self.attr(state, "val") in (None, "1", "true", "on")
        return "☑" if checked else "□"

    # --- blocks and tables --------------------------------------------------------------

    def blocks(self, el, paragraphs: list[str], grids: list[Grid]) -> None:
        """Paragraphs and tables of a body or a cell, in order (content controls and
        custom XML opened)."""
        q = self.q
        for child in el:
            tag = child.tag
            if tag == q("p"):
                paragraphs.append(self.paragraph(child))
            elif tag == q("tbl"):
                self.table(child, grids)
            elif tag in (q("sdt"), q("sdtContent"), q("customXml")):
                self.blocks(child, paragraphs, grids)

    def _children(self, el, tag: str):
        """Children ``tag`` of ``el``, also inside content controls and custom XML."""
        q = self.q
        for child in el:
            if child.tag == q(tag):
                yield child
            elif child.tag in (q("sdt"), q("sdtContent"), q("customXml")):
                yield from self._children(child, tag)

    def table(self, tbl, grids: list[Grid]) -> None:
        q = self.q
        grid = Grid()
        grids.append(grid)
        above: dict[int, Cell] = {}  # grid column -> the cell a vertical merge continues
        for tr in self._children(tbl, "tr"):
            trpr = tr.find(q("trPr"))
            before = trpr.find(q("gridBefore")) if trpr is not None else None
            col = self.count(before, 0)
            row: list[Cell] = []
            for tc in self._children(tr, "tc"):
                tcpr = tc.find(q("tcPr"))
                span_el = tcpr.find(q("gridSpan")) if tcpr is not None else None
                span = self.count(span_el, 1)
                vm = tcpr.find(q("vMerge")) if tcpr is not None else None
                merge = None if vm is None else (self.attr(vm, "val") or "continue")
                if merge == "continue" and col in above:
                    cell = above[col]
                else:
                    paragraphs: list[str] = []
                    nested: list[Grid] = []
                    self.blocks(tc, paragraphs, nested)
                    cell = Cell(paragraphs, col, span)
                    grids.extend(nested)
                    if merge == "restart":
                        above[col] = cell
                    else:
                        above.pop(col, None)
                if not row or row[-1] is not cell:
                    row.append(cell)
                col += span
            grid.rows.append(row)


def _document_part(z: zipfile.ZipFile) -> str:
    """The main document part's name (from the package relationships)."""
    try:
        rels = etree.fromstring(z.read("_rels/.rels"), parser=_parser())
    except (KeyError, etree.XMLSyntaxError):
        return "word/document.xml"
    for rel in rels:
        if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT):
            return posixpath.normpath(rel.get("Target", "word/document.xml").lstrip("/"))
    return "word/document.xml"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def read_form(path: Path) -> FormDoc:
    """A .docx as paragraphs and grids; :class:`UnreadableForm` saying why it cannot be read."""
    try:
        with zipfile.ZipFile(path) as z:
            name = _document_part(z)
            info = z.getinfo(name)
            if info.file_size > MAX_DOCUMENT_BYTES:
                raise UnreadableForm(f"its text part is {info.file_size} bytes, more than a form holds")
            root = etree.fromstring(z.read(name), parser=_parser())
    except UnreadableForm:
        raise
    except zipfile.BadZipFile:
        raise UnreadableForm("not a .docx package (an old .doc, an encrypted or a damaged file)") from None
    except KeyError:
        raise UnreadableForm("the package holds no document part") from None
    except etree.XMLSyntaxError as exc:
        raise UnreadableForm(f"the document part is not well-formed XML ({exc})") from None
    except (OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise UnreadableForm(f"{type(exc).__name__}: {exc}") from None
    ns = etree.QName(root).namespace
    if ns not in (_NS_TRANSITIONAL, _NS_STRICT):
        raise UnreadableForm("the package's main part is not a Word document")
    reader = _Reader(ns)
    body = root.find(reader.q("body"))
    doc = FormDoc()
    if body is not None:
        reader.blocks(body, doc.paragraphs, doc.grids)
    return doc

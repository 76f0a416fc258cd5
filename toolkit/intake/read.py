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

Only what Word displays is read, here, once for every consumer (the box, the name, the
deeds and their length): a run hidden (``w:vanish``, set on the run or by its character
style or its paragraph's style, see :class:`Styles`) is left out, and so is a paragraph
whose text and mark are all hidden; a content control still showing its placeholder
(``w:showingPlcHdr``, e.g. 单击或点击此处输入文字。) is empty. ``w:webHidden`` text is
read: Word shows and prints it (it is hidden in the web layout only).
"""

from __future__ import annotations

import math
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from toolkit.intake.package import Package, UnreadableForm

__all__ = ["Cell", "FormDoc", "Grid", "Styles", "UnreadableForm", "read_form"]

#: the largest document part read (a zip bomb is refused as unreadable)
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: the largest other part read (relationships, styles)
MAX_OTHER_PART_BYTES = 8 * 1024 * 1024
_NS_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_FALSE = ("0", "false", "off")

# What a symbol font's character shows, as Unicode (the box and tick glyphs only).
WINGDINGS_2 = {"R": "☑", "T": "☒", "Q": "☒", "P": "✓", "O": "✗", "£": "□"}
WINGDINGS = {"þ": "☑", "ý": "☒", "ü": "✓", "û": "✗", "¨": "□", "o": "□", "q": "□", "R": "☑"}
SYMBOL = {"Ö": "√"}  # Word's Insert Symbol gives the radical sign of Symbol (F0D6) as a tick


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


def on(el, w: str) -> bool | None:
    """The value of an on/off property element (``w:vanish``): None when absent, else
    true unless its ``w:val`` is 0, false or off."""
    if el is None:
        return None
    return (el.get(f"{{{w}}}val") or "true").strip().casefold() not in _FALSE


class Styles:
    """Which styles hide their runs (``w:vanish`` in a style's run properties, or in
    the style it is based on), and the default paragraph style and run properties."""

    def __init__(self, root=None, w: str = _NS_TRANSITIONAL):
        self.own: dict[str, bool | None] = {}
        self.based: dict[str, str] = {}
        self.default_paragraph: str | None = None
        self.default_hidden = False
        self._memo: dict[str, bool | None] = {}
        if root is None:
            return
        q = lambda tag: f"{{{w}}}{tag}"  # noqa: E731
        d = root.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}")
        self.default_hidden = bool(on(d.find(q("vanish")), w)) if d is not None else False
        for st in root.iter(q("style")):
            sid = st.get(q("styleId"))
            if not sid:
                continue
            rpr = st.find(q("rPr"))
            self.own[sid] = on(rpr.find(q("vanish")), w) if rpr is not None else None
            base = st.find(q("basedOn"))
            if base is not None and base.get(q("val")):
                self.based[sid] = base.get(q("val"))
            if st.get(q("type")) == "paragraph" and st.get(q("default")) in ("1", "true", "on"):
                self.default_paragraph = sid

    def hidden(self, style: str | None) -> bool | None:
        """Whether a style (through the styles it is based on) hides runs; None: it
        does not say."""
        if not style:
            return None
        if style not in self._memo:
            value, seen, at = None, set(), style
            while at and at not in seen and value is None:
                seen.add(at)
                value = self.own.get(at)
                at = self.based.get(at)
            self._memo[style] = value
        return self._memo[style]

    def run_hidden(self, direct: bool | None, run_style: str | None, paragraph_style: str | None) -> bool:
        """A run's ``w:vanish``: its own, else its character style's and its paragraph
        style's (a toggle: two styles that both hide cancel out), else the document's
        default."""
        if direct is not None:
            return direct
        by_run, by_paragraph = self.hidden(run_style), self.hidden(paragraph_style or self.default_paragraph)
        if by_run is None and by_paragraph is None:
            return self.default_hidden
        return bool(by_run) != bool(by_paragraph)


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
    def __init__(self, ns: str, styles: Styles | None = None):
        self.w = ns
        self.styles = styles or Styles(None, ns)
        self.placeholder = 0  # > 0: inside a content control showing its placeholder
        self.paragraph_style: str | None = None
        q = self.q
        self.skip = {q("del"), q("moveFrom"), q("pPr"), q("rPr"), q("txbxContent"), q("tblPr"),
                     q("tcPr"), q("trPr"), q("tblGrid"), f"{{{_MC}}}Fallback", q("instrText"),
                     q("delText"), q("sdtPr"), q("sdtEndPr")}
        self.containers = (q("sdt"), q("sdtContent"), q("customXml"))

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

    def showing_placeholder(self, sdt) -> bool:
        """Whether a content control shows its placeholder text (nothing was entered)."""
        if sdt.tag != self.q("sdt"):
            return False
        pr = sdt.find(self.q("sdtPr"))
        return pr is not None and bool(on(pr.find(self.q("showingPlcHdr")), self.w))

    def hidden(self, el) -> bool:
        """Whether a run (or a paragraph's mark, given its ``w:pPr``) is hidden."""
        rpr = el.find(self.q("rPr"))
        if rpr is None:
            return self.styles.run_hidden(None, None, self.paragraph_style)
        return self.styles.run_hidden(on(rpr.find(self.q("vanish")), self.w),
                                      self.attr(rpr.find(self.q("rStyle")), "val"), self.paragraph_style)

    def paragraph(self, p) -> str | None:
        """The text a paragraph shows; None when nothing of it shows (its text and its
        mark hidden). Inside a placeholder: empty."""
        if self.placeholder:
            return ""
        ppr = p.find(self.q("pPr"))
        self.paragraph_style = self.attr(ppr.find(self.q("pStyle")), "val") if ppr is not None else None
        out: list[str] = []
        self._inline(p, out, None)
        text = "".join(out)
        if not text and self.hidden(ppr if ppr is not None else p):
            return None
        return text

    def _inline(self, el, out: list[str], font: str | None) -> None:
        q = self.q
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in self.skip:
                continue
            if tag == q("r"):
                if not self.hidden(child):
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
                    ch = chr(int(code, 16) - 0xF000 if int(code, 16) >= 0xF000 else int(code, 16))
                except (ValueError, OverflowError):
                    continue
                if unicodedata.category(ch) not in ("Cc", "Cs"):  # a control or a half pair shows nothing
                    out.append(_symbol(self.attr(child, "font") or "Symbol", ch))
            elif tag == q("fldChar"):
                out.append(self._checkbox(child))
            elif self.showing_placeholder(child):
                continue
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
                text = self.paragraph(child)
                if text is not None:
                    paragraphs.append(text)
            elif tag == q("tbl"):
                self.table(child, grids)
            elif tag in self.containers:
                shows = self.showing_placeholder(child)
                self.placeholder += shows
                self.blocks(child, paragraphs, grids)
                self.placeholder -= shows

    def _children(self, el, tag: str):
        """Children ``tag`` of ``el``, also inside content controls and custom XML (the
        texts inside a control showing its placeholder read as empty)."""
        q = self.q
        for child in el:
            if child.tag == q(tag):
                yield child
            elif child.tag in self.containers:
                shows = self.showing_placeholder(child)
                self.placeholder += shows
                yield from self._children(child, tag)
                self.placeholder -= shows

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


def read_form(path: Path) -> FormDoc:
    """A .docx as paragraphs and grids; :class:`UnreadableForm` saying why it cannot be read."""
    try:
        with zipfile.ZipFile(path) as z:
            package = Package(z)
            name = package.main_part(MAX_OTHER_PART_BYTES)
            root = package.xml(name, MAX_DOCUMENT_BYTES)
            ns = etree.QName(root).namespace
            if ns not in (_NS_TRANSITIONAL, _NS_STRICT):
                raise UnreadableForm("the package's main part is not a Word document")
            styles_name = package.styles_part(name, MAX_OTHER_PART_BYTES)
            try:
                styles = Styles(package.xml(styles_name, MAX_OTHER_PART_BYTES) if styles_name else None, ns)
            except KeyError:
                styles = Styles(None, ns)
    except UnreadableForm:
        raise
    except zipfile.BadZipFile as exc:
        raise UnreadableForm("not a .docx package (an old .doc, an encrypted or a damaged file: "
                             f"{exc})") from None
    except KeyError:
        raise UnreadableForm("the package holds no document part") from None
    except etree.XMLSyntaxError as exc:
        raise UnreadableForm(f"a part is not well-formed XML ({exc})") from None
    except (OSError, RuntimeError, NotImplementedError, ValueError, EOFError) as exc:
        raise UnreadableForm(f"{type(exc).__name__}: {exc}") from None
    reader = _Reader(ns, styles)
    body = root.find(reader.q("body"))
    doc = FormDoc()
    if body is not None:
        reader.blocks(body, doc.paragraphs, doc.grids)
    return doc

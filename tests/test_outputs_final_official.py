"""拟表彰名单.docx and 公示稿.docx on the official page (toolkit/outputs/final/official.py,
GB/T 9704-2012): the page, faces and sizes read back with python-docx, and the documents
rendered by LibreOffice to PDF: the title in the lines it was broken into (no character
alone on a line), 28 characters a line, and a table's header row never alone at a
page's foot and repeated on the page a table continues on."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from final_helpers import ALL_DECIDED, decide

from toolkit.outputs.final.documents import LIST_TITLE, list_docx
from toolkit.outputs.final.listing import AwardList, Entry, FinalList, final_list
from toolkit.outputs.final.official import one_line
from toolkit.outputs.final.publicity import PUBLICITY_TITLE, publicity_docx
from toolkit.outputs.forms.document import docx_bytes


def reopened(doc):
    return Document(io.BytesIO(docx_bytes(doc)))


@pytest.fixture(scope="module")
def decided(final_year):
    return final_list(decide(final_year.evaluation, ALL_DECIDED))


@pytest.fixture(scope="module", params=["list", "publicity"])
def document(request, decided):
    make = list_docx if request.param == "list" else publicity_docx
    return reopened(make(decided))


def east_asia(rpr) -> str | None:
    return rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_page_is_a4_with_the_standard_margins(document):
    sec = document.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        37, 35, 28, 26]
    grid = sec._sectPr.find(qn("w:docGrid"))
    # 22 lines on the 225 mm text block: a pitch of 28.95 pt
    assert grid.get(qn("w:linePitch")) == "579"
    assert round(document.styles["Normal"].paragraph_format.line_spacing.pt * 22 / 72 * 25.4) == 225


def test_the_title_and_body_faces_and_sizes(document):
    title = document.paragraphs[0]
    assert title.alignment == 1  # centred
    assert {r.font.size.pt for r in title.runs} == {22}  # 二号
    assert {east_asia(r._r.rPr) for r in title.runs} == {"方正小标宋简体"}
    assert "\n" in title.text  # two lines, broken between words
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16  # 三号
    assert east_asia(normal.element.rPr) == "仿宋_GB2312"
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:ascii")) == "Times New Roman"
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 2")
    assert east_asia(heading.style.element.rPr) == "黑体" and heading.style.paragraph_format.keep_with_next


def test_each_face_names_free_alternatives(document):
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    text = part.blob.decode("utf-8")
    for face in ("方正小标宋简体", "仿宋_GB2312", "黑体"):
        alt = re.search(rf'w:name="{face}"><w:altName w:val="([^"]+)"', text)
        assert alt and "CJK SC" in alt.group(1), face


def test_page_numbers_in_the_standard_style(document):
    assert document.settings.odd_and_even_pages_header_footer
    sec = document.sections[0]
    for footer, align in ((sec.footer, 2), (sec.even_page_footer, 0)):
        p = footer.paragraphs[0]
        assert p.alignment == align  # odd pages at the right, even at the left
        assert p._p.find(qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"
        assert "".join(t.text for t in p._p.iter(qn("w:t"))) == "— 1 —"
        assert {r.font.size.pt for r in p.runs} == {14}  # 4号


def test_table_header_rows_repeat_and_rows_do_not_split(document):
    assert document.tables
    for table in document.tables:
        head = table.rows[0]._tr.trPr
        assert head.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
        assert all(p.paragraph_format.keep_with_next for c in table.rows[0].cells for p in c.paragraphs)


# --- through LibreOffice ------------------------------------------------------------------


def long_list(year: int = 2022) -> FinalList:
    """Six awards with 3 to 13 entries each: tables that start at different heights of a
    page and run over page breaks."""
    awards = []
    for i, (kind, n) in enumerate([("collective", 9), ("collective", 13), ("individual", 3),
                                   ("individual", 11), ("innovation", 7), ("innovation", 5)]):
        label = f"第{i + 1}类奖项"
        awards.append(AwardList(key=f"a{i}", label=label, kind=kind, entries=[
            Entry(award=f"a{i}", award_label=label, kind=kind, unit_id=f"u{j}", unit_name=f"第{j + 1}开放大学",
                  name=f"集体{j + 1}" if kind != "innovation" else None) for j in range(n)]))
    return FinalList(year=year, awards=awards, pending=[], review_files=1)


#: a row of :func:`long_list`'s tables as pdftotext lays it out: 序号, then the unit
ROW = re.compile(r"\d{1,3}\s+第\s*\d")


def pdf_pages(tmp_path, doc, name: str) -> list[list[str]]:
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and pdftotext are installed by scripts/system-deps.sh "
                    "with TOOLKIT_WITH_TEST_TOOLS=1")
    src = tmp_path / f"{name}.docx"
    src.write_bytes(docx_bytes(doc))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=240)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")
            if page.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["list", "publicity"])
def test_through_libreoffice_the_title_keeps_its_lines(tmp_path, decided, kind):
    make, title = (list_docx, LIST_TITLE) if kind == "list" else (publicity_docx, PUBLICITY_TITLE)
    pages = pdf_pages(tmp_path, make(decided), kind)
    lines = [line.replace(" ", "") for line in pages[0]]
    want = title.format(year=2022).split("\n")
    assert lines[:len(want)] == want, lines[:4]  # each line as broken, no character wrapped alone
    assert "".join(lines[:len(want)]) == one_line(title.format(year=2022))
    if kind == "publicity":  # the paragraph: 28 characters a full line (two indented at its start)
        body = [line for line in lines if line.startswith(("要求", "审，", "示。"))]
        assert body and all(len(line) == 28 for line in body), body
    footers = [page[-1].replace(" ", "") for page in pages]
    assert footers[0] == "—1—" and all(re.fullmatch(r"—\d+—", f) for f in footers)


@pytest.mark.slow
def test_through_libreoffice_a_header_row_is_never_alone_at_a_page_foot(tmp_path):
    pages = pdf_pages(tmp_path, list_docx(long_list()), "long")
    assert len(pages) >= 3
    continued = 0
    for page in pages:
        body = page[:-1]  # the page number last
        # a table going on from the page before repeats its header first
        assert not ROW.match(body[0]), body[:3]
        continued += body[0].startswith("序号")
        for i, line in enumerate(body):  # a header row has a row under it on its page
            if line.startswith("序号"):
                assert i + 1 < len(body) and ROW.match(body[i + 1]), body[i:]
    assert continued  # some table did run over a page break

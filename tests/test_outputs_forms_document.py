"""The Word side of the forms: A4 page, the notice's fonts, fixed properties, data
values as document text."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import docx
import pandas as pd
from docx.oxml.ns import qn

sys.path.insert(0, str(Path(__file__).parent))
from outputs_helpers import RULES, evaluation, year_data  # noqa: E402

from toolkit.outputs.forms.document import docx_bytes, new_document, text  # noqa: E402
from toolkit.outputs.forms.write import write_forms  # noqa: E402
from toolkit.outputs.values import missing as is_blank  # noqa: E402


def test_page_is_a4_and_cjk_font_set(tmp_path):
    paths = write_forms(evaluation(), year_data(), RULES, tmp_path)
    for path in paths:
        if path.suffix != ".docx":
            continue
        d = docx.Document(path)
        for s in d.sections:
            assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
            assert 15 <= s.left_margin.mm <= 30 and 15 <= s.top_margin.mm <= 30
        normal = d.styles["Normal"]
        rfonts = normal.element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == "宋体"
        assert rfonts.get(qn("w:ascii")) == normal.font.name == "Times New Roman"
        # no theme font left to override the names
        defaults = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
        drf = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert drf.get(qn("w:eastAsiaTheme")) is None and drf.get(qn("w:eastAsia")) == "宋体"


def test_new_document_properties_fixed_by_the_year():
    a, b = new_document(2031, "标题"), new_document(2031, "标题")
    assert a.core_properties.created.year == 2031 and a.core_properties.title == "标题"
    assert docx_bytes(a) == docx_bytes(b)


def test_text_drops_what_xml_cannot_hold():
    assert text(" 0731\x0b123\r\n下一行 ") == "0731123\n下一行"
    assert [text(v) for v in (None, float("nan"), pd.NA, pd.NaT)] == ["", "", "", ""]
    assert is_blank(math.nan) and is_blank(None) and not is_blank("") and not is_blank(0)

"""Returned approval forms for the intake tests, built with python-docx: the notice's
blank form (attachments 2, 4, 6 as the notice lays them out: a table with the two
category columns and merged cells) filled by hand, with the box ticked in several ways;
and a small data folder (the units registry)."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from report_helpers import write_tiny_year

YEAR = 2022
UNITS = [("U001", "长沙开放大学", "长沙电大"), ("U002", "株洲开放大学", ""), ("U003", "湘潭开放大学", "")]

TITLES = {
    2: ["{y}年度全省开放大学办学体系事业单位工作人员培训工作先进集体和先进个人", "", "推荐审批表"],
    4: ["{y}年度全省开放大学办学体系", "", "专业技术人员继续教育培训工作", "", "先进集体和先进个人推荐审批表"],
    6: ["{y}年度全省开放大学办学体系", "", "创新创意奖推荐审批表"],
}
#: the categories of each attachment, left then right, as the notice prints them
CATEGORIES = {
    2: ("事业单位工作人员培训先进集体", "事业单位工作人员培训先进个人"),
    4: ("专业技术人员继续教育培训先进集体", "专业技术人员继续教育培训先进个人"),
    6: ("专业技术人员继续教育培训创新创意", "事业单位工作人员培训创新创意"),
}
PROMPT = "（简明扼要，突出特色，700字以内）"


def data_folder(d: Path) -> Path:
    """A complete small year (report_helpers' tiny year) without its nominations table,
    its units registry that of ``UNITS`` (with an alias)."""
    write_tiny_year(d)
    (d / "nominations.csv").unlink()
    with open(d / "units.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["unit_id", "unit_name", "aliases"])
        w.writerows(UNITS)
    return d


def _merge(table, r, c0, c1):
    return table.cell(r, c0).merge(table.cell(r, c1))


def _box(p, words: str, mark: str | None):
    """A category box in a paragraph: □ (mark None), the mark in place of □, "before:X"
    (X then □), "wingdings" (a Wingdings 2 R run in place of □) or "sym" (a w:sym)."""
    if mark is None:
        p.add_run("□" + words)
    elif mark == "wingdings":
        run = p.add_run("R")
        run.font.name = "Wingdings 2"
        p.add_run(words)
    elif mark == "sym":
        run = p.add_run()
        sym = OxmlElement("w:sym")
        sym.set(qn("w:font"), "Wingdings 2")
        sym.set(qn("w:char"), "F052")
        run._r.append(sym)
        p.add_run(words)
    elif mark.startswith("before:"):
        p.add_run(mark.split(":", 1)[1] + "□" + words)
    else:
        p.add_run(mark + words)


def notice_form(path: Path, number: int = 2, *, ticks=(None, None), values=None, deeds=("",),
                year: int = YEAR, filler: str | None = None, container=None, title=True,
                label: str | None = None, one_box_cell: bool = False) -> Path:
    """The notice's blank form ``number`` filled by hand. ``ticks``: the left and right
    box (see ``_box``); ``values``: {side (0/1): {label: text}} with labels 单位名称,
    单位负责人, nominee, contact; ``deeds``: paragraphs written after the prompt (the
    first one in the prompt's paragraph when it starts with "+"). ``container``: a
    callable giving the cell the table goes in (a nested table). ``one_box_cell``: both
    boxes in one merged cell, one paragraph each (as WPS users often lay it out)."""
    d = docx.Document()
    d.add_paragraph(label if label is not None else f"附件{number}")
    if title:
        for line in TITLES[number]:
            d.add_paragraph(line.format(y=year))
    d.add_paragraph("填报单位（盖章）：" + (filler or ""))
    host = d
    if container == "nested":
        outer = d.add_table(rows=1, cols=1)
        host = outer.cell(0, 0)
    nominee = number != 6
    rows = 2 + 2 + (1 if nominee else 0) + 1 + 1 + 3
    t = host.add_table(rows=rows, cols=4)
    left, right = CATEGORIES[number]
    _merge(t, 0, 0, 3).paragraphs[0].add_run("                          推荐类别")
    if one_box_cell:
        both = _merge(t, 1, 0, 3)
        _box(both.paragraphs[0], left, ticks[0])
        _box(both.add_paragraph(), right, ticks[1])
    else:
        _box(_merge(t, 1, 0, 1).paragraphs[0], left, ticks[0])
        _box(_merge(t, 1, 2, 3).paragraphs[0], right, ticks[1])
    labels = [("单位名称", "单位名称"), ("单位负责人", "单位负责人")]
    if nominee:
        labels.append((" 先进集体名称", " 先进个人姓名"))
    labels.append(("联系人姓名、\n\n职务、手机号码", "联系人姓名、\n\n职务、手机号码"))
    keys = ["单位名称", "单位负责人"] + (["nominee"] if nominee else []) + ["contact"]
    values = values or {}
    r = 2
    for (ll, rl), key in zip(labels, keys, strict=True):
        t.cell(r, 0).text = ll
        t.cell(r, 2).text = rl
        for side in (0, 1):
            v = values.get(side, {}).get(key)
            if v is not None:
                t.cell(r, 1 + 2 * side).text = v
        r += 1
    t.cell(r, 0).text = "主\n要\n事\n迹"
    dc = _merge(t, r, 1, 3)
    first = deeds[0] if deeds else ""
    if first.startswith("+"):
        dc.paragraphs[0].add_run(PROMPT + first[1:])
        rest = deeds[1:]
    else:
        dc.paragraphs[0].add_run(PROMPT)
        rest = deeds
    for para in rest:
        dc.add_paragraph(para)
    r += 1
    for label_text in ("申报\n单位\n意见", "省校培训学院意见", "湖南开放大学审批\n意见"):
        t.cell(r, 0).text = label_text
        t.cell(r, 1).text = "盖章"
        t.cell(r, 2).text = "年"
        t.cell(r, 3).text = "月\t日"
        r += 1
    d.add_paragraph("（请双面打印）")
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


def staff_individual(path: Path, **kw) -> Path:
    """附件2 with 先进个人 ticked (☑) and its column filled."""
    values = {1: {"单位名称": "长沙开放大学", "单位负责人": "周建国", "nominee": "谭湘楠",
                  "contact": "谭丽、培训部主任、13807310001"}}
    kw.setdefault("ticks", (None, "☑"))
    kw.setdefault("values", values)
    kw.setdefault("deeds", ("\u3000\u3000该同志  扎实（工作）。", "  第二段，全角ＡＢＣ１２３。"))
    return notice_form(path, 2, **kw)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_with_body(path: Path, body_xml: str, styles_xml: str | None = None, *, prolog: str = "") -> Path:
    """A .docx whose body is ``body_xml`` (WordprocessingML, prefix ``w``): a python-docx
    package with its document part replaced, for shapes python-docx cannot make;
    ``styles_xml``: the ``w:style`` elements of its styles part instead of python-docx's
    (``<w:docDefaults>`` may lead them); ``prolog``: what stands between the XML
    declaration and the document element (a DOCTYPE)."""
    styles = None
    if styles_xml is not None:
        styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
                  f"{styles_xml}</w:styles>")
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<w:document xmlns:w="{W_NS}" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
           f"<w:body>{body_xml}</w:body></w:document>")
    return docx_with_parts(path, {"word/document.xml": xml, **({"word/styles.xml": styles} if styles else {})})


def docx_with_parts(path: Path, parts: dict[str, str | bytes], src: Path | None = None) -> Path:
    """A copy of a .docx (``src``, else an empty python-docx document) with ``parts``
    replaced or added (text is written as UTF-8)."""
    import io
    import zipfile

    if src is None:
        buf = io.BytesIO()
        docx.Document().save(buf)
        data = buf.getvalue()
    else:
        data = Path(src).read_bytes()
    old = zipfile.ZipFile(io.BytesIO(data))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for info in old.infolist():
            if info.filename not in parts:
                z.writestr(info.filename, old.read(info.filename))
        for name, body in parts.items():
            z.writestr(name, body.encode("utf-8") if isinstance(body, str) else body)
    return path

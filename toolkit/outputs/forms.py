"""Pre-filled approval forms (attachments 2, 4, 6) and the meeting roster (attachment 5).

``write_forms(evaluation, year_data, rules, out_dir)`` writes into ``out_dir`` only:

* one approval form (.docx) per nomination row, laid out like the notice's attachment
  for its category (2: staff, 4: professional, 6: innovation), its category's box ticked;
* one *draft* form per collective whose outcome is ``eligible`` or ``needs_review`` and
  that has no nomination of that category, its 主要事迹 written from the evaluation's
  figures for the unit to edit;
* the meeting roster (attachment 5) from the ``rsvp`` table, as .docx and .xlsx.

Only the ``nominations``, ``rsvp`` and ``units`` tables and the evaluation's per-unit
figures are read: trainees' data never reaches a form. Every value from the data is
inserted as plain text (python-docx escapes XML; characters XML cannot hold are
dropped), and every xlsx cell holding text is a string cell, never a formula.

Access to the evaluation and to the rules goes through the small adapter functions
``_collectives``, ``_year``, ``_deeds_limit`` and ``_rsvp_deadline``, so that a change
of their shape is a change in one place.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from toolkit.ingest.contract import CATEGORY_LABELS
from toolkit.outputs.files import atomic_write, fixed_ooxml, put_cell
from toolkit.vocabulary import TRACK_LABELS

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
TEXT_WIDTH_MM = 160  # 210 - 2 * 25

BOX_TICKED, BOX_EMPTY = "☑", "□"
DEEDS_HINT = "（简明扼要，突出特色，{limit}字以内）"
DEFAULT_DEEDS_LIMIT = 700
OVER_LIMIT_SUFFIX = "_超过{limit}字"
DRAFT_MARK = "草稿"
DRAFT_OUTCOMES = ("eligible", "needs_review")

# which attachment, and which category sits on the left and on the right of the form
ATTACHMENTS: dict[str, dict[str, Any]] = {
    "staff": {
        "number": 2,
        "title": "{year}年度全省开放大学办学体系\n事业单位工作人员培训工作\n先进集体和先进个人推荐审批表",
        "sides": ("staff.collective", "staff.individual"),
        "nominee_labels": ("先进集体名称", "先进个人姓名"),
    },
    "professional": {
        "number": 4,
        "title": "{year}年度全省开放大学办学体系\n专业技术人员继续教育培训工作\n先进集体和先进个人推荐审批表",
        "sides": ("professional.collective", "professional.individual"),
        "nominee_labels": ("先进集体名称", "先进个人姓名"),
    },
    "innovation": {
        "number": 6,
        "title": "{year}年度全省开放大学办学体系\n创新创意奖推荐审批表",
        # the notice lists the professional box first
        "sides": ("innovation.professional", "innovation.staff"),
        "nominee_labels": None,  # attachment 6 has no nominee row
    },
}
OPINIONS = (("申报\n单位\n意见", 3.0), ("省校培训\n学院意见", 3.0), ("湖南开放大学\n审批意见", 3.0))

ROSTER_TITLE = "{year}年度全省开放大学办学体系事业单位工作人员培训、专业技术人员继续教育培训工作会议参会回执"
ROSTER_COLUMNS = ("姓名", "性别", "职务", "电话", "备注")
ROSTER_STEM = "附件5_参会回执汇总"

# characters XML 1.0 cannot hold (python-docx/lxml would refuse them)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# characters Windows forbids in file names, plus path separators and controls
_FILENAME_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_NAME_PART_MAX = 24  # characters per variable part of a file name (UTF-8 names < 255 bytes)


# --- small helpers ------------------------------------------------------------------


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """``obj.name`` or ``obj[name]``, whichever the object offers."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    """A data value as document text: '' for missing, XML-illegal characters dropped."""
    if _missing(value):
        return ""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", s).strip()


def _number(value: Any) -> float | None:
    if _missing(value) or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) or math.isinf(x) else x


def _dec(x: float, places: str) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _percent(ratio: float) -> str:
    """A fraction as a percentage to 0.01% (half up): 0.80125 -> '80.13'."""
    return str(_dec(ratio * 100, "0.01"))


def _int_text(x: float) -> str:
    return str(int(_dec(x, "1")))


def _yuan(x: float) -> str:
    return f"{_dec(x, '0.01')}"


def deeds_length(deeds: Any) -> int:
    """Characters of 主要事迹 as the form counts them: white space not counted."""
    return len(re.sub(r"\s", "", _text(deeds)))


# --- adapters: the evaluation and the rules ----------------------------------------


@dataclass(frozen=True)
class _Collective:
    track: str
    unit_id: str
    unit_name: str
    outcome: str
    metrics: dict = field(default_factory=dict)
    nominated: bool = False


def _collectives(evaluation: Any) -> list[_Collective]:
    """The evaluation's collective results, in the shape this module needs.

    Accepts ``toolkit.evaluation.evaluate.Evaluation`` (``collective``: list of ``UnitResult``) or
    its ``to_dict()`` form. Metrics are read by the spec's names (money in yuan, or
    exactly from ``income_fen``/``refunds_fen`` when present; ratios as fractions).
    ``nominated`` is the evaluation's own finding that the unit was nominated for the
    track's collective award.
    """
    out = []
    for r in _get(evaluation, "collective", None) or []:
        metrics = dict(_get(r, "metrics", None) or {})
        out.append(
            _Collective(
                track=str(_get(r, "track", "")),
                unit_id=str(_get(r, "unit_id", "")),
                unit_name=_text(_get(r, "unit_name", "")),
                outcome=str(_get(r, "outcome", "")),
                metrics=metrics,
                nominated=bool(_get(r, "nominated", False)),
            )
        )
    return out


def _year(evaluation: Any, rules: Any, year_data: Any) -> int:
    """The award year: from the evaluation, else the rules, else the year's data."""
    for source in (evaluation, rules, year_data):
        y = _get(source, "year", None)
        if not _missing(y):
            return int(y)
    raise ValueError("write_forms: no year in the evaluation, the rules or the year's data")


def _deeds_limit(rules: Any, category: str | None = None) -> int:
    """The 主要事迹 character limit: the rules' ``deeds_chars`` bound of the category's
    award (``Rules.awards[...].criteria``), else any award's, else the form's 700."""
    awards = _get(rules, "awards", None) or {}
    keys = ([category] if category in awards else []) + [k for k in awards if k != category]
    for key in keys:
        for c in _get(awards[key], "criteria", None) or ():
            if _get(c, "metric") == "deeds_chars" and _number(_get(c, "bound")) is not None:
                bound = int(_number(_get(c, "bound")))
                return bound - 1 if _get(c, "op") == "<" else bound
    v = _number(_get(rules, "deeds_max_chars", None))
    return int(v) if v else DEFAULT_DEEDS_LIMIT


def _rsvp_deadline(rules: Any, year: int, evaluation: Any = None) -> tuple[pd.Timestamp, str]:
    """The last moment a receipt is on time, and how to say it.

    ``rules.rsvp_deadline`` (attribute or key; ``Rules`` has it as a date), else the
    evaluation's ``rsvp_deadline``; a bare date (or a midnight time) means the whole of
    that day. Otherwise the attachment's note: 3月7日 of the following year, inclusive
    ("3月7日前" read as on or before 7 March).
    """
    raw = _get(rules, "rsvp_deadline", None)
    if isinstance(raw, dict):  # the rules file's own shape: {date, clause, wording}
        raw = raw.get("date")
    if _missing(raw):
        raw = _get(evaluation, "rsvp_deadline", None)
    if _missing(raw):
        ts = pd.Timestamp(year + 1, 3, 7)
    else:
        ts = pd.Timestamp(raw)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("Asia/Shanghai").tz_localize(None)
    label = f"{ts.year}年{ts.month}月{ts.day}日"
    if ts == ts.normalize():
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    else:
        label += ts.strftime("%H:%M")
    return ts, label


# --- file names ---------------------------------------------------------------------


def _name_part(value: Any, fallback: str = "未填写") -> str:
    s = unicodedata.normalize("NFKC", _text(value))
    s = _FILENAME_ILLEGAL.sub("_", s)
    s = re.sub(r"\s+", "_", s)
    s = s[:_NAME_PART_MAX].strip(" ._")
    return s or fallback


def _unique_names(stems: list[tuple[str, Any]]) -> list[str]:
    """Make file stems unique: a stem that occurs more than once (case-insensitively,
    as Windows compares) gets its row number on every occurrence, so a name never
    depends on the order rows were read in."""
    counts: dict[str, int] = {}
    for stem, _ in stems:
        counts[stem.casefold()] = counts.get(stem.casefold(), 0) + 1
    out, seen = [], set()
    for stem, row in stems:
        name = stem
        if counts[stem.casefold()] > 1:
            name = f"{stem}_第{row}行" if row is not None else stem
        base, n = name, 2
        while name.casefold() in seen:  # last resort, e.g. two rows without numbers
            name = f"{base}_{n}"
            n += 1
        seen.add(name.casefold())
        out.append(name)
    return out


# --- document building ----------------------------------------------------------------


def _new_document(year: int, title: str) -> Document:
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
    _set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element.get_or_add_rPr())
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


def _set_fonts(rpr) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)


def _para(container, text: str = "", *, bold=False, size=None, align=None, indent_first=False,
          color=None):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent_first:
        p.paragraph_format.first_line_indent = Pt(24)
    if text:
        run = p.add_run(text)  # plain text: python-docx escapes it; \n becomes a line break
        run.bold = bold
        if size is not None:
            run.font.size = size
        if color is not None:
            run.font.color.rgb = color
    return p


def _cell(cell, text: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, bold=False):
    """Replace a cell's content with one paragraph of text."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.alignment = align
    if text:
        run = p.add_run(text)
        run.bold = bold
    return p


def _set_widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)
    for col, w in zip(table.columns, widths_mm, strict=False):
        col.width = Mm(w)


def _min_height(row, cm: float, *, split: bool = False) -> None:
    """A row at least ``cm`` high; unless ``split``, kept whole on one page (so an
    opinion block with its 盖章 and date never breaks across the page)."""
    row.height = Mm(cm * 10)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    if not split:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))  # cantSplit precedes trHeight


@dataclass
class _FormData:
    category: str
    unit_name: str
    unit_leader: str = ""
    nominee: str = ""
    contact: str = ""
    deeds: str = ""
    draft: bool = False


def _build_form(form: _FormData, year: int, limit: int) -> Document:
    group = "innovation" if form.category.startswith("innovation.") else form.category.split(".")[0]
    spec = ATTACHMENTS[group]
    title = spec["title"].format(year=year)  # broken into lines as the attachment has it
    doc = _new_document(year, title.replace("\n", ""))

    _para(doc, f"附件{spec['number']}", bold=True)
    if form.draft:
        _para(doc, "（草稿：主要事迹由系统根据年度培训数据生成，请单位核实、修改后盖章报送）",
              size=Pt(10.5), color=RGBColor(0x80, 0x80, 0x80))
    _para(doc, title, bold=True, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = _para(doc, "填报单位（盖章）：")
    if form.unit_name:
        p.add_run(form.unit_name)

    side = spec["sides"].index(form.category)  # 0: left, 1: right
    nominee_row = spec["nominee_labels"] is not None
    n_rows = 2 + 2 + (1 if nominee_row else 0) + 1 + 1 + len(OPINIONS)
    table = doc.add_table(rows=n_rows, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, [35, 45, 35, 45])

    r = 0
    _min_height(table.rows[0], 0.8)
    _min_height(table.rows[1], 0.8)
    _cell(table.cell(r, 0).merge(table.cell(r, 3)), "推荐类别", bold=True)
    r += 1
    for i, cat in enumerate(spec["sides"]):
        box = BOX_TICKED if cat == form.category else BOX_EMPTY
        _cell(table.cell(r, 2 * i).merge(table.cell(r, 2 * i + 1)), f"{box}{CATEGORY_LABELS[cat]}")
    r += 1

    labels = [("单位名称", form.unit_name), ("单位负责人", form.unit_leader)]
    if nominee_row:
        labels.append((spec["nominee_labels"], form.nominee))
    labels.append(("联系人姓名、\n职务、手机号码", form.contact))
    for label, value in labels:
        left_label, right_label = label if isinstance(label, tuple) else (label, label)
        _cell(table.cell(r, 0), left_label)
        _cell(table.cell(r, 2), right_label)
        _cell(table.cell(r, 1 + 2 * side), value)
        _min_height(table.rows[r], 1.0)
        r += 1

    _cell(table.cell(r, 0), "主\n要\n事\n迹")
    deeds_cell = table.cell(r, 1).merge(table.cell(r, 3))
    deeds_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _cell(deeds_cell, DEEDS_HINT.format(limit=limit), align=WD_ALIGN_PARAGRAPH.CENTER)
    deeds_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    for line in form.deeds.split("\n"):
        if line.strip():
            _para(deeds_cell, line.strip(), indent_first=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _min_height(table.rows[r], 8.0, split=True)  # long deeds may run onto the next page
    r += 1

    for label, height in OPINIONS:
        _cell(table.cell(r, 0), label)
        c = table.cell(r, 1).merge(table.cell(r, 3))
        c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        _cell(c, "")
        c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        _para(c, "盖章", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = Mm(30)
        _para(c, "年\u3000\u3000月\u3000\u3000日", align=WD_ALIGN_PARAGRAPH.RIGHT
              ).paragraph_format.right_indent = Mm(8)
        _min_height(table.rows[r], height)
        r += 1

    _para(doc, "（请双面打印）")
    return doc


# --- forms from the data --------------------------------------------------------------


def _unit_names(year_data: Any, evaluation: Any, evaluation_rows: list[_Collective]) -> dict[str, str]:
    """unit_id -> unit name: the registry (``units``) first, then the evaluation's."""
    names = {str(k): _text(v) for k, v in (_get(evaluation, "unit_names", None) or {}).items() if _text(v)}
    for c in evaluation_rows:
        if c.unit_name:
            names[c.unit_id] = c.unit_name
    units = (getattr(year_data, "tables", None) or {}).get("units")
    if units is not None and not units.empty:
        for uid, name in zip(units["unit_id"], units["unit_name"], strict=False):
            if _text(name):
                names[str(uid)] = _text(name)
    return names


def _nomination_forms(nominations: pd.DataFrame, names: dict[str, str]) -> list[tuple[_FormData, Any]]:
    out = []
    for rec in nominations.to_dict("records"):
        category = _text(rec.get("category"))
        if category not in CATEGORY_LABELS:
            continue  # clean quarantines unknown categories; nothing to lay out here
        uid = _text(rec.get("unit_id"))
        contact = "、".join(
            s for s in (_text(rec.get(k)) for k in ("contact_name", "contact_title", "contact_phone")) if s
        )
        form = _FormData(
            category=category,
            unit_name=names.get(uid, uid),
            unit_leader=_text(rec.get("unit_leader")),
            nominee=_text(rec.get("nominee")),
            contact=contact,
            deeds=_text(rec.get("deeds")),
        )
        row = rec.get("row")
        out.append((form, None if _missing(row) else int(row)))
    return out


def _figure(metrics: dict, name: str) -> float | None:
    """A metric by its spec name; money from its exact fen column when there is one."""
    fen = _number(metrics.get(f"{name}_fen")) if name in ("income", "refunds") else None
    if fen is not None:
        return fen / 100
    return _number(metrics.get(name))


def draft_deeds(c: _Collective, year: int, unit_name: str, limit: int = DEFAULT_DEEDS_LIMIT) -> str:
    """主要事迹 for a draft form, written from the unit's figures (Chinese prose)."""
    m = c.metrics
    track_label = TRACK_LABELS.get(c.track, c.track)
    staff_n = _figure(m, "dedicated_staff")
    team = f"配备专职培训工作人员{_int_text(staff_n)}名，" if staff_n else ""
    head = f"{unit_name}高度重视{track_label}项目，{team}积极组织、推进{year}年度培训工作。"
    parts: list[str] = []
    if c.track == "staff":
        paid, reg, target = (_figure(m, k) for k in ("paid_trainees", "registered_trainees", "target_trainees"))
        p2r, p2t = _figure(m, "paid_to_registered"), _figure(m, "paid_to_target")
        if p2r is None and paid is not None and reg:
            p2r = paid / reg
        if p2t is None and paid is not None and target:
            p2t = paid / target
        if paid is not None:
            s = f"年度内参培人数（缴费人数）{_int_text(paid)}人"
            if p2r is not None:
                reg_txt = f"（{_int_text(reg)}人）" if reg is not None else ""
                s += f"，占注册人数{reg_txt}的{_percent(p2r)}%"
            if p2t is not None:
                tgt_txt = f"（{_int_text(target)}人）" if target is not None else ""
                s += f"，占当地应培人数{tgt_txt}的{_percent(p2t)}%"
            parts.append(s)
        income, refunds, rate = (_figure(m, k) for k in ("income", "refunds", "refund_rate"))
        if rate is None and refunds is not None and income:
            rate = refunds / income
        if income is not None:
            parts.append(f"培训总收入{_yuan(income)}元（{_dec(income / 10000, '0.01')}万元）")
        if refunds is not None:
            s = f"退费金额{_yuan(refunds)}元"
            if rate is not None:
                s += f"，占总收入的{_percent(rate)}%"
            parts.append(s)
    else:
        person_times, income = _figure(m, "person_times"), _figure(m, "income")
        if person_times is not None:
            parts.append(f"年度内开展专业技术人员继续教育培训{_int_text(person_times)}人次")
        if income is not None:
            parts.append(f"培训金额收入{_yuan(income)}元（{_dec(income / 10000, '0.01')}万元）")
    figures = ("；".join(parts) + "。") if parts else ""
    tail = "【请单位补充：培训工作团队建设、管理服务举措、特色做法及取得的成效等，全文不超过" \
           f"{limit}字（不计空白字符）。】"
    text = head + figures + "\n" + tail
    if deeds_length(text) > limit:  # cannot happen with these figures; keep the promise anyway
        text = head + figures
    return text


def _draft_forms(collectives: list[_Collective], nominations: pd.DataFrame | None,
                 names: dict[str, str], year: int, rules: Any) -> list[tuple[_FormData, Any]]:
    nominated = set()
    if nominations is not None and not nominations.empty:
        nominated = {(_text(u), _text(c)) for u, c in zip(nominations["unit_id"], nominations["category"],
                                                         strict=False)}
    out = []
    for c in sorted(collectives, key=lambda c: (c.track, c.unit_id)):
        category = f"{c.track}.collective"
        if c.outcome not in DRAFT_OUTCOMES or category not in CATEGORY_LABELS:
            continue
        if c.nominated or (c.unit_id, category) in nominated:
            continue
        unit_name = names.get(c.unit_id) or c.unit_name or c.unit_id
        out.append((_FormData(category=category, unit_name=unit_name, nominee=unit_name,
                              deeds=draft_deeds(c, year, unit_name, _deeds_limit(rules, category)),
                              draft=True), None))
    return out


def _form_stem(form: _FormData, limit: int) -> str:
    group = "innovation" if form.category.startswith("innovation.") else form.category.split(".")[0]
    parts = [f"附件{ATTACHMENTS[group]['number']}", CATEGORY_LABELS[form.category], _name_part(form.unit_name)]
    if group != "innovation" and not form.draft:
        parts.append(_name_part(form.nominee))
    if form.draft:
        parts.append(DRAFT_MARK)
    stem = "_".join(parts)
    if deeds_length(form.deeds) > limit:
        stem += OVER_LIMIT_SUFFIX.format(limit=limit)
    return stem


# --- the roster ---------------------------------------------------------------------


@dataclass
class _Attendee:
    unit_id: str
    unit_name: str
    name: str
    gender: str
    title: str
    phone: str
    note: str
    needs_room: bool | None
    submitted_at: pd.Timestamp | None
    late: bool
    row: int | None

    def remark(self, deadline: pd.Timestamp) -> str:
        bits = [self.note] if self.note else []
        if self.needs_room is True:
            bits.append("需预留住宿")
        elif self.needs_room is False:
            bits.append("不需住宿")
        if self.late and self.submitted_at is not None:
            t = self.submitted_at
            when = f"{t.month}月{t.day}日" if t.year == deadline.year else f"{t.year}年{t.month}月{t.day}日"
            bits.append(f"逾期回执（{when}）")
        return "；".join(bits)


def _attendees(rsvp: pd.DataFrame, names: dict[str, str], deadline: pd.Timestamp) -> list[_Attendee]:
    out = []
    for rec in rsvp.to_dict("records"):
        uid = _text(rec.get("unit_id"))
        room = rec.get("needs_room")
        room = None if _missing(room) else bool(room)
        sub = rec.get("submitted_at")
        sub = None if _missing(sub) else pd.Timestamp(sub)
        row = rec.get("row")
        out.append(_Attendee(
            unit_id=uid, unit_name=names.get(uid, uid), name=_text(rec.get("name")),
            gender=_text(rec.get("gender")), title=_text(rec.get("title")),
            phone=_text(rec.get("phone")), note=_text(rec.get("note")), needs_room=room,
            submitted_at=sub, late=sub is not None and sub.floor("s") > deadline,
            row=None if _missing(row) else int(row),
        ))
    out.sort(key=lambda a: (a.unit_id, a.row if a.row is not None else 0))
    return out


def roster_summary(attendees: list[_Attendee]) -> dict[str, int]:
    """Rooms: one per attendee whose receipt asks for one (needs_room true), late
    receipts included; attendees who did not say are counted apart, never as a room."""
    return {
        "attendees": len(attendees),
        "units": len({a.unit_id for a in attendees}),
        "rooms": sum(a.needs_room is True for a in attendees),
        "rooms_unstated": sum(a.needs_room is None for a in attendees),
        "late": sum(a.late for a in attendees),
        "late_rooms": sum(a.late and a.needs_room is True for a in attendees),
    }


def _roster_docx(attendees: list[_Attendee], year: int, deadline: pd.Timestamp, deadline_label: str) -> Document:
    title = ROSTER_TITLE.format(year=year)
    doc = _new_document(year, title)
    _para(doc, "附件5", bold=True)
    _para(doc, title, bold=True, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    s = roster_summary(attendees)
    _para(doc, f"共收到{s['units']}个单位的回执，参会{s['attendees']}人；"
               f"需预留住宿房间{s['rooms']}间（按每位注明需要住宿的参会人员预留一间计，"
               f"含逾期回执中需要住宿的{s['late_rooms']}人）；"
               f"未注明是否住宿{s['rooms_unstated']}人；逾期回执{s['late']}份"
               f"（回执截止时间为{deadline_label}，逾期者已在备注中注明）。", indent_first=True)
    if not attendees:
        _para(doc, "暂无回执。")
    units: dict[str, list[_Attendee]] = {}
    for a in attendees:
        units.setdefault(a.unit_id, []).append(a)
    for members in units.values():
        _para(doc, "")
        _para(doc, f"单位名称：{members[0].unit_name}")
        table = doc.add_table(rows=1 + len(members), cols=len(ROSTER_COLUMNS))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _set_widths(table, [26, 16, 34, 34, 50])
        for i, h in enumerate(ROSTER_COLUMNS):
            _cell(table.cell(0, i), h, bold=True)
        for r, a in enumerate(members, start=1):
            for i, v in enumerate((a.name, a.gender, a.title, a.phone, a.remark(deadline))):
                _cell(table.cell(r, i), v)
    _para(doc, "")
    _para(doc, f"（回执请于{deadline.month}月{deadline.day}日前发送，请注明是否需要预留住宿房间）")
    return doc


def _safe_cell(ws, row: int, col: int, value: Any):
    """Write a value (see files.put_cell: text never becomes a formula); None and "" leave
    the cell empty rather than an empty string."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    return put_cell(cell, value)


def _roster_xlsx(attendees: list[_Attendee], year: int, deadline: pd.Timestamp, deadline_label: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "参会回执"
    headers = ("单位编码", "单位名称", "姓名", "性别", "职务", "电话", "备注", "是否预留住宿", "回执时间", "是否逾期")
    for i, h in enumerate(headers, start=1):
        _safe_cell(ws, 1, i, h).font = Font(bold=True)
    for r, a in enumerate(attendees, start=2):
        room = {True: "是", False: "否", None: "未注明"}[a.needs_room]
        when = a.submitted_at.strftime("%Y-%m-%d %H:%M:%S") if a.submitted_at is not None else ""
        values = (a.unit_id, a.unit_name, a.name, a.gender, a.title, a.phone, a.remark(deadline),
                  room, when, "是" if a.late else "否")
        for i, v in enumerate(values, start=1):
            _safe_cell(ws, r, i, v).number_format = "@"
    for col, width in zip("ABCDEFGHIJ", (12, 24, 12, 6, 16, 16, 36, 12, 20, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"

    su = wb.create_sheet("汇总")
    for i, h in enumerate(("单位编码", "单位名称", "参会人数", "需预留住宿房间", "未注明是否住宿", "逾期回执"), start=1):
        _safe_cell(su, 1, i, h).font = Font(bold=True)
    units: dict[str, list[_Attendee]] = {}
    for a in attendees:
        units.setdefault(a.unit_id, []).append(a)
    r = 2
    for uid, members in units.items():
        s = roster_summary(members)
        for i, v in enumerate((uid, members[0].unit_name, s["attendees"], s["rooms"], s["rooms_unstated"],
                               s["late"]), start=1):
            _safe_cell(su, r, i, v)
        r += 1
    s = roster_summary(attendees)
    for i, v in enumerate(("合计", "", s["attendees"], s["rooms"], s["rooms_unstated"], s["late"]), start=1):
        _safe_cell(su, r, i, v).font = Font(bold=True)
    _safe_cell(su, r + 2, 1, "说明")
    _safe_cell(su, r + 2, 2, f"需预留住宿房间按每位注明需要住宿的参会人员预留一间计（含逾期回执）；"
                             f"回执截止时间为{deadline_label}，其后收到的回执为逾期回执。")
    for col, width in zip("ABCDEF", (12, 24, 10, 16, 16, 10), strict=True):
        su.column_dimensions[col].width = width

    fixed = dt.datetime(year, 12, 31)
    wb.properties.creator = "toolkit"
    wb.properties.title = ROSTER_TITLE.format(year=year)
    wb.properties.created = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- writing ----------------------------------------------------------------------------


def _write(out_dir: Path, name: str, data: bytes, year: int) -> Path:
    path = out_dir / name
    if path.resolve().parent != out_dir.resolve():  # sanitised names cannot escape; be sure
        raise ValueError(f"refusing to write outside {out_dir}: {name!r}")
    return atomic_write(path, fixed_ooxml(data, dt.datetime(year, 12, 31)))


def _docx_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_forms(evaluation: Any, year_data: Any, rules: Any, out_dir: str | Path) -> list[Path]:
    """Write the approval forms, the draft forms and the meeting roster into ``out_dir``.

    Returns the paths written: nomination forms (in row order), draft forms, then the
    roster's .docx and .xlsx (when the year has an ``rsvp`` table).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    year = _year(evaluation, rules, year_data)
    tables = getattr(year_data, "tables", None) or {}
    collectives = _collectives(evaluation)
    names = _unit_names(year_data, evaluation, collectives)

    nominations = tables.get("nominations")
    forms: list[tuple[_FormData, Any]] = []
    if nominations is not None and not nominations.empty:
        if "row" in nominations.columns:
            nominations = nominations.sort_values("row", kind="stable")
        forms += _nomination_forms(nominations, names)
    forms += _draft_forms(collectives, nominations, names, year, rules)

    limits = [_deeds_limit(rules, f.category) for f, _ in forms]
    stems = _unique_names([(_form_stem(f, lim), row) for (f, row), lim in zip(forms, limits, strict=True)])
    written = []
    for (form, _), stem, lim in zip(forms, stems, limits, strict=True):
        doc = _build_form(form, year, lim)
        written.append(_write(out_dir, f"{stem}.docx", _docx_bytes(doc), year))

    rsvp = tables.get("rsvp")
    if rsvp is not None:
        deadline, label = _rsvp_deadline(rules, year, evaluation)
        people = _attendees(rsvp, names, deadline)
        doc = _roster_docx(people, year, deadline, label)
        written.append(_write(out_dir, f"{ROSTER_STEM}.docx", _docx_bytes(doc), year))
        written.append(_write(out_dir, f"{ROSTER_STEM}.xlsx", _roster_xlsx(people, year, deadline, label), year))
    return written

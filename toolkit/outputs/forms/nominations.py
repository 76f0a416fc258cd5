"""The approval forms of the notice (attachments 2, 4 and 6): which attachment an award
is laid out on, the 主要事迹 limit the rules set for it, and the form itself, filled
from a nomination row.

Each award's ``form`` in the rules file says which attachment it is on, the title, the
words beside its box, its side and its nominee row's label. In 2022 attachments 2
(事业单位) and 4 (专技) hold a track's collective award on the left and its individual
award on the right; attachment 6 holds both innovation awards, the professional one on
the left as the notice has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from toolkit.outputs.forms.document import (
    TITLE_SIZE,
    cell,
    min_height,
    new_document,
    para,
    set_widths,
    text,
)
from toolkit.outputs.values import missing
from toolkit.rules.load import Award, Rules

BOX_TICKED, BOX_EMPTY = "☑", "□"
#: the banner of a draft form (the intake quarantines a form that still carries it)
DRAFT_BANNER = "（草稿：主要事迹由系统根据年度培训数据生成，请单位核实、修改后盖章报送）"
DEEDS_HINT = "（简明扼要，突出特色，{limit}字以内）"
DEEDS_HINT_NO_LIMIT = "（简明扼要，突出特色）"
#: the metric whose criterion bounds the length of 主要事迹
DEEDS_METRIC = "deeds_chars"

OPINIONS = (("申报\n单位\n意见", 3.0), ("省校培训\n学院意见", 3.0), ("湖南开放大学\n审批意见", 3.0))


def attachment_of(award: Award) -> int | None:
    """The number of the notice's attachment an award is laid out on, from the award's
    ``form`` in the rules (None: it has no form)."""
    return award.form.number if award.form is not None else None


def form_awards(rules: Rules, number: int) -> tuple[Award | None, Award | None]:
    """The awards on the left and on the right of an attachment (None: the year's rules
    have no award for that side)."""
    on_form = rules.awards_on_form(number)
    left, right = (next((a for a in on_form if a.form.side == side), None) for side in ("left", "right"))
    return left, right


def award_box_label(award: Award) -> str:
    """The award's words beside its box, as the notice's form (and the nominations
    table's 推荐类别) writes them: the rules' ``form.category``."""
    return award.form.category if award.form is not None else award.label


def nominee_labels(rules: Rules, number: int) -> tuple[str, str] | None:
    """The labels of the nominee row of an attachment, left and right (None: no such row)."""
    sides = form_awards(rules, number)
    if not any(a is not None and a.form.nominee for a in sides):
        return None
    left, right = (a.form.nominee if a is not None and a.form.nominee else "" for a in sides)
    return left or right, right or left


def deeds_length(deeds) -> int:
    """Characters of 主要事迹 as the form counts them: white space not counted."""
    return len(re.sub(r"\s", "", text(deeds)))


def deeds_limit(rules: Rules, award: Award) -> int | None:
    """The most characters of 主要事迹 on the award's form: the bound of the award's
    criterion on ``deeds_chars``. The 主要事迹 box belongs to the form, which a
    collective award shares with its track's individual award, so an award without
    such a criterion takes that of the other award on its form. None when no award of
    the form has one: no limit is printed or checked."""
    number = attachment_of(award)
    others = [a for a in rules.awards.values()
              if a is not award and number is not None and attachment_of(a) == number]
    for a in (award, *others):
        for c in a.criteria:
            if c.metric == DEEDS_METRIC and c.bound is not None:
                return int(c.bound) - 1 if c.op == "<" else int(c.bound)
    return None


@dataclass
class FormData:
    award: Award
    unit_name: str
    unit_leader: str = ""
    nominee: str = ""
    contact: str = ""
    deeds: str = ""
    draft: bool = False


def build_form(form: FormData, rules: Rules, year: int, limit: int | None) -> Document:
    """The approval form of ``form.award``'s attachment, its box ticked and its side filled."""
    number = attachment_of(form.award)
    title = form.award.form.title_of(year)
    doc = new_document(year, title.replace("\n", ""))

    para(doc, form.award.form.attachment, bold=True)
    if form.draft:
        para(doc, DRAFT_BANNER, size=Pt(10.5), color=RGBColor(0x80, 0x80, 0x80))
    para(doc, title, bold=True, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = para(doc, "填报单位（盖章）：")
    if form.unit_name:
        p.add_run(form.unit_name)

    sides = form_awards(rules, number)
    side = 0 if sides[0] is not None and sides[0].key == form.award.key else 1
    labels_of_nominee = nominee_labels(rules, number)
    nominee_row = labels_of_nominee is not None
    n_rows = 2 + 2 + (1 if nominee_row else 0) + 1 + 1 + len(OPINIONS)
    table = doc.add_table(rows=n_rows, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, [35, 45, 35, 45])

    r = 0
    min_height(table.rows[0], 0.8)
    min_height(table.rows[1], 0.8)
    cell(table.cell(r, 0).merge(table.cell(r, 3)), "推荐类别", bold=True)
    r += 1
    for i, award in enumerate(sides):
        box = BOX_TICKED if award is not None and award.key == form.award.key else BOX_EMPTY
        label = f"{box}{award_box_label(award)}" if award is not None else ""
        cell(table.cell(r, 2 * i).merge(table.cell(r, 2 * i + 1)), label)
    r += 1

    labels = [("单位名称", form.unit_name), ("单位负责人", form.unit_leader)]
    if nominee_row:
        labels.append((labels_of_nominee, form.nominee))
    labels.append(("联系人姓名、\n职务、手机号码", form.contact))
    for label, value in labels:
        left_label, right_label = label if isinstance(label, tuple) else (label, label)
        cell(table.cell(r, 0), left_label)
        cell(table.cell(r, 2), right_label)
        cell(table.cell(r, 1 + 2 * side), value)
        min_height(table.rows[r], 1.0)
        r += 1

    cell(table.cell(r, 0), "主\n要\n事\n迹")
    deeds_cell = table.cell(r, 1).merge(table.cell(r, 3))
    deeds_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    hint = DEEDS_HINT.format(limit=limit) if limit is not None else DEEDS_HINT_NO_LIMIT
    cell(deeds_cell, hint, align=WD_ALIGN_PARAGRAPH.CENTER)
    deeds_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    for line in form.deeds.split("\n") if form.deeds else ():  # each paragraph as the unit wrote it,
        # an empty line too; a paragraph the unit indented itself (　　) gets no second indent
        para(deeds_cell, line, indent_first=bool(line) and not line[0].isspace(), align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    min_height(table.rows[r], 8.0, split=True)  # long deeds may run onto the next page
    r += 1

    for label, height in OPINIONS:
        cell(table.cell(r, 0), label)
        c = table.cell(r, 1).merge(table.cell(r, 3))
        c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        cell(c, "")
        c.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        para(c, "盖章", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = Mm(30)
        para(c, "年\u3000\u3000月\u3000\u3000日", align=WD_ALIGN_PARAGRAPH.RIGHT
             ).paragraph_format.right_indent = Mm(8)
        min_height(table.rows[r], height)
        r += 1

    para(doc, "（请双面打印）")
    return doc


def nomination_forms(nominations: pd.DataFrame, names: dict[str, str],
                     rules: Rules) -> list[tuple[FormData, int | None]]:
    """A form per nomination row of an award of the rules that has a form, with its row
    number (None when the table has none)."""
    out = []
    for rec in nominations.to_dict("records"):
        award = rules.awards.get(text(rec.get("category")))
        if award is None or attachment_of(award) is None:
            continue  # clean quarantines unknown categories; nothing to lay out here
        uid = text(rec.get("unit_id"))
        contact = "、".join(
            s for s in (text(rec.get(k)) for k in ("contact_name", "contact_title", "contact_phone")) if s
        )
        form = FormData(
            award=award,
            unit_name=names.get(uid, uid),
            unit_leader=text(rec.get("unit_leader")),
            nominee=text(rec.get("nominee")),
            contact=contact,
            deeds=text(rec.get("deeds")),
        )
        row = rec.get("row")
        out.append((form, None if missing(row) else int(row)))
    return out

"""The fields of a recognised form, read from its tables by their row labels.

A label cell (单位名称, 单位负责人, the nominee labels of the rules' forms, 联系人…,
主要事迹, the start date's names of the data contract) is compared without white
space and after NFKC; its value is the next cell to its right that is no label. A row
holding a label twice (one per category column) gives the value of the ticked
category's side. 主要事迹 is the cell beside its label without the form's prompt
（简明扼要，突出特色，700字以内）, its paragraphs joined by a line break, exactly
as written (each paragraph's own 　　 indent and inner empty lines kept; only blank
lines before and after the text go). 填报单位 is what follows ``填报单位（盖章）：``.
Every other value is kept as written but for white space around the whole value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.ingest import contract
from toolkit.intake.read import Cell, FormDoc
from toolkit.intake.ticks import squeeze
from toolkit.rules.model import Award

UNIT_LABEL = "单位名称"
LEADER_LABEL = "单位负责人"
CONTACT_LABEL = "联系人"  # 联系人姓名、职务、手机号码 (units shorten it: 联系人及电话)
CONTACT_WORDS = ("姓名", "职务", "手机", "电话", "方式")
DEEDS_LABEL = "主要事迹"
FILLER = re.compile(r"填报单位\s*(?:[（(]\s*盖\s*章\s*[）)])?\s*[：:]?")
#: the form's prompt in the deeds cell (the toolkit's and the notice's wording)
PROMPT = re.compile(r"^\s*[（(]\s*简明扼要[^）)]*[）)]")
_TRAILING_COLON = re.compile(r"[:：]+$")
#: the placeholder texts of Word's and WPS's content controls, as compared (NFKC, no white
#: space): a value that is one of them (a control that lost its placeholder mark, say
#: through another program) is empty, never a name
PLACEHOLDERS = frozenset(squeeze(t) for t in (
    "单击或点击此处输入文字。", "单击此处输入文字。", "单击或点击此处输入日期。", "单击此处输入日期。",
    "选择一项。", "Click or tap here to enter text.", "Click here to enter text.",
    "Click or tap to enter a date.", "Choose an item."))


@dataclass
class Fields:
    unit: str = ""
    unit_leader: str = ""
    nominee: str = ""
    contact: str = ""
    deeds: str = ""
    started_on: str = ""
    filler: str = ""


def _key(text: str) -> str:
    return _TRAILING_COLON.sub("", squeeze(text))


class _Labels:
    def __init__(self, awards: list[Award]):
        self.nominee = {squeeze(a.form.nominee): a.key for a in awards if a.form.nominee}
        started = contract.TABLES["nominations"].column("started_on").aliases
        self.started = {squeeze(s) for s in started}

    def of(self, text: str) -> str | None:
        k = _key(text)
        if not k:
            return None
        if k == UNIT_LABEL:
            return "unit"
        if k == LEADER_LABEL:
            return "unit_leader"
        if k in self.nominee:
            return "nominee"
        if k == CONTACT_LABEL or (k.startswith(CONTACT_LABEL) and not any(ch.isdigit() for ch in k)
                                  and any(w in k for w in CONTACT_WORDS)):
            return "contact"
        if k == DEEDS_LABEL:
            return "deeds"
        if k in self.started:
            return "started_on"
        return None


def _occurrences(doc: FormDoc, labels: _Labels) -> dict[str, list[tuple[Cell, Cell | None]]]:
    """label -> (label cell, value cell or None), row by row, left to right."""
    out: dict[str, list[tuple[Cell, Cell | None]]] = {}
    seen: set[tuple[str, int, int]] = set()  # a merged cell is in several rows: once
    for g in doc.grids:
        for row in g.rows:
            for i, c in enumerate(row):
                name = labels.of(c.text)
                if name is None:
                    continue
                value = None
                for j in range(i + 1, len(row)):  # (no slice: a copy per label is quadratic in the row)
                    nxt = row[j]
                    if nxt is c:
                        continue
                    if labels.of(nxt.text) is None:
                        value = nxt
                    break
                if (name, id(c), id(value)) not in seen:
                    seen.add((name, id(c), id(value)))
                    out.setdefault(name, []).append((c, value))
    return out


def _pick(pairs: list[tuple[Cell, Cell | None]], side: int) -> Cell | None:
    """The value of the ticked side: the side-th label of the row where a row holds two."""
    if not pairs:
        return None
    if len(pairs) >= 2:
        return pairs[min(side, len(pairs) - 1)][1]
    return pairs[0][1]


def _value(cell: Cell | None) -> str:
    value = cell.text.strip() if cell is not None else ""
    return "" if squeeze(value) in PLACEHOLDERS else value


def deeds_text(cell: Cell | None) -> str:
    """主要事迹 exactly as written, without the form's prompt: its paragraphs (and line
    breaks) joined by a line break, the blank lines before the first and after the last
    line of text left out; inner blank lines and every line's own indent (``　　``) kept."""
    if cell is None:
        return ""
    paragraphs = list(cell.paragraphs)
    for i, p in enumerate(paragraphs):
        if p.strip():
            paragraphs[i] = PROMPT.sub("", p, count=1)
            break
    lines = "\n".join(paragraphs).split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = next((i for i in range(len(lines), 0, -1) if lines[i - 1].strip()), 0)
    text = "\n".join(lines[start:end])
    return "" if squeeze(text) in PLACEHOLDERS else text


def filler(doc: FormDoc) -> str:
    """What follows 填报单位（盖章）： (in a paragraph or a cell)."""
    for text in [*doc.paragraphs, *(c.text for g in doc.grids for c in g.cells())]:
        m = FILLER.search(text)
        if m and not squeeze(text[:m.start()]):
            return text[m.end():].strip()
    return ""


def deeds_cells(doc: FormDoc, awards: list[Award]) -> set[int]:
    """The ids of the cells holding 主要事迹 (left out when boxes are looked for)."""
    occ = _occurrences(doc, _Labels(awards))
    return {id(v) for _, v in occ.get("deeds", []) if v is not None}


def extract(doc: FormDoc, awards: list[Award], ticked: Award, side: int) -> Fields:
    """The fields of the ticked category's side (0 left, 1 right)."""
    labels = _Labels(awards)
    occ = _occurrences(doc, labels)
    f = Fields()
    f.unit = _value(_pick(occ.get("unit", []), side))
    f.unit_leader = _value(_pick(occ.get("unit_leader", []), side))
    nominee_pairs = occ.get("nominee", [])
    own = [p for p in nominee_pairs if labels.nominee.get(_key(p[0].text)) == ticked.key]
    f.nominee = _value(own[0][1] if own else _pick(nominee_pairs, side))
    f.contact = _value(_pick(occ.get("contact", []), side))
    f.started_on = _value(_pick(occ.get("started_on", []), side))
    deeds = occ.get("deeds", [])
    f.deeds = deeds_text(deeds[0][1] if deeds else None)
    f.filler = filler(doc)
    return f

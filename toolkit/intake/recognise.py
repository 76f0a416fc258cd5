"""Recognising a returned form: which of the year's approval forms it is (the awards'
``form`` in the rules: attachment number and title), and which category box is ticked.

A document is the form of an attachment when it holds that attachment's title (the
year's, compared without white space and after NFKC); failing that, when a paragraph
before its first table is the attachment's label (``附件2``); failing that, when its
category boxes are those of one attachment only. A title of another year is no form
of this year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.i18n import gettext as _
from toolkit.intake.read import FormDoc
from toolkit.intake.ticks import Box, boxes_in, squeeze
from toolkit.outputs.forms.drafts import TO_BE_FILLED
from toolkit.outputs.forms.nominations import DRAFT_BANNER
from toolkit.rules.model import Award, Rules

#: the start of the draft's banner and its request to the unit, as compared (NFKC, no
#: white space): （草稿 is (草稿
_BANNER = squeeze(DRAFT_BANNER)[:3]
_TO_BE_FILLED = squeeze(TO_BE_FILLED).rstrip(":")


@dataclass
class Recognised:
    """The form a document is (its attachment and awards, left first), or why it is
    none (``problem``, in words)."""

    number: int | None
    awards: list[Award]
    problem: str | None = None

    @property
    def attachment(self) -> str:
        return self.awards[0].form.attachment if self.awards else ""


def texts(doc: FormDoc, skip=()) -> list[tuple[str, int, int]]:
    """Every text of a document with its place (a body paragraph, or a table row) and
    column: (text, place, col), in reading order. Cells in ``skip`` are left out."""
    out = [(p, i, 0) for i, p in enumerate(doc.paragraphs)]
    place = len(doc.paragraphs)
    seen: set[int] = set()
    for g in doc.grids:
        for row in g.rows:
            for c in row:
                if id(c) in seen or id(c) in skip:
                    continue
                seen.add(id(c))
                out.append((c.text, place, c.col))
            place += 1
    return out


def find_boxes(doc: FormDoc, awards: list[Award], skip=()) -> list[Box]:
    words = {a.key: a.form.category for a in awards}
    found: list[Box] = []
    for text, place, col in texts(doc, skip):
        found += boxes_in(text, words, place, col)
    return found


def _title_pattern(title: str) -> re.Pattern:
    parts = [re.escape(squeeze(p)) for p in title.split("{year}")]
    return re.compile(r"(\d{4})".join(parts))


def recognise(doc: FormDoc, rules: Rules, year: int) -> Recognised:
    everything = "".join(squeeze(t) for t, _, _ in texts(doc))
    forms = {n: rules.awards_on_form(n) for n in rules.form_numbers()}
    by_title, other_year = [], None
    for n, awards in forms.items():
        title = awards[0].form.title
        for m in _title_pattern(title).finditer(everything):
            years = {int(y) for y in m.groups()}
            if not years or years == {year}:
                by_title.append(n)
                break
            other_year = (awards[0].form.attachment, sorted(years)[0])
    if len(by_title) == 1:
        return Recognised(by_title[0], forms[by_title[0]])
    if not by_title:
        head = [squeeze(p) for p in doc.paragraphs[:8]]
        labelled = [n for n, awards in forms.items() if squeeze(awards[0].form.attachment) in head]
        if len(labelled) == 1 and other_year is None:
            return Recognised(labelled[0], forms[labelled[0]])
        with_boxes = sorted({n for n, awards in forms.items() if find_boxes(doc, awards)})
        if len(with_boxes) == 1 and other_year is None:
            return Recognised(with_boxes[0], forms[with_boxes[0]])
    if other_year is not None and not by_title:
        return Recognised(None, [], f"it is the {other_year[0]} form of {other_year[1]}, not of {year}")
    known = ", ".join(awards[0].form.attachment for awards in forms.values())
    if by_title:
        return Recognised(None, [], "it holds the titles of several forms (" +
                          ", ".join(forms[n][0].form.attachment for n in by_title) + ")")
    return Recognised(None, [], f"neither the title nor the category boxes of an approval form ({known}) "
                                "were found")


def draft_signs(doc: FormDoc) -> list[str]:
    """What shows that a document is still the toolkit's draft (``toolkit forms``), not
    yet filled in by the unit: its banner （草稿：…）, and 【请单位补充：…】 in its text.
    Empty: none."""
    signs = []
    if any(squeeze(p).startswith(_BANNER) for p in doc.paragraphs):
        signs.append(_("the draft's banner {banner}…） is still on it").format(banner=DRAFT_BANNER[:3]))
    if any(_TO_BE_FILLED in squeeze(t) for t, _, _ in texts(doc)):
        signs.append(_("its text still asks for what the unit is to add ({marker}…】)").format(marker=TO_BE_FILLED))
    return signs

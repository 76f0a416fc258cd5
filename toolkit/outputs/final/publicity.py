"""The publicity draft ``公示稿.docx``: the notice that the proposed list is open to
objections, for the school to complete and sign. Its title, one paragraph, the list
(each award with its table, as in 拟表彰名单.docx), the publicity period and the
telephone number as blanks, the signature 湖南开放大学 and a blank date.

The toolkit invents no date and no number: the period, the telephone and the date are
left as blanks (:data:`BLANK_DATE`, :data:`BLANK_PHONE`) for the school to fill in.
It is written only when no entry is pending (:func:`toolkit.outputs.final.write.write_final`):
a draft published with entries still open would have to be withdrawn and published again.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from toolkit.outputs.final.documents import award_sections
from toolkit.outputs.final.listing import FinalList
from toolkit.outputs.final.official import official_document, official_para, official_title
from toolkit.vocabulary import AWARD_KIND_LABELS

PUBLICITY_STEM = "公示稿"
#: the title, broken where the words allow (GB/T 9704: 词意完整，排列对称)
PUBLICITY_TITLE = "关于{year}年度全省开放大学办学体系\n培训工作拟表彰名单的公示"
PUBLICITY_TEXT = (
    "根据{year}年度全省开放大学办学体系培训工作评优通知的要求，经各单位推荐申报、省校对照评选条件审核、"
    "评审专家评审，现将拟表彰的{kinds}名单予以公示。"
    "公示期间，任何单位和个人如有异议，可通过电话或书面形式向湖南开放大学反映。"
    "反映情况应实事求是，以单位名义反映的须加盖单位公章，以个人名义反映的须署真实姓名并提供联系方式。"
)
BLANK_DATE = "____年__月__日"
BLANK_PHONE = "________________"
PERIOD_LINE = f"公示期：{BLANK_DATE}至{BLANK_DATE}"
PHONE_LINE = f"联系电话：{BLANK_PHONE}"
SIGNATURE = "湖南开放大学"


def kinds_text(fl: FinalList) -> str:
    """The kinds of award on the list, in words: 先进集体、先进个人和创新创意奖."""
    kinds = {a.kind for a in fl.awards if a.kind}
    words = [label for kind, label in AWARD_KIND_LABELS.items() if kind in kinds] or ["获奖单位和个人"]
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + "和" + words[-1]


def period_line(policy=None) -> str:
    """公示期 with blank dates; with the rules' ``publicity:`` section, its days and clause
    after them (the toolkit never invents the start date)."""
    if policy is None:
        return PERIOD_LINE
    return f"{PERIOD_LINE}（{policy.period_text()}）"


def publicity_docx(fl: FinalList, policy=None):
    """The publicity draft of a final list (title, paragraph, the list, blanks, signature);
    ``policy`` is the rules' ``publicity:`` section (:class:`toolkit.rules.publicity.PublicityPolicy`)."""
    title = PUBLICITY_TITLE.format(year=fl.year)
    doc = official_document(fl.year, title)
    official_title(doc, title)
    official_para(doc, PUBLICITY_TEXT.format(year=fl.year, kinds=kinds_text(fl)))
    official_para(doc, period_line(policy))
    official_para(doc, PHONE_LINE)
    award_sections(doc, fl)
    official_para(doc, indent=False)
    official_para(doc, SIGNATURE, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    official_para(doc, BLANK_DATE, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc

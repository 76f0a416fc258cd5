"""The report's opening after the review (toolkit/outputs/report/final_list.py): 拟表彰名单
with the same rows as final/拟表彰名单.xlsx, then the 待定 count and entries, before the
初审 shortlist; before the review the report is unchanged. The context is read from a
run folder (evaluation.json), as the notebook reads it."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from final_helpers import ALL_DECIDED, NOMINEE_PHONE, decide, report_ctx
from openpyxl import load_workbook

from toolkit.outputs.final.write import write_final
from toolkit.outputs.report import decision, final_list
from toolkit.outputs.report.frame import html_of


class _Tables(HTMLParser):
    """The h3 headings and table rows (cell texts) in page order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, object]] = []
        self._text: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h3", "td", "th"):
            self._text = []
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag == "h3" and self._text is not None:
            self.items.append(("h3", "".join(self._text)))
            self._text = None
        elif tag in ("td", "th") and self._text is not None and self._row is not None:
            self._row.append("".join(self._text))
            self._text = None
        elif tag == "tr" and self._row is not None:
            self.items.append(("tr", self._row))
            self._row = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def tables(page: str) -> list[tuple[str, object]]:
    p = _Tables()
    p.feed(page)
    return p.items


@pytest.fixture(scope="module")
def ctx(final_year, final_decided, tmp_path_factory):
    return report_ctx(final_year, final_decided, tmp_path_factory.mktemp("run") / "2022")


def test_the_html_list_has_the_rows_of_the_workbook(ctx, final_decided, tmp_path):
    write_final(final_decided, tmp_path)  # what the run writes, from the evaluation in memory
    sheet = list(load_workbook(tmp_path / "拟表彰名单.xlsx")["拟表彰名单"].iter_rows(values_only=True))
    headers, xlsx_rows = sheet[0], [["" if v is None else str(v) for v in r] for r in sheet[1:]]
    page = html_of(final_list.section(ctx))  # what the report shows, read back from evaluation.json
    html_rows, award, headings = [], None, []
    for kind, value in tables(page.split('class="pending-count"')[0]):
        if kind == "h3":
            award = value
            headings.append(value)
        elif value[0] != "序号":
            html_rows.append([award, *value])
    # the workbook has a column per kind of name; an award's table only its own
    names = list(headers[3:])
    flat = [[r[0], r[1], r[2], next((v for v in r[3:] if v), "")] for r in xlsx_rows if r[1]]
    assert [r + [""] * (4 - len(r)) for r in html_rows] == flat
    assert len(flat) == 4 and names == ["先进集体名称", "先进个人姓名"]
    # an award nobody is proposed for: a heading without a table on the page, and in the
    # workbook 无, or 待定 1 项 with who and why where its only nomination is pending
    nobody = [r[0] for r in xlsx_rows if not r[1]]
    empty = sorted(r[2] for r in xlsx_rows if not r[1])
    assert len(nobody) == 2 and empty == ["待定 1 项：尚待评审结论或数据核实，未列入本名单", "无"]
    assert [a for a in headings if a not in {r[0] for r in html_rows}] == nobody


def test_every_award_is_a_heading_in_order_then_the_pending_count(ctx):
    page = html_of(final_list.section(ctx))
    assert page.startswith('<section class="final-list" id="final-list" style="break-after: page;')
    assert '<h2>拟表彰名单</h2>' in page[:200]
    h3 = [v for k, v in tables(page) if k == "h3"]
    assert h3 == [a.label for a in ctx.rules.awards.values()]
    count = page.index("<b>待定 1 项</b>")
    assert count > page.index(f"<h3>{h3[-1]}</h3>")
    assert "赵六" in page[count:]
    # the award whose only nomination is pending says so, never 无
    assert '<p class="final-none pending-count">待定 1 项：赵六，' in page[:count]
    assert page[:count].count('<p class="final-none">无</p>') == 1
    assert "不生成公示稿" in page[count:]
    assert "已读取 2 份评审意见文件" in page


def test_hostile_names_are_text_and_no_phone_number(ctx):
    page = html_of(final_list.section(ctx))
    assert "<script>" not in page and "<b>五</b>" not in page
    assert html.escape("王<b>五</b>") in page and NOMINEE_PHONE not in page


def test_the_report_opens_with_the_final_list_after_the_review(ctx):
    page = html_of(decision.shortlist(ctx))
    assert page.startswith('<section class="final-list"')
    assert page.index("拟表彰名单（初审）") > page.index("</section>")


def test_before_the_review_nothing_changes(final_year, tmp_path):
    before = report_ctx(final_year, final_year.evaluation, tmp_path / "run")
    assert html_of(final_list.section(before)) == ""
    page = html_of(decision.shortlist(before))
    assert page.startswith('<section class="decision" id="decision"><h2>拟表彰名单（初审）</h2>')
    assert "final-list" not in page


def test_nothing_pending_names_the_publicity_draft(final_year, tmp_path):
    done = report_ctx(final_year, decide(final_year.evaluation, ALL_DECIDED), tmp_path / "run")
    page = html_of(final_list.section(done))
    assert "待定 0 项" in page and "final/公示稿.docx" in page and "不生成公示稿" not in page


def test_no_block_of_the_final_list_is_over_400_characters(ctx):
    """The first page a leader reads: names in tables and short lines, never a wall."""
    page = html_of(final_list.section(ctx))
    blocks = re.findall(r"<(p|td|li)(?: [^>]*)?>(.*?)</\1>", page, re.S)
    assert blocks and max(len(re.sub(r"<[^>]+>", "", b)) for _tag, b in blocks) <= 400

"""The multi-year index (toolkit/outputs/index/): what it derives from the years' run
folders, and the page itself (HTML in headless Chromium, the PDF as printed) from the
session's span of five tiny years (tests/years_fixtures.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_helpers import assert_loads_without_errors, measure
from years_fixtures import YEARS
from years_helpers import JOINER, LEAVER

from toolkit.outputs.index import page, span
from toolkit.outputs.index.span import YearRun
from toolkit.outputs.report.format import esc
from toolkit.outputs.report.html import check_self_contained


def _year(year, units, collective=(), individual=()):
    ev = {"year": year, "labels": {"awards": {"staff.collective": "先进集体", "staff.individual": "先进个人"},
                                   "criteria": {"staff.collective": {"paid": "缴费人数达标"}}},
          "summary": {"staff.collective": {"eligible": 1, "not_eligible": 1}},
          "collective": list(collective), "individual": list(individual)}
    return YearRun(year, Path(f"/nowhere/{year}"), ev, dict(units))


def _unit(uid, name, paid, bound, outcome, nominated=False):
    return {"track": "staff", "unit_id": uid, "unit_name": name, "award": "staff.collective",
            "nominated": nominated, "outcome": outcome, "metrics": {"paid_trainees": paid},
            "criteria": [{"id": "paid", "kind": "threshold", "metric": "paid_trainees", "op": ">=",
                          "bound": bound, "unit": "persons", "value": paid,
                          "outcome": "pass" if paid >= bound else "fail"}]}


@pytest.fixture
def three():
    return [
        _year(2020, {"A": "甲", "B": "乙"}, [_unit("A", "甲", 10, 5, "eligible", True), _unit("B", "乙", 1, 5, "not_eligible")]),
        _year(2021, {"A": "甲", "B": "乙", "C": "丙"}, [_unit("A", "甲", 3, 4, "not_eligible", True)],
              [{"category": "staff.individual", "unit_id": "A", "unit_name": "甲", "nominee": "张三",
                "outcome": "eligible"}]),
        _year(2022, {"A": "甲", "C": "丙"}, [_unit("A", "甲", 8, 6, "eligible")]),
    ]


def test_units_that_joined_or_left(three):
    assert span.unit_changes(three) == [(2021, 2020, "C", "丙", "joined"), (2022, 2021, "B", "乙", "left")]
    html = page.changes(three).html
    assert "新增" in html and "退出" in html and "2020年单位名册中没有" in html


def test_criteria_passed_per_year(three):
    ((cid, label, per_year),) = span.criteria_passed(three, "staff.collective")
    assert (cid, label) == ("paid", "缴费人数达标") and per_year == [(1, 2), (0, 1), (1, 1)]
    assert "1 / 2" in page.criteria_trend(three).html


def test_eligible_nominations_per_award_and_year(three):
    assert span.eligible_nominations(three[0]) == {"staff.collective": ["甲"]}
    assert span.eligible_nominations(three[1]) == {"staff.individual": ["张三（甲）"]}
    assert span.eligible_nominations(three[2]) == {}  # eligible but not nominated
    html = page.nominations(three).html
    assert "1：甲" in html and "1：张三（甲）" in html


def test_summary_counts_and_links(three):
    html = page.summary(three, {2020: {"html": "2020/evaluation.html"}}).html
    assert "1 / 0 / 1" in html and 'href="2020/evaluation.html"' in html


def test_province_totals_per_year(three):
    assert span.totals(three, "staff") == {"paid_trainees": [11.0, 3.0, 8.0]}


def test_a_folder_that_is_no_run_is_an_error(tmp_path):
    from toolkit.exceptions import ParameterError

    with pytest.raises(ParameterError, match="not a run folder"):
        span.read_year(tmp_path)


# --- the page of the session's span ----------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.alts = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "img":
            self.alts.append(a.get("alt", ""))


def _names(years_span) -> dict[str, str]:
    names = {}
    for y in YEARS:
        meta = json.loads((years_span["out"] / str(y) / "internal" / "report" / "meta.json").read_text(encoding="utf-8"))
        names.update(meta["unit_names"])
    return names


@pytest.mark.slow
def test_index_page_links_every_year_and_shows_every_unit(years_span):
    out = years_span["out"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "<script" not in html
    check_self_contained(html)
    links = _Links()
    links.feed(html)
    for y in YEARS:
        assert f"{y}/evaluation.html" in links.hrefs and f"{y}/evaluation.pdf" in links.hrefs
    assert all((out / h).is_file() for h in links.hrefs if not h.startswith("#"))
    ev = json.loads((out / "2022" / "evaluation.json").read_text(encoding="utf-8"))
    for e in ev["collective"]:
        assert re.search(rf"<h3[^>]*>{re.escape(esc(e['unit_name']))}（{e['unit_id']}）</h3>", html)  # its trend
    alts = [a for a in links.alts if a.startswith("长沙开放大学：")]
    assert alts and all(all(f"{y}年" in a for y in YEARS) for a in alts)
    assert "株洲&lt;script&gt;" in html  # a unit's name as written, escaped
    reports = json.loads((out / "2022" / "manifest.json").read_text(encoding="utf-8"))["unit_reports"]
    assert f"2022/{reports['U001']}.html" in links.hrefs  # each unit's own report of each year


@pytest.mark.slow
def test_index_lists_units_that_joined_and_left(years_span):
    html = (years_span["out"] / "index.html").read_text(encoding="utf-8")
    section = html[html.index(">三、单位变动</h2>"):html.index(">四、各奖项历年符合条件的申报</h2>")]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    text = [re.sub(r"<[^>]+>", "|", r) for r in rows]
    assert any("2021" in t and JOINER[1] in t and "新增" in t for t in text), text
    assert any("2022" in t and JOINER[1] in t and "退出" in t for t in text), text
    assert any("2022" in t and _names(years_span)[LEAVER] in t and "退出" in t for t in text), text


@pytest.mark.slow
def test_index_pdf_a4_with_page_numbers_and_every_unit(years_span):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    from pypdf import PdfReader

    pdf = years_span["out"] / "index.pdf"
    reader = PdfReader(str(pdf))
    for p in reader.pages:
        assert abs(float(p.mediabox.width) - 595.3) < 1 and abs(float(p.mediabox.height) - 841.9) < 1
    flat = re.sub(r"\s", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                            check=True).stdout)
    n = len(reader.pages)
    assert "第1页/共" in flat and f"第{n}页/共{n}页" in flat
    assert "一、各年度评估结论" in flat and "五、各单位历年情况" in flat and "新增" in flat
    for name in _names(years_span).values():
        assert re.sub(r"\s", "", name) in flat, name


@pytest.mark.slow
def test_index_loads_in_the_browser(years_span, tmp_path):
    assert_loads_without_errors(years_span["out"] / "index.html", tmp_path, size="1200,3000")


@pytest.mark.slow
def test_index_renders_the_svg_panels_in_the_browser(years_span, tmp_path):
    """The panels are SVG images: Chromium decodes each (a broken image has no
    natural width)."""
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("chromium is not installed")
    html = (years_span["out"] / "index.html").read_text(encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", """<script>
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const bad = imgs.filter(i => !i.naturalWidth).length;
  document.body.setAttribute('data-check', JSON.stringify({n: imgs.length, bad}));
});</script></body>"""), encoding="utf-8")
    proc = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=120)
    m = re.search(r'data-check="([^"]*)"', proc.stdout)
    assert m, proc.stderr[-2000:]
    import html as html_lib

    r = json.loads(html_lib.unescape(m.group(1)))
    assert r["n"] > 10 and r["bad"] == 0, r


@pytest.mark.slow
@pytest.mark.parametrize("width", [1400, 390])
def test_index_tables_fit_and_numbers_keep_their_line(years_span, tmp_path, width):
    """In Chromium: no table of the index scrolls sideways at 1400 px; at 390 px the
    全省合计 table's first column keeps its words and no number or year breaks."""
    r = measure(years_span["out"] / "index.html", tmp_path, width)
    assert r["iw"] == width and r["sw"] <= r["iw"] and r["tables"] >= 5, r
    if width >= 1400:
        assert not r["scroll"], r["scroll"]
    assert not r["broken"], r["broken"]
    assert not r["squeezed"], r["squeezed"]

"""The report page: the template hides code, prompts and parameters; the self-contained check."""

from __future__ import annotations

import re

import pytest
from report_helpers import report_notebook

from toolkit.exceptions import RunError
from toolkit.outputs.report import html
from toolkit.outputs.report.format import esc


def test_template_hides_code_prompts_parameters_and_stderr():
    page = html.render_html(report_notebook(), title="测试报告 <2022>")
    assert '<html lang="zh-CN">' in page
    assert "<title>测试报告 &lt;2022&gt;</title>" in page
    assert "片段内容" in page and "一、标题" in page and "plain &amp; text" in page
    for gone in ("secret_code_marker", "year = 2023", "year = 2022", "WarningMarker", "In&nbsp;[",
                 "jp-InputArea", "input_area", "anchor-link", "mathjax", "require.js", "<script"):
        assert gone.lower() not in page.lower(), gone
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@page" in page and "counter(pages)" in page


@pytest.mark.parametrize("bad", [
    '<img src="https://cdn.example.com/x.png">', "<link rel=stylesheet href=//cdn.example.com/a.css>",
    "<script>alert(1)</script>", "<style>@import url(http://x/y.css);</style>",
    '<a href="javascript:alert(1)">x</a>', '<div onclick="x()">x</div>',
    '<img srcset="a.png 1x, //cdn.example.com/b.png 2x">', '<p style="background:url(//x/y.png)">x</p>',
])
def test_check_self_contained_rejects_external_resources(bad):
    with pytest.raises(RunError) as err:
        html.check_self_contained(f"<html><body>{bad}</body></html>")
    assert err.value.stage == "html"


@pytest.mark.parametrize("text", ["src=//evil.example/x.png", "href=http://x", "@import url(//x)",
                                  "<script>alert(1)</script>", "onerror=alert(1)"])
def test_check_self_contained_lets_escaped_text_through(text):
    # data that merely looks like markup is text: it must not stop the yearly run
    html.check_self_contained(f"<html><body><td>{esc(text)}</td></body></html>")

"""The contents list: an id on every heading and links to the h2 headings after it."""

from __future__ import annotations

from toolkit.outputs.report.contents import add_contents, placeholder


def test_headings_get_ids_and_the_contents_links_to_them():
    marker = '<nav aria-label="目录" class="toc"></nav>'  # as nbconvert writes it back
    page = (f"<h1>报告</h1><h2>拟表彰名单</h2>{marker}<h2>一、总体情况</h2><h3>事业单位</h3>"
            '<h2 id="mine">二、&lt;资格&gt;</h2>')
    out = add_contents(page)
    assert '<h1 id="sec-1">报告</h1>' in out
    assert '<h2 id="sec-2">拟表彰名单</h2>' in out and '<h3 id="sec-4">事业单位</h3>' in out
    assert '<h2 id="mine">' in out
    assert '<a href="#sec-3">一、总体情况</a>' in out and '<a href="#mine">二、&lt;资格&gt;</a>' in out
    assert 'href="#sec-2"' not in out and 'href="#sec-4"' not in out  # before the list; h3 not listed
    assert str(placeholder()).startswith("<nav") and add_contents("<h2>x</h2>") == "<h2>x</h2>"

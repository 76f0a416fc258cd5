"""The contents list: an id on every heading and links to the h2 headings after it."""

from __future__ import annotations

from toolkit.outputs.report.contents import add_contents, placeholder


def test_headings_get_ids_and_the_contents_links_to_them():
    marker = '<nav aria-label="目录" class="toc"></nav>'  # as nbconvert writes it back
    page = (f"<h1>报告</h1><h2>拟表彰名单</h2>{marker}<h2>总体情况</h2><h3>事业单位</h3>"
            '<h2 id="mine">&lt;资格&gt;</h2>')
    out = add_contents(page)
    assert '<h1 id="sec-1">报告</h1>' in out
    assert '<h2 id="sec-2">拟表彰名单</h2>' in out and '<h3 id="sec-4">事业单位</h3>' in out
    assert '<h2 id="mine">' in out
    assert '<a href="#sec-3">一、总体情况</a>' in out and '<a href="#mine">二、&lt;资格&gt;</a>' in out
    assert 'href="#sec-2"' not in out and 'href="#sec-4"' not in out  # before the list; h3 not listed
    assert str(placeholder()).startswith("<nav") and add_contents("<h2>x</h2>") == "<h2>x</h2>"


def test_sections_are_numbered_by_their_order_not_by_hand():
    marker = '<nav class="toc" aria-label="目录"></nav>'
    titles = ["总体情况", "图表", "数据质量", "规则的读取", "已生成的表格", "甲", "乙", "丙", "丁", "戊", "评审"]
    out = add_contents("<h2>拟表彰名单</h2>" + marker + "".join(f"<h2>{t}</h2>" for t in titles))
    assert "<h2 id=\"sec-1\">拟表彰名单</h2>" in out  # before the contents: not a numbered section
    assert '<h2 id="sec-2">一、总体情况</h2>' in out and '<h2 id="sec-12">十一、评审</h2>' in out
    assert '<a href="#sec-11">十、戊</a>' in out
    # a section moved: the numbers follow; a number typed by hand is replaced by its place's
    moved = add_contents(marker + "<h2>图表</h2><h2>三、总体情况</h2>")
    assert ">一、图表</h2>" in moved and ">二、总体情况</h2>" in moved and "三、" not in moved

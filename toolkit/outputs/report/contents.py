"""The report page's table of contents: every heading (``h1`` to ``h4``) of the rendered page
gets an ``id``, the ``h2`` headings after the contents list (:func:`placeholder`, a cell of
the notebook) are numbered 一、二、… in their order, and the list is filled with links to
them (:func:`add_contents`, applied to the page nbconvert renders). A section's heading in
the notebook is its title alone: moving, adding or removing a section renumbers the rest.
In the PDF each entry shows its page number."""

from __future__ import annotations

import html
import re

from toolkit.outputs.report.format import Fragment
from toolkit.outputs.values import cn_number

MARKER = '<nav class="toc" aria-label="目录"></nav>'
#: the marker as it reaches the page (nbconvert may reorder its attributes)
_MARKER = re.compile(r'<nav(?=[^>]*\bclass="toc")[^>]*>\s*</nav>')
_HEADING = re.compile(r"<h([1-4])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID = re.compile(r"""\sid\s*=\s*["']([^"']*)["']""")
_TAGS = re.compile(r"<[^>]+>")
#: a number typed by hand before a section's title (一、): replaced by the one of its order
_TYPED_NUMBER = re.compile(r"^\s*[一二三四五六七八九十]+、")


def placeholder() -> Fragment:
    """Where the contents go; filled by :func:`add_contents` when the page is rendered."""
    return Fragment(MARKER, "目录")


def add_contents(page: str) -> str:
    """``page`` with an id on every heading and the contents list in place of the marker
    (the headings before the marker are not listed)."""
    found_marker = _MARKER.search(page)
    if found_marker is None:
        return page
    at = found_marker.start()
    entries: list[tuple[int, str, str]] = []
    used: set[str] = set()
    n = sections = 0

    def anchor(m: re.Match) -> str:
        nonlocal n, sections
        level, attrs, inner = m.group(1), m.group(2), m.group(3)
        if level == "2" and m.start() > at:
            sections += 1
            inner = f"{cn_number(sections)}、{_TYPED_NUMBER.sub('', inner)}"
        found = _ID.search(attrs)
        if found and found.group(1) not in used:
            ident = found.group(1)
        else:
            n += 1
            ident = f"sec-{n}"
            attrs = _ID.sub("", attrs) + f' id="{ident}"'
        used.add(ident)
        if m.start() > at:
            entries.append((int(level), ident, html.unescape(_TAGS.sub("", inner)).strip()))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    page = _HEADING.sub(anchor, page)
    items = "".join(f'<li><a href="#{ident}">{html.escape(text)}</a></li>'
                    for level, ident, text in entries if level == 2)
    toc = f'<nav class="toc" aria-label="目录"><h2 class="toc-title" id="toc">目录</h2><ol>{items}</ol></nav>'
    return _MARKER.sub(lambda _m: toc, page, count=1)

"""The report page's table of contents: every heading (``h1`` to ``h4``) of the rendered page
gets an ``id``, and the contents list (:func:`placeholder`, a cell of the notebook) is
filled with links to the ``h2`` headings after it (:func:`add_contents`,
applied to the page nbconvert renders). In the PDF each entry shows its page number."""

from __future__ import annotations

import html
import re

from toolkit.outputs.report.format import Fragment

MARKER = '<nav class="toc" aria-label="目录"></nav>'
#: the marker as it reaches the page (nbconvert may reorder its attributes)
_MARKER = re.compile(r'<nav(?=[^>]*\bclass="toc")[^>]*>\s*</nav>')
_HEADING = re.compile(r"<h([1-4])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID = re.compile(r"""\sid\s*=\s*["']([^"']*)["']""")
_TAGS = re.compile(r"<[^>]+>")


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
    n = 0

    def anchor(m: re.Match) -> str:
        nonlocal n
        level, attrs, inner = m.group(1), m.group(2), m.group(3)
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

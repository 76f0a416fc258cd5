"""The executed notebook as the report page (nbconvert with the toolkit's template), and
the check that the page is self-contained: no script and nothing loaded from outside
(:func:`check_self_contained`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from toolkit import paths
from toolkit.exceptions import RunError
from toolkit.i18n import gettext as _
from toolkit.outputs.report.contents import add_contents

TEMPLATES_DIR = paths.PACKAGE_DIR / "templates"
TEMPLATE_NAME = "report"
#: cells with these tags never appear in the rendered report
HIDDEN_CELL_TAGS = ("parameters", "injected-parameters", "remove-cell")

_EMBEDDING_TAGS = frozenset({"script", "iframe", "object", "embed", "link", "frame", "applet", "base"})
_URL_ATTRS = frozenset({"src", "href", "action", "formaction", "poster", "data", "srcset",
                        "background", "xlink:href"})
_EXTERNAL_URL = re.compile(r"^\s*(?:https?:)?//", re.I)
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript):", re.I)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import)""", re.I)


class _MarkupCheck(HTMLParser):
    """The page's tags, attributes and style sheets as a browser reads them. Text is
    not markup: a unit or nominee named ``href=http://x`` or ``@import`` is shown as
    text (escaped) and must not stop the run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problem: tuple[str, str] | None = None
        self._style = 0

    def _found(self, what: str, where: str) -> None:
        if self.problem is None:
            self.problem = (what, where)

    def handle_starttag(self, tag, attrs):
        here = self.get_starttag_text() or f"<{tag}>"
        if tag in _EMBEDDING_TAGS:
            self._found("a script or embedded object", here)
        for name, value in attrs:
            v = value or ""
            if name.startswith("on") or (name in _URL_ATTRS and _SCRIPT_URL.match(v)):
                self._found("a script or embedded object", here)
            elif name in _URL_ATTRS and any(_EXTERNAL_URL.match(u) for u in v.split(",")):
                self._found("an external URL", here)
            elif name == "style" and _CSS_URL.search(v):
                self._found("an external stylesheet resource", here)
        if tag == "style":
            self._style += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._style = max(self._style - 1, 0)

    def handle_data(self, data):
        if self._style and _CSS_URL.search(data):
            m = _CSS_URL.search(data)
            self._found("an external stylesheet resource", data[max(m.start() - 60, 0):m.end() + 60])


def check_self_contained(page: str) -> None:
    """Raise if the page would load anything from outside or run a script: a script or
    embedding tag, an event attribute, a ``javascript:`` or external URL in an
    attribute, an external ``url()`` or ``@import`` in a style sheet."""
    checker = _MarkupCheck()
    checker.feed(page)
    checker.close()
    if checker.problem is not None:
        what, where = checker.problem
        raise RunError(_("the rendered report holds {what}: …{where}…").format(what=what, where=where[:200]), stage="html")


def render_html(nb, *, title: str) -> str:
    """The executed notebook as the report page: our template, no code, no prompts, no
    parameter cells, no external resources; an id on every heading and the contents
    list filled in (:mod:`toolkit.outputs.report.contents`)."""
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    if isinstance(nb, str | Path):
        nb = nbformat.read(str(nb), as_version=4)
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_CELL_TAGS)
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = True  # "#heading" links: noise on paper
    exporter = HTMLExporter(config=c, template_name=TEMPLATE_NAME,
                            extra_template_basedirs=[str(TEMPLATES_DIR)])
    page, _ = exporter.from_notebook_node(nb, resources={"report_title": title})
    page = add_contents(page)
    check_self_contained(page)
    return page

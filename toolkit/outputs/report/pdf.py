"""The report page as an A4 PDF via WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from toolkit.logs import quiet_library_logs


def render_pdf(page: str, dst: Path) -> Path:
    """The report page as an A4 PDF (fonts embedded, page x of y) via WeasyPrint."""
    quiet_library_logs()  # before the import: WeasyPrint logs progress while it loads
    # imported here: WeasyPrint takes about a second to import, and a run without a PDF
    # (or a notebook kernel) never needs it
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # data: URIs only: the page is checked to refer to nothing else, and the PDF
    # renderer must not reach the network or the file system on its own either
    fetcher = URLFetcher(allowed_protocols={"data"})
    HTML(string=page, base_url=str(dst.parent), url_fetcher=fetcher).write_pdf(str(dst))
    return dst

"""Shareable reports: a self-contained HTML file and a Markdown summary, from one store.

>>> import benchmark as bm
>>> html = bm.report.html("store", lang="it", min_requests=50)
>>> html.startswith("<!DOCTYPE html>")
True
>>> _ = open("benchmark.html", "w", encoding="utf-8").write(html)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import Store
from .content import ReportContent, gather
from .html import content_security_policy, render_html
from .markdown import render_markdown
from .pdf import PdfError, find_chromium, html_to_pdf

if TYPE_CHECKING:
    from ..metrics import Measurement
    from ..query import Query


def html(store: Store | str | Path | Query | Measurement, **options: Any) -> str:
    """The full HTML report for ``store`` (a store, its path, a Query or a Measurement); ``options`` as for :func:`gather`."""
    return render_html(gather(store, **options))


def pdf(store: Store | str | Path | Query | Measurement, output: str | Path, **options: Any) -> Path:
    """The report as a paginated PDF at ``output``, printed by headless Chromium (:mod:`.pdf`).

    Raises :class:`PdfError` (a BenchmarkError) when no Chromium is installed; checked before measuring.
    """
    chromium = find_chromium()
    return html_to_pdf(render_html(gather(store, **options), printable=True), Path(output), chromium=chromium)


def markdown(store: Store | str | Path | Query | Measurement, **options: Any) -> str:
    """The Markdown summary for ``store`` (a store, its path, a Query or a Measurement; no charts)."""
    return render_markdown(gather(store, charts=False, **options))


__all__ = [
    "PdfError",
    "ReportContent",
    "content_security_policy",
    "gather",
    "html",
    "html_to_pdf",
    "markdown",
    "pdf",
    "render_html",
    "render_markdown",
]

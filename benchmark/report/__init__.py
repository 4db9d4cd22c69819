"""Shareable reports: a self-contained HTML file and a Markdown summary, from one store.

>>> import benchmark as bm  # doctest: +SKIP
>>> html = bm.report.html("store", lang="it", min_requests=50)  # doctest: +SKIP
>>> open("reports/benchmark.html", "w").write(html)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from .content import ReportContent, gather
from .html import content_security_policy, render_html
from .markdown import render_markdown


def html(store: Any, **options: Any) -> str:
    """The full HTML report for ``store``; ``options`` as for :func:`gather` (lang, min_requests, tz, filters)."""
    return render_html(gather(store, **options))


def markdown(store: Any, **options: Any) -> str:
    """The Markdown summary for ``store`` (no charts)."""
    return render_markdown(gather(store, charts=False, **options))


__all__ = ["ReportContent", "content_security_policy", "gather", "html", "markdown", "render_html", "render_markdown"]

"""Command-line interface: a thin layer over :mod:`benchmark.api`.

Each command lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

from . import ingest_cmd, rank_cmd, requests_cmd, sample_cmd  # noqa: F401  (registers the commands)
from . import chart_cmd, report_cmd, scorecard_cmd  # noqa: F401  (registers chart, report and scorecard)
from . import keywords_cmd, topics_cmd, users_cmd  # noqa: F401  (listening: issue 7)
from .allocator import tune_allocator
from .app import app


def main() -> None:
    """Entry point of the ``benchmark`` console script."""
    import sys

    tune_allocator(sys.argv[1:])  # before any command imports Polars
    app()


__all__ = ["app", "main"]

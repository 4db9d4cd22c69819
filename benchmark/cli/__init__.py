"""Command-line interface: a thin layer over :mod:`benchmark.api`.

Each command lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

from . import ingest_cmd, rank_cmd, requests_cmd, sample_cmd  # noqa: F401  (registers the commands)
from . import chart_cmd, report_cmd, scorecard_cmd  # noqa: F401  (registers chart, report and scorecard)
from . import keywords_cmd, topics_cmd, users_cmd  # noqa: F401  (listening: issue 7)
from .allocator import tune_allocator
from .app import app


def run() -> None:
    """Run the command in ``sys.argv`` (what :func:`benchmark.console.main` calls once the CLI is imported)."""
    import sys

    tune_allocator(sys.argv[1:])  # before any command imports Polars
    app()


def main() -> None:
    """The console script's old entry point (``benchmark.cli:main``), for installs made before
    ``benchmark.console:main``: it runs through the console module, which owns Ctrl-C."""
    from ..console import main as console_main

    console_main()


__all__ = ["app", "main", "run"]

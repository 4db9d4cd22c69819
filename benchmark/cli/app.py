"""The typer application object and the error contract every command shares.

Exit codes: 0 success, 1 a domain error (one clear line on stderr), 2 bad
usage. Tracebacks only with ``--verbose``, and never with local variables:
conversation dumps hold personal data.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterator
from typing import Annotated

import typer
from rich.console import Console

from ..errors import BenchmarkError, UsageError

app = typer.Typer(
    name="benchmark",
    help="Measure how fast and how often brands answer their customers on social media, and rank them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)

def _spark_verbosity(value: bool) -> bool:
    """``--verbose`` also lets Spark show its progress bars and logs (quiet otherwise)."""
    if value or "benchmark.engine.spark_engine" in sys.modules:  # not loaded yet: it is quiet already
        from ..engine import spark_engine  # imports Polars (PySpark itself only when a session starts)

        spark_engine.configure(verbose=value)
    return value


Verbose = Annotated[bool, typer.Option("--verbose", "-v", callback=_spark_verbosity, help="Show a traceback on errors (never with local variables), and Spark's progress and logs.")]


def stderr() -> Console:
    """Messages and progress: never on stdout, which carries data only."""
    return Console(stderr=True, highlight=False, soft_wrap=True, width=None if sys.stderr.isatty() else 160)


def stdout() -> Console:
    """Data output. Wide enough that a piped table is not wrapped."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


@contextlib.contextmanager
def errors_to_exit_codes(verbose: bool) -> Iterator[None]:
    """Turn exceptions into one-line messages and the documented exit codes."""
    try:
        yield
    except typer.Exit:
        raise
    except UsageError as exc:
        _show(exc, verbose)
        raise typer.Exit(2) from None
    except BenchmarkError as exc:
        _show(exc, verbose)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: nothing half-written was kept", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:  # a bug, not a user mistake: still no traceback unless asked
        if verbose:
            traceback.print_exception(exc, file=sys.stderr)
        hint = "" if verbose else " (run with --verbose for a traceback)"
        typer.echo(f"internal error: {type(exc).__name__}: {exc}{hint}", err=True)
        raise typer.Exit(1) from None


def _show(exc: Exception, verbose: bool) -> None:
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    typer.echo(f"error: {exc}", err=True)  # one line, never wrapped

"""The typer application object and the error contract every command shares.

Exit codes: 0 success, 1 a domain error (one clear line on stderr), 2 bad
usage. Tracebacks only with ``--verbose``, and never with local variables:
conversation dumps hold personal data.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Iterator
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from .. import interrupt_state
from ..errors import BenchmarkError, Interrupted, UsageError
from ..formatting import control_escaped

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


class _TerminalConsole(Console):
    """A console whose strings are never rich markup or emoji codes, with control characters shown escaped.

    Brand names, handles and file names come from exports anyone can write to: ``[/nope]`` must not crash
    a table, ``[final]`` must not vanish, and an ESC or OSC-8 sequence must not reach the terminal.
    """

    def render_str(self, text: str, **kwargs: object) -> Text:  # type: ignore[override]
        kwargs.update(markup=False, emoji=False)
        return super().render_str(control_escaped(text, keep_newlines=True), **kwargs)  # type: ignore[arg-type]

    def on_broken_pipe(self) -> None:
        """The reader stopped reading (``| head``): stop quietly, as the CSV and JSON writers do
        (rich's default exits 1 without a word). See :func:`benchmark.console.stdout_closed`."""
        self.quiet = True
        from ..console import reader_gone, stdout_closed

        if reader_gone():
            stdout_closed()
        super().on_broken_pipe()


def stderr() -> Console:
    """Messages and progress: never on stdout, which carries data only."""
    return _TerminalConsole(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False, width=None if sys.stderr.isatty() else 160)


def stdout() -> Console:
    """Data output: as wide as the terminal, or ``COLUMNS`` when set; a pipe without ``COLUMNS`` gets 200."""
    told = os.environ.get("COLUMNS", "").strip().isdigit()
    return _TerminalConsole(highlight=False, markup=False, emoji=False, width=None if sys.stdout.isatty() or told else 200)


@contextlib.contextmanager
def errors_to_exit_codes(verbose: bool) -> Iterator[None]:
    """Turn exceptions into one-line messages and the documented exit codes."""
    interrupt_state.command_ran = True
    _notes_to_stderr()
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
    except KeyboardInterrupt as exc:  # one line saying what was done; never a traceback (see benchmark.console)
        _interrupted(exc)
    except BrokenPipeError as exc:
        from ..console import reader_gone, stdout_closed

        if reader_gone():  # `| head`: the reader has what it wanted (see benchmark.console.stdout_closed)
            stdout_closed()
        _show_os_error(exc, verbose)
    except OSError as exc:  # a path that is a directory, unreadable, unwritable: one line naming it
        _show_os_error(exc, verbose)
    except Exception as exc:  # a bug, not a user mistake: still no traceback unless asked
        wrapped = _interrupt_inside(exc)
        if wrapped is not None:  # Ctrl-C while Python ran a class body's __set_name__ (an import): re-raised as RuntimeError
            _interrupted(wrapped)
        if verbose:
            traceback.print_exception(exc, file=sys.stderr)
        damaged = sys.modules["benchmark.store.layout"].damaged_data_message(exc) if "benchmark.store.layout" in sys.modules else None
        if damaged:  # a damaged page of a stored file, met while reading: name the store, point to `benchmark check`
            typer.echo(f"error: {control_escaped(damaged)}", err=True)
            raise typer.Exit(1) from None
        hint = "" if verbose else " (run with --verbose for a traceback)"
        typer.echo(f"internal error: {type(exc).__name__}: {control_escaped(str(exc), keep_newlines=True)}{hint}", err=True)
        raise typer.Exit(1) from None
    except BaseException as exc:  # a Rust panic in Polars is no Exception: still one line, never a traceback
        if type(exc).__name__ != "PanicException":
            raise
        if verbose:
            traceback.print_exception(exc, file=sys.stderr)
        hint = "" if verbose else " (run with --verbose for a traceback)"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no message"
        typer.echo(f"internal error: the Polars engine panicked: {control_escaped(first)}{hint}", err=True)
        raise typer.Exit(1) from None


class _NoteHandler(logging.Handler):
    """The library's warnings (e.g. copies of ingests that reading skipped) as ``note:`` lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"note: {control_escaped(record.getMessage(), keep_newlines=True)}", err=True)


def _notes_to_stderr() -> None:
    logger = logging.getLogger("benchmark")
    if not any(isinstance(h, _NoteHandler) for h in logger.handlers):
        logger.addHandler(_NoteHandler(logging.WARNING))
        logger.propagate = False  # shown once, here, not again by a root handler


def _show(exc: Exception, verbose: bool) -> None:
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    from .flags import cli_message  # parameter names → flags (--min-requests, not min_requests)

    typer.echo(f"error: {control_escaped(cli_message(exc), keep_newlines=True)}", err=True)  # one line, never wrapped


def _interrupted(exc: KeyboardInterrupt) -> NoReturn:
    line, code = (exc.line, exc.code) if isinstance(exc, Interrupted) else ("interrupted: nothing half-written was kept", interrupt_state.EXIT_INTERRUPTED)
    interrupt_state.reported = True
    typer.echo(control_escaped(line), err=True)
    raise typer.Exit(code) from None


def _interrupt_inside(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C that ``exc`` wraps, if any: Python turns an exception raised in ``__set_name__`` (a class
    being created, e.g. a dataclass while its module imports) into a RuntimeError caused by it."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def _show_os_error(exc: OSError, verbose: bool) -> NoReturn:
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    typer.echo(f"error: {control_escaped(_os_error(exc))}", err=True)
    raise typer.Exit(1) from None


def _os_error(exc: OSError) -> str:
    """``out: is a directory``: the path and what is wrong with it, without ``[Errno 21]``."""
    reason = exc.strerror.lower() if exc.strerror else str(exc)
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' → '.join(paths)}: {reason}" if paths else reason


from . import check_cmd  # noqa: F401  (registers `benchmark check`; it imports this module's names, defined above)

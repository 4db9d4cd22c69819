"""The ``benchmark`` console script: Ctrl-C at any moment is one line on stderr and exit 130 (issue 12, item 15).

This module imports nothing heavy and takes over SIGINT as it is imported (only the two entry points
import it), so it is in charge before typer, rich or Polars load: an interrupt while they import is
caught here too. Only Python's own start-up, a few milliseconds before this module, is out of reach.
What a command had done when it was interrupted is said by the command
(:func:`benchmark.cli.app.errors_to_exit_codes`; ``ingest`` names the files it committed), which
records in :mod:`benchmark.interrupt_state` that it did.

Three things made Ctrl-C print tracebacks:

- a KeyboardInterrupt raised while modules were still importing, before any handler existed;
- one raised inside a generator's clean-up during garbage collection, which Python can only report
  ("Exception ignored in: <generator object CsvStream.blocks ...>") and then *drops*, so the command
  went on; the interrupt is now re-delivered to the main thread instead of printed;
- a second Ctrl-C while the first was being handled; once an interrupt is on its way, later ones
  are ignored (the command is already stopping, cleaning up what it staged).

After the message, the process ends with ``os._exit(130)``: waiting for worker threads at interpreter
exit (a file still being hashed) could take long, and a Ctrl-C then would print a traceback.
"""

from __future__ import annotations

import _thread
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any

from . import interrupt_state as state

__all__ = ["NOTHING_STARTED", "STOPPED", "install", "started"]

NOTHING_STARTED = "interrupted: the command had not started, nothing was changed"
STOPPED = "interrupted: nothing half-written was kept"  # e.g. a second Ctrl-C while the first one's line was printed

_REDELIVER_S = 0.01  # how long after a finalizer swallowed an interrupt it is delivered again
_pending = False  # an interrupt is on its way: later ones are ignored
started = False  # main() is inside its try: an interrupt is raised for the command to clean up and report


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _pending
    if _pending:
        return
    _pending = True
    if not started:  # between this module's import and main's try: nothing has been done, nothing to clean
        _exit_interrupted(NOTHING_STARTED)
    raise KeyboardInterrupt


def _unraisable(info: Any) -> None:
    """An interrupt raised where Python cannot propagate it (a finalizer): deliver it again, never print it."""
    global _pending
    if isinstance(info.exc_value, KeyboardInterrupt):
        _pending = False
        # From another thread, a moment later: delivered in the main thread now, it would land in this hook again.
        threading.Timer(_REDELIVER_S, _thread.interrupt_main, (signal.SIGINT,)).start()
        return
    sys.__unraisablehook__(info)


def install() -> None:
    """Take over SIGINT and unraisable interrupts for this process (the CLI only; never the library)."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    sys.unraisablehook = _unraisable


def main() -> None:
    """Entry point of the ``benchmark`` console script and of ``python -m benchmark``."""
    global started
    code: object = 0
    try:
        started = True
        try:
            from .cli import run as run_cli

            run_cli()
        except SystemExit as exc:
            code = exc.code
        except BrokenPipeError:  # stdout's reader went away (``| head``): what it read is all it wanted
            if not reader_gone():
                raise
            stdout_closed()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command is done: Python's own exit must not be cut into
    except KeyboardInterrupt:  # during imports or argument parsing, or just as the command ended
        _exit_interrupted(_unreported())
    if code in state.SIGNAL_EXITS:
        _exit_interrupted(_unreported(), int(code))  # type: ignore[call-overload]
    sys.exit(code)


def reader_gone() -> bool:
    """Whether stdout is a pipe whose reading end is closed (a broken pipe elsewhere, e.g. to a Spark
    gateway, is an error like any other)."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _fd, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def stdout_closed() -> None:
    """End the command with exit 0 because the program reading stdout closed it (``benchmark rank | head -3``).

    Nothing more can reach the reader, and the command's own files (``-o``, the store) are written by
    then or left as an interrupted write leaves them. stdout is pointed at /dev/null first, so Python's
    final flush cannot fail again and print "Exception ignored ... BrokenPipeError".
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(0)


def _unreported() -> str | None:
    """The line to print when the command has not said how it was interrupted (None when it has)."""
    if state.reported:
        return None
    return STOPPED if state.command_ran else NOTHING_STARTED


def _exit_interrupted(message: str | None, code: int = state.EXIT_INTERRUPTED) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if message:
            sys.stderr.write(message + "\n")
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except (OSError, ValueError):
        pass  # a closed pipe: the exit code still tells
    os._exit(code)


install()  # at import: the entry point's first statement would already be too late by one bytecode

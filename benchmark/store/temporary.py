"""The temporary store of ``benchmark rank FILE`` (a quick look at raw files), never left behind.

A quick look may ingest gigabytes into the temporary directory. It is removed when the command ends,
also on Ctrl-C and on SIGTERM or SIGHUP (a closed terminal), which are turned into an
:class:`~benchmark.errors.Interrupted` while the store exists so that the removal runs. SIGKILL
cannot be caught: the directory is named ``benchmark-rank-<pid>-<start>-*`` (see
:mod:`benchmark.store.staging`), and the next quick look removes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from ..errors import Interrupted
from .staging import process_start

__all__ = ["remove_orphans", "temporary_store_dir"]

PREFIX = "benchmark-rank-"
_NAMED = re.compile(re.escape(PREFIX) + r"(\d+)-(\d+)-.+")
REMOVED = "the temporary store was removed"
_SIGNALS = {getattr(signal, "SIGTERM"): ("terminated", 143), getattr(signal, "SIGHUP", signal.SIGTERM): ("hung up", 129)}


@contextlib.contextmanager
def temporary_store_dir() -> Iterator[Path]:
    """A fresh directory for a quick look's store; removed at the end whatever ends the command."""
    remove_orphans(Path(tempfile.gettempdir()))
    tmp = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{max(process_start(os.getpid()), 0)}-"))
    previous = _catch_termination()
    try:
        yield tmp
    except KeyboardInterrupt as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, Interrupted):
            raise Interrupted(f"{exc.line}; {REMOVED}", exc.code) from None
        raise Interrupted(f"interrupted: nothing half-written was kept; {REMOVED}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def remove_orphans(tmp: Path) -> list[Path]:
    """Remove this user's quick-look directories whose process is gone (killed by SIGKILL); returns them."""
    removed = []
    for d in tmp.glob(f"{PREFIX}*"):
        named = _NAMED.fullmatch(d.name)
        try:
            mine = d.is_dir() and not d.is_symlink() and d.stat().st_uid == os.getuid()
        except OSError:
            continue
        if named and mine:
            running = process_start(int(named.group(1)))
            if running == -1 or (running not in (0, int(named.group(2))) and int(named.group(2)) != 0):
                shutil.rmtree(d, ignore_errors=True)
                removed.append(d)
    return removed


def _catch_termination() -> dict[int, object]:
    """Turn SIGTERM and SIGHUP into an Interrupted (main thread only); returns the handlers to restore."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for signum, (what, code) in _SIGNALS.items():
        if signal.getsignal(signum) in (signal.SIG_DFL, None):

            def handler(_signum: int, _frame: FrameType | None, what: str = what, code: int = code) -> None:
                for s in _SIGNALS:  # once is enough: the command is stopping
                    signal.signal(s, signal.SIG_IGN)
                raise Interrupted(f"{what}: nothing half-written was kept", code)

            previous[signum] = signal.signal(signum, handler)
    return previous

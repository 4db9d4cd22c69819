"""Staging directories that belong to the ingest that made them (issue 12, item 8).

An ingest writes into ``ingests/.staging-<pid>-<start>-<token>`` and holds an exclusive ``flock`` on
the file ``.owner`` inside it until it commits or gives up. ``<pid>`` and ``<start>`` (the process's
start time in clock ticks since boot, from ``/proc``) name the owner, so a pid reused by another
process does not look like the owner.

Leftovers of a killed ingest are removed by the next one, but only when the owner is provably dead:
its ``.owner`` lock can be taken (the kernel releases it when the process dies, whatever killed it)
*and* no local process has its pid and start time (which covers the instant between creating the
directory and locking ``.owner``). The store's write lock alone never made that safe: deleting
``.lock`` during an ingest let a second ingest take a new lock and remove the first one's live data.

A staging directory named by an older version (``.staging-<hex>``, no owner) is removed as before:
those versions are gone once this one runs, and they only ever held uncommitted data.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

__all__ = ["OWNER_FILE", "PREFIX", "clean_dead_staging", "owned_staging", "process_start"]

PREFIX = ".staging-"
OWNER_FILE = ".owner"
_NAMED = re.compile(r"\.staging-(\d+)-(\d+)-[0-9a-f]+")


def process_start(pid: int) -> int:
    """The start time of process ``pid`` (clock ticks since boot), 0 when unknown (no ``/proc``); -1 when no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return -1 if Path("/proc/self").exists() else _exists_without_proc(pid)
    except OSError:
        return 0
    try:  # the command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'
        return int(stat[stat.rindex(")") + 2:].split()[19])
    except (ValueError, IndexError):
        return 0


def _exists_without_proc(pid: int) -> int:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return -1
    except OSError:
        return 0
    return 0


@contextlib.contextmanager
def owned_staging(ingests: Path) -> Iterator[Path]:
    """A new staging directory under ``ingests``, locked as this process's until the block ends.

    The caller renames it into place to commit (the lock goes with it and is released at the end)
    or leaves it; whatever is still at the staging path when the block ends is removed.
    """
    staging = ingests / f"{PREFIX}{os.getpid()}-{max(process_start(os.getpid()), 0)}-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    fh = None
    try:
        fh = (staging / OWNER_FILE).open("w")
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if fh is not None:
            fh.close()


def clean_dead_staging(ingests: Path) -> list[Path]:
    """Remove the staging directories under ``ingests`` whose owner is provably dead; returns them."""
    removed = []
    for d in sorted(ingests.glob(f"{PREFIX}*")):
        if d.is_dir() and not d.is_symlink():
            with _if_dead(d) as dead:
                if dead:
                    shutil.rmtree(d, ignore_errors=True)
                    removed.append(d)
    return removed


@contextlib.contextmanager
def _if_dead(d: Path) -> Iterator[bool]:
    """Whether ``d``'s owner is dead; its ``.owner`` lock is held for the block, so the owner cannot be revived meanwhile."""
    named = _NAMED.fullmatch(d.name)
    if named is None:  # an older version's staging directory: no owner recorded
        yield True
        return
    pid, start = int(named.group(1)), int(named.group(2))
    running = process_start(pid)
    if running != -1 and (running in (0, start) or start == 0):
        yield False  # that process (or one we cannot tell from it) is running: maybe between mkdir and lock
        return
    try:
        fh = (d / OWNER_FILE).open("r")
    except FileNotFoundError:
        yield True  # never locked, and its process is gone
        return
    except OSError:
        yield False
        return
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            yield False  # held: the owner lives (perhaps in another pid namespace sharing the store)
            return
        yield True

"""The store's write lock: one ingest, check --repair or removal at a time."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import StoreError

__all__ = ["write_lock"]


@contextlib.contextmanager
def write_lock(store_path: Path) -> Iterator[None]:
    """Exclusive right to write: ``flock`` on ``.lock`` (what older versions take) and on the store
    directory itself, which cannot be deleted from under a running ingest as ``.lock`` can."""
    lock_path = store_path / ".lock"
    with contextlib.ExitStack() as held:
        try:
            fh = held.enter_context(lock_path.open("a+"))
            dir_fd = os.open(store_path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except IsADirectoryError:
            raise StoreError(f"{lock_path}: is a directory, not the store's lock file; remove it (no ingest keeps anything in it)") from None
        except OSError as exc:
            raise StoreError(_unwritable(lock_path, exc)) from None
        held.callback(os.close, dir_fd)
        for target in (fh.fileno(), dir_fd):
            try:
                fcntl.flock(target, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    raise StoreError(f"{store_path}: another ingest is writing to this store; try again when it ends") from None
                if target == dir_fd:  # a file system that cannot lock directories (NFS): .lock alone, as before
                    continue
                raise StoreError(f"{lock_path}: cannot be locked ({exc.strerror})") from None
        yield


def _unwritable(path: Path, exc: OSError) -> str:
    """``STORE/.lock: cannot be written (read-only file system): ...``: why an ingest cannot write, naming the path."""
    reason = (exc.strerror or str(exc)).lower()
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path}: cannot be written ({reason}); the store is read-only: ingest into a store you can write to"
    return f"{path}: cannot be written ({reason})"

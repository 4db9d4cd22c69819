"""Output files that appear whole or not at all: written beside their final name, then renamed.

A kill, a full disk or an error halfway through a ``-o`` write leaves the previous file (or
no file), never a truncated one that looks finished. The temporary file sits in the same
folder, so the rename is atomic, and is removed when the write fails.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

__all__ = ["replacing", "write_atomically"]


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path to write; on success it replaces ``path`` in one rename."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` so that it appears whole or not at all."""
    with replacing(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
    return Path(path)

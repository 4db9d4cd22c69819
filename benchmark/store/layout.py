"""The Parquet store: one directory per ingest, committed by a single rename.

Layout (plain Parquet; DuckDB, Spark or pandas read it without this tool)::

    STORE/
      benchmark-store.json                       marker and format version
      ingests/ingest=<UTC time>-<id>/
          messages.parquet                       canonical messages, deduplicated
          rejects.ndjson                         records not stored, with reasons
          summary.json                           counts, source file, its SHA-256
      .lock                                      held while an ingest writes

``read_parquet('STORE/ingests/*/messages.parquet')`` gives every message.
An ingest writes into a hidden staging directory and renames it into
``ingests/`` when complete, so a crash or Ctrl-C leaves the store exactly as
it was, or with that whole file added: never half of it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from ..errors import StoreError
from ..schema import MESSAGE_SCHEMA

if TYPE_CHECKING:
    from ..loaders import LoadOptions

MARKER = "benchmark-store.json"
FORMAT_VERSION = 1
INGESTS = "ingests"
MESSAGES_FILE = "messages.parquet"
REJECTS_FILE = "rejects.ndjson"
SUMMARY_FILE = "summary.json"
KEYS = ["platform", "message_id"]


@dataclass
class FileReport:
    """What one ingest of one file did. ``read == stored + duplicates + rejected``."""

    source_file: str
    format: str
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    sha256: str = ""
    ingest_id: str | None = None  # None when nothing was written
    reject_reasons: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.read == self.stored + self.duplicates + self.rejected


ProgressCallback = Callable[[str, int, int], None]  # (file, bytes done, bytes total)


class Store:
    """A benchmark store on disk. Use :func:`open_store` or :func:`create_store`."""

    detect_language: bool | None = None  # None: on unless BENCHMARK_DETECT_LANGUAGE=0 (see listening.language)

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, files={len(self.message_files())})"

    # ---- reading -------------------------------------------------------
    def message_files(self) -> list[Path]:
        """Every committed messages file, oldest ingest first."""
        return sorted((self.path / INGESTS).glob(f"ingest=*/{MESSAGES_FILE}"))

    def summaries(self) -> list[dict[str, object]]:
        """The summary of every committed ingest, oldest first."""
        out = []
        for p in sorted((self.path / INGESTS).glob(f"ingest=*/{SUMMARY_FILE}")):
            out.append(json.loads(p.read_text(encoding="utf-8")))
        return out

    def scan(self) -> pl.LazyFrame:
        """All messages as a Polars LazyFrame (empty, with the schema, for an empty store)."""
        files = self.message_files()
        if not files:
            return pl.LazyFrame(schema=MESSAGE_SCHEMA)
        # Stores written before a column existed (e.g. ``lang``) read with it null.
        return pl.scan_parquet([str(f) for f in files], schema=MESSAGE_SCHEMA, missing_columns="insert")

    def messages(self) -> pl.DataFrame:
        """All messages, in memory."""
        return self.scan().collect()

    def rejects(self) -> pl.DataFrame:
        """Every rejected record: ingest, source file, record number, reason."""
        rows: list[dict[str, object]] = []
        for p in sorted((self.path / INGESTS).glob(f"ingest=*/{REJECTS_FILE}")):
            with p.open(encoding="utf-8") as fh:
                rows.extend(json.loads(line) for line in fh if line.strip())
        schema = {"source_file": pl.String, "record": pl.Int64, "reason": pl.String, "raw": pl.String}
        return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)

    # ---- writing -------------------------------------------------------
    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        lock_path = self.path / ".lock"
        fh = lock_path.open("a+")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    raise StoreError(f"{self.path}: another ingest is writing to this store; try again when it ends") from None
                raise
            yield
        finally:
            fh.close()

    def ingest_file(
        self,
        path: Path,
        fmt: str = "auto",
        options: LoadOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> FileReport:
        """Load one file and commit its new messages and its rejects atomically (see :mod:`.ingest`)."""
        from .ingest import ingest_file

        return ingest_file(self, Path(path), fmt, options, progress)

    def _clean_staging(self) -> None:
        """Remove what an interrupted ingest left behind (only ever uncommitted data)."""
        for leftover in (self.path / INGESTS).glob(".staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)



def create_store(path: Path | str) -> Store:
    """Open the store at ``path``, creating it when the directory is new or empty."""
    path = Path(path)
    marker = path / MARKER
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: exists and is not a directory")
    if path.exists() and not marker.exists() and any(path.iterdir()):
        raise StoreError(f"{path}: not a benchmark store and not empty; choose a new directory")
    (path / INGESTS).mkdir(parents=True, exist_ok=True)
    if not marker.exists():
        marker.write_text(json.dumps({"format": "social-care-benchmark store", "version": FORMAT_VERSION}) + "\n")
    return open_store(path)


def open_store(path: Path | str) -> Store:
    """Open an existing store; raises StoreError when ``path`` is not one."""
    path = Path(path)
    marker = path / MARKER
    if not marker.exists():
        raise StoreError(f"{path}: not a benchmark store (no {MARKER}); create one with 'benchmark ingest FILE --store {path}'")
    try:
        meta = json.loads(marker.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        raise StoreError(f"{path}: {MARKER} is damaged") from None
    if meta.get("version", 0) > FORMAT_VERSION:
        raise StoreError(f"{path}: written by a newer social-care-benchmark (store version {meta.get('version')})")
    return Store(path)

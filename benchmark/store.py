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
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from .errors import BenchmarkError, InputError, StoreError
from .loaders import Chunk, LoadOptions, Reject, detect_format, get_loader
from .schema import MESSAGE_SCHEMA, conform

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

    def _existing_keys(self) -> pl.DataFrame:
        """The store's message keys, as 128-bit hashes plus a content hash: 24 bytes a message."""
        return self.scan().select(*_key_hashes(), _content_hash()).collect()

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
        """Load one file and commit its new messages and its rejects atomically."""
        options = options or LoadOptions()
        path = Path(path)
        loader = detect_format(path, options) if fmt == "auto" else get_loader(fmt)
        report = FileReport(source_file=str(path), format=loader.name)
        with self._write_lock():
            self._clean_staging()
            report.sha256 = _sha256(path)
            staging = self.path / INGESTS / f".staging-{uuid.uuid4().hex}"
            staging.mkdir(parents=True)
            try:
                seen = self._existing_keys()
                self._write(staging, loader.load(path, options), seen, report, path, progress)
                if not report.balanced:  # pragma: no cover - a loader bug, never a user error
                    raise BenchmarkError(
                        f"{path}: internal accounting error (read {report.read} != stored {report.stored} "
                        f"+ duplicates {report.duplicates} + rejected {report.rejected})"
                    )
                if report.stored == 0 and report.sha256 in {s.get("sha256") for s in self.summaries()}:
                    report.notes.append("already ingested: nothing new")
                    shutil.rmtree(staging)
                    return report
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
                report.ingest_id = f"{stamp}-{uuid.uuid4().hex[:8]}"
                (staging / SUMMARY_FILE).write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
                _fsync_dir(staging)
                os.rename(staging, self.path / INGESTS / f"ingest={report.ingest_id}")  # the commit point
                _fsync_dir(self.path / INGESTS)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        return report

    def _write(
        self,
        staging: Path,
        chunks: Iterable[Chunk],
        seen_frame: pl.DataFrame,
        report: FileReport,
        path: Path,
        progress: ProgressCallback | None,
    ) -> None:
        from .listening.language import with_language  # here: the listening package reads the store

        ingested_at = datetime.now(UTC)
        schema = conform(pl.DataFrame(schema=MESSAGE_SCHEMA)).to_arrow().schema
        writer = pq.ParquetWriter(staging / MESSAGES_FILE, schema, compression="zstd")
        size = max(path.stat().st_size, 1)
        conflicts = 0
        seen = [seen_frame] if seen_frame.height else []
        try:
            with (staging / REJECTS_FILE).open("w", encoding="utf-8") as rejects_fh:
                for chunk in chunks:
                    report.read += chunk.read
                    report.notes.extend(chunk.notes)
                    self._write_rejects(rejects_fh, chunk.rejects, report)
                    msgs = conform(chunk.messages.with_columns(pl.lit(ingested_at).alias("ingested_at")))
                    msgs = msgs.with_columns(pl.col("source_file").fill_null(str(path)))
                    hashed = msgs.with_columns(*_key_hashes(), _content_hash())
                    first = hashed.unique(KEYS, keep="first", maintain_order=True)
                    # Keys seen so far (the store's and this file's) are kept as hashes only, in parts
                    # that are never copied together: memory grows by 24 bytes a message, not by the file.
                    # Probe the known keys with this chunk's (a small set), never hash all known keys.
                    probe = first.get_column(KEY_HASHES[0]).implode()
                    hits = [part.filter(pl.col(KEY_HASHES[0]).is_in(probe)) for part in seen]
                    hits = [h for h in hits if h.height]
                    known = pl.concat(hits).rename({CONTENT_HASH: KEPT}) if hits else None
                    matched = first.join(known, on=KEY_HASHES, how="left", maintain_order="left") if known is not None else first.with_columns(pl.lit(None, dtype=pl.UInt64).alias(KEPT))
                    new = matched.filter(pl.col(KEPT).is_null())
                    report.duplicates += msgs.height - new.height
                    report.stored += new.height
                    if new.height:
                        writer.write_table(with_language(new.drop(*KEY_HASHES, CONTENT_HASH, KEPT), self.detect_language).to_arrow())
                        seen.append(new.select(*KEY_HASHES, CONTENT_HASH))
                        if len(seen) > SEEN_PARTS:  # merge now and then: few joins per chunk, rare copies
                            seen = [pl.concat(seen)]
                    if new.height < msgs.height:
                        kept = pl.concat([
                            matched.filter(pl.col(KEPT).is_not_null()).select(*KEY_HASHES, KEPT),
                            new.select(*KEY_HASHES, pl.col(CONTENT_HASH).alias(KEPT)),
                        ])
                        conflicts += _conflicting(hashed, kept)
                    if progress:
                        progress(str(path), size, size)
        finally:
            writer.close()
        if conflicts:
            report.notes.append(
                f"{conflicts:,} duplicate message id(s) with different content (author, parent, time or text); "
                "the first version stored was kept, the others counted as duplicates"
            )

    def _write_rejects(self, fh: object, rejects: list[Reject], report: FileReport) -> None:
        for r in rejects:
            report.rejected += 1
            key = _reason_key(r.reason)
            report.reject_reasons[key] = report.reject_reasons.get(key, 0) + 1
            line = {"source_file": report.source_file, "record": r.record, "reason": r.reason, "raw": r.raw}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")  # type: ignore[attr-defined]

    def _clean_staging(self) -> None:
        """Remove what an interrupted ingest left behind (only ever uncommitted data)."""
        for leftover in (self.path / INGESTS).glob(".staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)


CONTENT_HASH = "_content_hash"
_CONTENT = ["author_id", "parent_id", "is_brand", "created_at", "text"]


KEY_HASHES = ["_key_hash_1", "_key_hash_2"]
KEPT = "_kept_content_hash"
SEEN_PARTS = 16


def _key_hashes() -> list[pl.Expr]:
    """Two independent u64 hashes of the message key (128 bits: a collision is never expected).

    Hashes are compared within one ingest only (the store's keys are re-hashed at its
    start), so Polars not promising stable hashes across versions does not matter.
    """
    key = pl.struct(KEYS)
    return [key.hash(seed=1).alias(KEY_HASHES[0]), key.hash(seed=2).alias(KEY_HASHES[1])]


def _content_hash() -> pl.Expr:
    """A hash of what a message says, to tell a re-sent copy from a different message reusing its id."""
    return pl.struct(_CONTENT).hash(seed=0).alias(CONTENT_HASH)


def _conflicting(hashed: pl.DataFrame, kept: pl.DataFrame) -> int:
    """Rows of ``hashed`` whose id is kept with a different content (dropped duplicates that differ)."""
    joined = hashed.select(*KEY_HASHES, CONTENT_HASH).join(kept, on=KEY_HASHES, how="inner")
    return joined.filter(pl.col(CONTENT_HASH) != pl.col(KEPT)).height


def _reason_key(reason: str) -> str:
    """Group reasons for the summary: the text with quoted/numeric values dropped."""
    words = [w for w in reason.split() if not any(ch.isdigit() for ch in w)]
    return " ".join(words)[:80] or reason[:80]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    for child in path.iterdir():
        if child.is_file():
            with child.open("rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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

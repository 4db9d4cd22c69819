"""The ingest pipeline: load one file, drop what the store already has, commit it in one rename."""

from __future__ import annotations

import concurrent.futures
import contextlib
import errno
import hashlib
import json
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from ..errors import BenchmarkError, InputError, StoreError
from ..loaders import Chunk, LoadOptions, Reject, loader_for
from ..schema import MESSAGE_SCHEMA, conform
from ..text.language import with_language
from .commit import commit
from .seen_keys import SeenKeys
from .staging import owned_staging
from .layout import INGESTS, KEYS, MESSAGES_FILE, REJECTS_FILE, FileReport, ProgressCallback, Store

__all__ = [
    "BYTES_PER_MESSAGE", "COMPRESSION", "CONTENT_HASH", "DICTIONARY_COLUMNS", "KEPT", "KEY_HASHES",
    "MIN_BYTES_PER_MESSAGE", "NO_STATISTICS", "StrictRejectError", "ingest_file", "ingest_files",
]


def ingest_file(
    store: Store,
    path: Path,
    fmt: str = "auto",
    options: LoadOptions | None = None,
    progress: ProgressCallback | None = None,
) -> FileReport:
    """Load one file and commit its new messages and its rejects atomically."""
    return ingest_files(store, [path], fmt, options, progress)[0]


def ingest_files(
    store: Store,
    paths: Sequence[Path],
    fmt: str = "auto",
    options: LoadOptions | None = None,
    progress: ProgressCallback | None = None,
    *,
    strict: bool = False,
) -> list[FileReport]:
    """Load ``paths`` under one write lock and commit each file by one rename.

    Without ``strict``, each file is committed as soon as it is loaded, so an error or Ctrl-C in a
    later file leaves the earlier ones stored. With ``strict``, all files are loaded into staging
    first, and nothing is committed when any record of any file is rejected: a
    :class:`StrictRejectError` carries every file's report (all or none, for the whole call).
    Either way the duplicate check is carried from file to file, so the store's keys are read once.
    """
    options = options or LoadOptions()
    staged: list[tuple[FileReport, Path]] = []
    paths = [Path(p) for p in paths]
    with store._write_lock(), contextlib.ExitStack() as stagings:
        store._clean_staging()
        seen = _StoreKeys(store, paths)
        committed = {s.get("sha256") for s in store.summaries()}
        for path in paths:
            with _naming_a_full_disk(store, path):
                staging = stagings.enter_context(owned_staging(store.path / INGESTS))
                report = _stage(store, path, fmt, options, progress, staging, seen)
            staged.append((report, staging))
            if not strict:
                _commit_unless_known(store, staging, report, committed)
        if strict:
            if any(r.rejected for r, _ in staged):
                raise StrictRejectError([r for r, _ in staged])
            for report, staging in staged:
                _commit_unless_known(store, staging, report, committed)
    return [r for r, _ in staged]


def _commit_unless_known(store: Store, staging: Path, report: FileReport, committed: set[str | None]) -> None:
    """Commit a staged file, unless it brought nothing new and the store holds a file with its bytes."""
    if report.stored == 0 and report.sha256 in committed:
        report.notes.append("already ingested: nothing new")
        return
    with _naming_a_full_disk(store, Path(report.source_file)):
        commit(store, staging, report)
    committed.add(report.sha256)


@contextlib.contextmanager
def _naming_a_full_disk(store: Store, path: Path) -> Iterator[None]:
    """A full disk as a StoreError naming the store and the file (the Parquet writer's error names neither)."""
    try:
        yield
    except OSError as exc:
        text = str(exc).lower()
        if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "no space left" in text or "errno 28" in text or "quota exceeded" in text:
            raise StoreError(f"{store.path}: no space left on the device while storing {path}; nothing of it was committed: "
                             "free some space and ingest it again") from None
        raise


class StrictRejectError(BenchmarkError):
    """``strict`` ingest: records were rejected, so no file was committed. ``reports`` says what each file held."""

    def __init__(self, reports: list[FileReport]) -> None:
        self.reports = reports
        bad = [r for r in reports if r.rejected]
        rejected = sum(r.rejected for r in bad)
        where = ", ".join(f"{r.source_file} ({r.rejected:,})" for r in bad)
        files = "the file" if len(reports) == 1 else f"any of the {len(reports)} files"
        super().__init__(f"--strict: {rejected:,} record(s) rejected in {where}; nothing was committed from {files}, the store is unchanged")


def _stage(
    store: Store,
    path: Path,
    fmt: str,
    options: LoadOptions,
    progress: ProgressCallback | None,
    staging: Path,
    seen: _StoreKeys,
) -> FileReport:
    """Load one file into ``staging`` (messages the store or the files staged before it hold count as duplicates)."""
    loader = loader_for(path, fmt, options)
    report = FileReport(source_file=str(path), format=loader.name)
    digest = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    stop = threading.Event()
    sha = digest.submit(_sha256, path, stop)  # hashlib releases the GIL: hashed while the file is loaded
    digest.shutdown(wait=False)
    try:
        _write(store, staging, loader.load(path, options), seen.keys(), report, path, progress)
    except BaseException:
        stop.set()  # an error or Ctrl-C: the process must not wait at exit for a big file to be hashed
        raise
    report.sha256 = sha.result()
    if not report.balanced:  # pragma: no cover - a loader bug, never a user error
        raise BenchmarkError(
            f"{path}: internal accounting error (read {report.read} != stored {report.stored} "
            f"+ duplicates {report.duplicates} + rejected {report.rejected})"
        )
    return report


def _write(
    store: Store,
    staging: Path,
    chunks: Iterable[Chunk],
    seen: SeenKeys,
    report: FileReport,
    path: Path,
    progress: ProgressCallback | None,
) -> None:
    """Deduplicate and write every chunk; the loader runs a chunk ahead in a thread (Polars and the
    Parquet writer release the GIL, so reading the next block overlaps writing this one)."""

    ingested_at = datetime.now(UTC)
    schema = conform(pl.DataFrame(schema=MESSAGE_SCHEMA)).to_arrow().schema
    # Dictionary encoding pays only for the few-valued columns; tried on ids and text it costs time for nothing.
    writer = pq.ParquetWriter(
        staging / MESSAGES_FILE, schema, compression=COMPRESSION, use_dictionary=DICTIONARY_COLUMNS,
        write_statistics=[c for c in schema.names if c not in NO_STATISTICS],
    )
    size = max(path.stat().st_size, 1)
    conflicts = 0
    try:
        with (staging / REJECTS_FILE).open("w", encoding="utf-8") as rejects_fh:
            for chunk in _ahead(chunks):
                report.read += chunk.read
                report.notes.extend(chunk.notes)
                _write_rejects(rejects_fh, chunk.rejects, report)
                msgs = conform(chunk.messages.with_columns(pl.lit(ingested_at).alias("ingested_at")))
                msgs = msgs.with_columns(pl.col("source_file").fill_null(str(path)))
                hashed = msgs.with_columns(*_key_hashes(), _content_hash())
                repeated = hashed.select(pl.struct(*KEY_HASHES).is_duplicated().any()).item()
                first = hashed.unique(KEYS, keep="first", maintain_order=True) if repeated else hashed  # copies are rare
                found, kept_content = seen.probe_add(*(first.get_column(c).to_numpy() for c in (*KEY_HASHES, CONTENT_HASH)))
                new = first.filter(pl.Series(~found)) if found.any() else first
                report.duplicates += msgs.height - new.height
                report.stored += new.height
                if new.height:
                    writer.write_table(with_language(new.drop(*KEY_HASHES, CONTENT_HASH), store.detect_language).to_arrow())
                if new.height < msgs.height:
                    kept = pl.concat([
                        first.filter(pl.Series(found)).select(*KEY_HASHES).with_columns(pl.Series(KEPT, kept_content[found], dtype=pl.UInt64)),
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


DICTIONARY_COLUMNS = ["platform", "brand", "kind", "source_file", "lang"]
# LZ4 (Parquet's LZ4_RAW, read by DuckDB, Spark and pyarrow): zstd's smaller files (~0.6x) cost ~4 s of
# CPU per 3.5 M messages on write (a quarter of an ingest) and more on every read; speed is what users wait on.
COMPRESSION = "lz4"
BYTES_PER_MESSAGE = 150  # a guess that sizes the duplicate check (a TWCS message is 80-170 bytes of CSV)
MIN_BYTES_PER_MESSAGE = 40  # hardly any export has shorter records: the duplicate check's reserve
# Min/max of free text and of ids help no query (readers filter by time, platform, brand, kind or language,
# never by an id range) and cost time: the text a third of the write, the four id columns ~15% more.
NO_STATISTICS = {"text", "message_id", "parent_id", "thread_id", "author_id"}


def _ahead(chunks: Iterable[Chunk], depth: int = 1) -> Iterator[Chunk]:
    """The chunks of ``chunks``, produced by a thread while the consumer works on the previous one; its
    errors re-raised here. At most ``depth + 1`` chunks exist at once (the one being consumed and those
    made ahead): the thread starts a chunk only when the consumer has finished one."""
    done = object()
    box: queue.Queue[object] = queue.Queue()
    slots = threading.Semaphore(depth + 1)
    stop = threading.Event()

    def produce() -> None:
        try:
            it = iter(chunks)
            while True:
                while not slots.acquire(timeout=0.1):
                    if stop.is_set():
                        return
                if stop.is_set():
                    return
                c = next(it, done)
                box.put(c)
                if c is done:
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            box.put(_Failed(exc))

    worker = threading.Thread(target=produce, name="benchmark-loader", daemon=True)
    worker.start()
    try:
        while True:
            item = box.get()
            if item is done:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
            del item  # the consumer is done with it: let the thread make the next one
            slots.release()
    finally:
        stop.set()
        worker.join()  # it never waits more than 0.1 s for a slot, and sees the stop
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


@dataclass
class _Failed:
    error: BaseException


def _write_rejects(fh: object, rejects: list[Reject], report: FileReport) -> None:
    for r in rejects:
        report.rejected += 1
        key = _reason_key(r.reason)
        report.reject_reasons[key] = report.reject_reasons.get(key, 0) + 1
        line = {"source_file": report.source_file, "record": r.record, "reason": r.reason, "raw": r.raw}
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")  # type: ignore[attr-defined]



class _StoreKeys:
    """The keys one ingest call has seen: the store's, read once at the first file that gets as far
    as loading, then every file's new messages as they are staged. Carried from file to file, so an
    ingest of many files reads and hashes the store's keys once, not once per file."""

    def __init__(self, store: Store, paths: Sequence[Path]) -> None:
        self._store = store
        self._bytes = sum(_size(p) for p in paths)
        self._seen: SeenKeys | None = None

    def keys(self) -> SeenKeys:
        if self._seen is None:
            existing = self._store.scan().select(*_key_hashes(), _content_hash()).collect()
            n = existing.height
            self._seen = SeenKeys(expected=n + self._bytes // BYTES_PER_MESSAGE, at_most=n + self._bytes // MIN_BYTES_PER_MESSAGE)
            if n:
                self._seen.add(*(existing.get_column(c).to_numpy() for c in (*KEY_HASHES, CONTENT_HASH)))
        return self._seen


def _size(path: Path) -> int:
    """Bytes of ``path`` (sizes the duplicate check); 1 when it cannot be read (its loader says why)."""
    try:
        return max(path.stat().st_size, 1)
    except OSError:
        return 1


CONTENT_HASH = "_content_hash"
_CONTENT = ["author_id", "parent_id", "created_at", "text"]  # not is_brand: who is a brand is the analysis's choice (--brand), not the message's content


KEY_HASHES = ["_key_hash_1", "_key_hash_2"]
KEPT = "_kept_content_hash"


def _key_hashes() -> list[pl.Expr]:
    """Two independent u64 hashes of the message key (128 bits: a collision is never expected).

    Hashes are compared within one ingest only (the store's keys are re-hashed at its
    start), so Polars not promising stable hashes across versions does not matter.
    """
    return [_mixed(KEYS, seed).alias(name) for seed, name in ((1, KEY_HASHES[0]), (2, KEY_HASHES[1]))]


def _mixed(columns: list[str], seed: int) -> pl.Expr:
    """One u64 from per-column hashes (each column with its own seed): ~10x quicker than hashing a struct."""
    out = pl.col(columns[0]).hash(seed=seed * 100)
    for i, c in enumerate(columns[1:], start=1):
        out = out ^ pl.col(c).hash(seed=seed * 100 + i)
    return out


def _content_hash() -> pl.Expr:
    """A hash of what a message says, to tell a re-sent copy from a different message reusing its id."""
    return _mixed(_CONTENT, 0).alias(CONTENT_HASH)


def _conflicting(hashed: pl.DataFrame, kept: pl.DataFrame) -> int:
    """Rows of ``hashed`` whose id is kept with a different content (dropped duplicates that differ)."""
    joined = hashed.select(*KEY_HASHES, CONTENT_HASH).join(kept, on=KEY_HASHES, how="inner")
    return joined.filter(pl.col(CONTENT_HASH) != pl.col(KEPT)).height


def _reason_key(reason: str) -> str:
    """Group reasons for the summary: the text with quoted/numeric values dropped."""
    words = [w for w in reason.split() if not any(ch.isdigit() for ch in w)]
    return " ".join(words)[:80] or reason[:80]


def _sha256(path: Path, stop: threading.Event | None = None) -> str:
    """The file's SHA-256 (recorded in the summary); gives up early when ``stop`` is set."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                if stop is not None and stop.is_set():
                    return ""
                h.update(block)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    return h.hexdigest()

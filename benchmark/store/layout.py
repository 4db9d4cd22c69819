"""The Parquet store: one directory per ingest, committed by a single rename.

Layout (plain Parquet; DuckDB, Spark or pandas read it without this tool)::

    STORE/
      benchmark-store.json                       marker and format version
      ingests/ingest=<UTC time>-<id>/
          messages.parquet                       canonical messages, deduplicated
          rejects.ndjson                         records not stored, with reasons
          summary.json                           counts, source file, its SHA-256
      derived/                                   caches rebuilt from the above (safe to delete):
          facts-v1/<ingest set>-<options>/       per-request facts (benchmark.metrics.cache)
          lang-<detector>/ingest=<id>/           detected languages (benchmark.text.language)
      .lock                                      flock-ed (with the store directory) while an ingest writes
      quarantine/<UTC time>/                     what 'benchmark check --repair' moved aside (never read)

``read_parquet('STORE/ingests/*/messages.parquet')`` gives every message (when ``benchmark check``
finds no copy inside ``ingests/``; this package reads each ingest once: see :func:`list_ingests`).
An ingest writes into a hidden staging directory and renames it into
``ingests/`` when complete, so a crash or Ctrl-C leaves the store exactly as
it was, or with that whole file added: never half of it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from ..defaults import INGEST_PREFIX, INGESTS, MESSAGES_FILE, REJECTS_FILE, SUMMARY_FILE  # the layout's names (light, for the CLI)
from ..errors import StoreError
from ..schema import MESSAGE_SCHEMA
from .lock import write_lock

if TYPE_CHECKING:
    from ..loaders import LoadOptions

__all__ = [
    "CHECK_HINT", "FORMAT_VERSION", "FileReport", "INGESTS", "INGEST_PREFIX", "IngestListing", "KEYS",
    "MARKER", "MESSAGES_FILE", "ProgressCallback", "REJECTS_FILE", "SUMMARY_FILE", "Store", "create_store",
    "damaged_data_message", "discard_unused_store", "ingest_id_of", "is_store", "list_ingests", "open_store",
]

MARKER = "benchmark-store.json"
FORMAT_VERSION = 1
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

    detect_language: bool | None = None  # None: on unless BENCHMARK_DETECT_LANGUAGE=0 (see text.language)

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.notes: list[str] = []  # what reading skipped (copies of ingests, stray entries): see ingest_dirs
        _opened[self.path] = None

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, files={len(self.message_files())})"

    # ---- reading -------------------------------------------------------
    def ingests_dir(self) -> Path:
        """``STORE/ingests``; a StoreError when it is missing or not a directory (never silently 0 messages)."""
        d = self.path / INGESTS
        if not d.is_dir():
            what = "is not a directory" if d.exists() or d.is_symlink() else "is missing"
            raise StoreError(f"{d}: {what}, so the store's messages cannot be read; {CHECK_HINT.format(store=self.path)}")
        return d

    def ingest_dirs(self) -> list[Path]:
        """Every committed ingest directory, oldest first, each ingest once (see :func:`list_ingests`).

        Copies of an ingest and entries that are not ``ingest=<id>`` directories are never read; each is
        logged once (logger ``benchmark.store``, shown as a note by the CLI) and kept in :attr:`notes`.
        """
        listing = list_ingests(self.ingests_dir())
        for note in listing.notes(self.path):
            if note not in self.notes:
                self.notes.append(note)
            if note not in _noted:
                _noted.add(note)
                logging.getLogger("benchmark.store").warning(note)
        return listing.counted

    def message_files(self) -> list[Path]:
        """Every committed messages file, oldest ingest first; a missing or damaged one is a StoreError naming it."""
        files = []
        for d in self.ingest_dirs():
            f = d / MESSAGES_FILE
            _check_messages_file(f, self.path)
            files.append(f)
        return files

    def summaries(self) -> list[dict[str, object]]:
        """The summary of every committed ingest, oldest first; a damaged one is a StoreError naming it."""
        out = []
        for d in self.ingest_dirs():
            p = d / SUMMARY_FILE
            try:
                value = json.loads(p.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise StoreError(f"{p}: missing; {CHECK_HINT.format(store=self.path)}") from None
            except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
                raise StoreError(f"{p}: damaged ({_reason(exc)}); {CHECK_HINT.format(store=self.path)}") from None
            if not isinstance(value, dict):
                raise StoreError(f"{p}: damaged (not a JSON object); {CHECK_HINT.format(store=self.path)}")
            out.append(value)
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
        """Every rejected record: ingest, source file, record number, reason; a damaged file is a StoreError naming its line."""
        rows: list[dict[str, object]] = []
        for d in self.ingest_dirs():
            rows.extend(_read_rejects(d / REJECTS_FILE, self.path))
        schema = {"source_file": pl.String, "record": pl.Int64, "reason": pl.String, "raw": pl.String}
        return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)

    # ---- writing -------------------------------------------------------
    def _write_lock(self) -> contextlib.AbstractContextManager[None]:
        """Exclusive right to write (see :func:`.lock.write_lock`)."""
        return write_lock(self.path)

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
        """Remove what interrupted ingests left behind, only where the owner is provably dead (see :mod:`.staging`)."""
        from .staging import clean_dead_staging

        clean_dead_staging(self.path / INGESTS)


CHECK_HINT = "run 'benchmark check --store {store}' to see what is wrong"
_REQUIRED_COLUMNS = ("platform", "message_id", "created_at", "is_brand")
_checked: dict[Path, tuple[int, int, int]] = {}  # messages file -> (inode, mtime_ns, size) when last found readable


_opened: dict[Path, None] = {}  # stores this process opened, in order (for damaged_data_message)
_DAMAGED_DATA = ("out of specification", "thrift", "deserialize", "variable-length int", "decompress", "corrupt", "magic bytes",
                 "invalid parquet", "snappy", "zstd")


def damaged_data_message(exc: BaseException) -> str | None:
    """A one-line message for an error that a damaged data page of a stored file raised while a query
    read it (the footer was fine, so :meth:`Store.message_files` let it through), or None.

    Engines do not say which file; ``benchmark check`` decodes every file and names it."""
    if not _opened or isinstance(exc, (StoreError, MemoryError, RecursionError)):
        return None
    text = str(exc).lower()
    if not any(word in text for word in _DAMAGED_DATA):
        return None
    store = next(reversed(_opened))
    return f"{store}: a stored file cannot be decoded ({_reason(exc)}); {CHECK_HINT.format(store=store)}"


def _reason(exc: BaseException) -> str:
    """The first line of an exception's message (never a traceback, never local data)."""
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _check_messages_file(f: Path, store: Path) -> None:
    """Raise StoreError unless ``f`` is a readable Parquet file with the message columns.

    Reads only the footer (the schema), once per version of the file: cached by inode, mtime and size.
    """
    try:
        st = f.stat()
    except FileNotFoundError:
        raise StoreError(f"{f}: missing (the ingest's messages were deleted?); {CHECK_HINT.format(store=store)}") from None
    except OSError as exc:
        raise StoreError(f"{f}: cannot be read ({exc.strerror}); {CHECK_HINT.format(store=store)}") from None
    key = (st.st_ino, st.st_mtime_ns, st.st_size)
    if _checked.get(f) == key:
        return
    problem = _messages_file_problem(f, st.st_size)
    if problem:
        raise StoreError(f"{f}: {problem}; {CHECK_HINT.format(store=store)}")
    _checked[f] = key


def _messages_file_problem(f: Path, size: int) -> str | None:
    """What is wrong with a messages file's footer and schema, or None."""
    if not f.is_file():
        return "not a file"
    if size == 0:
        return "empty (0 bytes): not a Parquet file"
    try:
        schema = pl.read_parquet_schema(f)
    except Exception as exc:  # noqa: BLE001 - Polars raises several types for a damaged footer
        return f"damaged or not a Parquet file ({_reason(exc)})"
    missing = [c for c in _REQUIRED_COLUMNS if c not in schema]
    if missing:
        return f"not a messages file (no column {', '.join(missing)})"
    for name, dtype in schema.items():
        want = MESSAGE_SCHEMA.get(name)
        if want is not None and not (dtype == want or (dtype.is_temporal() and want.is_temporal())):
            return f"not a messages file (column {name} is {dtype}, not {want})"
    return None


def _read_rejects(p: Path, store: Path) -> list[dict[str, object]]:
    """The records of one rejects file (none when it is absent); a bad line is a StoreError naming it."""
    rows: list[dict[str, object]] = []
    try:
        fh = p.open(encoding="utf-8")
    except FileNotFoundError:
        return rows
    except OSError as exc:
        raise StoreError(f"{p}: cannot be read ({exc.strerror}); {CHECK_HINT.format(store=store)}") from None
    with fh:
        number = 0
        try:
            for number, line in enumerate(fh, 1):
                if line.strip():
                    row = json.loads(line)
                    if not isinstance(row, dict):
                        raise ValueError("not a JSON object")
                    rows.append(row)
        except ValueError as exc:
            raise StoreError(f"{p}, line {number + 1 if isinstance(exc, UnicodeDecodeError) else number}: damaged ({_reason(exc)}); "
                             f"{CHECK_HINT.format(store=store)}") from None
    return rows


# ---- which entries of ingests/ are read: each ingest once (issue 12, item 1) ------------------------
#
# An ingest commits ``ingests/ingest=<id>`` by one rename, and its summary.json names that id; an ingest
# also drops every message the store already holds, so two committed ingests never share a message.
# What breaks that is a copy: a backup kept inside ingests/ (``ingest=<id> copy``, ``ingest=<id> (1)``),
# or two stores merged by copying folders. Copies are never read:
#   1. only directories named ``ingest=<id>`` (<id> letters and digits joined by - or _) are ingests;
#   2. directories whose summary.json names the same ingest id count once: the one named after it
#      (else the first); a copy under a name that is not ``ingest=<id>`` is reported as a copy too;
#   3. ingests of the same source file (same SHA-256 and format) whose messages all belong to another
#      of them (a file ingested in two stores that were merged) count once: the larger, else the first.
# Partial overlaps of different files cannot be seen without reading every key: ``benchmark check`` does.

_INGEST_ID = re.compile(r"[0-9A-Za-z]+(?:[-_][0-9A-Za-z]+)*")
_noted: set[str] = set()  # notes already logged by this process (a command lists the store several times)
_summary_cache: dict[Path, tuple[tuple[int, int, int], tuple[str | None, str, str]]] = {}
_subset_cache: dict[tuple[object, ...], bool] = {}


@dataclass(frozen=True)
class IngestListing:
    """What ``STORE/ingests`` holds under the reading rule of :func:`list_ingests`."""

    counted: list[Path]  # one directory per ingest, oldest first: what every command reads
    copies: list[tuple[Path, Path, str]]  # (directory, the counted ingest it repeats, why): never read
    strays: list[tuple[Path, str]]  # (entry, why): not an ingest, never read

    def notes(self, store: Path) -> list[str]:
        """One line per skipped entry, for people."""
        fix = f"'benchmark check --store {store} --repair' moves it aside"
        out = [f"{d}: {why}; not read, so its messages count once; {fix}" for d, _, why in self.copies]
        out += [f"{e}: {why}; not read; {fix}" for e, why in self.strays]
        return out


def ingest_dir(store: Path | str, ingest_id: str) -> Path:
    """``STORE/ingests/ingest=<id>``: where one ingest's messages, rejects and summary are (the layout, in one place)."""
    return Path(store) / INGESTS / f"{INGEST_PREFIX}{ingest_id}"


def ingest_id_of(d: Path) -> str | None:
    """The id in an ingest directory's name (``ingest=<id>``), or None when the name is not one."""
    name = d.name
    if name.startswith(INGEST_PREFIX) and _INGEST_ID.fullmatch(name[len(INGEST_PREFIX):]):
        return name[len(INGEST_PREFIX):]
    return None


def list_ingests(ingests: Path) -> IngestListing:
    """Sort the entries of ``ingests`` into counted ingests, copies and strays (hidden entries, such as
    staging directories, are skipped)."""
    entries = sorted(e for e in ingests.iterdir() if not e.name.startswith("."))
    groups: dict[str, list[Path]] = {}
    unnamed: list[Path] = []
    strays: list[tuple[Path, str]] = []
    for e in entries:
        if not e.is_dir():
            strays.append((e, "not an ingest directory (a file)"))
            continue
        dir_id = ingest_id_of(e)
        if dir_id is None:
            unnamed.append(e)
            continue
        groups.setdefault(_summary_info(e)[0] or dir_id, []).append(e)
    counted: list[Path] = []
    copies: list[tuple[Path, Path, str]] = []
    by_id: dict[str, Path] = {}
    for ident, dirs in groups.items():
        keep = next((d for d in dirs if ingest_id_of(d) == ident), dirs[0])
        by_id[ident] = keep
        counted.append(keep)
        copies += [(d, keep, f"a copy of {keep.name} (its summary.json names the same ingest)") for d in dirs if d != keep]
    for e in unnamed:
        ident = _summary_info(e)[0]
        if ident is not None and ident in by_id:
            copies.append((e, by_id[ident], f"a copy of {by_id[ident].name} (its summary.json names the same ingest)"))
        elif ident is not None and _INGEST_ID.fullmatch(ident):  # a copy whose original is gone
            why = (f"not an ingest directory (its name is not {INGEST_PREFIX}<id>); its summary.json names "
                   f"ingest {ident}, which no directory holds: renamed {INGEST_PREFIX}{ident} it would be read")
            strays.append((e, why))
        else:
            strays.append((e, f"not an ingest directory (its name is not {INGEST_PREFIX}<id>)"))
    counted.sort()
    copies += _same_source_copies(counted)
    skipped = {d for d, _, _ in copies}
    return IngestListing([d for d in counted if d not in skipped], sorted(copies), strays)


def _summary_info(d: Path) -> tuple[str | None, str, str]:
    """(ingest_id, sha256, format) from ``d/summary.json``; (None, "", "") when it is unreadable
    (a damaged summary is reported by whoever reads it: :meth:`Store.summaries`, ``benchmark check``)."""
    p = d / SUMMARY_FILE
    try:
        st = p.stat()
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        hit = _summary_cache.get(p)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return (None, "", "")
    if not isinstance(value, dict):
        return (None, "", "")
    ident, sha, fmt = value.get("ingest_id"), value.get("sha256"), value.get("format")
    info = (ident if isinstance(ident, str) and ident else None, sha if isinstance(sha, str) else "", fmt if isinstance(fmt, str) else "")
    _summary_cache[p] = (key, info)
    return info


def _same_source_copies(counted: list[Path]) -> list[tuple[Path, Path, str]]:
    """Rule 3: ingests of one source file whose messages all belong to another of them (merged stores).

    Keys are read only for ingests that share a source file, which one store never commits twice
    with the same messages (a re-ingest stores nothing new and is not committed)."""
    same: dict[tuple[str, str], list[Path]] = {}
    for d in counted:
        _, sha, fmt = _summary_info(d)
        if sha:
            same.setdefault((sha, fmt), []).append(d)
    copies: list[tuple[Path, Path, str]] = []
    for dirs in same.values():
        if len(dirs) < 2:
            continue
        sizes = {d: _rows(d / MESSAGES_FILE) for d in dirs}
        order = sorted((d for d in dirs if sizes[d] is not None), key=lambda d: (-sizes[d], d))  # type: ignore[operator]
        kept: list[Path] = []
        for d in order:
            into = next((k for k in kept if _keys_within(d / MESSAGES_FILE, k / MESSAGES_FILE)), None)
            if into is None:
                kept.append(d)
            else:
                copies.append((d, into, f"holds only messages that {into.name} holds (the same source file: two stores merged?)"))
    return copies


def _stat_key(f: Path) -> tuple[int, int, int]:
    st = f.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _rows(f: Path) -> int | None:
    """Rows of a messages file from its footer, or None when it cannot be read."""
    try:
        return int(pl.scan_parquet(f).select(pl.len()).collect().item())
    except Exception:  # noqa: BLE001 - a damaged file is named by message_files, not here
        return None


def _keys_within(f: Path, other: Path) -> bool:
    """True when every message key of ``f`` is in ``other`` (cached per version of both files)."""
    try:
        key = (f, _stat_key(f), other, _stat_key(other))
        if key not in _subset_cache:
            mine, theirs = (pl.scan_parquet(x).select(KEYS) for x in (f, other))
            _subset_cache[key] = mine.join(theirs, on=KEYS, how="anti").select(pl.len()).collect().item() == 0
        return _subset_cache[key]
    except Exception:  # noqa: BLE001 - unreadable: not a copy here; message_files names the damage
        return False


_MARKER_TEXT = json.dumps({"format": "social-care-benchmark store", "version": FORMAT_VERSION}) + "\n"
_MARKER_TMP = f".{MARKER}.tmp-"


def _write_marker(path: Path) -> None:
    """Write the marker by temp file + fsync + rename: readers see no marker or a whole one, never a part."""
    tmp = path / f"{_MARKER_TMP}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(_MARKER_TEXT)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path / MARKER)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{path / MARKER}: cannot be written ({exc.strerror})") from None
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _is_unfinished_new_store(path: Path) -> bool:
    """True for what an interrupted or concurrent *first* ingest leaves: nothing committed yet.

    That is: only ``ingests/`` (holding nothing but staging directories), ``.lock``, a marker
    temp file, or a 0-byte marker (the old, non-atomic marker write cut short).
    """
    for entry in path.iterdir():
        name = entry.name
        if name == INGESTS and entry.is_dir() and not entry.is_symlink():
            if any(not e.name.startswith(".staging-") for e in entry.iterdir()):
                return False
        elif name == MARKER and entry.is_file() and entry.stat().st_size == 0:
            continue
        elif not (name == ".lock" or name.startswith(_MARKER_TMP)):
            return False
    return True


def _has_whole_marker(marker: Path) -> bool:
    try:
        return marker.is_file() and marker.stat().st_size > 0
    except OSError:
        return False


_SETTLE_TRIES, _SETTLE_S = 20, 0.025  # how long a half-seen concurrent creation may take to settle (0.5 s)


def _creation_state(path: Path) -> str:
    """"new" (absent, empty or an unfinished first ingest), "store" (a whole marker) or "foreign".

    The directory is looked at *before* the marker: a creator writes the marker before it commits
    its first ingest, so a committed ingest seen first implies that the marker read next is whole.
    Reading them the other way round let a concurrent first ingest look like a damaged store.
    """
    if not path.exists():
        return "new"
    unfinished = _is_unfinished_new_store(path)
    if _has_whole_marker(path / MARKER):
        return "store"
    return "new" if unfinished else "foreign"


def _link_problem(path: Path) -> str | None:
    """What is wrong with ``path`` when it is a symbolic link that leads nowhere (dangling, or a loop), else None.

    Without this, a dangling link looked like a store whose ``ingests`` is a file, and a loop like any
    OS error: the user must learn that the link is the problem.
    """
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except OSError as exc:
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        if exc.errno == errno.ELOOP:
            return f"a symbolic link that loops (to {target}, which leads back to it); fix the link or choose another store directory"
        if exc.errno == errno.ENOENT:
            return f"a symbolic link to {target}, which does not exist (a dangling link); create {target} or choose another store directory"
        return f"a symbolic link to {target}, which cannot be reached ({(exc.strerror or str(exc)).lower()})"
    return None


def create_store(path: Path | str) -> Store:
    """Open the store at ``path``, creating it when the directory is new or empty.

    Creation is atomic: ``ingests/`` first, then the marker by rename. A directory left by a first
    ingest that was killed, or that is being created by another process at the same moment, counts as new.
    """
    path = Path(path)
    marker = path / MARKER
    if problem := _link_problem(path):
        raise StoreError(f"{path}: {problem}")
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: exists and is not a directory")
    state = _creation_state(path)
    for _ in range(_SETTLE_TRIES):  # another first ingest may be creating the store this very moment
        if state != "foreign":
            break
        time.sleep(_SETTLE_S)
        state = _creation_state(path)
    if state == "foreign":
        if marker.exists():
            raise StoreError(f"{path}: {MARKER} is damaged (empty or not a file) and the store holds ingests; {CHECK_HINT.format(store=path)}")
        raise StoreError(f"{path}: not a benchmark store and not empty; choose a new directory")
    whole_marker = state == "store"
    if whole_marker:  # an existing store: its ingests/ must be there (recreating it would hide lost data)
        store = open_store(path)
        store.ingests_dir()
        return store
    try:
        (path / INGESTS).mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"{path / INGESTS}: exists and is not a directory; {CHECK_HINT.format(store=path)}") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the store ({exc.strerror})") from None
    _write_marker(path)
    return open_store(path)


def is_store(path: Path | str) -> bool:
    """True when ``path`` holds a store (a whole marker): what :func:`discard_unused_store` never removes."""
    return _has_whole_marker(Path(path) / MARKER)


def discard_unused_store(path: Path | str, *, remove_dir: bool) -> bool:
    """Remove a store that a failed first ingest just created and that holds nothing committed.

    Only the store's own entries (``ingests/`` with nothing but staging leftovers, the marker,
    ``.lock``) are removed, under the write lock so that a concurrent ingest into the same new
    store is never disturbed; the directory itself too when ``remove_dir`` (it did not exist
    before). Returns whether the store was removed.
    """
    path = Path(path)
    if not path.is_dir():
        return False
    store = Store(path)
    try:
        with store._write_lock():
            if not _holds_nothing(path):
                return False
            shutil.rmtree(path / INGESTS, ignore_errors=True)
            for entry in path.iterdir():
                if entry.name == MARKER or entry.name.startswith(_MARKER_TMP) or entry.name == ".lock":
                    entry.unlink(missing_ok=True)
    except (StoreError, OSError):
        return False  # another ingest holds the store, or it cannot be cleaned: leave it as it is
    if remove_dir:
        with contextlib.suppress(OSError):
            path.rmdir()
    return True


def _holds_nothing(path: Path) -> bool:
    """A store with no committed ingest and nothing but its own entries (see :func:`_is_unfinished_new_store`)."""
    for entry in path.iterdir():
        name = entry.name
        if name == INGESTS and entry.is_dir() and not entry.is_symlink():
            if any(not e.name.startswith(".staging-") for e in entry.iterdir()):
                return False
        elif not (name in (MARKER, ".lock") or name.startswith(_MARKER_TMP)):
            return False
    return True


def open_store(path: Path | str) -> Store:
    """Open an existing store; raises StoreError when ``path`` is not one."""
    path = Path(path)
    marker = path / MARKER
    if problem := _link_problem(path):
        raise StoreError(f"{path}: {problem}")
    if not marker.exists():
        raise StoreError(f"{path}: not a benchmark store (no {MARKER}); create one with 'benchmark ingest FILE --store {path}'")
    try:
        meta = json.loads(marker.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        meta = None
    if not isinstance(meta, dict) or meta.get("format") != "social-care-benchmark store" or not isinstance(meta.get("version"), int):
        if marker.is_file() and marker.stat().st_size == 0 and _is_unfinished_new_store(path):
            return Store(path)  # a first ingest cut short: an empty store, repaired by the next ingest
        raise StoreError(f"{path}: {MARKER} is damaged; {CHECK_HINT.format(store=path)}")
    if meta["version"] > FORMAT_VERSION:
        raise StoreError(f"{path}: written by a newer social-care-benchmark (store version {meta.get('version')})")
    return Store(path)

"""Per-request facts kept beside the store, so a second question about an unchanged store is instant.

Thread roots, brand attribution and first responses depend only on the set of
committed ingests and on a few options (request definition, automated-reply
delay, first-response rule, brand accounts, whether deflection is computed), never on filters,
ranking or presentation. They are saved once per such key under
``STORE/derived/facts-v1/<key>/`` (plain Parquet and JSON), before any filter;
a new ingest changes the key, and the entries of older ingest sets are removed
when a new one is written. The cache is derived: deleting ``derived/`` costs
one recomputation, a crash while writing leaves only a hidden temporary folder,
and an unreadable entry is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .next_reply import WAIT_COLUMNS
from .options import MetricOptions
from .replies import PAIR_COLUMNS

__all__ = ["Cached", "ENGINES", "FOLDER", "FactsCache", "REPLIES_FILE", "VERSION", "WAIT_INPUTS_FILE", "WRITE"]

VERSION = 1
FOLDER = "derived"
ENGINES = ("polars", "duckdb")  # Spark stores may live on a cluster filesystem this process cannot write
# Written by the first measurement of every store, so written for speed: LZ4 and no column statistics
# (nothing filters these files by statistics) write ~3x quicker than the default zstd, read ~2x quicker,
# and stay plain Parquet that DuckDB and pandas read.
WRITE: dict[str, object] = {"compression": "lz4", "statistics": False}
# Reply pairs and next-reply waits share one file, told apart by a `kind` column; the file's key-value
# metadata `kinds` says which of the two it holds (a file without it holds reply pairs only: written
# before waits were kept).
REPLIES_FILE = "replies.parquet"
# A default ranking's entry also keeps the messages next-reply waits are made of (.next_reply.wait_inputs, without
# the message key: their row number serves), so that a report after it needs no second thread resolution.
# Read only by that report, never by a ranking's cache hit.
WAIT_INPUTS_FILE = "wait_inputs.parquet"


@dataclass(frozen=True)
class Cached:
    """What one measurement of the unfiltered store found."""

    facts: pl.DataFrame  # request_facts() without filters
    unattributed: pl.DataFrame  # platform, ts_us of customer thread starters no brand was found for
    meta: dict[str, object]  # end_us, thread stats, replies before parent, unmatched brands
    replies: pl.DataFrame | None = None  # reply pairs (.replies.reply_pairs), kept with the extended figures
    waits: pl.DataFrame | None = None  # next-reply waits (.next_reply.next_reply_waits): they need the threads, so kept by every entry
    wait_inputs: pl.DataFrame | None = None  # what the waits are made of, kept by entries without the waits (written only)


class FactsCache:
    """The cache entry for one (ingest set, options, engine)."""

    def __init__(self, store_path: Path, files: list[Path], engine: str, options: MetricOptions) -> None:
        self.root = Path(store_path) / FOLDER / f"facts-v{VERSION}"
        ingests = sorted(f.parent.name for f in files)
        self.ingests = hashlib.sha256("\n".join(ingests).encode()).hexdigest()[:16]
        book = None
        if options.brands is not None:
            book = options.brands.accounts_frame().sort(pl.all()).rows()
        parts = {"engine": engine, "requests": options.requests, "min_reply_s": options.min_reply_s,
                 "first_response": options.first_response, "skip_automated": options.skip_automated,
                 "deflection": options.extended, "accounts": book, "brand_accounts": sorted(options.accounts),
                 "polars": pl.__version__}
        if options.requests == "questions":  # the facts hold the detector's verdicts: a new detector is a new entry
            from ..text import folding, questions

            parts["question_rules"] = [questions.QUESTION_REGEX, *folding.NOT_TEXT]
        key = json.dumps(parts, sort_keys=True, default=str)
        self.folder = self.root / f"{self.ingests}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"

    def load(self) -> Cached | None:
        """The entry, or None when missing or unreadable (then it is simply computed again)."""
        try:
            meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("version") != VERSION:
                return None
            replies, waits = _read_reply_rows(self.folder / REPLIES_FILE)
            facts = pl.read_parquet(self.folder / "facts.parquet")
            return Cached(facts, pl.read_parquet(self.folder / "unattributed.parquet"), meta, replies, waits)
        except (OSError, ValueError, pl.exceptions.PolarsError):
            return None

    def load_wait_inputs(self) -> pl.DataFrame | None:
        """The entry's :data:`WAIT_INPUTS_FILE`, or None when it has none or it cannot be read."""
        try:
            return pl.read_parquet(self.folder / WAIT_INPUTS_FILE)
        except (OSError, ValueError, pl.exceptions.PolarsError):
            return None

    def add_replies(self, replies: pl.DataFrame) -> None:
        """Add the reply pairs to an entry saved without them (written aside, renamed into place). Never fails the caller."""
        self._add(replies, None)

    def add_waits(self, waits: pl.DataFrame) -> None:
        """Add the next-reply waits to an entry saved without them. Never fails the caller."""
        self._add(None, waits)

    def _add(self, replies: pl.DataFrame | None, waits: pl.DataFrame | None) -> None:
        tmp = self.folder / f".tmp-{uuid.uuid4().hex}.parquet"
        try:
            old_replies, old_waits = _read_reply_rows(self.folder / REPLIES_FILE)
            _write_reply_rows(tmp, replies if replies is not None else old_replies, waits if waits is not None else old_waits)
            os.replace(tmp, self.folder / REPLIES_FILE)
        except (OSError, pl.exceptions.PolarsError):
            tmp.unlink(missing_ok=True)

    def save(self, entry: Cached) -> None:
        """Write the entry aside and rename it into place; drop entries of other ingest sets. Never fails the caller."""
        tmp = self.root / f".tmp-{uuid.uuid4().hex}"
        try:
            tmp.mkdir(parents=True)
            entry.facts.write_parquet(tmp / "facts.parquet", **WRITE)  # type: ignore[arg-type]
            entry.unattributed.write_parquet(tmp / "unattributed.parquet", **WRITE)  # type: ignore[arg-type]
            _write_reply_rows(tmp / REPLIES_FILE, entry.replies, entry.waits)
            if entry.wait_inputs is not None and entry.waits is None:
                entry.wait_inputs.write_parquet(tmp / WAIT_INPUTS_FILE, **WRITE)  # type: ignore[arg-type]
            (tmp / "meta.json").write_text(json.dumps({**entry.meta, "version": VERSION}), encoding="utf-8")
            try:
                os.rename(tmp, self.folder)
            except OSError:  # another process wrote the same entry first: theirs is as good
                shutil.rmtree(tmp, ignore_errors=True)
            for other in self.root.iterdir():
                if other.name.startswith(".tmp-") or other.name.startswith(self.ingests):
                    continue
                shutil.rmtree(other, ignore_errors=True)  # an older ingest set: stale since the last commit
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # a read-only store: measure without caching


def _read_reply_rows(path: Path) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    """``(reply pairs, waits)`` kept in ``path``; None for what it does not hold (or when it is absent)."""
    if not path.exists():
        return None, None
    kinds = pl.read_parquet_metadata(path).get("kinds")
    rows = pl.read_parquet(path)
    if kinds is None:  # written before waits were kept: reply pairs only
        return rows, None
    held = kinds.split(",")
    pairs = rows.filter(pl.col("kind") == "pair").select(PAIR_COLUMNS) if "pair" in held else None
    waits = rows.filter(pl.col("kind") == "wait").select(WAIT_COLUMNS) if "wait" in held else None
    return pairs, waits


def _write_reply_rows(path: Path, pairs: pl.DataFrame | None, waits: pl.DataFrame | None) -> None:
    """Reply pairs and waits in one file (nothing written when there are neither)."""
    parts = {k: f.with_columns(pl.lit(k).alias("kind")) for k, f in (("pair", pairs), ("wait", waits)) if f is not None}
    if parts:
        rows = pl.concat(list(parts.values()), how="diagonal_relaxed")
        rows.write_parquet(path, metadata={"kinds": ",".join(parts)}, **WRITE)  # type: ignore[arg-type]

"""Twitter API v2 JSON: raw response pages, twarc2 NDJSON, and ``twarc2 flatten`` output.

Accepted layouts: one response page (``{"data": [...], "includes": {...},
"meta": {...}}``), a JSON array of pages, NDJSON with one page per line
(twarc2's default output, with its ``__twarc`` key), one streamed tweet per
line (``data`` is an object), or ``twarc2 flatten`` lines (one tweet per
line, ``author`` and ``referenced_tweets`` expanded). Referenced tweets in
``includes.tweets`` are stored too, once per file.

Mapping: ``message_id`` = tweet id (always a string), ``parent_id`` = the
``replied_to`` reference, ``thread_id`` = ``conversation_id``, ``author_id``
= the author's username when the data names it (else the numeric id),
``kind`` = ``reply`` for replies, else ``tweet`` (quotes and retweets too).
Brand accounts come from ``--brand``, else they are inferred from the data
(:mod:`.twitter_v2_infer`); see :mod:`.twitter_v2_brands` for how customer
tweets are attributed.

NDJSON is streamed line by line in chunks of at most :data:`CHUNK_TWEETS`
tweets. With ``--brand``, the file is read twice: a first, cheap pass (only
lines that contain a brand's handle or id are parsed) learns the brands'
ids and the conversations they write in, so that a customer tweet is
attributed even when the brand's reply comes later in the file. A
pretty-printed (multi-line) JSON document is read into memory whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from ...errors import InputError
from ..base import Chunk, LoadOptions, Reject, rejects_of
from .._read.normalize import clean_id, first_problem, parse_timestamp
from .brands import BrandAccounts, attribute_customers, mark_brand_authors
from .infer import InferredBrand, infer_brands, inferred_note
from .records import Batch, PageWalker, error_note, is_tweet

__all__ = [
    "CHUNK_TWEETS", "LOADER", "Record", "SILENT_NOTE_LIMIT", "Source", "TwitterV2Loader",
    "WHOLE_DOCUMENT_LIMIT",
]

CHUNK_TWEETS = 50_000
WHOLE_DOCUMENT_LIMIT = 512 * 1024 * 1024  # a multi-line JSON document is parsed whole only up to this size
_BOM = b"\xef\xbb\xbf"
_COMPLIANCE_FIELDS = frozenset({"id", "action", "created_at", "redacted_at", "reason"})
# Field names only Twitter API v2 writes (v1.1 says favorite_count, id_str; Graph APIs say created_time, like_count).
_V2_ONLY_FIELDS = ('"conversation_id"', '"edit_history_tweet_ids"', '"public_metrics"', '"pinned_tweet_id"', '"reply_settings"')

Record = tuple[int, Any]  # (record number, parsed JSON value or a Reject)


@dataclass(frozen=True)
class Source:
    """How a file is laid out: NDJSON lines, or one JSON document already parsed."""

    path: Path
    document: Any = None
    is_document: bool = False

    def records(self, wanted: Callable[[bytes], bool] | None = None) -> Iterator[Record]:
        """Every record in file order; lines failing ``wanted`` (lower-cased bytes) are skipped unparsed."""
        if self.is_document:
            items = self.document if isinstance(self.document, list) else [self.document]
            yield from enumerate(items, 1)
            return
        with self.path.open("rb") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip() or (wanted is not None and not wanted(line.lower())):
                    continue
                try:
                    yield number, json.loads(line)
                except UnicodeDecodeError:
                    yield number, Reject(number, f"line {number}: not UTF-8 text", _excerpt(line))
                except ValueError as exc:
                    cut = "truncated last line (the export was cut off): " if not line.endswith(b"\n") else ""
                    yield number, Reject(number, f"line {number}: {cut}not valid JSON ({_json_error(exc)})", _excerpt(line))


class TwitterV2Loader:
    name = "twitter-v2"
    description = "Twitter API v2 JSON: response pages, twarc2 NDJSON, twarc2 flatten output"

    def sniff(self, head: bytes, path: Path) -> bool:
        text = head.lstrip(_BOM).lstrip()
        if text[:1] not in (b"{", b"["):
            return False
        s = text.decode("utf-8", "replace")
        if '"__twarc"' in s:
            return True
        if '"created_time"' in s or '"id_str"' in s:  # Facebook Graph, Twitter v1.1
            return False
        first = text.split(b"\n", 1)[0]
        try:
            return _looks_v2(json.loads(first))
        except ValueError:  # a pretty-printed document, or a first line longer than the head
            return any(marker in s for marker in _V2_ONLY_FIELDS)

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        source = _open_source(path)
        limit = max(1, min(options.chunk_rows, CHUNK_TWEETS))
        inferred = [] if options.brands else infer_brands(source, limit)  # --brand (or a brands file) overrides
        accounts = BrandAccounts.from_options(options.brands or [b.handle for b in inferred])
        if accounts:
            _learn_brands(source, accounts, limit)
        conversations = accounts.conversation_brands()
        walker = PageWalker()
        for record, value in source.records():
            if isinstance(value, Reject):
                walker.batch.rejects.append(value)
            else:
                walker.feed(value, record)
            if walker.batch.tweets >= limit or len(walker.batch.rejects) >= limit:
                yield _chunk(walker.take(), accounts, conversations, str(path))
        last = _chunk(walker.take(), accounts, conversations, str(path))
        last.notes.extend(_notes(walker, accounts, inferred))
        yield last


def _open_source(path: Path) -> Source:
    """Decide between NDJSON and a single JSON document; InputError when the file is not JSON."""
    try:
        with path.open("rb") as fh:
            first = fh.readline()
            while first and not first.strip():
                first = fh.readline()
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    start = first.lstrip(_BOM).lstrip()
    if not start:
        raise InputError(path, "the file is empty")
    if start[:1] not in (b"{", b"["):
        shown = start[:20].decode("utf-8", "replace")
        raise InputError(path, f"not JSON (starts with {shown!r}); expected Twitter API v2 pages or twarc2 NDJSON")
    try:
        json.loads(first.lstrip(_BOM))
        return Source(path)
    except ValueError as exc:
        first_error = exc
    if path.stat().st_size <= WHOLE_DOCUMENT_LIMIT:
        try:
            with path.open("rb") as fh:
                return Source(path, document=json.loads(fh.read().lstrip(_BOM)), is_document=True)
        except ValueError:
            pass
    if any(not isinstance(v, Reject) for _, v in Source(path).records()):
        return Source(path)  # NDJSON whose first line is damaged
    raise InputError(path, f"not valid JSON ({_json_error(first_error)})", record=1)


def _looks_v2(obj: Any) -> bool:
    """A first record that only Twitter v2 tools write."""
    if isinstance(obj, list):
        return bool(obj) and _looks_v2(obj[0])
    if not isinstance(obj, dict):
        return False
    if "data" in obj:
        data = obj["data"]
        item = data if isinstance(data, dict) else data[0] if isinstance(data, list) and data else None
        if isinstance(item, dict) and ("tweet_count" in item and "start" in item):
            return True
        return item is not None and _v2_tweet(item)
    if "action" in obj and obj.keys() <= _COMPLIANCE_FIELDS:
        return True  # a compliance job's output
    return _v2_tweet(obj)


def _v2_tweet(obj: Any) -> bool:
    return is_tweet(obj) and ("conversation_id" in obj or "edit_history_tweet_ids" in obj or ("author_id" in obj and "created_at" in obj))


def _learn_brands(source: Source, accounts: BrandAccounts, limit: int) -> None:
    """First pass: brand ids/usernames and the conversations brands write in (only lines naming a brand are parsed)."""
    tokens = accounts.tokens()
    walker = PageWalker()

    def learn(batch: Batch) -> None:
        tweets, users, _mentions = batch.frames()
        accounts.learn(users)
        good, _rejects = _validate(tweets)
        accounts.remember_conversations(mark_brand_authors(good, users, accounts))

    for record, value in source.records(wanted=lambda line: any(t in line for t in tokens)):
        if not isinstance(value, Reject):
            walker.feed(value, record)
        if walker.batch.tweets >= limit:
            learn(walker.take())
    learn(walker.take())


def _validate(tweets: pl.DataFrame) -> tuple[pl.DataFrame, list[Reject]]:
    """Clean ids and parse times; tweets that cannot be stored become rejects with the reason."""
    mid, mid_problem = clean_id("message_id")
    pid, pid_problem = clean_id("parent_id")
    cid, _cid_problem = clean_id("conversation_id")
    created, created_problem = parse_timestamp("created_at")
    df = tweets.with_columns(pl.col("message_id").alias("_raw_id")).with_columns(
        mid.alias("message_id"),
        pid.alias("parent_id"),
        cid.alias("conversation_id"),
        created.alias("created_at"),
        first_problem(
            pl.when(pl.col("message_id").is_null()).then(pl.lit("tweet without an id")),
            mid_problem.str.replace("^message_id", "tweet id"),
            pl.when(pl.col("created_at").is_null()).then(
                pl.lit("tweet has no created_at (request it with tweet.fields=created_at)")
            ),
            created_problem,
            pid_problem.str.replace("^parent_id", "replied_to id"),
        ).alias("_problem"),
    )
    rejects = rejects_of(df, value="_raw_id", label="tweet id")
    return df.filter(pl.col("_problem").is_null()).drop("_problem", "_raw_id"), rejects


def _chunk(batch: Batch, accounts: BrandAccounts, conversations: pl.DataFrame, source: str) -> Chunk:
    tweets, users, mentions = batch.frames()
    good, rejects = _validate(tweets)
    marked = mark_brand_authors(good, users, accounts)
    attributed = attribute_customers(marked, mentions, accounts, conversations)
    messages = attributed.select(
        pl.lit("twitter").alias("platform"),
        "brand",
        "message_id",
        "parent_id",
        pl.col("conversation_id").alias("thread_id"),
        pl.coalesce("author_username", "author_id").alias("author_id"),
        "is_brand",
        pl.when(pl.col("parent_id").is_null()).then(pl.lit("tweet")).otherwise(pl.lit("reply")).alias("kind"),
        "created_at",
        "text",
        pl.lit(source).alias("source_file"),
    )
    return Chunk(messages=messages, rejects=[*batch.rejects, *rejects])


SILENT_NOTE_LIMIT = 3  # above this many accounts (a brands file) per-account notes would drown the output


def _notes(walker: PageWalker, accounts: BrandAccounts, inferred: list[InferredBrand]) -> list[str]:
    notes = []
    if not accounts:
        notes.append("no --brand given: tweets cannot be attributed to a brand")
    elif inferred:
        notes.append(inferred_note(inferred))
    silent = accounts.silent()
    if accounts and len(accounts.display) <= SILENT_NOTE_LIMIT:  # a few accounts named by hand: say which are silent
        for brand in silent:
            notes.append(f"--brand {brand}: this account writes no tweet in the file, so no response time can be measured for it")
    elif accounts and len(silent) == len(accounts.display):  # a brands file: only worth saying when none of them writes
        notes.append(f"none of the {len(silent)} brand accounts writes a tweet in this file, so no response time can be measured")
    if walker.repeated:
        copies = "copy" if walker.repeated == 1 else "copies"
        notes.append(f"{walker.repeated:,} {copies} of tweets already read (referenced tweets in includes.tweets) skipped")
    errors = error_note(walker)
    if errors:
        notes.append(errors)
    return notes


def _json_error(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg}, column {exc.colno}"
    return str(exc)[:80]


def _excerpt(line: bytes, limit: int = 200) -> str:
    return line[:limit].decode("utf-8", "replace").rstrip("\r\n")


LOADER = TwitterV2Loader()

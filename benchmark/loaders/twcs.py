"""Kaggle's "Customer Support on Twitter" (TWCS) CSV.

Columns ``tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id``. Company accounts are the authors of
``inbound == False`` tweets. Threads are rebuilt from the parent pointers
only: ``response_tweet_id`` lists are often corrupted by spreadsheets.

Brand attribution for customer tweets: the company that writes the earliest
company message in the thread (at or after the thread's first tweet); else
the first ``@handle`` in the first tweet that is a known company; else none
(counted as unattributed by the metrics, never ranked).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import polars as pl

from .attribution import attribute_by_thread
from .base import Chunk, LoadOptions, rejects_of
from ..errors import InputError
from ._read.csvread import CsvBlock, open_csv, require_columns
from .pipeline import parsed_ahead
from ._read.normalize import EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, clean_id, first_problem, parse_bool, timestamp_out_of_range

__all__ = ["LOADER", "REQUIRED", "TIME_FORMAT", "TwcsLoader", "parse_twcs"]

REQUIRED = ["tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id"]
TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"  # Tue Oct 31 22:10:47 +0000 2017


class TwcsLoader:
    name = "twcs"
    description = 'Kaggle "Customer Support on Twitter" CSV (twcs.csv)'

    def sniff(self, head: bytes, path: Path) -> bool:
        first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").lower()
        return all(col in first for col in ("tweet_id", "author_id", "inbound", "in_response_to_tweet_id"))

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        stream = open_csv(path, encoding=options.encoding)
        try:
            require_columns(path, stream.columns, REQUIRED)
        except InputError:
            stream.close()
            raise
        # Streamed: brands missed at a block edge come from the metrics' responder attribution.
        yield from parsed_ahead(stream.blocks(), partial(_block_chunk, source=str(path)))


def _block_chunk(block: CsvBlock, source: str) -> Chunk:
    chunk = parse_twcs(block.rows, source=source)
    return Chunk(messages=chunk.messages, rejects=[*block.rejects, *chunk.rejects])


def parse_twcs(raw: pl.DataFrame, source: str) -> Chunk:
    """Turn an all-string TWCS frame (with ``_record``) into one canonical chunk.

    Values are cleaned for every record; the reasons (strings) are built only for the
    records that fail the cheap checks, usually none.
    """
    mid, mid_problem = clean_id("tweet_id")
    pid, pid_problem = clean_id("in_response_to_tweet_id")
    inbound, inbound_problem = parse_bool("inbound")
    created = pl.col("created_at").str.strip_chars().str.to_datetime(TIME_FORMAT, strict=False)
    created_utc = created.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    author = pl.col("author_id").str.strip_chars()
    df = raw.with_columns(
        mid.alias("message_id"),
        pid.alias("_parent"),
        author.alias("_author"),
        inbound.alias("_inbound"),
        created_utc.alias("_created"),
    )
    utc = pl.Datetime("us", "UTC")
    parent_given = pl.col("in_response_to_tweet_id").str.strip_chars().fill_null("") != ""
    ok = (
        pl.col("message_id").is_not_null()
        & (~parent_given | pl.col("_parent").is_not_null())
        & (pl.col("_author").fill_null("") != "")
        & pl.col("_inbound").is_not_null()
        & (pl.col("_created") >= pl.lit(EARLIEST_TIMESTAMP, dtype=utc))
        & (pl.col("_created") < pl.lit(LATEST_TIMESTAMP, dtype=utc))
    ).fill_null(False)
    df = df.with_columns(ok.alias("_ok"))
    bad = df.filter(~pl.col("_ok"))
    rejects = []
    if bad.height:
        bad = bad.select(
            "_record",
            "message_id",
            first_problem(
                pl.when(pl.col("tweet_id").str.strip_chars().fill_null("") == "").then(pl.lit("tweet_id is empty")),
                mid_problem,
                pid_problem,
                pl.when(author.fill_null("") == "").then(pl.lit("author_id is empty")),
                inbound_problem,
                pl.when(created.is_null()).then(
                    pl.format("created_at {} is not like 'Tue Oct 31 22:10:47 +0000 2017'", pl.col("created_at").fill_null(""))
                ),
                timestamp_out_of_range(pl.col("_created")),
            ).alias("_problem"),
        )
        rejects = rejects_of(bad, value="message_id", label="tweet_id")
    good = df.filter(pl.col("_ok")).select(
        "_record", "message_id", pl.col("_parent").alias("parent_id"), pl.col("_author").alias("author_id"),
        pl.col("_inbound").alias("inbound"), pl.col("_created").alias("created_at"), "text",
    )
    return Chunk(messages=_attribute(good, source), rejects=rejects)


def _attribute(good: pl.DataFrame, source: str) -> pl.DataFrame:
    """Canonical rows with thread roots and brands (see the module docstring)."""
    g = attribute_by_thread(good.with_columns((~pl.col("inbound")).alias("is_brand")), platform="twitter")
    return g.select(
        pl.lit("twitter").alias("platform"),
        "brand",
        "message_id",
        "parent_id",
        "thread_id",
        "author_id",
        "is_brand",
        pl.when(pl.col("parent_id").is_null()).then(pl.lit("tweet")).otherwise(pl.lit("reply")).alias("kind"),
        "created_at",
        "text",
        pl.lit(source).alias("source_file"),
    )


LOADER = TwcsLoader()

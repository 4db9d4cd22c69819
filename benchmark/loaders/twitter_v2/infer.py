"""Brand accounts of a Twitter API v2 file read without ``--brand``, found the way a person would.

A search export around a brand holds customers' tweets that mention its care account and that account's
replies. So an account is taken for a brand when thread starters mention it and it replies, inside those
threads, to at least :data:`MIN_CUSTOMERS` distinct other accounts: a friend who is mentioned and answers
once or twice is not a care desk. The accounts found are said on stderr with the requests each got
(thread starters attributed to it as the loader does: the first inferred brand mentioned, else the first
inferred brand writing in the conversation); ``--brand`` (or a brands file) replaces the inference.
This costs one more pass over the file, only when no brand account is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import polars as pl

from ..base import Reject
from .records import Batch, PageWalker

if TYPE_CHECKING:
    from .loader import Source

MIN_CUSTOMERS: Final = 3  # distinct accounts a care desk answers in threads that mention it
SHOWN: Final = 10  # accounts named in the note; the rest are counted


@dataclass(frozen=True)
class InferredBrand:
    """An account taken for a brand: its handle as written, the customers it answers, the requests it gets."""

    handle: str
    customers: int
    requests: int


def infer_brands(source: Source, limit: int) -> list[InferredBrand]:
    """The brand accounts of ``source``, most requests first (ties by handle)."""
    walker = PageWalker()
    tweets: list[pl.DataFrame] = []
    mentions: list[pl.DataFrame] = []
    for _record, value in source.records():
        if not isinstance(value, Reject):
            walker.feed(value, _record)
        if walker.batch.tweets >= limit:
            _collect(walker.take(), tweets, mentions)
    _collect(walker.take(), tweets, mentions)
    return _infer(pl.concat(tweets).unique("message_id", keep="first"), pl.concat(mentions).unique(["message_id", "pos", "handle"]))


def _collect(batch: Batch, tweets: list[pl.DataFrame], mentions: list[pl.DataFrame]) -> None:
    """Keep the narrow columns inference needs from one batch."""
    t, users, m = batch.frames()
    names = users.select(pl.col("user_id").alias("author_id"), pl.col("username").alias("_name"))
    reply_names = users.select(pl.col("user_id").alias("reply_user_id"), pl.col("username").alias("_reply_name"))
    t = (
        t.filter(pl.col("message_id").is_not_null())
        .join(names, on="author_id", how="left", maintain_order="left")
        .join(reply_names, on="reply_user_id", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("author_username", "_name", "author_id").alias("name"),
            pl.coalesce("reply_username", "_reply_name").str.to_lowercase().alias("reply_to"),
        )
    )
    tweets.append(t.select(
        "message_id", "parent_id", "conversation_id", "is_retweet", "created_at", "name",
        pl.col("name").str.to_lowercase().alias("author"), "reply_to",
    ))
    mentions.append(
        m.join(t.select("_row", "message_id"), on="_row", how="inner")
        .with_columns(pl.int_range(pl.len()).over("_row").alias("pos"))
        .select("message_id", "pos", pl.col("_handle").str.to_lowercase().alias("handle"))
    )


def _infer(tweets: pl.DataFrame, mentions: pl.DataFrame) -> list[InferredBrand]:
    parents = tweets.select(pl.col("message_id").alias("parent_id"), pl.col("author").alias("_parent_author"))
    tweets = tweets.join(parents, on="parent_id", how="left").with_columns(pl.coalesce("reply_to", "_parent_author").alias("reply_to"))
    starters = tweets.filter(pl.col("parent_id").is_null() & ~pl.col("is_retweet").fill_null(False))
    mentioned = mentions.join(starters.select("message_id", "conversation_id", pl.col("author").alias("_starter")), on="message_id")
    threads = mentioned.filter(pl.col("handle") != pl.col("_starter")).select("handle", "conversation_id").unique()
    answers = (
        tweets.filter(pl.col("reply_to").is_not_null() & (pl.col("reply_to") != pl.col("author")))
        .join(threads, left_on=["author", "conversation_id"], right_on=["handle", "conversation_id"], how="inner")
        .group_by("author")
        .agg(pl.col("reply_to").n_unique().alias("customers"), pl.col("name").first().alias("handle"))
        .filter(pl.col("customers") >= MIN_CUSTOMERS)
    )
    if answers.height == 0:
        return []
    brands = answers.get_column("author").to_list()
    customer_starters = starters.filter(~pl.col("author").is_in(brands))
    by_mention = (
        mentions.filter(pl.col("handle").is_in(brands)).sort("message_id", "pos")
        .unique("message_id", keep="first").select("message_id", pl.col("handle").alias("_by_mention"))
    )
    by_conversation = (
        tweets.filter(pl.col("author").is_in(brands) & pl.col("conversation_id").is_not_null()).sort("created_at", "author")
        .unique("conversation_id", keep="first").select("conversation_id", pl.col("author").alias("_by_conversation"))
    )
    requests = (
        customer_starters.join(by_mention, on="message_id", how="left").join(by_conversation, on="conversation_id", how="left")
        .select(pl.coalesce("_by_mention", "_by_conversation").alias("author")).drop_nulls()
        .group_by("author").agg(pl.len().alias("requests"))
    )
    found = answers.join(requests, on="author", how="left").with_columns(pl.col("requests").fill_null(0))
    return [InferredBrand(h, c, r) for h, c, r in found.sort(["requests", "handle"], descending=[True, False]).select("handle", "customers", "requests").iter_rows()]


def inferred_note(found: list[InferredBrand]) -> str:
    """``no --brand given: 2 brand account(s) inferred …: @A (12 requests), @B (3 requests); …``."""
    listed = ", ".join(f"@{b.handle} ({b.requests:,} request{'s' if b.requests != 1 else ''})" for b in found[:SHOWN])
    more = f" and {len(found) - SHOWN:,} more" if len(found) > SHOWN else ""
    return (
        f"no --brand given: {len(found)} brand account(s) inferred from the data (mentioned by thread starters and answering "
        f"at least {MIN_CUSTOMERS} distinct customers in those threads): {listed}{more}; give --brand to choose them yourself"
    )


__all__ = ["MIN_CUSTOMERS", "InferredBrand", "infer_brands", "inferred_note"]

"""Reply time (Sprout Social's "reply time"; the reply pairs public TWCS analyses publish).

Every brand message that **directly** replies to a customer message counts once, timed from
that customer message:

* a *reply pair* is a message with ``is_brand`` and a brand whose ``parent_id`` is the
  ``message_id`` of a customer message (``is_brand`` false) of the same platform;
* its **reply time** is the reply's timestamp minus the parent's, in seconds;
* it belongs to the replying brand (the reply's ``brand`` after brands-file merging) and
  is dated by the customer message (filters ``--since``/``--until`` and ``--period`` read
  the parent's time);
* a pair dated before its parent (clock skew) is left out (such messages are counted in
  the diagnostics' ``replies_before_parent``), and so is one sooner than
  ``--min-reply-seconds`` (automated replies);
* with ``--skip-automated`` an automated reply (:mod:`.automated`) is no pair;
* threads, request definitions and the first-response rule play no part: a brand reply to
  a customer follow-up counts, a brand message replying to a brand message does not.

Written once against the Narwhals lazy API (every engine).
"""

from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw

from ..engine import TS_COLUMN
from .agents import agent_of
from .automated import AUTOMATED

__all__ = ["AGENT_COLUMNS", "PAIR_COLUMNS", "REPLY_COLUMNS", "reply_pairs", "reply_table"]

REPLY_COLUMNS = ("replies", "reply_median_s", "reply_mean_s", "reply_p90_s")
AGENT_COLUMNS = ("signed_replies", "agents")
PAIR_COLUMNS = ("platform", "brand", "reply_id", "parent_ts_us", "reply_s", "agent")


def reply_pairs(messages: nw.LazyFrame, min_reply_s: float | None = None) -> nw.LazyFrame:
    """One row per reply pair (:data:`PAIR_COLUMNS`) of ``messages`` (canonical columns, brands merged)."""
    delay_us = int(round((min_reply_s or 0) * 1_000_000))
    parents = messages.filter(~nw.col("is_brand")).select(
        "platform", nw.col("message_id").alias("_parent_id"), nw.col(TS_COLUMN).alias("parent_ts_us")
    )
    replies = messages.filter(nw.col("is_brand") & ~nw.col("brand").is_null() & ~nw.col("parent_id").is_null())
    if AUTOMATED in messages.collect_schema().names():  # --skip-automated
        replies = replies.filter(~nw.col(AUTOMATED))
    replies = replies.select(
        "platform",
        "brand",
        nw.col("message_id").alias("reply_id"),
        nw.col("parent_id").alias("_parent_id"),
        nw.col(TS_COLUMN).alias("_reply_ts"),
        agent_of(nw.col("text")).alias("agent"),
    )
    pairs = replies.join(parents, on=["platform", "_parent_id"], how="inner").filter(
        nw.col("_reply_ts") >= nw.col("parent_ts_us") + delay_us
    )
    return pairs.select(
        "platform", "brand", "reply_id", "parent_ts_us", ((nw.col("_reply_ts") - nw.col("parent_ts_us")) / 1_000_000).alias("reply_s"), "agent"
    )


def reply_table(pairs: nw.LazyFrame, keys: Sequence[str]) -> nw.LazyFrame:
    """Per ``keys``: ``replies`` (count), median, mean and 90th percentile (linear interpolation) of ``reply_s``,
    and :data:`AGENT_COLUMNS` (signed replies, distinct agents; null where a row has no signed reply)."""
    reply = nw.col("reply_s")
    table = pairs.group_by(*keys).agg(
        nw.len().cast(nw.Int64).alias("replies"),
        reply.median().alias("reply_median_s"),
        reply.mean().alias("reply_mean_s"),
        reply.quantile(0.9, interpolation="linear").alias("reply_p90_s"),
    )
    signed = pairs.filter(~nw.col("agent").is_null()).group_by(*keys).agg(
        nw.len().cast(nw.Int64).alias("signed_replies"), nw.col("agent").n_unique().cast(nw.Int64).alias("agents")
    )
    return table.join(signed, on=list(keys), how="left")

"""Automated brand replies: the same text sent to many customers within seconds (``--skip-automated``).

``--min-reply-seconds`` drops every quick reply, human or not. This rule looks at what the brand
sent instead (docs/metrics.md, "Automated replies"): a brand reply is **automated** when

* it is a reply pair (:mod:`.replies`: a brand message whose parent is a customer message of the
  same platform) sent at most :data:`AUTOMATED_MAX_SECONDS` after that customer message, and
* the same brand sent the same **normalised** text (lower case, ``@handles`` and web addresses
  removed, runs of white space made one space, trimmed; empty texts never count) as such quick
  replies to at least :data:`AUTOMATED_MIN_CUSTOMERS` distinct customers (parent authors).

Written once against the Narwhals lazy API (every engine).
"""

from __future__ import annotations

from typing import Final

import narwhals as nw

from ..defaults import AUTOMATED_MAX_SECONDS, AUTOMATED_MIN_CUSTOMERS
from ..engine import TS_COLUMN

__all__ = ["AUTOMATED", "automated_replies", "normalised", "with_automated_flag"]

AUTOMATED: Final = "_automated"  # the flag column the facts read


def normalised(text: nw.Expr) -> nw.Expr:
    """The text a template leaves the same: lower case, no @handles or web addresses, one space per run."""
    return (
        text.str.to_lowercase()
        .str.replace_all(r"@\w+", "")
        .str.replace_all(r"https?://\S+", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def automated_replies(messages: nw.LazyFrame) -> nw.LazyFrame:
    """``platform, message_id`` of every automated brand reply in ``messages`` (canonical columns with text)."""
    parents = messages.filter(~nw.col("is_brand")).select(
        "platform", nw.col("message_id").alias("_parent_id"), nw.col("author_id").alias("_customer"), nw.col(TS_COLUMN).alias("_parent_ts")
    )
    quick = (
        messages.filter(nw.col("is_brand") & ~nw.col("brand").is_null() & ~nw.col("parent_id").is_null())
        .select("platform", "brand", "message_id", nw.col("parent_id").alias("_parent_id"), TS_COLUMN, normalised(nw.col("text")).alias("_norm"))
        .join(parents, on=["platform", "_parent_id"], how="inner")
        .filter(
            (nw.col(TS_COLUMN) >= nw.col("_parent_ts"))
            & (nw.col(TS_COLUMN) <= nw.col("_parent_ts") + AUTOMATED_MAX_SECONDS * 1_000_000)
            & (nw.col("_norm").str.len_chars() > 0).fill_null(False)
            & ~nw.col("_customer").is_null()
        )
    )
    templates = (
        quick.group_by("platform", "brand", "_norm")
        .agg(nw.col("_customer").n_unique().alias("_customers"))
        .filter(nw.col("_customers") >= AUTOMATED_MIN_CUSTOMERS)
        .select("platform", "brand", "_norm")
    )
    return quick.join(templates, on=["platform", "brand", "_norm"], how="inner").select("platform", "message_id").unique()


def with_automated_flag(messages: nw.LazyFrame) -> nw.LazyFrame:
    """``messages`` plus :data:`AUTOMATED` (true for automated brand replies, else false)."""
    flags = automated_replies(messages).with_columns(nw.lit(True).alias(AUTOMATED))
    return messages.join(flags, on=["platform", "message_id"], how="left").with_columns(nw.col(AUTOMATED).fill_null(False))

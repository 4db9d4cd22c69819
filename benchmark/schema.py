"""The canonical message table every loader produces and the store keeps.

One row per message. Times are UTC, timezone-aware, microsecond precision.
The column list is the contract between loaders, the store and the metrics:
change it here and everything downstream follows.
"""

from __future__ import annotations

from typing import Final

import polars as pl

__all__ = [
    "COLUMNS", "KINDS", "MESSAGE_SCHEMA", "PLATFORMS", "REQUIRED_NON_NULL", "UTC_US", "conform",
    "empty_messages",
]

PLATFORMS: Final = ("facebook", "twitter", "instagram", "other")
KINDS: Final = ("post", "comment", "reply", "mention", "tweet", "other")

UTC_US: Final = pl.Datetime("us", "UTC")

MESSAGE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "platform": pl.String(),
    "brand": pl.String(),  # account whose care is measured; null = not attributed
    "message_id": pl.String(),  # unique per platform
    "parent_id": pl.String(),  # null for thread starters
    "thread_id": pl.String(),  # root message id when the source knows it
    "author_id": pl.String(),
    "is_brand": pl.Boolean(),  # written by the brand's own account
    "kind": pl.String(),
    "created_at": UTC_US,
    "text": pl.String(),
    "source_file": pl.String(),
    "ingested_at": UTC_US,
    "lang": pl.String(),  # ISO 639-1 code detected at ingest; null = unknown (or a store written before it)
}

COLUMNS: Final = tuple(MESSAGE_SCHEMA)
REQUIRED_NON_NULL: Final = ("platform", "message_id", "is_brand", "created_at")


def empty_messages() -> pl.DataFrame:
    """A zero-row frame with the canonical schema."""
    return pl.DataFrame(schema=MESSAGE_SCHEMA)


def conform(df: pl.DataFrame) -> pl.DataFrame:
    """Select and cast ``df`` to the canonical schema, adding missing nullable columns.

    Loaders build frames in whatever order is natural to their format; this is the
    single place that makes them identical for the store.
    """
    exprs = []
    for name, dtype in MESSAGE_SCHEMA.items():
        if name in df.columns:
            exprs.append(pl.col(name).cast(dtype))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return df.select(exprs)

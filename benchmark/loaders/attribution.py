"""Decide which brand a customer message is addressed to, from its thread.

Used by formats where one file mixes many brands (TWCS, generic CSV with
several brand accounts). A thread belongs to the brand whose account writes
the earliest brand message in it at or after the thread's first message;
failing that, to the first ``@handle`` in the first message that is a known
brand account; failing that, to nobody (the metrics count such requests as
unattributed and never rank them).
"""

from __future__ import annotations

import narwhals as nw
import polars as pl

from ..engine import PolarsEngine
from ..threads import resolve_roots
from .normalize import HANDLE_PATTERN


def attribute_by_thread(df: pl.DataFrame, platform: str) -> pl.DataFrame:
    """Add ``thread_id`` and ``brand`` to ``df``.

    ``df`` needs ``message_id, parent_id, author_id, is_brand, created_at, text``;
    a brand message's brand is its own author.
    """
    # Ids repeated in one file (re-sent or conflicting copies) must not multiply rows: the store keeps the first.
    first = df.lazy().unique("message_id", keep="first", maintain_order=True)
    edges = nw.from_native(first.select(pl.lit(platform).alias("platform"), "message_id", "parent_id"))
    roots_nw, _stats = resolve_roots(edges, PolarsEngine().materialize)
    roots = roots_nw.collect("polars").to_native().select("message_id", "root_id")
    g = df.join(roots, on="message_id", how="left")

    accounts = (
        g.filter(pl.col("is_brand"))
        .select(pl.col("author_id").str.to_lowercase().alias("_handle"), pl.col("author_id").alias("_account"))
        .unique("_handle", keep="first")
    )
    root_times = g.select(pl.col("message_id").alias("root_id"), pl.col("created_at").alias("_root_at"))
    responder = (
        g.filter(pl.col("is_brand") & pl.col("root_id").is_not_null())
        .join(root_times, on="root_id", how="inner")
        .filter(pl.col("created_at") >= pl.col("_root_at"))
        .sort("created_at", "message_id")
        .group_by("root_id", maintain_order=True)
        .agg(pl.col("author_id").first().alias("_responder"))
    )
    mentioned = (
        g.filter(pl.col("message_id") == pl.col("root_id"))
        .select("root_id", pl.col("text").fill_null("").str.extract_all(HANDLE_PATTERN).alias("_handle"))
        .explode("_handle")
        .with_columns(pl.col("_handle").str.strip_prefix("@").str.to_lowercase())
        .join(accounts, on="_handle", how="inner", maintain_order="left")
        .group_by("root_id", maintain_order=True)
        .agg(pl.col("_account").first().alias("_mentioned"))
    )
    g = g.join(responder, on="root_id", how="left").join(mentioned, on="root_id", how="left")
    return g.with_columns(
        pl.when(pl.col("is_brand"))
        .then(pl.col("author_id"))
        .otherwise(pl.coalesce("_responder", "_mentioned"))
        .alias("brand"),
        pl.col("root_id").alias("thread_id"),
    ).drop("root_id", "_responder", "_mentioned")

"""Decide which brand a customer message is addressed to, from its thread.

Used by formats where one file mixes many brands (TWCS, generic CSV with
several brand accounts). A thread belongs to the brand whose account writes
the earliest brand message in it at or after the thread's first message;
failing that, to the first ``@handle`` in the first message that is a known
brand account; failing that, to nobody (the metrics count such requests as
unattributed and never rank them).

Threads come from the Polars thread kernel (integer root rows), so a whole
file of millions of messages is attributed with integer joins only.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ..engine.polars_threads import resolve
from ._read.normalize import HANDLE_PATTERN

__all__ = ["attribute_by_thread"]


def attribute_by_thread(df: pl.DataFrame, platform: str, handles: str | None = None) -> pl.DataFrame:
    """Add ``thread_id`` and ``brand`` to ``df`` (same rows, same order).

    ``df`` needs ``message_id, parent_id, author_id, is_brand, created_at`` and ``text``, or
    instead of the text a list column ``handles`` of each thread starter's @handles;
    a brand message's brand is its own author. Ids repeated in one file (re-sent or
    conflicting copies) do not multiply rows: the first copy decides.
    """
    edges = df.select(pl.lit(platform).alias("platform"), "message_id", "parent_id")
    roots, up, status, _parent, _stats, (_keys, first) = resolve(edges, root_ids=False)
    if first is not None:  # a repeated id: every copy follows the first copy's thread
        up = up[first]
        status = status[first]
    done = status != 2
    g = df.with_columns(
        pl.Series("_root", np.where(done, up, -1), dtype=pl.Int64).set(pl.Series(~done), None),
    )
    root_at = pl.col("created_at").gather(pl.col("_root").fill_null(0))
    responder = (
        g.filter(pl.col("is_brand") & pl.col("_root").is_not_null() & (pl.col("created_at") >= root_at))
        .group_by("_root")
        .agg(pl.col("author_id").sort_by("created_at", "message_id").first().alias("_responder"))
    )
    starters = g.with_row_index("_row").filter(pl.col("_row").cast(pl.Int64) == pl.col("_root"))
    if first is not None:
        starters = starters.unique("_root", keep="first", maintain_order=True)
    # Mentions decide only where no brand writes in the thread: look only at those starters.
    starters = starters.join(responder.select("_root"), on="_root", how="anti", maintain_order="left")
    found = pl.col(handles) if handles else pl.col("text").fill_null("").str.extract_all(HANDLE_PATTERN)
    if starters.height:
        accounts = (
            g.filter(pl.col("is_brand"))
            .select(pl.col("author_id").alias("_account"))
            .unique(maintain_order=True)  # the few distinct accounts, in order of first appearance
            .select(pl.col("_account").str.to_lowercase().alias("_handle"), "_account")
            .unique("_handle", keep="first", maintain_order=True)
        )
        mentioned = (
            starters.select("_root", found.alias("_handle"))
            .explode("_handle")
            .with_columns(pl.col("_handle").str.strip_prefix("@").str.to_lowercase())
            .join(accounts, on="_handle", how="inner", maintain_order="left")
            .group_by("_root", maintain_order=True)
            .agg(pl.col("_account").first().alias("_mentioned"))
        )
    else:
        mentioned = pl.DataFrame(schema={"_root": pl.Int64, "_mentioned": g.schema["author_id"]})
    g = g.join(responder, on="_root", how="left", maintain_order="left").join(mentioned, on="_root", how="left", maintain_order="left")
    return g.with_columns(
        pl.when(pl.col("is_brand"))
        .then(pl.col("author_id"))
        .otherwise(pl.coalesce("_responder", "_mentioned"))
        .alias("brand"),
        pl.col("message_id").gather(pl.col("_root").fill_null(0)).alias("thread_id").pipe(
            lambda e: pl.when(pl.col("_root").is_not_null()).then(e)
        ),
    ).drop("_root", "_responder", "_mentioned")

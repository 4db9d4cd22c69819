"""Resolve each message's thread root by following ``parent_id`` pointers.

Written against the Narwhals lazy API so it runs on every engine. It uses
pointer jumping: each round replaces a message's known ancestor by that
ancestor's known ancestor, so a chain of depth *d* resolves in about log2(d)
rounds of joins, with no Python loop over rows. Parents that are not in the
data end the chain (the topmost known message becomes the root) and cycles
are detected instead of looping forever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import narwhals as nw

__all__ = [
    "Materialize", "STATUS_CYCLE", "STATUS_MISSING_PARENT", "STATUS_OK", "ThreadStats", "resolve_roots",
]

Materialize = Callable[[nw.LazyFrame], nw.LazyFrame]

STATUS_OK = "ok"
STATUS_MISSING_PARENT = "missing_parent"  # the chain ends at a message whose parent is not in the data
STATUS_CYCLE = "cycle"  # the chain loops; such messages get no root


@dataclass(frozen=True)
class ThreadStats:
    """What thread resolution found worth reporting."""

    messages: int
    missing_parents: int  # messages whose parent_id names a message not in the data
    in_cycles: int  # messages whose parent chain never reaches a root
    rounds: int
    # Replies dated before their parent (clock skew), when the kernel counts them on the way;
    # None: the metrics count them with a join (see metrics.facts.replies_before_parent).
    replies_before_parent: int | None = None


def resolve_roots(
    edges: nw.LazyFrame,
    materialize: Materialize,
    max_rounds: int = 64,
) -> tuple[nw.LazyFrame, ThreadStats]:
    """Map every ``(platform, message_id)`` in ``edges`` to its root message.

    ``edges`` needs columns ``platform, message_id, parent_id`` with unique
    ``(platform, message_id)``. Returns a frame with ``platform, message_id,
    root_id, thread_status`` (see the ``STATUS_*`` constants) and the counts.
    ``materialize`` evaluates a lazy frame on its engine so rounds do not
    re-run earlier rounds' plans.
    """
    keys = ["platform", "message_id"]
    present = edges.select(
        "platform",
        nw.col("message_id").alias("parent_id"),
        nw.lit(True).alias("_parent_present"),
    )
    linked = edges.select("platform", "message_id", "parent_id").join(
        present, on=["platform", "parent_id"], how="left"
    )
    has_parent = nw.col("_parent_present").fill_null(False)
    state = materialize(
        linked.select(
            *keys,
            (~nw.col("parent_id").is_null() & ~has_parent).alias("_orphan"),
            nw.when(has_parent).then(nw.col("parent_id")).otherwise(nw.col("message_id")).alias("up"),
            (~has_parent).alias("done"),
        )
    )
    counts = state.select(
        nw.len().alias("n"),
        nw.col("_orphan").cast(nw.Int64).sum().alias("orphans"),  # Spark cannot sum booleans
        (~nw.col("done")).cast(nw.Int64).sum().alias("pending"),
    ).collect("polars")
    total, orphans, pending = (int(counts.item(0, c) or 0) for c in ("n", "orphans", "pending"))

    rounds = 0
    while pending and rounds < max_rounds:
        rounds += 1
        hop = state.select(
            "platform",
            nw.col("message_id").alias("_hop_id"),
            nw.col("up").alias("_hop_up"),
            nw.col("done").alias("_hop_done"),
        )
        state = materialize(
            state.join(hop, left_on=["platform", "up"], right_on=["platform", "_hop_id"], how="left").select(
                *keys,
                "_orphan",
                nw.col("_hop_up").alias("up"),
                nw.col("_hop_done").alias("done"),
            )
        )
        still = int(state.select((~nw.col("done")).cast(nw.Int64).sum().alias("p")).collect("polars").item(0, "p") or 0)
        if still == pending:  # no chain progressed: what is left loops
            break
        pending = still

    # A thread inherits "missing parent" from its root.
    root_orphan = state.select(
        "platform", nw.col("message_id").alias("up"), nw.col("_orphan").alias("_root_orphan")
    )
    resolved = state.join(root_orphan, on=["platform", "up"], how="left").select(
        *keys,
        nw.when(nw.col("done")).then(nw.col("up")).otherwise(nw.lit(None, dtype=nw.String())).alias("root_id"),
        nw.when(~nw.col("done"))
        .then(nw.lit(STATUS_CYCLE))
        .when(nw.col("_root_orphan").fill_null(False))
        .then(nw.lit(STATUS_MISSING_PARENT))
        .otherwise(nw.lit(STATUS_OK))
        .alias("thread_status"),
    )
    return resolved, ThreadStats(messages=total, missing_parents=orphans, in_cycles=pending, rounds=rounds)

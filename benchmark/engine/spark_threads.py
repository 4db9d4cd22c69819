"""Thread resolution on Spark with a bounded number of jobs: the same definition as :mod:`benchmark.threads`.

The generic Narwhals version runs an eager checkpoint and a count after every
pointer-jumping round, so a rank costs dozens of Spark jobs whatever the data.
Here messages get a numeric key once (``monotonically_increasing_id``: no
shuffle), the parent's key by one join, and rounds join on those integers.
Rounds are chained lazily, ``ROUNDS_PER_JOB`` at a time (each checkpointed
lazily, so the plan stays small and each round is computed once), and a
single aggregate job then says whether another batch is needed: one job for
chains up to 2**ROUNDS_PER_JOB deep, which covers reply threads in practice.

Each round also carries the id and the "missing parent" flag of the message
pointed at, so when a chain reaches its root the root's id and flag are
already there: no join back to find them. Extra rounds after a chain is done
change nothing (a root points at itself), so stopping at a batch boundary
gives the same result as stopping at the exact round.
"""

from __future__ import annotations

from typing import Any

from ..threads import STATUS_CYCLE, STATUS_MISSING_PARENT, STATUS_OK, ThreadStats
from .base import KEY, PARENT_KEY

ROUNDS_PER_JOB = 5
MAX_ROUNDS = 64  # as the generic definition


def link(sdf: Any) -> Any:
    """``sdf`` plus ``KEY`` (a numeric id, unique across platforms) and ``PARENT_KEY`` (null without the parent in the data)."""
    from pyspark.sql import functions as F

    # Eager: the ids must be computed exactly once. A lazy checkpoint is only written after the first job,
    # and that job reads `numbered` twice (the rows, and their parents' keys): where the input comes out of
    # a shuffle (e.g. the automated-reply join) its row order, and so monotonically_increasing_id, can differ
    # between the two reads on a real cluster, and parent keys then point at the wrong rows.
    numbered = sdf.withColumn(KEY, F.monotonically_increasing_id()).localCheckpoint(eager=True)
    parents = numbered.select(F.col("platform").alias("_pp"), F.col("message_id").alias("_pid"), F.col(KEY).alias(PARENT_KEY))
    linked = numbered.join(
        parents, (F.col("platform") == F.col("_pp")) & (F.col("parent_id") == F.col("_pid")), "left"
    ).drop("_pp", "_pid")
    return linked.localCheckpoint(eager=False)


def jump(linked: Any) -> tuple[Any, ThreadStats]:
    """``KEY, root_id, thread_status`` for every row of ``link``'s output, and the counts."""
    from pyspark.sql import functions as F

    has_parent = F.col(PARENT_KEY).isNotNull()
    orphan = F.col("parent_id").isNotNull() & ~has_parent
    state = linked.select(
        KEY,
        orphan.alias("_orphan"),
        F.when(has_parent, F.col(PARENT_KEY)).otherwise(F.col(KEY)).alias("_up"),
        F.when(has_parent, F.col("parent_id")).otherwise(F.col("message_id")).alias("_up_id"),
        orphan.alias("_up_orphan"),  # right once done (a root's own flag); replaced by every hop before that
        (~has_parent).alias("_done"),
    )
    rounds = 0
    while True:
        for _ in range(min(ROUNDS_PER_JOB, MAX_ROUNDS - rounds)):
            state = _hop(state)
            rounds += 1
        counts = state.agg(
            F.count(F.lit(1)).alias("n"),
            F.sum(F.col("_orphan").cast("long")).alias("orphans"),
            F.sum((~F.col("_done")).cast("long")).alias("pending"),
            F.sum((~F.col("_was_done")).cast("long")).alias("pending_before"),
        ).collect()[0]
        pending = int(counts["pending"] or 0)
        if not pending or pending == int(counts["pending_before"] or 0) or rounds >= MAX_ROUNDS:
            break
    resolved = state.select(
        KEY,
        F.when(F.col("_done"), F.col("_up_id")).otherwise(F.lit(None).cast("string")).alias("root_id"),
        F.when(~F.col("_done"), F.lit(STATUS_CYCLE))
        .when(F.col("_up_orphan"), F.lit(STATUS_MISSING_PARENT))
        .otherwise(F.lit(STATUS_OK))
        .alias("thread_status"),
    )
    stats = ThreadStats(messages=int(counts["n"] or 0), missing_parents=int(counts["orphans"] or 0), in_cycles=pending, rounds=rounds)
    return resolved, stats


def _hop(state: Any) -> Any:
    """One pointer-jumping round: every message now points where its target pointed."""
    from pyspark.sql import functions as F

    hop = state.select(
        F.col(KEY).alias("_h"),
        F.col("_up").alias("_h_up"),
        F.col("_up_id").alias("_h_up_id"),
        F.col("_up_orphan").alias("_h_up_orphan"),
        F.col("_done").alias("_h_done"),
    )
    return (
        state.join(hop, state["_up"] == hop["_h"], "inner")  # every target is a message of the data
        .select(
            KEY,
            "_orphan",
            F.col("_h_up").alias("_up"),
            F.col("_h_up_id").alias("_up_id"),
            F.col("_h_up_orphan").alias("_up_orphan"),
            F.col("_h_done").alias("_done"),
            F.col("_done").alias("_was_done"),  # before this round: no progress in the last round means cycles
        )
        .localCheckpoint(eager=False)
    )

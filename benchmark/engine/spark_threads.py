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
gives the same result as stopping at the exact round; and since a done
message never changes, a round joins only the messages not done yet with
the messages they point at (the others are carried over): after the first
rounds of reply threads, few or none. The rounds are planned without adaptive
execution (see :func:`_planned_statically`): a batch is then one job.

Only integer keys and flags go through the parent join and the rounds; the
message columns meet the result once, in the caller's join on ``KEY``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..threads import STATUS_CYCLE, STATUS_MISSING_PARENT, STATUS_OK, ThreadStats
from .base import KEY, PARENT_KEY

__all__ = ["MAX_ROUNDS", "ROUNDS_PER_JOB", "jump", "link", "thread_key"]

ROUNDS_PER_JOB = 5
MAX_ROUNDS = 64  # as the generic definition
SKEW = "_skew"  # link(): dated before the parent
ROOT_KEY = "_root_key"  # jump(root_ids=False): the root's KEY


def link(sdf: Any, *, ids: bool = True) -> tuple[Any, Any]:
    """``(numbered, linked)``: ``sdf`` plus ``KEY`` (a numeric id, unique across platforms), and one narrow row
    per message: ``KEY``, ``PARENT_KEY`` (null without the parent in the data), ``_orphan`` (a parent id not in
    the data), with ``ids`` also ``message_id`` and ``parent_id`` (``jump(root_ids=True)`` reads them), with
    ``ts_us`` also ``SKEW``: the message is dated before its parent (counted by :func:`jump`).

    Only these few columns go through the parent join and the rounds: the other columns of ``sdf`` meet
    the result once, in the caller's join of ``numbered`` on ``KEY``."""
    from pyspark.sql import functions as F

    from .base import TS_COLUMN

    # Eager: the ids must be computed exactly once. A lazy checkpoint is only written after the first job,
    # and that job reads `numbered` twice (the rows, and their parents' keys): where the input comes out of
    # a shuffle (e.g. the automated-reply join) its row order, and so monotonically_increasing_id, can differ
    # between the two reads on a real cluster, and parent keys then point at the wrong rows.
    numbered = sdf.withColumn(KEY, F.monotonically_increasing_id()).localCheckpoint(eager=True)
    timed = TS_COLUMN in sdf.columns
    parent_ts = [F.col(TS_COLUMN).alias("_pts")] if timed else []
    # The join's first key is a 64-bit hash of (platform, id): the sort before the merge then compares integers
    # (string keys led by a platform shared by every row cost a full comparison each: most of this job's CPU).
    # The strings are compared too, so a hash collision never links the wrong message.
    rows = numbered.select(
        KEY, "platform", "message_id", "parent_id", F.xxhash64("platform", "parent_id").alias("_hash"), *([TS_COLUMN] if timed else [])
    )
    parents = numbered.select(
        F.xxhash64("platform", "message_id").alias("_phash"),
        F.col("platform").alias("_pp"),
        F.col("message_id").alias("_pid"),
        F.col(KEY).alias(PARENT_KEY),
        *parent_ts,
    )
    same = (F.col("_hash") == F.col("_phash")) & (F.col("platform") == F.col("_pp")) & (F.col("parent_id") == F.col("_pid"))
    linked = rows.join(parents, same, "left").select(
        KEY,
        PARENT_KEY,
        (F.col("parent_id").isNotNull() & F.col(PARENT_KEY).isNull()).alias("_orphan"),
        *(["message_id", "parent_id"] if ids else []),
        *([F.coalesce(F.col(TS_COLUMN) < F.col("_pts"), F.lit(False)).alias(SKEW)] if timed else []),
    )
    return numbered, linked.localCheckpoint(eager=False)


def jump(linked: Any, *, root_ids: bool = True) -> tuple[Any, ThreadStats]:
    """``KEY, PARENT_KEY, root_id, thread_status`` for every row of ``link``'s output, and the counts. Without
    ``root_ids``: ``KEY, PARENT_KEY, thread_status, ROOT_KEY`` (the root's ``KEY``; null in a cycle) and no strings
    carried in the rounds."""
    from pyspark.sql import functions as F

    has_parent = F.col(PARENT_KEY).isNotNull()
    timed = SKEW in linked.columns
    state = linked.select(
        KEY,
        PARENT_KEY,
        "_orphan",
        *([F.col(SKEW)] if timed else []),
        F.when(has_parent, F.col(PARENT_KEY)).otherwise(F.col(KEY)).alias("_up"),
        *([F.when(has_parent, F.col("parent_id")).otherwise(F.col("message_id")).alias("_up_id")] if root_ids else []),
        F.col("_orphan").alias("_up_orphan"),  # right once done (a root's own flag); replaced by every hop before that
        (~has_parent).alias("_done"),
    )
    spark = linked.sparkSession
    partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
    rounds = 0
    while True:
        with _planned_statically(spark):
            for _ in range(min(ROUNDS_PER_JOB, MAX_ROUNDS - rounds)):
                state = _hop(state, partitions)
                rounds += 1
        counts = state.agg(
            F.count(F.lit(1)).alias("n"),
            F.sum(F.col("_orphan").cast("long")).alias("orphans"),
            F.sum((~F.col("_done")).cast("long")).alias("pending"),
            F.sum((~F.col("_was_done")).cast("long")).alias("pending_before"),
            (F.sum(F.col(SKEW).cast("long")) if timed else F.lit(None).cast("long")).alias("skewed"),
        ).collect()[0]
        pending = int(counts["pending"] or 0)
        if not pending or pending == int(counts["pending_before"] or 0) or rounds >= MAX_ROUNDS:
            break
    root, kind, name = ("_up_id", "string", "root_id") if root_ids else ("_up", "long", ROOT_KEY)
    resolved = state.select(
        KEY,
        PARENT_KEY,
        F.when(F.col("_done"), F.col(root)).otherwise(F.lit(None).cast(kind)).alias(name),
        F.when(~F.col("_done"), F.lit(STATUS_CYCLE))
        .when(F.col("_up_orphan"), F.lit(STATUS_MISSING_PARENT))
        .otherwise(F.lit(STATUS_OK))
        .alias("thread_status"),
    )
    skewed = counts["skewed"]
    stats = ThreadStats(
        messages=int(counts["n"] or 0), missing_parents=int(counts["orphans"] or 0), in_cycles=pending, rounds=rounds,
        replies_before_parent=int(skewed or 0) if timed else None,
    )
    return resolved, stats


@contextmanager
def _planned_statically(spark: Any) -> Iterator[None]:
    """Rounds planned without adaptive execution: it would run each round's shuffles as jobs of their own as
    soon as the round is declared, and run or skip an empty round's jobs by timing. Planned statically, a
    batch of rounds is one job (the aggregate), whatever the data. The session's own setting is restored."""
    key = "spark.sql.adaptive.enabled"
    before = spark.conf.get(key)
    spark.conf.set(key, "false")
    try:
        yield
    finally:
        spark.conf.set(key, before)


def _hop(state: Any, partitions: int) -> Any:
    """One pointer-jumping round: every message not done yet now points where its target pointed.

    A done message points at its root, and a root points at itself: hopping would change nothing, so only
    the pending messages are joined (after the first rounds of reply threads, few or none) and the done
    ones are carried over as they are. The union is merged back into ``partitions`` partitions (no
    shuffle), or each round would add as many as a shuffle makes."""
    from pyspark.sql import functions as F

    ids = "_up_id" in state.columns
    kept = [c for c in (PARENT_KEY, "_orphan", SKEW) if c in state.columns]
    hop = state.select(
        F.col(KEY).alias("_h"),
        F.col("_up").alias("_h_up"),
        *([F.col("_up_id").alias("_h_up_id")] if ids else []),
        F.col("_up_orphan").alias("_h_up_orphan"),
        F.col("_done").alias("_h_done"),
    )
    pending = state.filter(~F.col("_done"))
    moved = pending.join(hop, pending["_up"] == hop["_h"], "inner").select(  # every target is a message of the data
        KEY,
        *kept,
        F.col("_h_up").alias("_up"),
        *([F.col("_h_up_id").alias("_up_id")] if ids else []),
        F.col("_h_up_orphan").alias("_up_orphan"),
        F.col("_h_done").alias("_done"),
        F.lit(False).alias("_was_done"),  # before this round: no progress in the last round means cycles
    )
    done = state.filter(F.col("_done")).select(
        KEY, *kept, "_up", *(["_up_id"] if ids else []), "_up_orphan", "_done", F.lit(True).alias("_was_done")
    )
    return done.unionByName(moved).coalesce(partitions).localCheckpoint(eager=False)


def thread_key(threaded: Any, broken: bool) -> Any:
    """``threaded`` (``link`` joined with ``jump(root_ids=False)``) with the integer ``thread``: the root's ``KEY``;
    where the chain is broken (``broken``: some are), the ``KEY`` of the message the source's thread id names,
    or a new negative number for an id not in the data (``KEY`` is never negative). The same grouping as the
    generic ``coalesce(thread_id, root_id)``."""
    from pyspark.sql import functions as F

    ok = F.col("thread_status") == STATUS_OK
    root = F.col(ROOT_KEY)
    if not broken or "thread_id" not in threaded.columns:
        return threaded.withColumn("thread", root).drop(ROOT_KEY)
    wanted = threaded.filter(~ok & F.col("thread_id").isNotNull()).select(KEY, "platform", "thread_id")
    ids = threaded.select(F.col("platform").alias("_np"), F.col("message_id").alias("_nid"), F.col(KEY).alias("_named"))
    found = wanted.join(ids, (F.col("platform") == F.col("_np")) & (F.col("thread_id") == F.col("_nid")), "left").drop("_np", "_nid")
    # Eager: the new numbers must be computed once (see link).
    unknown = (
        found.filter(F.col("_named").isNull()).select("platform", "thread_id").distinct()
        .withColumn("_new", -1 - F.monotonically_increasing_id())
        .localCheckpoint(eager=True)
    )
    named = found.join(unknown, ["platform", "thread_id"], "left").select(KEY, F.coalesce("_named", "_new").alias("_named"))
    return (
        threaded.join(named, KEY, "left")
        .withColumn("thread", F.when(ok, root).otherwise(F.coalesce(F.col("_named"), root)))
        .drop("_named", ROOT_KEY)
    )

"""Next-reply time (Zendesk's "next reply time"): how long customers wait for the brand to speak again.

In a thread, per brand that answers in it (``docs/metrics.md``, "Next-reply time"):

* the brand's **first response** is its earliest *reply* (a brand message with a parent; a brand
  message that starts a thread never answers) at or after the thread's earliest customer message;
* every **customer message** (``is_brand`` false, whoever wrote it) dated *strictly after* that
  first response starts or joins a **wait**: the customer messages that share the same next brand
  reply (the brand's earliest reply at or after them, same microsecond included) are one wait,
  timed from the oldest of them;
* that next reply **ends** the wait; a wait no brand reply ends is **unanswered**.

With ``--skip-automated`` automated replies (:mod:`.automated`) are left out, as if never sent.
Order in the thread is by timestamp only: parent links decide the thread, not who answers whom.
Written once against the Narwhals lazy API (every engine).
"""

from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw

from ..engine import KEY, TS_COLUMN, Engine
from .automated import AUTOMATED

__all__ = ["NRT_COLUMNS", "WAIT_COLUMNS", "next_reply_waits", "nrt_table", "wait_inputs", "waits_of"]

NRT_COLUMNS = ("waits", "nrt_median_s", "nrt_mean_s", "nrt_p90_s", "waits_unanswered")
WAIT_COLUMNS = ("platform", "brand", "wait_ts_us", "nrt_s")


def next_reply_waits(threaded: nw.LazyFrame, engine: Engine | None = None) -> nw.LazyFrame:
    """One row per wait (:data:`WAIT_COLUMNS`; ``nrt_s`` null when unanswered) of ``threaded`` messages.

    ``threaded`` needs ``platform, brand, message_id, parent_id, is_brand, thread``, :data:`KEY` and ``ts_us``
    (:func:`benchmark.metrics.facts.with_threads`). With an ``engine`` whose keys are unique across
    platforms, threads and messages are joined on those integer keys alone.
    """
    return waits_of(wait_inputs(threaded, engine), engine)


def wait_inputs(threaded: nw.LazyFrame, engine: Engine | None = None) -> nw.LazyFrame:
    """The messages waits are made of: customer messages and brand replies (a brand message with a brand
    and a parent, not automated under ``--skip-automated``) in a thread, with ``platform, brand, is_brand,
    thread``, the message (:data:`KEY`, or ``platform, message_id`` without unique keys) and ``ts_us``.

    A default ranking keeps these beside the store (:mod:`.cache`), so that a report after it times the waits
    without resolving the threads again."""
    unique = engine is not None and engine.keys_unique_across_platforms
    message = [KEY] if unique else ["message_id"]
    reply = nw.col("is_brand") & ~nw.col("brand").is_null() & ~nw.col("parent_id").is_null()
    if AUTOMATED in threaded.collect_schema().names():  # --skip-automated: as if automated replies were not there
        reply = reply & ~nw.col(AUTOMATED)
    return threaded.filter(~nw.col("thread").is_null() & (~nw.col("is_brand") | reply)).select(
        "platform", "brand", "is_brand", "thread", *message, TS_COLUMN
    )


def waits_of(inputs: nw.LazyFrame, engine: Engine | None = None) -> nw.LazyFrame:
    """:func:`next_reply_waits` from its :func:`wait_inputs` (the same ``engine``)."""
    unique = engine is not None and engine.keys_unique_across_platforms
    thread = ["thread"] if unique else ["platform", "thread"]
    message = KEY if unique else "message_id"
    brand_replies = inputs.filter(nw.col("is_brand")).select(*thread, "brand", nw.col(TS_COLUMN).alias("_b_ts"))
    customers = inputs.filter(~nw.col("is_brand")).select(*dict.fromkeys(["platform", *thread, message]), nw.col(TS_COLUMN).alias("_c_ts"))
    opened = customers.group_by(*thread).agg(nw.col("_c_ts").min().alias("_open_ts"))
    first = (
        brand_replies.join(opened, on=thread, how="inner")
        .filter(nw.col("_b_ts") >= nw.col("_open_ts"))
        .group_by(*thread, "brand")
        .agg(nw.col("_b_ts").min().alias("_first_ts"))
    )
    waiting = customers.join(first, on=thread, how="inner").filter(nw.col("_c_ts") > nw.col("_first_ts"))
    ends = (
        waiting.join(brand_replies, on=[*thread, "brand"], how="inner")
        .filter(nw.col("_b_ts") >= nw.col("_c_ts"))
        .group_by(*thread, "brand", message)
        .agg(nw.col("_b_ts").min().alias("_end_ts"))
    )
    with_end = waiting.join(ends, on=[*thread, "brand", message], how="left")
    waits = with_end.group_by(*dict.fromkeys(["platform", *thread]), "brand", "_end_ts").agg(nw.col("_c_ts").min().alias("wait_ts_us"))
    return waits.select(
        "platform", "brand", "wait_ts_us", ((nw.col("_end_ts") - nw.col("wait_ts_us")) / 1_000_000).alias("nrt_s")
    )


def nrt_table(waits: nw.LazyFrame, keys: Sequence[str]) -> nw.LazyFrame:
    """Per ``keys``: ``waits``, median, mean and 90th percentile (linear interpolation) of the answered
    waits' ``nrt_s``, and ``waits_unanswered``."""
    nrt = nw.col("nrt_s")
    return waits.group_by(*keys).agg(
        nw.len().cast(nw.Int64).alias("waits"),
        nrt.median().alias("nrt_median_s"),
        nrt.mean().alias("nrt_mean_s"),
        nrt.quantile(0.9, interpolation="linear").alias("nrt_p90_s"),
        nrt.is_null().cast(nw.Int64).sum().alias("waits_unanswered"),
    )

"""Per-request facts: each customer request and the brand's first response to it.

Definitions (the default, "Blogmeter-style" ones; see README):

* A **request** is a message by a non-brand author that starts a thread on a
  brand's channel (no ``parent_id``).
* Its **first response** is the earliest brand-authored message of the same
  brand anywhere in the request's thread (not only a direct reply) created at
  or after the request.
* **FRT** is first response time minus request time, in seconds.

Written once against the Narwhals lazy API; engine specifics (how ``ts_us``
is computed, how frames are materialised) come from :mod:`benchmark.engine`.
"""

from __future__ import annotations

from dataclasses import dataclass

import narwhals as nw

from ..engine import TS_COLUMN, Engine
from ..threads import ThreadStats, resolve_roots

FACT_COLUMNS = (
    "platform",
    "brand",
    "request_id",
    "author_id",
    "request_ts_us",
    "response_id",
    "response_ts_us",
    "frt_s",
    "answered",
    "thread_status",
)


@dataclass(frozen=True)
class Filters:
    """Which requests to measure. Times are integer µs since the epoch, UTC; ``until`` is exclusive."""

    platform: str | None = None
    brands: tuple[str, ...] = ()
    since_us: int | None = None
    until_us: int | None = None


def with_threads(messages: nw.LazyFrame, engine: Engine) -> tuple[nw.LazyFrame, ThreadStats]:
    """Messages with a ``thread`` column: the loader's thread id, else the resolved root."""
    roots, stats = resolve_roots(messages.select("platform", "message_id", "parent_id"), engine.materialize)
    threaded = messages.join(roots, on=["platform", "message_id"], how="left").with_columns(
        nw.coalesce(nw.col("thread_id"), nw.col("root_id")).alias("thread")
    )
    return threaded, stats


def request_facts(threaded: nw.LazyFrame, filters: Filters = Filters()) -> nw.LazyFrame:
    """One row per attributed request (columns :data:`FACT_COLUMNS`), unanswered ones included."""
    requests = _requests(threaded).filter(~nw.col("brand").is_null())
    if filters.platform:
        requests = requests.filter(nw.col("platform") == filters.platform)
    if filters.brands:
        requests = requests.filter(nw.col("brand").is_in(list(filters.brands)))
    if filters.since_us is not None:
        requests = requests.filter(nw.col(TS_COLUMN) >= filters.since_us)
    if filters.until_us is not None:
        requests = requests.filter(nw.col(TS_COLUMN) < filters.until_us)
    requests = requests.select(
        "platform",
        "brand",
        "thread",
        nw.col("message_id").alias("request_id"),
        "author_id",
        nw.col(TS_COLUMN).alias("request_ts_us"),
        "thread_status",
    )
    replies = threaded.filter(nw.col("is_brand") & ~nw.col("thread").is_null()).select(
        "platform",
        "brand",
        "thread",
        nw.col("message_id").alias("_reply_id"),
        nw.col(TS_COLUMN).alias("_reply_ts"),
    )
    keys = ["platform", "request_id"]
    candidates = requests.select("platform", "brand", "thread", "request_id", "request_ts_us").join(
        replies, on=["platform", "brand", "thread"], how="inner"
    ).filter(nw.col("_reply_ts") >= nw.col("request_ts_us"))
    first_ts = candidates.group_by(*keys).agg(nw.col("_reply_ts").min().alias("response_ts_us"))
    first = (
        candidates.join(first_ts, left_on=[*keys, "_reply_ts"], right_on=[*keys, "response_ts_us"], how="inner")
        .group_by(*keys)
        .agg(nw.col("_reply_ts").min().alias("response_ts_us"), nw.col("_reply_id").min().alias("response_id"))
    )
    return (
        requests.join(first, on=keys, how="left")
        .with_columns(
            ((nw.col("response_ts_us") - nw.col("request_ts_us")) / 1_000_000).alias("frt_s"),
            (~nw.col("response_ts_us").is_null()).alias("answered"),
        )
        .select(*FACT_COLUMNS)
    )


def _requests(threaded: nw.LazyFrame) -> nw.LazyFrame:
    """Thread starters written by customers, attributed or not."""
    return threaded.filter(nw.col("parent_id").is_null() & ~nw.col("is_brand"))


def unattributed_count(threaded: nw.LazyFrame, filters: Filters = Filters()) -> nw.LazyFrame:
    """A one-row frame: customer thread starters no brand could be found for."""
    lf = _requests(threaded).filter(nw.col("brand").is_null())
    if filters.platform:
        lf = lf.filter(nw.col("platform") == filters.platform)
    if filters.since_us is not None:
        lf = lf.filter(nw.col(TS_COLUMN) >= filters.since_us)
    if filters.until_us is not None:
        lf = lf.filter(nw.col(TS_COLUMN) < filters.until_us)
    return lf.select(nw.len().alias("unattributed"))

"""Per-request facts: each customer request and the brand's first response to it.

Definitions (the default, "Blogmeter-style" ones; see docs/metrics.md):

* A **request** is a message by a non-brand author that starts a thread on a
  brand's channel (no ``parent_id``); other request definitions are in
  :mod:`.request_modes`.
* Its **first response** is the earliest brand-authored message of the same
  brand anywhere in the request's thread (not only a direct reply) created at
  or after the request (or at least ``min_reply_s`` after it, to leave
  automated replies out). A brand message that starts a thread never counts.
  With ``first_response="direct"`` only a brand message whose parent is the
  request itself counts (the request's brand attribution does not change).
* **FRT** is first response time minus request time, in seconds.
* **Status**: answered; *open* when unanswered and younger than the open
  window at the end of the data; else unanswered.

Written once against the Narwhals lazy API; engine specifics (how ``ts_us``
is computed, how frames are materialised) come from :mod:`benchmark.engine`.
"""

from __future__ import annotations

from dataclasses import dataclass

import narwhals as nw

from ..engine import KEY, PARENT_KEY, TS_COLUMN, Engine
from ..threads import ThreadStats
from .automated import AUTOMATED
from .deflection import is_deflection
from .request_modes import requests_and_replies
from .options import FirstResponse, RequestMode

__all__ = [
    "DEFLECTS", "EXTRA_FACT_COLUMNS", "FACT_COLUMNS", "Filters", "attribute_by_responder",
    "facts_and_unattributed", "filter_facts", "replies_before_parent", "request_facts", "unattributed_count",
    "unattributed_starters", "with_status", "with_threads",
]

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
EXTRA_FACT_COLUMNS = ("deflected",)

DEFLECTS = "_deflects"  # is_deflection(text), computed while scanning so the text column need not be kept

STATUS_ANSWERED, STATUS_UNANSWERED, STATUS_OPEN = "answered", "unanswered", "open"


@dataclass(frozen=True)
class Filters:
    """Which requests to measure. Times are integer µs since the epoch, UTC; ``until`` is exclusive."""

    platform: str | None = None
    brands: tuple[str, ...] = ()
    since_us: int | None = None
    until_us: int | None = None


def with_threads(messages: nw.LazyFrame, engine: Engine) -> tuple[nw.LazyFrame, ThreadStats]:
    """Messages with a ``thread`` column.

    A complete parent chain in the store decides the thread (it may span files, which a
    loader cannot see); where the chain is broken, the source's own thread id (Twitter's
    conversation_id, a Facebook post id) is the better guess, else the topmost known message.
    See :meth:`benchmark.engine.Engine.with_threads`.
    """
    return engine.with_threads(messages)


def _filtered(requests: nw.LazyFrame, filters: Filters, *, brands: bool = True) -> nw.LazyFrame:
    if filters.platform:
        requests = requests.filter(nw.col("platform") == filters.platform)
    if brands and filters.brands:
        requests = requests.filter(nw.col("brand").is_in(list(filters.brands)))
    if filters.since_us is not None:
        requests = requests.filter(nw.col(TS_COLUMN) >= filters.since_us)
    if filters.until_us is not None:
        requests = requests.filter(nw.col(TS_COLUMN) < filters.until_us)
    return requests


def request_facts(
    threaded: nw.LazyFrame,
    filters: Filters = Filters(),
    *,
    mode: RequestMode = "starters",
    min_reply_s: float | None = None,
    engine: Engine | None = None,
    first_response: FirstResponse = "thread",
) -> nw.LazyFrame:
    """One row per attributed request (:data:`FACT_COLUMNS` + ``deflected``), unanswered ones included.

    ``engine`` is needed only for ``mode="comments"`` (it resolves comment subtrees).
    """
    return facts_and_unattributed(
        threaded, filters, mode=mode, min_reply_s=min_reply_s, engine=engine, first_response=first_response
    )[0]


def facts_and_unattributed(
    threaded: nw.LazyFrame,
    filters: Filters = Filters(),
    *,
    mode: RequestMode = "starters",
    min_reply_s: float | None = None,
    engine: Engine | None = None,
    first_response: FirstResponse = "thread",
) -> tuple[nw.LazyFrame, nw.LazyFrame]:
    """``(facts, unattributed)``: :func:`request_facts`, and :func:`unattributed_starters` from the same
    work when the requests are the thread starters.

    Attribution and first responses come from one join of the requests with the brand
    replies in their scope (see :func:`_candidates`): the brand a request belongs to and
    that brand's first answer are both read off the same candidate rows. With
    ``first_response="direct"`` the answer is read off the candidates whose parent is the
    request (:data:`PARENT_KEY` equal to its :data:`KEY`); attribution still reads them all.
    """
    if mode == "comments" and engine is None:
        raise ValueError("mode='comments' needs the engine")
    all_requests, replies = requests_and_replies(threaded, mode, engine)  # type: ignore[arg-type]
    keys, scope = _join_keys(engine, mode)
    delay_us = int(round((min_reply_s or 0) * 1_000_000))
    direct = first_response == "direct"
    cand = _candidates(all_requests, replies, direct=direct, keys=keys, scope=scope)
    if engine is not None:  # read twice below: computed once
        cand = engine.materialize(cand)
    responder = cand.group_by(*keys).agg(nw.col("_brand").min().alias("_responder"))
    if engine is not None:  # read by the facts and by the unattributed requests: computed once
        responder = engine.materialize(responder)
    attributed = all_requests.join(responder, on=keys, how="left").with_columns(
        nw.coalesce(nw.col("brand"), nw.col("_responder")).alias("brand")
    ).drop("_responder")
    own = cand.filter((nw.col("_by") == nw.col("_brand")) & (nw.col("_reply_ts") >= nw.col("_req_ts") + delay_us))
    if AUTOMATED in cand.collect_schema().names():  # --skip-automated: the first *human* response
        own = own.filter(~nw.col(AUTOMATED))
    if direct:  # only a direct reply to the request answers it
        own = own.filter((nw.col("_reply_parent") == nw.col(KEY)).fill_null(False))
    own = own.filter(nw.col("_reply_ts") == nw.col("_reply_ts").min().over(*keys))
    first = own.group_by(*keys).agg(
        nw.col("_reply_ts").min().alias("response_ts_us"), nw.col("_reply_id").min().alias("response_id")
    )
    requests = _filtered(attributed.filter(~nw.col("brand").is_null()), filters).select(
        "platform",
        "brand",
        KEY,
        nw.col("message_id").alias("request_id"),
        "author_id",
        nw.col(TS_COLUMN).alias("request_ts_us"),
        "thread_status",
    )
    facts = requests.join(first, on=keys, how="left")
    names = threaded.collect_schema().names()
    if DEFLECTS in names or "text" in names:
        deflects = nw.col(DEFLECTS) if DEFLECTS in names else is_deflection(nw.col("text"))
        flags = replies.select(
            "platform", nw.col("message_id").alias("response_id"), deflects.alias("_reply_deflects")
        ).unique(["platform", "response_id"])
        facts = facts.join(flags, on=["platform", "response_id"], how="left")
        deflected = nw.col("_reply_deflects") & ~nw.col("response_ts_us").is_null()
    else:  # asked for the default figures only: deflection is not computed
        deflected = nw.lit(None, dtype=nw.Boolean())
    facts = facts.with_columns(
        ((nw.col("response_ts_us") - nw.col("request_ts_us")) / 1_000_000).alias("frt_s"),
        (~nw.col("response_ts_us").is_null()).alias("answered"),
        deflected.alias("deflected"),
    ).select(*FACT_COLUMNS, *EXTRA_FACT_COLUMNS)
    if mode == "starters":
        unattributed = attributed.filter(nw.col("brand").is_null()).select("platform", TS_COLUMN)
    else:
        unattributed = unattributed_starters(threaded)
    return facts, unattributed


def _join_keys(engine: Engine | None, mode: RequestMode) -> tuple[list[str], list[str]]:
    """``(request key, scope key)`` columns: with the platform, unless the engine's integer keys are
    unique across platforms already (one column hashes and joins markedly faster than two).
    Comment scopes are message ids, unique within a platform only."""
    unique = engine is not None and engine.keys_unique_across_platforms
    return ([KEY] if unique else ["platform", KEY]), (["scope"] if unique and mode != "comments" else ["platform", "scope"])


def _candidates(
    requests: nw.LazyFrame,
    replies: nw.LazyFrame,
    *,
    direct: bool = False,
    keys: list[str] | None = None,
    scope: list[str] | None = None,
) -> nw.LazyFrame:
    """Every brand reply in a request's scope at or after it, with the request's brand (``_brand``):
    the stored one, else the brand that writes first (the alphabetically first of those writing at
    that same instant); ``_by`` is the reply's brand. ``direct`` also keeps the reply's parent key
    (``_reply_parent``). ``keys``/``scope``: see :func:`_join_keys` (default: with the platform)."""
    keys = keys or ["platform", KEY]
    scope = scope or ["platform", "scope"]
    parent = [nw.col(PARENT_KEY).alias("_reply_parent")] if direct else []
    automated = [AUTOMATED] if AUTOMATED in replies.collect_schema().names() else []
    by = replies.filter(~nw.col("brand").is_null()).select(
        *scope,
        nw.col("brand").alias("_by"),
        nw.col("message_id").alias("_reply_id"),
        nw.col(TS_COLUMN).alias("_reply_ts"),
        *parent,
        *automated,
    )
    cand = (
        requests.filter(~nw.col("scope").is_null())
        .select(*dict.fromkeys([*keys, *scope]), "brand", nw.col(TS_COLUMN).alias("_req_ts"))
        .join(by, on=scope, how="inner")
        .filter(nw.col("_reply_ts") >= nw.col("_req_ts"))
    )
    earliest = nw.col("_reply_ts").min().over(*keys)
    cand = cand.with_columns(nw.when(nw.col("_reply_ts") == earliest).then(nw.col("_by")).otherwise(None).alias("_first_by"))
    return cand.with_columns(nw.coalesce(nw.col("brand"), nw.col("_first_by").min().over(*keys)).alias("_brand")).select(
        *keys, "_req_ts", "_by", "_reply_id", "_reply_ts", "_brand", *(["_reply_parent"] if direct else []), *automated
    )


def with_status(facts: nw.LazyFrame, end_us: int, open_window_s: float | None) -> nw.LazyFrame:
    """Add ``status`` and ``followup_s`` (time from the request to the end of the data: the censoring time)."""
    followup = (nw.lit(end_us) - nw.col("request_ts_us")) / 1_000_000
    if open_window_s is None:
        unanswered = nw.lit(STATUS_UNANSWERED)
    else:
        unanswered = nw.when(followup < open_window_s).then(nw.lit(STATUS_OPEN)).otherwise(nw.lit(STATUS_UNANSWERED))
    return facts.with_columns(
        nw.when(nw.col("answered")).then(nw.lit(STATUS_ANSWERED)).otherwise(unanswered).alias("status"),
        followup.alias("followup_s"),
    )


def attribute_by_responder(requests: nw.LazyFrame, replies: nw.LazyFrame) -> nw.LazyFrame:
    """Give unattributed requests the brand that answers them first.

    A request the loader could not attribute (say the brand's answer came in a later
    export) belongs to the brand that writes the earliest brand message in its scope at or
    after it, looked up across the whole store; else it stays unattributed.
    """
    keys = ["platform", KEY]
    orphans = requests.filter(nw.col("brand").is_null() & ~nw.col("scope").is_null()).select(
        *keys, "scope", nw.col(TS_COLUMN).alias("_req_ts")
    )
    by = replies.filter(~nw.col("brand").is_null()).select(
        "platform", "scope", nw.col("brand").alias("_by"), nw.col(TS_COLUMN).alias("_by_ts")
    )
    later = orphans.join(by, on=["platform", "scope"], how="inner").filter(nw.col("_by_ts") >= nw.col("_req_ts"))
    earliest = later.group_by(*keys).agg(nw.col("_by_ts").min().alias("_first_ts"))
    responder = (
        later.join(earliest, left_on=[*keys, "_by_ts"], right_on=[*keys, "_first_ts"], how="inner")
        .group_by(*keys)
        .agg(nw.col("_by").min().alias("_responder"))
    )
    return (
        requests.join(responder, on=keys, how="left")
        .with_columns(nw.coalesce(nw.col("brand"), nw.col("_responder")).alias("brand"))
        .drop("_responder")
    )


def unattributed_starters(threaded: nw.LazyFrame) -> nw.LazyFrame:
    """``platform, ts_us`` of every customer thread starter no brand could be found for."""
    starters, replies = requests_and_replies(threaded, "starters", None)  # type: ignore[arg-type]
    starters = attribute_by_responder(starters, replies)
    return starters.filter(nw.col("brand").is_null()).select("platform", TS_COLUMN)


def unattributed_count(threaded: nw.LazyFrame, filters: Filters = Filters()) -> nw.LazyFrame:
    """A one-row frame: customer thread starters no brand could be found for."""
    return _filtered(unattributed_starters(threaded), filters, brands=False).select(nw.len().alias("unattributed"))


def filter_facts(facts: nw.LazyFrame, filters: Filters) -> nw.LazyFrame:
    """Facts of the requests ``filters`` keep (the same rule :func:`request_facts` applies to requests)."""
    return _filtered(facts.with_columns(nw.col("request_ts_us").alias(TS_COLUMN)), filters).drop(TS_COLUMN)


def replies_before_parent(threaded: nw.LazyFrame) -> nw.LazyFrame:
    """A one-row frame: messages dated before the message they reply to (clock skew in the export).

    They are counted so the user hears about them; a brand reply dated before its request is
    never its response (responses are searched at or after the request), so no FRT is negative.
    """
    parents = threaded.select("platform", nw.col(KEY).alias(PARENT_KEY), nw.col(TS_COLUMN).alias("_parent_ts"))
    replies = threaded.filter(~nw.col(PARENT_KEY).is_null()).select("platform", PARENT_KEY, TS_COLUMN)
    skewed = replies.join(parents, on=["platform", PARENT_KEY], how="inner").filter(nw.col(TS_COLUMN) < nw.col("_parent_ts"))
    return skewed.select(nw.len().alias("replies_before_parent"))

"""Which messages are requests, and where their answers may be (``--requests``).

* ``starters`` (default; the reference study's rule): a customer message that
  starts a thread; any brand message later in the thread answers it.
* ``comments``: also a fan's top-level comment (kind ``comment``) under the
  brand's own post; only a brand message *beneath that comment* answers it.
  The comment's subtree is found by resolving roots again with the
  comment→post links cut, so each message learns its nearest such comment.
* ``all-inbound``: every customer message; the next brand message in the
  same thread answers it (the helpdesk "next reply time").
* ``questions``: thread starters that ask something (question mark,
  interrogative, "help"/"aiuto"; see :mod:`benchmark.text.questions`).

In every mode a brand message that starts its own thread is never an answer.
Each request and reply carries a ``scope``; a reply answers a request of the
same platform, brand and scope.
"""

from __future__ import annotations

import narwhals as nw

from ..engine import Engine
from ..text.questions import is_question
from .options import RequestMode

__all__ = ["QUESTION", "requests_and_replies"]

QUESTION = "_question"  # is_question(text), computed while scanning so the text column need not be kept


def requests_and_replies(threaded: nw.LazyFrame, mode: RequestMode, engine: Engine) -> tuple[nw.LazyFrame, nw.LazyFrame]:
    """``(requests, replies)`` for ``mode``: both with ``scope``; requests may lack a brand."""
    if mode == "comments":
        scoped = _comment_scopes(threaded, engine)
        is_request = (nw.col("parent_id").is_null() & ~nw.col("is_brand")) | nw.col("_request_comment")
    else:
        scoped = threaded.with_columns(nw.col("thread").alias("scope"))
        if mode == "all-inbound":
            is_request = ~nw.col("is_brand") & ~nw.col("thread").is_null()
        elif mode == "questions":
            asks = nw.col(QUESTION) if QUESTION in threaded.collect_schema().names() else is_question(nw.col("text"))
            is_request = nw.col("parent_id").is_null() & ~nw.col("is_brand") & asks
        else:
            is_request = nw.col("parent_id").is_null() & ~nw.col("is_brand")
    requests = scoped.filter(is_request)
    replies = scoped.filter(nw.col("is_brand") & ~nw.col("parent_id").is_null() & ~nw.col("scope").is_null())
    return requests, replies


def _comment_scopes(threaded: nw.LazyFrame, engine: Engine) -> nw.LazyFrame:
    """``threaded`` plus ``_request_comment`` and ``scope`` (the nearest request comment, else the thread)."""
    parents = threaded.select(
        "platform",
        nw.col("message_id").alias("parent_id"),
        nw.col("is_brand").alias("_parent_brand"),
        nw.col("parent_id").is_null().alias("_parent_starts"),
    )
    flagged = engine.materialize(
        threaded.join(parents, on=["platform", "parent_id"], how="left").with_columns(
            (
                ~nw.col("is_brand")
                & (nw.col("kind") == "comment").fill_null(False)
                & nw.col("_parent_brand").fill_null(False)
                & nw.col("_parent_starts").fill_null(False)
            ).alias("_request_comment")
        ).drop("_parent_brand", "_parent_starts")
    )
    cut = flagged.select(
        "platform",
        "message_id",
        nw.when(nw.col("_request_comment")).then(nw.lit(None, dtype=nw.String())).otherwise(nw.col("parent_id")).alias("parent_id"),
    )
    subroots, _stats = engine.resolve_roots(cut)
    heads = flagged.filter(nw.col("_request_comment")).select(
        "platform", nw.col("message_id").alias("_sub"), nw.lit(True).alias("_sub_is_comment")
    )
    sub = subroots.select("platform", "message_id", nw.col("root_id").alias("_sub")).join(
        heads, on=["platform", "_sub"], how="left"
    )
    return (
        flagged.join(sub, on=["platform", "message_id"], how="left")
        .with_columns(
            # Scopes are strings with a prefix: a comment's id and a thread key never collide, whatever their types.
            nw.when(nw.col("_sub_is_comment").fill_null(False))
            .then(nw.concat_str(nw.lit("c:"), nw.col("_sub")))
            .otherwise(nw.concat_str(nw.lit("t:"), nw.col("thread").cast(nw.String())))
            .alias("scope")
        )
        .drop("_sub", "_sub_is_comment")
    )

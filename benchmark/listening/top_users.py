"""The most active customer accounts: messages, requests, and the share of their requests answered.

Care teams use it to spot power users and repeat complainers ("who are the
most active users today"). Messages are every customer message on the
brands' channels; requests and answers come from the same per-request facts
as the ranking (so ``--requests`` and the open window apply).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from ..errors import ParameterError, UsageError
from ..metrics import Measurement
from .source import StoreLike, messages, period_expr

__all__ = ["USER_COLUMNS", "top_users"]
if TYPE_CHECKING:
    from ..api import BrandsLike  # a brands file path or a parsed BrandBook

USER_COLUMNS = ("rank", "platform", "author_id", "messages", "requests", "answered", "share_answered", "brands", "first_at", "last_at")


def top_users(
    m: Measurement,
    store: StoreLike | None = None,
    *,
    top: int = 10,
    per: str | None = None,
    brands: tuple[str, ...] = (),
    brands_file: BrandsLike = None,
    since: object = None,
    until: object = None,
    platform: str | None = None,
) -> pl.DataFrame:
    """The ``top`` accounts by messages (overall, or per ``day``/``week``/``month`` in UTC), ties by requests.

    A measurement of a store reads its own messages (:meth:`~benchmark.metrics.Measurement.messages`: its filters
    and brand map), so ``store`` and the filters are needed only for a measurement of an in-memory frame."""
    if top < 1:
        raise ParameterError("{top} must be 1 or more", "top")
    keys = ["platform", "author_id"]
    if m.query is not None:
        msgs = m.messages()
    elif store is not None:
        msgs = messages(store, brands_file=brands_file, since=since, until=until, platform=platform, brands=brands)
    else:
        raise UsageError("top_users: this measurement is of an in-memory frame: give the store its messages are in")
    msgs = msgs.filter(pl.col("author_id").is_not_null())
    facts = m.facts.lazy().filter(pl.col("author_id").is_not_null())
    if brands:
        facts = facts.filter(pl.col("brand").is_in(list(brands)))
    if per is not None:
        msgs = msgs.with_columns(period_expr("created_at", per))
        facts = facts.with_columns(period_expr("request_at", per))
        keys = ["period", *keys]
    counted = msgs.group_by(keys).agg(
        pl.len().cast(pl.Int64).alias("messages"),
        pl.col("brand").n_unique().cast(pl.Int64).alias("brands"),
        pl.col("created_at").min().alias("first_at"),
        pl.col("created_at").max().alias("last_at"),
    )
    answered = facts.group_by(keys).agg(
        pl.len().cast(pl.Int64).alias("requests"),
        pl.col("answered").sum().cast(pl.Int64).alias("answered"),
        (pl.col("status") != "open").sum().cast(pl.Int64).alias("_closed"),
    )
    table = (
        counted.join(answered, on=keys, how="left")
        .with_columns(pl.col("requests", "answered", "_closed").fill_null(0))
        .with_columns(pl.when(pl.col("_closed") > 0).then(pl.col("answered") / pl.col("_closed")).alias("share_answered"))
        .collect()
    )
    part = ["period"] if per is not None else None
    rank = pl.col("messages").rank("min", descending=True)
    table = table.with_columns((rank.over(part) if part else rank).cast(pl.Int64).alias("rank"))
    table = table.sort([*(part or []), "rank", pl.col("requests"), "author_id"], descending=[*([False] if part else []), False, True, False])
    table = table.filter(pl.int_range(pl.len()).over(part) < top) if part else table.head(top)
    front = ["period"] if per is not None else []
    return table.select(*front, *USER_COLUMNS)

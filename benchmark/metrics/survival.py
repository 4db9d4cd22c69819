"""Kaplan–Meier median time to first response, unanswered requests censored.

Plain FRT figures drop unanswered requests, so a brand that answers only
the easy ones looks fast. Here every request counts: answered ones are
events at their FRT, unanswered (and open) ones are censored at the time
they had been waiting when the data ends. The median is the first time the
survival curve S(t) (the share still waiting) falls to 0.5 or below; where S
is exactly 0.5 over an interval the midpoint to the next event is used (as R's
``survfit`` does), so with every request answered it equals the ordinary
median. It is null when the curve never reaches 0.5 (fewer than half are
ever answered, as far as the data can tell).

Runs on the collected per-request facts with vectorised Polars expressions.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

__all__ = ["EPS", "km_median"]

EPS = 1e-9


def km_median(facts: pl.DataFrame, keys: Sequence[str], time: str = "frt_s", censor: str = "followup_s") -> pl.DataFrame:
    """``keys`` + ``km_median_s`` for every group of ``facts`` (needs ``answered``)."""
    keys = list(keys)
    if not keys:
        raise ValueError("km_median needs at least one group key")
    t = pl.when(pl.col("answered")).then(pl.col(time)).otherwise(pl.col(censor)).clip(lower_bound=0.0)
    steps = (
        facts.select(*keys, t.alias("_t"), pl.col("answered").cast(pl.Int64).alias("_d"))
        .filter(pl.col("_t").is_not_null())
        .group_by(*keys, "_t")
        .agg(pl.col("_d").sum(), pl.len().cast(pl.Int64).alias("_c"))
        .sort("_t")  # each group's rows in time order, which is all the windows below read (no string sort)
    )
    steps = steps.with_columns(
        # at risk at t: every request whose time is t or later
        (pl.col("_c").sum().over(keys) - pl.col("_c").cum_sum().over(keys) + pl.col("_c")).alias("_at_risk")
    ).with_columns((1 - pl.col("_d") / pl.col("_at_risk")).cum_prod().over(keys).alias("_s"))
    events = steps.filter(pl.col("_d") > 0).with_columns(pl.col("_t").shift(-1).over(keys).alias("_next"))
    first = (
        events.filter(pl.col("_s") <= 0.5 + EPS)
        .group_by(keys)
        .agg(pl.col("_t", "_s", "_next").sort_by("_t").first())
        .with_columns(
            pl.when(((pl.col("_s") - 0.5).abs() < EPS) & pl.col("_next").is_not_null())
            .then((pl.col("_t") + pl.col("_next")) / 2)
            .otherwise(pl.col("_t"))
            .alias("km_median_s")
        )
    )
    return facts.select(keys).unique().join(first.select(*keys, "km_median_s"), on=keys, how="left", nulls_equal=True)

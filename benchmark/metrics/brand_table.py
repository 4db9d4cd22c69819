"""Per-brand figures from per-request facts (Narwhals; every engine).

A figure that cannot be computed (no answered request) is null, never 0 or
NaN: median, mean and percentiles ignore unanswered requests, while the
shares (``response_rate``, ``within_*``) divide by every request that is not
*open* (an unanswered request counts as a miss; an open one is not judged
yet). Without an open window no request is open: the skeleton's figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw

from .business_hours import SLOTS

__all__ = ["BRAND_KEYS", "EXTENDED_COLUMNS", "METRIC_COLUMNS", "SLA_SECONDS", "brand_table"]

SLA_SECONDS = {"within_30m": 30 * 60, "within_1h": 60 * 60, "within_24h": 24 * 60 * 60}

METRIC_COLUMNS = (
    "requests",
    "answered",
    "unanswered",
    "response_rate",
    "frt_median_s",
    "frt_mean_s",
    "frt_p90_s",
    *SLA_SECONDS,
)

EXTENDED_COLUMNS = (
    "open",
    "frt_fast90_mean_s",
    "bh_frt_median_s",
    "bh_frt_mean_s",
    "deflected",
    "deflected_share",
    "within_sla",
    *[f"{slot}_{name}" for slot in SLOTS for name in ("requests", "answered", "response_rate", "frt_median_s")],
)

BRAND_KEYS = ("platform", "brand")


def _i(expr: nw.Expr) -> nw.Expr:
    return expr.cast(nw.Int64).sum()  # Spark cannot sum booleans


def brand_table(facts: nw.LazyFrame, keys: Sequence[str] = BRAND_KEYS, *, extended: bool = False) -> nw.LazyFrame:
    """One row per ``keys`` with :data:`METRIC_COLUMNS` (and :data:`EXTENDED_COLUMNS` when ``extended``).

    ``extended`` needs the facts' ``status, bh_frt_s, slot, deflected, sla_s`` columns.
    """
    keys = list(keys)
    frt = nw.col("frt_s")
    has_status = extended or "status" in facts.collect_schema().names()
    is_open = (nw.col("status") == "open") if has_status else nw.lit(False)
    within = [_i((frt <= secs).fill_null(False)).alias(f"_{name}") for name, secs in SLA_SECONDS.items()]
    aggs = [
        nw.len().cast(nw.Int64).alias("requests"),
        _i(nw.col("answered")).alias("answered"),
        _i(is_open).alias("open"),
        frt.median().alias("frt_median_s"),
        frt.mean().alias("frt_mean_s"),
        frt.quantile(0.9, interpolation="linear").alias("frt_p90_s"),
        *within,
    ]
    if extended:
        aggs += [
            nw.col("bh_frt_s").median().alias("bh_frt_median_s"),
            nw.col("bh_frt_s").mean().alias("bh_frt_mean_s"),
            _i(nw.col("deflected")).alias("deflected"),
            _i((frt <= nw.col("sla_s")).fill_null(False)).alias("_within_sla"),
            nw.col("sla_s").max().alias("_sla_s"),
        ]
        for slot in SLOTS:
            in_slot = nw.col("slot") == slot
            aggs += [
                _i(in_slot & ~is_open).alias(f"{slot}_requests"),
                _i(in_slot & nw.col("answered")).alias(f"{slot}_answered"),
                nw.when(in_slot).then(frt).median().alias(f"{slot}_frt_median_s"),
            ]
    agg = facts.group_by(*keys).agg(*aggs)
    closed = (nw.col("requests") - nw.col("open")).cast(nw.Float64)
    share = lambda col: nw.when(closed > 0).then(nw.col(col).cast(nw.Float64) / closed)  # noqa: E731
    out = [
        *keys,
        "requests",
        "answered",
        (nw.col("requests") - nw.col("answered") - nw.col("open")).alias("unanswered"),
        share("answered").alias("response_rate"),
        "frt_median_s",
        "frt_mean_s",
        "frt_p90_s",
        *[share(f"_{name}").alias(name) for name in SLA_SECONDS],
    ]
    if not extended:
        return agg.select(*out)
    out += [
        "open",
        "bh_frt_median_s",
        "bh_frt_mean_s",
        "deflected",
        nw.when(nw.col("answered") > 0).then(nw.col("deflected").cast(nw.Float64) / nw.col("answered").cast(nw.Float64)).alias("deflected_share"),
        nw.when(~nw.col("_sla_s").is_null()).then(share("_within_sla")).alias("within_sla"),
    ]
    for slot in SLOTS:
        n = nw.col(f"{slot}_requests")
        out += [
            f"{slot}_requests",
            f"{slot}_answered",
            nw.when(n > 0).then(nw.col(f"{slot}_answered").cast(nw.Float64) / n.cast(nw.Float64)).alias(f"{slot}_response_rate"),
            f"{slot}_frt_median_s",
        ]
    table = agg.select(*out)
    return table.join(_fast90_mean(facts, keys), on=keys, how="left")


def _fast90_mean(facts: nw.LazyFrame, keys: Sequence[str] = BRAND_KEYS) -> nw.LazyFrame:
    """Mean FRT of the fastest ⌈0.9·n⌉ answered requests (Facebook's Page-badge figure)."""
    keys = list(keys)
    answered = facts.filter(nw.col("answered")).select(
        *keys,
        "frt_s",
        nw.col("frt_s").rank("ordinal").over(*keys).alias("_r"),
        nw.col("frt_s").count().over(*keys).alias("_n"),
    )
    # rank ≤ ⌈0.9 n⌉  ⇔  10·rank ≤ 9n + 9 for integers (no ceil needed on SQL engines)
    kept = answered.filter(nw.col("_r") * 10 <= nw.col("_n") * 9 + 9)
    return kept.group_by(*keys).agg(nw.col("frt_s").mean().alias("frt_fast90_mean_s"))

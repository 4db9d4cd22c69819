"""Per-brand figures from per-request facts (Narwhals; every engine).

A figure that cannot be computed (no answered request) is null, never 0 or
NaN: median, mean and percentiles ignore unanswered requests, while the
SLA shares (``within_*``) divide by **all** requests, so an unanswered
request counts as a miss.
"""

from __future__ import annotations

import narwhals as nw

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


def brand_table(facts: nw.LazyFrame) -> nw.LazyFrame:
    """One row per ``(platform, brand)`` with :data:`METRIC_COLUMNS`."""
    frt = nw.col("frt_s")
    within = [(frt <= secs).fill_null(False).cast(nw.Int64).sum().alias(f"_{name}") for name, secs in SLA_SECONDS.items()]
    agg = facts.group_by("platform", "brand").agg(
        nw.len().cast(nw.Int64).alias("requests"),
        nw.col("answered").cast(nw.Int64).sum().alias("answered"),
        frt.median().alias("frt_median_s"),
        frt.mean().alias("frt_mean_s"),
        frt.quantile(0.9, interpolation="linear").alias("frt_p90_s"),
        *within,
    )
    requests = nw.col("requests").cast(nw.Float64)
    return agg.select(
        "platform",
        "brand",
        "requests",
        "answered",
        (nw.col("requests") - nw.col("answered")).alias("unanswered"),
        (nw.col("answered").cast(nw.Float64) / requests).alias("response_rate"),
        "frt_median_s",
        "frt_mean_s",
        "frt_p90_s",
        *[(nw.col(f"_{name}").cast(nw.Float64) / requests).alias(name) for name in SLA_SECONDS],
    )

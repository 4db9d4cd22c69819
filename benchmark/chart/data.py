"""What the charts draw: a measurement, and the brands picked for a chart.

Every chart accepts a store (or its path) with the usual filters, or a
:class:`~benchmark.metrics.Measurement` already computed (the HTML report
measures once and draws every chart from it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from .. import api
from ..errors import BenchmarkError, UsageError
from ..metrics import Measurement
from ..rank import DEFAULT_MIN_REQUESTS, rank_table
from ..store import Store

ChartSource = Store | str | Path | Measurement
DEFAULT_TOP = 15
CI_LOW, CI_HIGH = "frt_median_ci_low_s", "frt_median_ci_high_s"  # present once the metrics offer them


class NoDataError(BenchmarkError):
    """Nothing matches the filters, so there is nothing to draw."""


def measured(
    source: ChartSource,
    *,
    since: api.TimeLike = None,
    until: api.TimeLike = None,
    platform: str | None = None,
    brands: Sequence[str] = (),
    engine: str = "polars",
) -> Measurement:
    """``source`` as a measurement (filters apply only when measuring here)."""
    if isinstance(source, Measurement):
        return source
    return api.measurement(source, since=since, until=until, platform=platform, brands=brands, engine=engine)


def ranked_brands(m: Measurement, min_requests: int = DEFAULT_MIN_REQUESTS) -> pl.DataFrame:
    """The ranking by median FRT, extra metric columns (CIs) kept, plus a display ``label``.

    Order: ranked brands best first, then unranked ones by volume. The label
    adds the platform only when the data has several platforms.
    """
    ranked = rank_table(m.table, by="frt_median_s", min_requests=min_requests)
    extra = [c for c in m.table.columns if c not in ranked.columns]
    if extra:
        ranked = ranked.join(m.table.select("platform", "brand", *extra), on=["platform", "brand"], how="left", maintain_order="left")
    several = ranked.get_column("platform").n_unique() > 1
    label = pl.format("{} ({})", "brand", "platform") if several else pl.col("brand")
    return ranked.with_columns(label.alias("label"), pl.col("rank").is_not_null().alias("is_ranked")).sort(
        [pl.col("rank").is_null(), "rank", pl.col("requests")], descending=[False, False, True], nulls_last=True
    )


def leading_brands(m: Measurement, top: int | None, min_requests: int = DEFAULT_MIN_REQUESTS) -> pl.DataFrame:
    """The ``top`` brands a chart shows: ranked ones first (best first), then the busiest unranked ones."""
    if top is not None and top < 1:
        raise UsageError("--top must be 1 or more")
    ranked = ranked_brands(m, min_requests)
    if ranked.height == 0:
        raise NoDataError("nothing to chart: no attributed requests match the filters")
    return ranked if top is None else ranked.head(top)


def facts_of(m: Measurement, brands: pl.DataFrame) -> pl.DataFrame:
    """Per-request facts of ``brands`` with their display ``label``."""
    return m.facts.join(brands.select("platform", "brand", "label"), on=["platform", "brand"], how="inner")


def zone(tz: str) -> str:
    """Check an IANA time-zone name (``Europe/Rome``) and return it."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--tz {tz!r} is not a time zone name like Europe/Rome or UTC") from None
    return tz

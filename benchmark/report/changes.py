"""Each brand's change versus its previous period, for the report's headline (issue 15, item 6).

Reuses ``rank --period``'s machinery (a measurement with ``period="month"``,
whose brand table carries ``previous_period`` and the change columns), so the report and the CLI cannot
disagree. The latest month usually ends with the data, part-way through: it is flagged ``partial``
so a reader does not take a short month's lower volume for a drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl

from ..chart.periods import COVERED_ENOUGH, period_end
from ..metrics import Measurement
from .i18n import change, duration, integer, month_key_text, percent


@dataclass(frozen=True)
class BrandChange:
    """One brand (and platform) in its latest month against the previous month it had requests in."""

    brand: str
    platform: str
    period: str
    previous: str
    partial: bool
    requests: str  # the n this month rests on, then the previous month's
    previous_requests: str
    requests_change: str
    response_rate: str
    response_rate_change: str
    frt_median: str
    frt_median_change: str
    answered: str


def _partial(period: str, first: datetime, last: datetime, tz: str) -> bool:
    """Whether the data (``first`` to ``last`` request) covers month ``period`` (``2017-10`` in ``tz``) only in part."""
    start = datetime(int(period[:4]), int(period[5:7]), 1, tzinfo=ZoneInfo(tz))
    end = period_end(start, "1mo")
    covered = (min(end, last) - max(start, first)) / (end - start)
    return covered < COVERED_ENOUGH


def brand_changes(m: Measurement, lang: str, *, tz: str) -> list[BrandChange]:
    """The latest month of every brand (ranked or not) with an earlier month to compare with, busiest brand first.

    Derived from the report's own measurement ``m`` (its threads and first responses, resolved once), per month
    in each brand's local time (``tz`` for brands the brands file gives no zone)."""
    d = m.diagnostics
    if not m.facts.height or d.first_request_at is None or d.last_request_at is None:
        return []
    per = m.derived(period="month", extended=False, timezone=tz)
    ranked = per.table  # one row per brand, platform and month, with previous_period and the changes
    latest = ranked.sort("period").group_by("brand", "platform", maintain_order=True).last()
    latest = latest.filter(pl.col("previous_period").is_not_null()).sort(["requests", "brand", "platform"], descending=[True, False, False])
    previous = ranked.select("brand", "platform", pl.col("period").alias("previous_period"), pl.col("requests").alias("previous_requests"))
    latest = latest.join(previous, on=["brand", "platform", "previous_period"], how="left")
    first, last = d.first_request_at, d.last_request_at
    return [
        BrandChange(
            brand=str(r["brand"]),
            platform=str(r["platform"]),
            period=month_key_text(str(r["period"]), lang),
            previous=month_key_text(str(r["previous_period"]), lang),
            partial=_partial(str(r["period"]), first, last, tz),
            requests=integer(r["requests"], lang),
            previous_requests=integer(r["previous_requests"], lang),
            requests_change=change("requests_change", r["requests_change"], lang),
            response_rate=percent(r["response_rate"], lang),
            response_rate_change=change("response_rate_change", r["response_rate_change"], lang),
            frt_median=duration(r["frt_median_s"], lang),
            frt_median_change=change("frt_median_change_s", r["frt_median_change_s"], lang),
            answered=integer(r["answered"], lang),
        )
        for r in latest.iter_rows(named=True)
    ]

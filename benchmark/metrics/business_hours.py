"""Business-hours time and local-time flags, via a calendar of UTC buckets.

Only the time a brand's care desk is open should count in a business-hours
FRT, in the brand's own time zone, across DST changes and holidays. Instead
of walking each request's interval in Python, every *profile* (time zone +
opening hours + holidays) gets a small calendar table: one row per UTC
bucket with whether the desk is open for the whole bucket and the open
microseconds accumulated before it. Business time between two instants is
then ``B(t2) − B(t1)`` with ``B(t) = cum_open(bucket) + open·(t − bucket
start)``, found by equi-joins on ``(profile, ts_us // bucket_us)`` that run
on every engine.

The bucket length divides 60 minutes, every opening-hour boundary and every
UTC offset of the zones involved, so no bucket is partly open and the local
hour, weekday and period are constant inside it. The same join gives each
request its local flags (night 22:00–08:00, weekend) and period keys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import narwhals as nw
import polars as pl

from ..brands import DEFAULT_TIMEZONE, BrandBook, Ranges
from ..loaders import EARLIEST_TIMESTAMP, LATEST_TIMESTAMP

__all__ = [
    "BrandProfiles", "CALENDAR_FROM_US", "CALENDAR_TO_US", "Profile", "SLOTS", "US_PER_HOUR",
    "US_PER_MINUTE", "brand_profiles", "calendar", "with_local_time",
]

US_PER_MINUTE = 60_000_000
US_PER_HOUR = 60 * US_PER_MINUTE
CALENDAR_FROM_US = int(EARLIEST_TIMESTAMP.timestamp()) * 1_000_000  # the calendar never reaches outside the
CALENDAR_TO_US = int(LATEST_TIMESTAMP.timestamp()) * 1_000_000  # plausible dates (ingest rejects the rest)
_OFFSET_SAMPLE = "6h"  # UTC offsets last months; sampling every 6 hours finds each one
NIGHT_FROM_HOUR, NIGHT_TO_HOUR = 22, 8
SLOTS = ("office", "night", "weekend")


@dataclass(frozen=True)
class Profile:
    """What decides a brand's business time: zone, weekly hours (None = 24/7), holidays."""

    timezone: str = DEFAULT_TIMEZONE
    hours: tuple[Ranges, ...] | None = None
    holidays: tuple[date, ...] = ()


@dataclass(frozen=True)
class BrandProfiles:
    """Profile 0 is the default (the measurement's time zone, UTC unless set; always open) for brands not in the brands file."""

    profiles: tuple[Profile, ...] = (Profile(),)
    info: pl.DataFrame = field(default_factory=lambda: _info_frame([]))  # brand, sector, sla_s, profile


def _info_frame(rows: list[tuple[str, str | None, float | None, int]]) -> pl.DataFrame:
    schema = {"brand": pl.String, "sector": pl.String, "sla_s": pl.Float64, "profile": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def brand_profiles(book: BrandBook | None, timezone: str = DEFAULT_TIMEZONE) -> BrandProfiles:
    """Group the configured brands by identical calendars; ``timezone`` for brands the file gives no zone and
    for brands not in it (profile 0, always open)."""
    if book is None:
        return BrandProfiles((Profile(timezone),))
    profiles: list[Profile] = [Profile(timezone)]
    rows = []
    for b in book.brands:
        p = Profile(b.timezone or timezone, b.hours, b.holidays)
        if p not in profiles:
            profiles.append(p)
        sla = b.sla_minutes * 60 if b.sla_minutes is not None else None
        rows.append((b.name, b.sector, sla, profiles.index(p)))
    return BrandProfiles(tuple(profiles), _info_frame(rows))


def _calendar_span(start_us: int, end_us: int) -> tuple[int, int]:
    """``[start_us, end_us]`` kept inside the plausible dates, so a placeholder date (0001-01-01,
    9999-12-31) never makes the calendar span millennia; facts outside it get no business time (null)."""
    start = min(max(start_us, CALENDAR_FROM_US), CALENDAR_TO_US)
    end = max(min(end_us, CALENDAR_TO_US), start)
    return start, end


def _bucket_minutes(profiles: tuple[Profile, ...], start_us: int, end_us: int) -> int:
    """The longest bucket (a divisor of 60 minutes) that no boundary falls inside."""
    start_us, end_us = _calendar_span(start_us, end_us)
    g = 60
    for p in profiles:
        for day in p.hours or ():
            for s, e in day:
                g = math.gcd(g, s % 60, e % 60)
        hours = pl.datetime_range(
            pl.from_epoch(pl.lit(start_us), "us"), pl.from_epoch(pl.lit(end_us + US_PER_HOUR), "us"), _OFFSET_SAMPLE, eager=True
        ).dt.replace_time_zone("UTC")
        local = hours.dt.convert_time_zone(p.timezone).dt.replace_time_zone(None)
        offsets = ((local - hours.dt.replace_time_zone(None)).dt.total_minutes() % 60).unique().to_list()
        for off in offsets:
            g = math.gcd(g, int(off))
    return g


def calendar(profiles: tuple[Profile, ...], start_us: int, end_us: int) -> tuple[pl.DataFrame, int]:
    """The calendar table for ``[start_us, end_us]`` and its bucket length in µs.

    Columns: ``profile, bucket, cum_open_us, open (0/1), night, weekend, month, quarter, week``.
    The span is first kept inside the plausible dates (:func:`_calendar_span`).
    """
    start_us, end_us = _calendar_span(start_us, end_us)
    minutes = _bucket_minutes(profiles, start_us, end_us)
    bucket_us = minutes * US_PER_MINUTE
    first, last = start_us // bucket_us, end_us // bucket_us
    frames = [_profile_calendar(i, p, first, last, bucket_us, minutes) for i, p in enumerate(profiles)]
    return pl.concat(frames), bucket_us


def _profile_calendar(index: int, p: Profile, first: int, last: int, bucket_us: int, minutes: int) -> pl.DataFrame:
    bucket = pl.int_range(first, last + 1, dtype=pl.Int64, eager=True).alias("bucket")
    df = pl.DataFrame(bucket).with_columns(
        pl.from_epoch(pl.col("bucket") * bucket_us, "us").dt.replace_time_zone("UTC").dt.convert_time_zone(p.timezone).alias("_local")
    )
    local = pl.col("_local")
    df = df.with_columns(
        (local.dt.hour().cast(pl.Int32) * 60 + local.dt.minute().cast(pl.Int32)).alias("_minute"),
        local.dt.weekday().cast(pl.Int32).alias("_weekday"),  # 1 = Monday
        local.dt.date().alias("_date"),
    )
    if p.hours is None:
        open_ = pl.lit(True)
    else:
        weekly = _weekly_open(p.hours, minutes)
        df = df.join(weekly, on=["_weekday", "_minute"], how="left")
        open_ = pl.col("_open").fill_null(False)
    if p.holidays:
        open_ = open_ & ~pl.col("_date").is_in(list(p.holidays))
    hour = local.dt.hour()
    df = df.with_columns(open_.cast(pl.Int64).alias("open"))
    return df.select(
        pl.lit(index, dtype=pl.Int64).alias("profile"),
        "bucket",
        ((pl.col("open") * bucket_us).cum_sum() - pl.col("open") * bucket_us).alias("cum_open_us"),
        "open",
        ((hour >= NIGHT_FROM_HOUR) | (hour < NIGHT_TO_HOUR)).alias("night"),
        (pl.col("_weekday") >= 6).alias("weekend"),
        local.dt.strftime("%Y-%m").alias("month"),
        pl.format("{}-Q{}", local.dt.year(), local.dt.quarter()).alias("quarter"),
        pl.format("{}-W{}", local.dt.iso_year(), local.dt.week().cast(pl.String).str.zfill(2)).alias("week"),
    )


def _weekly_open(hours: tuple[Ranges, ...], minutes: int) -> pl.DataFrame:
    """``_weekday, _minute, _open`` for every bucket start in a week."""
    starts = list(range(0, 24 * 60, minutes))
    rows = [
        (wd + 1, m, any(s <= m < e for s, e in day))
        for wd, day in enumerate(hours)
        for m in starts
    ]
    return pl.DataFrame(rows, schema={"_weekday": pl.Int32, "_minute": pl.Int32, "_open": pl.Boolean}, orient="row")


def with_local_time(facts: nw.LazyFrame, cal: nw.LazyFrame, bucket_us: int, period: str | None) -> nw.LazyFrame:
    """Add ``bh_frt_s``, ``night``, ``weekend``, ``slot``, ``in_hours`` and ``period`` to facts with a ``profile``.

    Joins the calendar once at the request's bucket and once at the response's.
    """
    req_cal = cal.select(
        "profile",
        nw.col("bucket").alias("_rb"),
        nw.col("cum_open_us").alias("_rcum"),
        nw.col("open").alias("_ropen"),
        "night",
        "weekend",
        nw.col(period).alias("period") if period else nw.lit(None, dtype=nw.String()).alias("period"),
    )
    resp_cal = cal.select(
        "profile", nw.col("bucket").alias("_sb"), nw.col("cum_open_us").alias("_scum"), nw.col("open").alias("_sopen")
    )
    out = (
        facts.with_columns(
            (nw.col("request_ts_us") // bucket_us).alias("_rb"),
            (nw.col("response_ts_us") // bucket_us).alias("_sb"),
        )
        .join(req_cal, on=["profile", "_rb"], how="left")
        .join(resp_cal, on=["profile", "_sb"], how="left")
    )
    b_req = nw.col("_rcum") + nw.col("_ropen") * (nw.col("request_ts_us") - nw.col("_rb") * bucket_us)
    b_resp = nw.col("_scum") + nw.col("_sopen") * (nw.col("response_ts_us") - nw.col("_sb") * bucket_us)
    return out.with_columns(
        ((b_resp - b_req) / 1_000_000).alias("bh_frt_s"),
        (nw.col("_ropen") == 1).alias("in_hours"),
        nw.when(nw.col("weekend")).then(nw.lit("weekend")).when(nw.col("night")).then(nw.lit("night")).otherwise(nw.lit("office")).alias("slot"),
    ).drop("_rb", "_sb", "_rcum", "_ropen", "_scum", "_sopen")

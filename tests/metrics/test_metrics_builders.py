"""Helpers for the metrics tests: tiny synthetic canonical frames (fictional brands)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl

from benchmark.schema import conform

ROME = ZoneInfo("Europe/Rome")


def rome(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    """A Rome wall-clock time (DST handled by zoneinfo)."""
    return datetime(y, mo, d, h, mi, tzinfo=ROME)


def messages(rows: list[tuple], platform: str = "twitter") -> pl.DataFrame:
    """Rows ``(id, parent, author, is_brand, brand, time[, kind[, text]])`` → canonical frame."""
    full = [(*r, *([None] * (8 - len(r)))) for r in rows]
    df = pl.DataFrame(
        [(i, p, a, b, br, t, k or "tweet", x or "") for i, p, a, b, br, t, k, x in full],
        schema=["message_id", "parent_id", "author_id", "is_brand", "brand", "created_at", "kind", "text"],
        orient="row",
    )
    return conform(
        df.with_columns(pl.col("created_at").dt.convert_time_zone("UTC"), pl.lit(platform).alias("platform"))
    )


def test_builder_keeps_wall_clock_times_in_utc():
    df = messages([("1", None, "c1", False, "X", rome(2024, 3, 31, 12))])
    assert str(df["created_at"].dtype) == "Datetime(time_unit='us', time_zone='UTC')"
    assert df["created_at"].item().hour == 10  # CEST = UTC+2 after the spring change

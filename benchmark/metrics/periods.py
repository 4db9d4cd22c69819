"""One row per brand and period, with the change versus the brand's previous period.

Period keys come from the business-hours calendar, in each brand's local
time: ``2024-03`` (month), ``2024-Q1`` (quarter), ``2024-W09`` (ISO week).
The change columns compare a row with the same brand's previous period that
has data (a brand silent for a month is compared with its last active one).
"""

from __future__ import annotations

import polars as pl

__all__ = ["CHANGE_COLUMNS", "with_changes"]

CHANGE_COLUMNS = {
    "requests": "requests_change",
    "response_rate": "response_rate_change",
    "frt_median_s": "frt_median_change_s",
    "frt_mean_s": "frt_mean_change_s",
}


def with_changes(table: pl.DataFrame, keys: tuple[str, ...] = ("platform", "brand")) -> pl.DataFrame:
    """Add ``previous_period`` and the :data:`CHANGE_COLUMNS` (this period minus the previous one)."""
    ordered = table.sort(*keys, "period")
    over = list(keys)
    return ordered.with_columns(
        pl.col("period").shift(1).over(over).alias("previous_period"),
        *[
            (pl.col(col).cast(pl.Float64) - pl.col(col).cast(pl.Float64).shift(1).over(over)).alias(name)
            for col, name in CHANGE_COLUMNS.items()
        ],
    )

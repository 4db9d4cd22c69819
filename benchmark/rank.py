"""Order brands by one figure, apart from those below the volume thresholds.

Ranking is presentation over the small per-brand table, so it is plain
Polars. Ties share a rank (competition ranking: 1, 2, 2, 4). Brands under
``min_requests`` (or ``min_answered``), or without a value for the chosen
figure, keep their row with ``rank`` null: listed apart, never dropped.

A rank alone overstates what the data shows, so with ``figures="all"`` each
ranked brand also gets a **rank interval** (``rank_low``–``rank_high``): the
best and worst rank consistent with the 95% intervals of the figure (the
bootstrap interval of the median FRT, the Wilson interval of the response
rate; other figures use their value, so only exact ties widen it). Brand B
counts as surely ahead of A only when B's whole interval is better than A's;
``tie`` marks brands whose interval overlaps another's.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from .defaults import DEFAULT_MIN_REQUESTS
from .errors import ParameterError, UsageError
from .metrics import ALL_FIGURES, CHANGE_COLUMNS, METRIC_COLUMNS

LOWER_IS_BETTER = {
    "frt_median_s", "frt_mean_s", "frt_p90_s", "unanswered", "km_median_s", "frt_fast90_mean_s",
    "bh_frt_median_s", "bh_frt_mean_s", "deflected_share", "open", "reply_median_s", "reply_mean_s", "reply_p90_s",
    "nrt_median_s", "nrt_mean_s", "nrt_p90_s",
}
EXTRA_RANK_KEYS = (
    "km_median_s", "frt_fast90_mean_s", "bh_frt_median_s", "bh_frt_mean_s", "deflected_share", "within_sla",
    "reply_median_s", "reply_mean_s", "reply_p90_s", "nrt_median_s", "nrt_mean_s", "nrt_p90_s",
)
RANK_KEYS = (*METRIC_COLUMNS, *EXTRA_RANK_KEYS)
OUTPUT_COLUMNS = ("rank", "brand", "platform", *METRIC_COLUMNS)
RANK_INTERVAL_COLUMNS = ("rank_low", "rank_high", "tie")
GROUPS = ("sector",)
INTERVALS = {
    "frt_median_s": ("frt_median_ci_low_s", "frt_median_ci_high_s"),
    "response_rate": ("response_rate_ci_low", "response_rate_ci_high"),
}


def needs_all_figures(by: str = "frt_median_s", figures: str = "default", group_by: str | None = None) -> bool:
    """Whether a ranking reads more than :data:`METRIC_COLUMNS` (then the measurement computes every figure)."""
    return figures != "default" or by not in METRIC_COLUMNS or group_by is not None


def rank_table(
    table: pl.DataFrame,
    by: str = "frt_median_s",
    min_requests: int = DEFAULT_MIN_REQUESTS,
    *,
    min_answered: int | None = None,
    figures: str = "default",
    group_by: str | None = None,
) -> pl.DataFrame:
    """Add ``rank`` to a brand table and order it: ranked brands first, best first.

    ``figures="all"`` keeps every column of the table plus the rank interval;
    ``group_by="sector"`` ranks within each sector and adds ``sector_median``
    (the median of ``by`` over the sector's ranked brands). A ``period``
    column, when present, is always kept and ranked within.
    """
    if by not in RANK_KEYS:
        raise UsageError(f"cannot rank by {by!r}; choose one of {', '.join(RANK_KEYS)}")
    if by not in table.columns:
        raise UsageError(f"cannot rank by {by!r}: the table has no such figure")
    if min_requests < 0:
        raise ParameterError("{min_requests} must be 0 or more", "min_requests")
    if min_answered is not None and min_answered < 0:
        raise ParameterError("{min_answered} must be 0 or more", "min_answered")
    if figures not in ("default", "all"):
        raise ParameterError("{figures} {value!r}: choose default or all", "figures", value=figures)
    if group_by is not None and group_by not in GROUPS:
        raise ParameterError("{group_by} {value!r}: choose one of {choices}", "group_by", value=group_by, choices=", ".join(GROUPS))
    if group_by == "sector" and "sector" not in table.columns:
        raise ParameterError("{group_by} sector needs sectors: give a brands file ({brand_book})", "group_by", "brand_book")
    partition = [c for c in ("period",) if c in table.columns] + ([group_by] if group_by else [])
    descending = by not in LOWER_IS_BETTER
    eligible = (pl.col("requests") >= min_requests) & pl.col(by).is_not_null()
    if min_answered is not None:
        eligible = eligible & (pl.col("answered") >= min_answered)
    score = pl.when(eligible).then(pl.col(by))
    rank = score.rank(method="min", descending=descending)
    ranked = table.with_columns((rank.over(partition) if partition else rank).cast(pl.Int64).alias("rank"))
    if group_by:
        median = pl.when(pl.col("rank").is_not_null()).then(pl.col(by)).median()
        ranked = ranked.with_columns(median.over(partition).alias(f"{group_by}_median"))
    if figures == "all":
        ranked = with_rank_intervals(ranked, by, partition)
    ranked = ranked.sort(
        [*partition, pl.col("rank").is_null(), "rank", pl.col("requests"), "brand", "platform"],
        descending=[False] * len(partition) + [False, False, True, False, False],
        nulls_last=True,
    )
    front = ["rank", *partition, "brand", "platform"]
    if group_by:
        front.append(f"{group_by}_median")
    if figures == "all":
        rest = [c for c in ranked.columns if c not in front]
        return ranked.select(*front, *rest)
    extra = [c for c in CHANGE_COLUMNS.values() if c in ranked.columns] if "period" in partition else []
    return ranked.select(*front, *METRIC_COLUMNS, *extra)


def with_rank_intervals(ranked: pl.DataFrame, by: str, partition: Sequence[str] = ()) -> pl.DataFrame:
    """Add ``rank_low``, ``rank_high`` and ``tie`` to the ranked rows (null for unranked ones)."""
    lo_col, hi_col = INTERVALS.get(by, (by, by))
    if lo_col not in ranked.columns or hi_col not in ranked.columns:
        lo_col = hi_col = by
    lower_better = by in LOWER_IS_BETTER
    part = list(partition)
    rows = ranked.with_row_index("_i").filter(pl.col("rank").is_not_null()).select(
        "_i", *part, pl.col(lo_col).alias("_lo"), pl.col(hi_col).alias("_hi")
    )
    other = rows.rename({"_i": "_j", "_lo": "_olo", "_hi": "_ohi"})
    pairs = rows.join(other, on=part, how="inner", nulls_equal=True) if part else rows.join(other, how="cross")
    pairs = pairs.filter(pl.col("_i") != pl.col("_j"))
    if lower_better:  # lower values are better (durations)
        ahead, behind = pl.col("_ohi") < pl.col("_lo"), pl.col("_olo") > pl.col("_hi")
    else:
        ahead, behind = pl.col("_olo") > pl.col("_hi"), pl.col("_ohi") < pl.col("_lo")
    counts = pairs.group_by("_i").agg(
        ahead.cast(pl.Int64).sum().alias("_ahead"), behind.cast(pl.Int64).sum().alias("_behind"), pl.len().alias("_others")
    )
    out = ranked.with_row_index("_i").join(counts, on="_i", how="left").with_columns(
        pl.col("_ahead").fill_null(0), pl.col("_behind").fill_null(0), pl.col("_others").fill_null(0)
    )
    is_ranked = pl.col("rank").is_not_null()
    out = out.with_columns(
        pl.when(is_ranked).then(1 + pl.col("_ahead")).cast(pl.Int64).alias("rank_low"),
        pl.when(is_ranked).then(1 + pl.col("_others") - pl.col("_behind")).cast(pl.Int64).alias("rank_high"),
    )
    return out.with_columns(
        pl.when(is_ranked).then(pl.col("rank_low") != pl.col("rank_high")).alias("tie")
    ).drop("_i", "_ahead", "_behind", "_others")


__all__ = ["ALL_FIGURES", "DEFAULT_MIN_REQUESTS", "needs_all_figures", "OUTPUT_COLUMNS", "RANK_KEYS", "rank_table", "with_rank_intervals"]

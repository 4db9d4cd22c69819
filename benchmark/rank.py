"""Order brands by one figure, apart from those below the volume threshold.

Ranking is presentation over the small per-brand table, so it is plain
Polars. Ties share a rank (competition ranking: 1, 2, 2, 4). Brands under
``min_requests``, or without a value for the chosen figure, keep their row
with ``rank`` null: listed apart, never dropped.
"""

from __future__ import annotations

import polars as pl

from .errors import UsageError
from .metrics import METRIC_COLUMNS

LOWER_IS_BETTER = {"frt_median_s", "frt_mean_s", "frt_p90_s", "unanswered"}
RANK_KEYS = tuple(METRIC_COLUMNS)
OUTPUT_COLUMNS = ("rank", "brand", "platform", *METRIC_COLUMNS)
DEFAULT_MIN_REQUESTS = 100  # the reference study's threshold


def rank_table(table: pl.DataFrame, by: str = "frt_median_s", min_requests: int = DEFAULT_MIN_REQUESTS) -> pl.DataFrame:
    """Add ``rank`` to a brand table and order it: ranked brands first, best first."""
    if by not in RANK_KEYS:
        raise UsageError(f"cannot rank by {by!r}; choose one of {', '.join(RANK_KEYS)}")
    if min_requests < 0:
        raise UsageError("--min-requests must be 0 or more")
    descending = by not in LOWER_IS_BETTER
    eligible = (pl.col("requests") >= min_requests) & pl.col(by).is_not_null()
    score = pl.when(eligible).then(pl.col(by))
    ranked = table.with_columns(
        score.rank(method="min", descending=descending).cast(pl.Int64).alias("rank"),
    )
    return ranked.sort(
        [pl.col("rank").is_null(), "rank", pl.col("requests"), "brand", "platform"],
        descending=[False, False, True, False, False],
        nulls_last=True,
    ).select(OUTPUT_COLUMNS)

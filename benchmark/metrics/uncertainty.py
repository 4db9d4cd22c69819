"""How sure a figure is: Wilson intervals for rates, bootstrap intervals for medians.

These run on the small per-brand results after collection (Polars/numpy), so
they are identical whichever engine produced the facts.

The bootstrap does not materialise resamples. Resampling *n* values of a
sorted array picks indices ``floor(n·U)`` for uniform ``U``; the median of a
resample is therefore the value at the *k*-th order statistic of *n*
uniforms, which is Beta(k, n−k+1) distributed, and the next order statistic
is ``U(k) + (1−U(k))·Beta(1, n−k)``. Drawing those directly gives the exact
bootstrap distribution of the median in O(resamples) per brand, whatever n.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

import numpy as np
import polars as pl

from .options import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED

__all__ = ["Z95", "bootstrap_median_ci", "median_ci_columns", "wilson_columns", "wilson_interval"]

Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval for a proportion; (None, None) when n is 0."""
    if n <= 0:
        return None, None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # At 0 or n successes the bound is exactly 0 or 1; rounding must not push it past the rate.
    lo = 0.0 if successes == 0 else max(0.0, min(p, centre - half))
    hi = 1.0 if successes == n else min(1.0, max(p, centre + half))
    return lo, hi


def wilson_columns(table: pl.DataFrame, successes: str = "answered", total: str = "_closed") -> pl.DataFrame:
    """Add ``response_rate_ci_low``/``_high`` (vectorised Wilson interval)."""
    z2 = Z95 * Z95
    n = pl.col(total).cast(pl.Float64)
    p = pl.col(successes).cast(pl.Float64) / n
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = Z95 / denom * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
    ok = n > 0
    k = pl.col(successes)
    return table.with_columns(
        pl.when(ok & (k == 0)).then(0.0).when(ok).then(pl.min_horizontal(p, (centre - half).clip(0.0, 1.0))).alias("response_rate_ci_low"),
        pl.when(ok & (k == pl.col(total))).then(1.0).when(ok).then(pl.max_horizontal(p, (centre + half).clip(0.0, 1.0))).alias("response_rate_ci_high"),
    )


def _rng(key: Sequence[object]) -> np.random.Generator:
    """A generator seeded by the fixed seed and the group key: reproducible per brand, order-free."""
    tag = zlib.crc32("\x1f".join("" if k is None else str(k) for k in key).encode("utf-8"))
    return np.random.default_rng([BOOTSTRAP_SEED, tag])


def bootstrap_median_ci(
    values: np.ndarray, key: Sequence[object] = (), resamples: int = BOOTSTRAP_RESAMPLES, level: float = 0.95
) -> tuple[float | None, float | None]:
    """Percentile bootstrap interval for the median of ``values`` (any order)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.size
    if n == 0:
        return None, None
    rng = _rng(key)
    if n % 2:
        k = (n + 1) // 2
        u = rng.beta(k, n - k + 1, size=resamples)
        medians = x[np.minimum((u * n).astype(np.int64), n - 1)]
    else:
        k = n // 2
        u1 = rng.beta(k, n - k + 1, size=resamples)
        u2 = u1 + (1 - u1) * rng.beta(1, n - k, size=resamples)
        i1 = np.minimum((u1 * n).astype(np.int64), n - 1)
        i2 = np.minimum((u2 * n).astype(np.int64), n - 1)
        medians = (x[i1] + x[i2]) / 2
    alpha = (1 - level) / 2
    lo, hi = np.quantile(medians, [alpha, 1 - alpha])
    median = float(np.median(x))
    # The percentile interval of the median's bootstrap straddles the sample median except with
    # vanishing probability; the clamp makes "the interval contains the reported median" hold always.
    return float(min(lo, median)), float(max(hi, median))


def median_ci_columns(facts: pl.DataFrame, keys: Sequence[str], value: str = "frt_s") -> pl.DataFrame:
    """``keys`` + ``frt_median_ci_low_s``/``_high_s`` from the answered requests of each group."""
    keys = list(keys)
    grouped = (
        facts.filter(pl.col(value).is_not_null())
        .group_by(keys)
        .agg(pl.col(value).sort().alias("_values"))
        .sort(keys, nulls_last=True)
    )
    rows = []
    for row in grouped.iter_rows(named=True):  # one iteration per brand, not per request
        key = [row[k] for k in keys]
        lo, hi = bootstrap_median_ci(np.asarray(row["_values"], dtype=np.float64), key)
        rows.append((*key, lo, hi))
    schema = {**{k: facts.schema[k] for k in keys}, "frt_median_ci_low_s": pl.Float64, "frt_median_ci_high_s": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")

"""Keyword volumes over time: up to five keywords or phrases side by side.

Matching is case- and accent-insensitive on whole words ("fibra" matches
"Fibra" and "FIBRA!" but not "fibrato"; "bolletta" matches "bollètta"),
on folded text with one vectorised ``str.contains`` per keyword. Periods
without a mention are 0, so lines in the chart do not skip them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from ..errors import ParameterError, UsageError
from .source import StoreLike, TRUNCATE, messages, period_expr
from ..text.folding import fold, term_regex

if TYPE_CHECKING:
    from matplotlib.figure import Figure  # matplotlib is imported only when a chart is drawn

    from ..api import BrandsLike  # a brands file path or a parsed BrandBook

__all__ = ["MAX_KEYWORDS", "keyword_chart", "keyword_counts", "keyword_volumes", "wide"]

MAX_KEYWORDS = 5


def _check_keywords(terms: Sequence[str]) -> list[str]:
    """Cleaned keywords; a UsageError for none, more than five, blanks or repeats."""
    cleaned = [t.strip() for t in terms]
    if not cleaned:
        raise UsageError("give at least one keyword")
    if len(cleaned) > MAX_KEYWORDS:
        raise UsageError(f"at most {MAX_KEYWORDS} keywords at a time (got {len(cleaned)})")
    if any(not t.rstrip("*").strip() for t in cleaned):
        raise UsageError("keywords cannot be blank")
    if len({t.lower() for t in cleaned}) < len(cleaned):
        raise UsageError("each keyword only once")
    return cleaned


def keyword_counts(frame: pl.LazyFrame, terms: Sequence[str], by: str = "day") -> pl.DataFrame:
    """``period, keyword, mentions`` (messages mentioning it) from a frame with ``created_at`` and ``text``."""
    terms = _check_keywords(terms)
    if by not in TRUNCATE:
        raise ParameterError("{by} {value!r}: choose day, week or month", "by", value=by)
    folded = fold(pl.col("text").fill_null(""))
    flags = [folded.str.contains(term_regex(t)).cast(pl.Int64).alias(f"_k{i}") for i, t in enumerate(terms)]
    per = frame.select(period_expr("created_at", by), *flags).group_by("period").agg(pl.col(f"_k{i}").sum() for i in range(len(terms))).collect()
    schema = {"period": pl.Datetime("us", "UTC"), "keyword": pl.String, "mentions": pl.Int64}
    if per.height == 0:
        return pl.DataFrame(schema=schema)
    lo, hi = per.get_column("period").min(), per.get_column("period").max()
    every = TRUNCATE[by]
    periods = pl.DataFrame({"period": pl.datetime_range(lo, hi, every, eager=True, time_zone="UTC")})
    wide = periods.join(per, on="period", how="left").fill_null(0)
    long = wide.unpivot(index="period", variable_name="_k", value_name="mentions").with_columns(
        pl.col("_k").str.strip_prefix("_k").cast(pl.Int64).alias("_i")
    )
    names = pl.DataFrame({"_i": list(range(len(terms))), "keyword": terms})
    return long.join(names, on="_i").sort("period", "_i").select("period", "keyword", pl.col("mentions").cast(pl.Int64))


def keyword_volumes(
    store: StoreLike,
    terms: Sequence[str],
    *,
    by: str = "day",
    brands: tuple[str, ...] = (),
    brands_file: BrandsLike = None,
    since: object = None,
    until: object = None,
    platform: str | None = None,
    customers_only: bool = True,
) -> pl.DataFrame:
    """Messages mentioning each keyword per period (UTC), customers' messages only unless asked.

    ``store`` may be a Measurement: its own messages (filters and brand map) are counted, the others left out."""
    from ..metrics import Measurement

    if isinstance(store, Measurement):
        return keyword_counts(store.messages(customers_only=customers_only), terms, by)
    frame = messages(store, brands_file=brands_file, since=since, until=until, platform=platform, brands=brands, customers_only=customers_only)
    return keyword_counts(frame, terms, by)


def wide(volumes: pl.DataFrame) -> pl.DataFrame:
    """One row per period, one column per keyword (for the terminal table)."""
    if volumes.height == 0:
        return pl.DataFrame(schema={"period": pl.String})
    order = volumes.get_column("keyword").unique(maintain_order=True).to_list()
    return volumes.pivot(on="keyword", index="period", values="mentions").select("period", *order).sort("period")


def keyword_chart(volumes: pl.DataFrame, *, title: str | None = None) -> Figure:
    """One line per keyword: mentions per period."""
    from ..chart.data import NoDataError
    from ..chart.style import PALETTE, new_figure, rc

    if volumes.height == 0:
        raise NoDataError("nothing to chart: no messages match the filters")
    with rc():
        fig = new_figure(height=4.0)
        ax = fig.subplots()
        for i, kw in enumerate(volumes.get_column("keyword").unique(maintain_order=True).to_list()):
            series = volumes.filter(pl.col("keyword") == kw).sort("period")
            dates = [d.replace(tzinfo=None) for d in series.get_column("period").to_list()]
            ax.plot(dates, series.get_column("mentions").to_list(), color=PALETTE[i % len(PALETTE)], marker="o", markersize=3, linewidth=1.6, label=kw)
        ax.set_ylim(bottom=0)
        ax.set_ylabel("Messages mentioning the keyword", fontsize=9)
        ax.grid(True)
        ax.set_title(title or "Keyword volumes (UTC)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
        fig.autofmt_xdate()
    return fig

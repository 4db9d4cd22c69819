"""What the charts draw: a measurement, and the brands picked for a chart.

Every chart accepts a store (or its path) with the usual filters, or a
:class:`~benchmark.metrics.Measurement` already computed (the HTML report
measures once and draws every chart from it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from .. import api
from ..errors import BenchmarkError, ParameterError
from ..metrics import Measurement
from ..query import Query
from ..rank import DEFAULT_MIN_REQUESTS, rank_table
from ..store import Store

__all__ = [
    "ChartSource", "DEFAULT_TOP", "MAX_SHOWN", "NoDataError", "Picked", "facts_of", "measured",
    "pick_brands", "ranked_brands", "zone",
]

ChartSource = Store | str | Path | Measurement | Query
DEFAULT_TOP = None  # ranking and map: every brand (ranked ones first), up to MAX_SHOWN
MAX_SHOWN = 60  # what one ranking or map stays readable with; a note says when brands are left out
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
    """``source`` as a measurement: a store measured with these filters, a Query measured, a Measurement as it is.

    A Query or Measurement carries its own filters: giving others too is refused, never silently ignored.
    """
    if isinstance(source, (Measurement, Query)):
        given = [name for name, value in (("since", since), ("until", until), ("platform", platform), ("brands", brands)) if value not in (None, (), [])]
        if engine != "polars":
            given.append("engine")
        if given:
            what = "Measurement" if isinstance(source, Measurement) else "Query"
            raise ParameterError(
                "the {what} says which requests to draw already: drop %s (or build it with them)" % ", ".join("{%s}" % g for g in given),
                *given, what=what,
            )
        return api.measure(source)
    return api.measurement(source, since=since, until=until, platform=platform, only_brands=brands, engine=engine)


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


def _leading_brands(m: Measurement, top: int | None, min_requests: int = DEFAULT_MIN_REQUESTS) -> pl.DataFrame:
    """The ``top`` brands a chart shows: ranked ones first (best first), then the busiest unranked ones."""
    if top is not None and top < 1:
        raise ParameterError("{top} must be 1 or more", "top")
    ranked = ranked_brands(m, min_requests)
    if ranked.height == 0:
        raise NoDataError("nothing to chart: no attributed requests match the filters")
    return ranked if top is None else ranked.head(top)


@dataclass(frozen=True)
class Picked:
    """The brands a chart draws, and how many it leaves out (every chart says so: no silent top-N)."""

    rows: pl.DataFrame
    total: int  # brands measured (ranked and unranked)
    undrawable: int  # brands left out because they have no answered request (no time to plot)

    @property
    def left_out(self) -> int:
        return self.total - self.rows.height

    def notes(self, text: dict[str, str]) -> list[str]:
        """"15 of 24 brands shown (--top to change)" when brands are left out; empty when all are drawn."""
        if not self.left_out:
            return []
        notes = [text["shown"].format(shown=self.rows.height, total=self.total)]
        if self.undrawable:
            notes[0] += "; " + text["not_drawn"].format(n=self.undrawable)
        return notes


def pick_brands(m: Measurement, top: int | None, min_requests: int = DEFAULT_MIN_REQUESTS, *, answered_only: bool = True, default: int = MAX_SHOWN) -> Picked:
    """The first ``top`` brands (``default`` when None) by rank, keeping only answered ones when ``answered_only``."""
    if top is not None and top < 1:
        raise ParameterError("{top} must be 1 or more", "top")
    ranked = ranked_brands(m, min_requests)
    if ranked.height == 0:
        raise NoDataError("nothing to chart: no attributed requests match the filters")
    drawable = ranked.filter(pl.col("frt_median_s").is_not_null()) if answered_only else ranked
    return Picked(rows=drawable.head(default if top is None else top), total=ranked.height, undrawable=ranked.height - drawable.height)


def facts_of(m: Measurement, brands: pl.DataFrame) -> pl.DataFrame:
    """Per-request facts of ``brands`` with their display ``label``."""
    return m.facts.join(brands.select("platform", "brand", "label"), on=["platform", "brand"], how="inner")


def zone(tz: str) -> str:
    """Check an IANA time-zone name (``Europe/Rome``) and return it."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParameterError("{tz} {value!r} is not a time zone name like Europe/Rome or UTC", "tz", value=tz) from None
    return tz

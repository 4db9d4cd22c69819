"""Hour-of-week heatmaps: when requests arrive, and how fast they are answered then."""

from __future__ import annotations

import numpy as np
import polars as pl
from matplotlib.colors import LogNorm, PowerNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .data import ChartSource, NoDataError, measured, zone
from .style import duration_axis, labels, new_figure, rc
from ..brands import DEFAULT_TIMEZONE

__all__ = ["DEFAULT_TZ", "heatmap", "hour_of_week"]

DEFAULT_TZ = DEFAULT_TIMEZONE  # UTC unless the caller names a zone, as for brands


def hour_of_week(facts: pl.DataFrame, tz: str = DEFAULT_TZ) -> pl.DataFrame:
    """Per local weekday (1 = Monday) and hour: ``requests`` and ``frt_median_s`` of answered ones."""
    local = pl.col("request_at").dt.convert_time_zone(zone(tz))
    return (
        facts.group_by(local.dt.weekday().alias("weekday"), local.dt.hour().alias("hour"))
        .agg(pl.len().alias("requests"), pl.col("frt_s").median().alias("frt_median_s"))
        .sort("weekday", "hour")
    )


def heatmap(source: ChartSource, *, tz: str = DEFAULT_TZ, lang: str = "en", **filters: object) -> Figure:
    """Two 7×24 grids in local time ``tz``: request counts, and median FRT (log colours).

    Every request matching the filters counts (use ``brands=[...]`` for one
    brand). Empty cells stay blank.

    >>> import benchmark as bm
    >>> bm.chart.heatmap("store", tz="Europe/Rome", brands=["Telco Nova"])  # tz: UTC unless given
    <Figure size 800x620 with 4 Axes>
    """
    text = labels(lang)
    zone(tz)
    m = measured(source, **filters)  # type: ignore[arg-type]
    if m.facts.height == 0:
        raise NoDataError("nothing to chart: no attributed requests match the filters")
    cells = hour_of_week(m.facts, tz)
    counts = np.full((7, 24), np.nan)
    medians = np.full((7, 24), np.nan)
    rows, cols = cells["weekday"].to_numpy() - 1, cells["hour"].to_numpy()
    counts[rows, cols] = cells["requests"].to_numpy()
    medians[rows, cols] = cells["frt_median_s"].fill_null(np.nan).to_numpy()
    days = text["days"].split()
    with rc():
        fig = new_figure(height=6.2)
        top, bottom = fig.subplots(2, 1)
        im1 = top.imshow(np.ma.masked_invalid(counts), aspect="auto", cmap="Blues", interpolation="nearest", norm=PowerNorm(0.5, vmin=0))
        cb1 = fig.colorbar(im1, ax=top, pad=0.01)
        cb1.set_label(text["requests"])
        cb1.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        top.set_title(text["heat_requests"].format(tz=tz))
        frt = np.ma.masked_invalid(np.clip(medians, 1.0, None))
        if frt.count():
            im2 = bottom.imshow(frt, aspect="auto", cmap="YlOrRd", interpolation="nearest", norm=LogNorm(vmin=float(frt.min()), vmax=max(float(frt.max()), float(frt.min()) * 10)))
            cb2 = fig.colorbar(im2, ax=bottom, pad=0.01)
            cb2.set_label(text["median_frt"])
            duration_axis(cb2.ax.yaxis, lang)
        bottom.set_title(text["heat_frt"].format(tz=tz))
        for ax in (top, bottom):
            ax.set_yticks(range(7), days)
            ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
            ax.set_xticks(np.arange(-0.5, 24, 1), minor=True)
            ax.set_yticks(np.arange(-0.5, 7, 1), minor=True)
            ax.grid(which="minor", color="white", linewidth=0.6)
            ax.tick_params(which="minor", length=0)
            ax.set_facecolor("#F2F2F2")
            for side in ("top", "right", "left", "bottom"):
                ax.spines[side].set_visible(False)
        bottom.set_xlabel(text["hour"])
    return fig

"""The "social caring map": how often a brand answers against how fast."""

from __future__ import annotations

import math

import polars as pl
from matplotlib.ticker import FixedLocator
from matplotlib.figure import Figure

from ..rank import DEFAULT_MIN_REQUESTS
from .data import DEFAULT_TOP, ChartSource, NoDataError, leading_brands, measured
from .labels_layout import place_labels
from .style import BLUE, GREY, INK, SLA_LINES, duration_axis, labels, new_figure, percent_axis, rc

MAX_BUBBLE = 1400.0  # points² for the busiest brand: big enough to compare, small enough not to hide others
MIN_BUBBLE = 30.0


def caring_map(
    source: ChartSource,
    *,
    top: int | None = DEFAULT_TOP,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    lang: str = "en",
    **filters: object,
) -> Figure:
    """Response rate (y) against median FRT (x, log), bubble area = answered requests.

    Dashed lines mark the 30-minute, 1-hour and 24-hour expectations; brands
    under ``min_requests`` are grey.

    >>> import benchmark as bm  # doctest: +SKIP
    >>> bm.chart.save(bm.chart.caring_map("store", lang="it"), "mappa.svg")  # doctest: +SKIP
    """
    text = labels(lang)
    m = measured(source, **filters)  # type: ignore[arg-type]
    rows = leading_brands(m, top, min_requests).filter(pl.col("frt_median_s").is_not_null())
    if rows.height == 0:
        raise NoDataError("nothing to chart: no brand has an answered request")
    x = rows.get_column("frt_median_s").to_list()
    y = rows.get_column("response_rate").to_list()
    answered = rows.get_column("answered")
    sizes = (MIN_BUBBLE + (MAX_BUBBLE - MIN_BUBBLE) * answered / max(int(answered.max() or 1), 1)).to_list()  # type: ignore[operator]
    is_ranked = rows.get_column("is_ranked").to_list()
    with rc():
        fig = new_figure(height=6.0)
        ax = fig.add_subplot()
        ax.scatter(x, y, s=sizes, c=[BLUE if r else GREY for r in is_ranked], alpha=0.6, edgecolors="white", linewidths=0.8, zorder=3)
        ax.set_xscale("log")
        lo, hi = min([*x, SLA_LINES[0][0]]) / 2.5, max([*x, SLA_LINES[-1][0]]) * 3
        ax.set_xlim(max(lo, 1.0), hi)
        for seconds, name in SLA_LINES:
            ax.axvline(seconds, color="#999999", linestyle="--", linewidth=0.9, zorder=1)
            ax.text(seconds, 0.01, f" {name}", transform=ax.get_xaxis_transform(), va="bottom", ha="left", fontsize=9, color="#555555")
        bottom = max(0.0, math.floor((min(y) - 0.05) * 10) / 10)
        ax.set_ylim(bottom, 1.0 + (1.0 - bottom) * 0.1)
        ax.yaxis.set_major_locator(FixedLocator(rate_ticks(bottom)))
        duration_axis(ax.xaxis, lang)
        percent_axis(ax.yaxis)
        ax.grid(True, zorder=0)
        ax.set_xlabel(text["median_frt"] + " (log)")
        ax.set_ylabel(text["response_rate"])
        ax.set_title(text["map_title"])
        note = text["map_note"] + ("" if all(is_ranked) else "\n" + text["ranking_note"].format(n=min_requests))
        fig.supxlabel(note, fontsize=9, color="#555555", x=0.01, ha="left")
        radii = [math.sqrt(s) / 2 for s in sizes]
        place_labels(ax, x, y, rows.get_column("label").to_list(), radii, fontsize=8.5, color=INK, zorder=4)
    return fig


def rate_ticks(bottom: float) -> list[float]:
    """Response-rate ticks from ``bottom`` to 100%, never above (a rate cannot exceed it)."""
    step = 0.02 if bottom >= 0.9 else 0.05 if bottom >= 0.7 else 0.1 if bottom >= 0.4 else 0.2
    n = round((1.0 - bottom) / step)
    return [round(1.0 - k * step, 4) for k in range(n + 1)][::-1]

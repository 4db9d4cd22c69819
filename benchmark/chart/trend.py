"""Trend lines: median first-response time and response rate per month or week."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import polars as pl
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from ..errors import ParameterError
from ..rank import DEFAULT_MIN_REQUESTS
from .data import ChartSource, NoDataError, facts_of, measured, pick_brands, ranked_brands, zone
from .highlight import HIGHLIGHT, keep_highlighted, others_palette, resolve_highlight
from .heatmap import DEFAULT_TZ
from .periods import partial_periods, period_end, plot_series, shade_partial
from .style import PALETTE, add_notes, duration_axis, labels, new_figure, percent_axis, rc

__all__ = ["DEFAULT_TOP", "PERIODS", "per_period", "trend"]

PERIODS = {"month": "1mo", "week": "1w"}
DEFAULT_TOP = 5


def per_period(facts: pl.DataFrame, period: str = "month", tz: str = DEFAULT_TZ) -> pl.DataFrame:
    """Per ``label`` and period start (local ``tz``): requests, response rate, median FRT.

    The response rate leaves open requests out, as the table does: the last
    days' requests, still inside the open window, are not counted as misses.
    """
    if period not in PERIODS:
        raise ParameterError("{period} {value!r}: choose {choices}", "period", value=period, choices=" or ".join(PERIODS))
    start = pl.col("request_at").dt.convert_time_zone(zone(tz)).dt.truncate(PERIODS[period]).alias("period")
    judged = (pl.col("status") != "open") if "status" in facts.columns else pl.lit(True)
    return (
        facts.group_by("label", start)
        .agg(
            pl.len().alias("requests"),
            pl.when(judged.sum() > 0).then(pl.col("answered").sum() / judged.sum()).alias("response_rate"),
            pl.col("frt_s").median().alias("frt_median_s"),
        )
        .sort("label", "period")
    )


def trend(
    source: ChartSource,
    *,
    period: str = "month",
    top: int | None = DEFAULT_TOP,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    tz: str = DEFAULT_TZ,
    lang: str = "en",
    highlight: str | None = None,
    **filters: object,
) -> Figure:
    """Two panels sharing the time axis: median FRT (log) and response rate, one line per brand.

    A period the data covers only in part (the first or last month of an
    export, usually) is shaded and its points are hollow: its figures rest on
    fewer requests than the others'.

    >>> import benchmark as bm
    >>> bm.chart.trend("store", period="week", top=3)
    <Figure size 800x600 with 2 Axes>
    """
    from babel.dates import format_date  # month names in the chart's language (CLDR)

    text = labels(lang)
    m = measured(source, **filters)  # type: ignore[arg-type]
    mark = resolve_highlight(m, highlight)  # its line vermillion and thicker, drawn even when top leaves it out
    picked = keep_highlighted(pick_brands(m, top, min_requests, answered_only=False), ranked_brands(m, min_requests), mark)
    brands = picked.rows
    palette = others_palette(PALETTE, mark)
    points = per_period(facts_of(m, brands), period, tz)
    if points.height == 0:
        raise NoDataError("nothing to chart: no attributed requests match the filters")
    local = lambda d: d.astimezone(ZoneInfo(tz)).replace(tzinfo=None)  # noqa: E731
    starts = sorted({d.replace(tzinfo=None) for d in points.get_column("period").to_list()})
    requests_at = m.facts.get_column("request_at")
    data_start = local(requests_at.min())
    data_end = local(requests_at.max())  # the last request measured (a --until cuts the data there)
    partial = partial_periods(starts, PERIODS[period], data_start, data_end)
    with rc():
        fig = new_figure(height=6.0)
        ax_frt, ax_rate = fig.subplots(2, 1, sharex=True)
        others = 0
        for label, brand in brands.select("label", "brand").iter_rows():
            i, others = (others, others + 1) if brand != mark else (0, others)
            series = points.filter(pl.col("label") == label)
            if series.height == 0:
                continue
            colour = HIGHLIGHT if brand == mark else palette[i % len(palette)]
            style = {"color": colour, "marker": "o", "markersize": 4, "linewidth": 2.8 if brand == mark else 1.6, "label": label}
            answered = series.drop_nulls("frt_median_s")
            plot_series(ax_frt, [d.replace(tzinfo=None) for d in answered.get_column("period").to_list()], answered.get_column("frt_median_s").clip(lower_bound=1.0).to_list(), partial, **style)
            judged = series.drop_nulls("response_rate")
            plot_series(ax_rate, [d.replace(tzinfo=None) for d in judged.get_column("period").to_list()], judged.get_column("response_rate").to_list(), partial, **style)
        ax_frt.set_yscale("log")
        lo, hi = ax_frt.get_ylim()
        ax_frt.set_ylim(lo / 1.15, hi * 1.15)  # room around the extreme points
        duration_axis(ax_frt.yaxis, lang)
        ax_frt.set_ylabel(text["median_frt"], fontsize=9)
        percent_axis(ax_rate.yaxis)
        ax_rate.set_ylim(0, 1.05)
        ax_rate.set_ylabel(text["response_rate"], fontsize=9)
        if len(starts) <= 12:  # few periods: one tick per period, as people name them
            ax_rate.set_xticks(starts, [format_date(d, "LLL y" if period == "month" else "d LLL y", locale=lang) for d in starts], rotation=30 if len(starts) > 6 else 0, ha="right" if len(starts) > 6 else "center")
        else:
            locator = AutoDateLocator(maxticks=8)
            ax_rate.xaxis.set_major_locator(locator)
            ax_rate.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        pad = (period_end(starts[-1], PERIODS[period]) - starts[-1]) * 0.45
        ax_rate.set_xlim(starts[0] - pad, starts[-1] + pad)
        for ax in (ax_frt, ax_rate):
            ax.grid(True)
            shade_partial(ax, partial, PERIODS[period], text["partial"])
        ax_frt.set_title(text["trend_title"].format(period=text[period]) + f" ({tz})")
        ax_frt.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
        add_notes(fig, ([text["partial_note"].format(period=text[period])] if partial else []) + picked.notes(text))
    return fig

"""Ranking bar chart: median first-response time per brand, fastest on top."""

from __future__ import annotations

import polars as pl
from matplotlib.figure import Figure

from ..rank import DEFAULT_MIN_REQUESTS
from .data import CI_HIGH, CI_LOW, DEFAULT_TOP, ChartSource, NoDataError, leading_brands, measured
from .style import BLUE, GREY, INK, duration_axis, human_duration, labels, new_figure, rc


def ranking(
    source: ChartSource,
    *,
    top: int | None = DEFAULT_TOP,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    lang: str = "en",
    **filters: object,
) -> Figure:
    """Horizontal bars of median FRT (log scale): ranked brands first, under-threshold brands in grey.

    Confidence-interval whiskers are drawn when the metrics provide
    ``frt_median_ci_low_s``/``frt_median_ci_high_s``. ``filters`` are those of
    :func:`benchmark.measurement` (``since``, ``until``, ``platform``, ``brands``, ``engine``).

    >>> import benchmark as bm  # doctest: +SKIP
    >>> fig = bm.chart.ranking("store", top=10, min_requests=50)  # doctest: +SKIP
    >>> fig.savefig("ranking.png")  # doctest: +SKIP
    """
    text = labels(lang)
    m = measured(source, **filters)  # type: ignore[arg-type]
    rows = leading_brands(m, top, min_requests).filter(pl.col("frt_median_s").is_not_null())
    if rows.height == 0:
        raise NoDataError("nothing to chart: no brand has an answered request")
    has_ci = CI_LOW in rows.columns and CI_HIGH in rows.columns
    if not has_ci:
        rows = rows.with_columns(pl.lit(None, pl.Float64).alias(CI_LOW), pl.lit(None, pl.Float64).alias(CI_HIGH))
    rows = rows.with_row_index("y")
    medians = rows.get_column("frt_median_s").to_list()
    is_ranked = rows.get_column("is_ranked").to_list()
    with rc():
        fig = new_figure(height=1.4 + 0.34 * rows.height)
        ax = fig.add_subplot()
        ax.barh(rows.get_column("y").to_list(), medians, color=[BLUE if r else GREY for r in is_ranked], height=0.7)
        ci = rows.drop_nulls([CI_LOW, CI_HIGH])
        if ci.height:
            below = (ci["frt_median_s"] - ci[CI_LOW]).clip(lower_bound=0).to_list()
            above = (ci[CI_HIGH] - ci["frt_median_s"]).clip(lower_bound=0).to_list()
            ax.errorbar(ci["frt_median_s"].to_list(), ci["y"].to_list(), xerr=[below, above], fmt="none", ecolor=INK, elinewidth=1, capsize=3)
        names = [label if r is None else f"{r}. {label}" for r, label in rows.select("rank", "label").iter_rows()]
        ax.set_yticks(rows.get_column("y").to_list(), names)
        ax.invert_yaxis()
        ax.set_xscale("log")
        right_ends = rows.select(pl.max_horizontal("frt_median_s", CI_HIGH)).to_series().to_list()
        ax.set_xlim(max(1.0, min(medians) / 2), max(right_ends) * 4)
        duration_axis(ax.xaxis, lang)
        ax.xaxis.grid(True)
        ax.set_axisbelow(True)
        for y, v, end, r in zip(rows["y"].to_list(), medians, right_ends, is_ranked, strict=True):
            ax.annotate(human_duration(v, lang), (end, y), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9, color=INK if r else "#666666")
        ax.set_title(text["ranking_title"])
        ax.set_xlabel(text["median_frt"] + " (log)")
        notes = ([text["ranking_note"].format(n=min_requests)] if not all(is_ranked) else []) + ([text["ci_note"]] if ci.height else [])
        if notes:
            fig.supxlabel("\n".join(notes), fontsize=9, color="#555555", x=0.01, ha="left")
    return fig

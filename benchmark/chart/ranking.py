"""Ranking dot plot: median first-response time per brand, fastest on top.

A dot's position on a log axis carries the value (bars on a log axis would
make a 15 h bar look only ~5x a 6 m one); the whiskers are the 95% bootstrap
confidence interval of the median.
"""

from __future__ import annotations

import polars as pl
from matplotlib.figure import Figure

from ..rank import DEFAULT_MIN_REQUESTS
from .data import CI_HIGH, CI_LOW, DEFAULT_TOP, ChartSource, NoDataError, measured, pick_brands, ranked_brands
from .highlight import HIGHLIGHT, keep_highlighted, resolve_highlight
from .style import BLUE, GREY, INK, add_notes, duration_axis, human_duration, labels, new_figure, rc

__all__ = ["UNRANKED_TEXT", "ranking"]

UNRANKED_TEXT = "#666666"


def ranking(
    source: ChartSource,
    *,
    top: int | None = DEFAULT_TOP,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    lang: str = "en",
    highlight: str | None = None,
    **filters: object,
) -> Figure:
    """One dot per brand at its median FRT (log axis), CI whiskers; ranked brands first, unranked ones grey.

    Every brand is drawn by default (up to :data:`~benchmark.chart.data.MAX_SHOWN`);
    with ``top`` (or past that cap) a note says how many are shown out of how many.
    Whiskers are drawn when the metrics provide ``frt_median_ci_low_s``/``frt_median_ci_high_s``.
    ``highlight`` names a brand drawn in vermillion (kept even when ``top`` leaves it out), with a
    dotted line at the median of the ranked brands' medians to compare it with.
    ``filters`` are those of :func:`benchmark.measurement` (``since``, ``until``, ``platform``, ``brands``, ``engine``).

    >>> import benchmark as bm
    >>> fig = bm.chart.ranking("store", top=10, min_requests=50)
    >>> bm.chart.save(fig, "ranking.png")
    PosixPath('ranking.png')
    """
    text = labels(lang)
    m = measured(source, **filters)  # type: ignore[arg-type]
    mark = resolve_highlight(m, highlight)
    picked = keep_highlighted(pick_brands(m, top, min_requests), ranked_brands(m, min_requests).filter(pl.col("frt_median_s").is_not_null()), mark)
    rows = picked.rows
    if rows.height == 0:
        raise NoDataError("nothing to chart: no brand has an answered request")
    if CI_LOW not in rows.columns or CI_HIGH not in rows.columns:
        rows = rows.with_columns(pl.lit(None, pl.Float64).alias(CI_LOW), pl.lit(None, pl.Float64).alias(CI_HIGH))
    rows = rows.with_row_index("y")
    ys = rows.get_column("y").to_list()
    medians = rows.get_column("frt_median_s").clip(lower_bound=1.0).to_list()
    is_ranked = rows.get_column("is_ranked").to_list()
    is_marked = [b == mark for b in rows.get_column("brand").to_list()]
    colours = [HIGHLIGHT if h else BLUE if r else GREY for r, h in zip(is_ranked, is_marked, strict=True)]
    with rc():
        fig = new_figure(height=1.6 + 0.3 * rows.height)
        ax = fig.add_subplot()
        ci = rows.drop_nulls([CI_LOW, CI_HIGH])
        if ci.height:
            ax.hlines(ci["y"].to_list(), ci[CI_LOW].clip(lower_bound=1.0).to_list(), ci[CI_HIGH].clip(lower_bound=1.0).to_list(),
                      colors=[BLUE if r else GREY for r in ci["is_ranked"].to_list()], linewidth=2.2, alpha=0.45, zorder=2)
        ax.scatter(medians, ys, s=46, c=colours, edgecolors="white", linewidths=0.8, zorder=3)
        names = [label if r is None else f"{r}. {label}" for r, label in rows.select("rank", "label").iter_rows()]
        ax.set_yticks(ys, names)
        for tick, h in zip(ax.get_yticklabels(), is_marked, strict=True):
            if h:
                tick.set_color(HIGHLIGHT)
                tick.set_fontweight("bold")
        ax.set_ylim(len(ys) - 0.5, -0.5)  # first rank on top
        ax.set_xscale("log")
        right_ends = rows.select(pl.max_horizontal("frt_median_s", CI_HIGH)).to_series().to_list()
        left_ends = rows.select(pl.min_horizontal("frt_median_s", CI_LOW)).to_series().clip(lower_bound=1.0).to_list()
        ax.set_xlim(max(1.0, min(left_ends) / 1.6), max(right_ends) * 3.5)
        duration_axis(ax.xaxis, lang)
        ax.xaxis.grid(True)
        ax.yaxis.grid(True, linestyle=":", color="#E6E6E6")  # guides from the name to its dot
        ax.tick_params(axis="y", length=0)
        ax.set_axisbelow(True)
        for y, v, end, r in zip(ys, rows.get_column("frt_median_s").to_list(), right_ends, is_ranked, strict=True):
            ax.annotate(human_duration(v, lang), (end, y), xytext=(6, 0), textcoords="offset points", va="center", fontsize=9, color=INK if r else UNRANKED_TEXT)
        ranked_medians = rows.filter(pl.col("is_ranked")).get_column("frt_median_s")
        if mark is not None and ranked_medians.len():
            middle = float(ranked_medians.median())  # type: ignore[arg-type]
            ax.axvline(max(middle, 1.0), color="#555555", linestyle=":", linewidth=1.1, zorder=1)
            ax.annotate(text["median_line"].format(value=human_duration(middle, lang)), (max(middle, 1.0), 0), xycoords=("data", "axes fraction"),
                        xytext=(3, 3), textcoords="offset points", fontsize=8, color="#555555", va="bottom")
        ax.set_title(text["ranking_title"])
        ax.set_xlabel(text["median_frt"] + " (log)")
        notes = [text["dot_note"] + (". " + text["ci_note"] if ci.height else "")]
        if not all(is_ranked):
            notes.append(text["ranking_note"].format(n=min_requests))
        add_notes(fig, notes + picked.notes(text))
    return fig

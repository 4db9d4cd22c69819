"""Distribution of first-response times per brand (ECDF, log scale)."""

from __future__ import annotations

import polars as pl
from matplotlib.figure import Figure

from ..rank import DEFAULT_MIN_REQUESTS
from .data import ChartSource, NoDataError, facts_of, leading_brands, measured
from .style import PALETTE, SLA_LINES, duration_axis, labels, new_figure, percent_axis, rc

DEFAULT_TOP = 6  # more lines than this cannot be told apart


def distribution(
    source: ChartSource,
    *,
    top: int | None = DEFAULT_TOP,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    lang: str = "en",
    **filters: object,
) -> Figure:
    """One ECDF line per brand: the share of its answers sent within each time (x log).

    Unlike the median alone, this shows the long tail. Answers sent in the
    same second count as 1 s (a log axis has no 0).

    >>> import benchmark as bm  # doctest: +SKIP
    >>> bm.chart.distribution("store", top=5)  # doctest: +SKIP
    """
    text = labels(lang)
    m = measured(source, **filters)  # type: ignore[arg-type]
    brands = leading_brands(m, top, min_requests).filter(pl.col("frt_median_s").is_not_null())
    facts = facts_of(m, brands).filter(pl.col("answered")).with_columns(pl.col("frt_s").clip(lower_bound=1.0))
    if facts.height == 0:
        raise NoDataError("nothing to chart: no answered request matches the filters")
    by_label = facts.group_by("label").agg(pl.col("frt_s"))
    values = dict(zip(by_label["label"].to_list(), by_label["frt_s"].to_list(), strict=True))
    with rc():
        fig = new_figure(height=5.0)
        ax = fig.add_subplot()
        for i, label in enumerate(brands.get_column("label").to_list()):
            style = "-" if i < len(PALETTE) else "--"
            ax.ecdf(values[label], label=label, color=PALETTE[i % len(PALETTE)], linestyle=style, linewidth=1.8)
        for seconds, name in SLA_LINES:
            ax.axvline(seconds, color="#999999", linestyle=":", linewidth=0.9)
            ax.text(seconds, 0.01, f" {name}", transform=ax.get_xaxis_transform(), va="bottom", fontsize=9, color="#555555")
        ax.set_xscale("log")
        duration_axis(ax.xaxis, lang)
        percent_axis(ax.yaxis)
        ax.set_ylim(0, 1.0)
        ax.grid(True)
        ax.set_xlabel(text["frt"] + " (log)")
        ax.set_ylabel(text["share_answered"] + " x")
        ax.set_title(text["dist_title"])
        ax.legend(loc="lower right", fontsize=9)
    return fig

"""One shareable image per brand (issue 15, item 12): its figures, rank of N, trend and the sector's median.

A scorecard is what a brand's social team forwards: the three figures that matter with the n behind
them, where it ranks, how its median FRT moved month by month, and the median of its peers (the
ranked brands of its sector when the brands file names one, else every ranked brand) beside each.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import polars as pl
from matplotlib.figure import Figure

from ..formatting import integer, percent
from ..rank import DEFAULT_MIN_REQUESTS
from .data import ChartSource, NoDataError, facts_of, measured, ranked_brands
from .heatmap import DEFAULT_TZ
from .highlight import HIGHLIGHT, resolve_highlight
from .style import GREY, INK, duration_axis, human_duration, labels, new_figure, rc
from .trend import per_period
from .periods import partial_periods, plot_series, shade_partial

__all__ = ["FIGURES", "scorecard"]

FIGURES = (("frt_median_s", "median_frt_short"), ("response_rate", "response_rate"), ("within_1h", "within_1h_short"))


def scorecard(
    source: ChartSource,
    brand: str,
    *,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    tz: str = DEFAULT_TZ,
    lang: str = "en",
    **filters: object,
) -> Figure:
    """The scorecard of ``brand`` (its busiest platform when it has several); an unknown name is refused with the nearest one.

    >>> import benchmark as bm
    >>> bm.chart.save(bm.chart.scorecard("store", "Telco Nova"), "telco.png")
    PosixPath('telco.png')
    """
    from babel.dates import format_date

    text = labels(lang)
    m = measured(source, **filters)  # type: ignore[arg-type]
    name = resolve_highlight(m, brand, option="scorecard BRAND")
    ranked = ranked_brands(m, min_requests)
    mine = ranked.filter(pl.col("brand") == name).sort("requests", descending=True)
    if mine.height == 0:
        raise NoDataError(f"nothing to chart: {name} has no requests in the selection")
    row = mine.row(0, named=True)
    is_ranked = pl.col("rank").is_not_null()
    sector = row.get("sector") if "sector" in ranked.columns else None
    peers = ranked.filter(is_ranked & (pl.col("sector") == sector)) if sector is not None else ranked.filter(is_ranked)
    total = ranked.filter(is_ranked).height
    fmt = {"frt_median_s": lambda v: human_duration(v, lang), "response_rate": percent, "within_1h": percent}
    points = per_period(facts_of(m, mine.head(1)), "month", tz)
    with rc():
        fig = new_figure(height=4.2)
        fig.set_layout_engine("none")  # text placed by hand in figure coordinates, beside one small axis
        fig.text(0.03, 0.93, row["label"], fontsize=17, fontweight="bold", color=INK, va="top")
        rank = text["card_rank"].format(rank=row["rank"], of=total) if row["rank"] is not None else text["card_unranked"].format(n=min_requests)
        fig.text(0.03, 0.82, rank, fontsize=12, color=HIGHLIGHT, fontweight="bold", va="top")
        peers_name = text["card_sector"].format(sector=sector) if sector is not None else text["card_all"]
        for i, (key, label_key) in enumerate(FIGURES):
            y = 0.66 - i * 0.17
            value = row[key]
            fig.text(0.03, y, text[label_key], fontsize=10, color="#555555", va="top")
            fig.text(0.03, y - 0.045, "—" if value is None else fmt[key](value), fontsize=20, fontweight="bold", color=INK, va="top")
            middle = peers.get_column(key).median() if peers.height else None
            fig.text(0.22, y - 0.06, f"{peers_name}: {'—' if middle is None else fmt[key](middle)}", fontsize=9, color="#555555", va="top")
        fig.text(0.03, 0.08, text["card_n"].format(answered=integer(row["answered"]), requests=integer(row["requests"])), fontsize=9, color="#555555")
        ax = fig.add_axes((0.58, 0.22, 0.38, 0.62))
        series = points.drop_nulls("frt_median_s").sort("period")
        if series.height:
            months = [d.replace(tzinfo=None) for d in series.get_column("period").to_list()]
            local = lambda d: d.astimezone(ZoneInfo(tz)).replace(tzinfo=None)  # noqa: E731
            requests_at = m.facts.get_column("request_at")
            partial = partial_periods(months, "1mo", local(requests_at.min()), local(requests_at.max()))
            plot_series(ax, months, series.get_column("frt_median_s").clip(lower_bound=1.0).to_list(), partial, color=HIGHLIGHT, marker="o", markersize=5, linewidth=2)
            shade_partial(ax, partial, "1mo", text["partial"])
            ax.set_xticks(months, [format_date(d, "LLL y", locale=lang) for d in months], fontsize=8, rotation=30 if len(months) > 4 else 0)
        middle_frt = peers.get_column("frt_median_s").median() if peers.height else None
        if middle_frt is not None:
            ax.axhline(max(float(middle_frt), 1.0), color=GREY, linestyle="--", linewidth=1.2)  # type: ignore[arg-type]
            ax.annotate(peers_name, (0, max(float(middle_frt), 1.0)), xycoords=("axes fraction", "data"), xytext=(2, 3), textcoords="offset points", fontsize=8, color="#777777")  # type: ignore[arg-type]
        ax.set_yscale("log")
        duration_axis(ax.yaxis, lang)
        ax.set_title(text["card_trend"], fontsize=10)
        ax.grid(True)
    return fig

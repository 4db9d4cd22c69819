"""The "social caring map": how often a brand answers against how fast."""

from __future__ import annotations

import math

import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from matplotlib.ticker import FixedLocator

from ..formatting import percent
from ..rank import DEFAULT_MIN_REQUESTS
from .data import DEFAULT_TOP, ChartSource, NoDataError, measured, pick_brands, ranked_brands
from .highlight import HIGHLIGHT, keep_highlighted, resolve_highlight
from .style import BLUE, GREY, INK, SLA_LINES, add_notes, duration_axis, labels, new_figure, percent_axis, rc

__all__ = [
    "CROWDED", "FAST_S", "LABEL_BOX", "LAYOUT", "LAYOUT_BUDGET", "MAX_BUBBLE", "MIN_BUBBLE", "QUADRANT",
    "caring_map",
]

MAX_BUBBLE = 1400.0  # points² for the busiest brand: big enough to compare, small enough not to hide others
MIN_BUBBLE = 30.0
CROWDED = 25  # past this many brands the bubbles shrink and the labels get smaller
FAST_S = 3600  # "fast": answers within the hour consumers say they expect
QUADRANT = "#E3F1E6"
LABEL_BOX = {"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
LAYOUT: dict[str, object] = {  # adjustText settings: labels pushed off bubbles and each other, joined by a leader line
    "expand": (1.15, 1.6),
    "force_text": (0.4, 0.7),
    "force_static": (0.3, 0.5),
    "force_pull": (0.02, 0.02),
    "ensure_inside_axes": True,
    "min_arrow_len": 0,
    "time_lim": None,  # a fixed number of steps (_layout_steps), never a time limit: the same picture on any machine
    "arrowprops": {"arrowstyle": "-", "color": "#777777", "linewidth": 0.6, "shrinkA": 1, "shrinkB": 1},
}


def caring_map(
    source: ChartSource,
    *,
    top: int | None = DEFAULT_TOP,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    lang: str = "en",
    highlight: str | None = None,
    **filters: object,
) -> Figure:
    """Response rate (y) against median FRT (x, log), bubble area = answered requests.

    Dashed lines mark the 30-minute, 1-hour and 24-hour expectations; the
    shaded corner is "fast & responsive": answering within the hour at least
    as often as the median ranked brand. Brands under ``min_requests`` are grey.
    Labels are placed by adjustText and joined to their bubble by a leader
    line. Every brand is drawn by default (up to 60); a note says how many are shown.

    >>> import benchmark as bm
    >>> bm.chart.save(bm.chart.caring_map("store", lang="it"), "mappa.svg")
    PosixPath('mappa.svg')
    """
    from adjustText import adjust_text  # loads scipy: only when a map is drawn

    from .fast_overlaps import install

    install()  # adjustText's overlap test without its quadratic step (same layout)

    text = labels(lang)
    m = measured(source, **filters)  # type: ignore[arg-type]
    mark = resolve_highlight(m, highlight)  # drawn in vermillion on top of the others, its label bold
    picked = keep_highlighted(pick_brands(m, top, min_requests), ranked_brands(m, min_requests).filter(pl.col("frt_median_s").is_not_null()), mark)
    rows = picked.rows.filter(pl.col("response_rate").is_not_null())
    if rows.height == 0:
        raise NoDataError("nothing to chart: no brand has an answered request")
    x = rows.get_column("frt_median_s").clip(lower_bound=1.0).to_list()
    y = rows.get_column("response_rate").to_list()
    crowded = rows.height > CROWDED
    biggest = MAX_BUBBLE * (0.45 if crowded else 1.0)
    answered = rows.get_column("answered")
    sizes = (MIN_BUBBLE + (biggest - MIN_BUBBLE) * answered / max(int(answered.max() or 1), 1)).to_list()  # type: ignore[operator]
    is_ranked = rows.get_column("is_ranked").to_list()
    rates = m.table.get_column("response_rate").drop_nulls()
    all_answered = rates.len() > 0 and bool((rates >= 1.0).all())
    ranked_rates = rows.filter(pl.col("is_ranked")).get_column("response_rate")
    median_rate = float(ranked_rates.median()) if ranked_rates.len() else None  # type: ignore[arg-type]
    with rc():
        fig = new_figure(height=8.0 if crowded else 6.0)
        ax = fig.add_subplot()
        ax.set_xscale("log")
        lo, hi = min([*x, SLA_LINES[0][0]]) / 2.5, max([*x, SLA_LINES[-1][0]]) * 3
        ax.set_xlim(max(lo, 1.0), hi)
        bottom = max(0.0, math.floor((min(y) - 0.05) * 10) / 10)
        top_y = 1.0 + (1.0 - bottom) * 0.12
        ax.set_ylim(bottom, top_y)
        if median_rate is not None and median_rate < 1.0:  # at 100% no brand is above the median: no corner to shade
            ax.fill_between([max(lo, 1.0), FAST_S], median_rate, top_y, color=QUADRANT, zorder=0, linewidth=0)
            ax.text(max(lo, 1.0) * 1.15, top_y - (top_y - bottom) * 0.015, text["fast_responsive"], va="top", ha="left", fontsize=9, color="#2E7D3A", fontstyle="italic", zorder=1)
            ax.axhline(median_rate, color="#999999", linestyle=":", linewidth=0.9, zorder=1)
            ax.text(max(lo, 1.0) * 1.15, median_rate, text["median_rate"].format(rate=percent(median_rate)), va="top", ha="left", fontsize=8, color="#555555", zorder=1)
        for seconds, name in SLA_LINES:
            ax.axvline(seconds, color="#999999", linestyle="--", linewidth=0.9, zorder=1)
            ax.text(seconds, 0.01, f" {name}", transform=ax.get_xaxis_transform(), va="bottom", ha="left", fontsize=9, color="#555555")
        is_marked = [b == mark for b in rows.get_column("brand").to_list()]
        ax.scatter(x, y, s=sizes, c=[HIGHLIGHT if h else BLUE if r else GREY for r, h in zip(is_ranked, is_marked, strict=True)], alpha=0.6, edgecolors="white", linewidths=0.8, zorder=3)
        if any(is_marked):  # on top of any bubble that overlaps it
            on_top = [i for i, h in enumerate(is_marked) if h]
            ax.scatter([x[i] for i in on_top], [y[i] for i in on_top], s=[sizes[i] for i in on_top], c=HIGHLIGHT, alpha=0.85, edgecolors=INK, linewidths=1.0, zorder=3.5)
        ax.yaxis.set_major_locator(FixedLocator(_rate_ticks(bottom)))
        duration_axis(ax.xaxis, lang)
        percent_axis(ax.yaxis)
        ax.grid(True, zorder=0, color="#EEEEEE")
        ax.set_axisbelow(True)
        ax.set_xlabel(text["median_frt"] + " (log)")
        ax.set_ylabel(text["response_rate"])
        ax.set_title(text["map_title"])
        notes = [text["map_note"]]
        if not all(is_ranked):
            notes.append(text["ranking_note"].format(n=min_requests))
        if all_answered:
            notes.append(text["all_answered"])
        add_notes(fig, notes + picked.notes(text))
        fig.draw_without_rendering()  # final layout first: adjustText works in display coordinates
        fontsize = 7.5 if crowded else 8.5
        fixed = [t.get_window_extent() for t in ax.texts]  # quadrant and expectation-line labels
        texts = [
            ax.text(xi, yi, label, fontsize=fontsize, color=HIGHLIGHT if h else INK, fontweight="bold" if h else "normal", zorder=4, ha="center", va="center", bbox=LABEL_BOX)
            for xi, yi, label, h in zip(x, y, rows.get_column("label").to_list(), is_marked, strict=True)
        ]
        adjust_text(texts, x=x, y=y, objects=[*_bubble_boxes(ax, x, y, sizes), *fixed], ax=ax, iter_lim=_layout_steps(len(texts)), **LAYOUT)
    return fig


def _layout_steps(labels: int) -> int:
    """adjustText steps for ``labels`` labels. A step costs ~labels² (about 2 µs per label pair with
    :mod:`.fast_overlaps`), so past ~27 labels the budget is steps × labels² = :data:`LAYOUT_BUDGET`:
    500 steps up to 26 labels, 225 at 40, 100 at 60 (under a second), never fewer than 30."""
    return max(MIN_STEPS, min(MAX_STEPS, LAYOUT_BUDGET // max(labels, 1) ** 2))


MAX_STEPS, MIN_STEPS = 500, 30
LAYOUT_BUDGET = 360_000


def _bubble_boxes(ax: Axes, x: list[float], y: list[float], sizes: list[float]) -> list[Bbox]:
    """Each bubble's square in display pixels (scatter sizes are areas in points²)."""
    px_per_pt = ax.figure.dpi / 72.0
    boxes = []
    for (cx, cy), s in zip(ax.transData.transform(list(zip(x, y, strict=True))), sizes, strict=True):
        r = math.sqrt(s) / 2 * px_per_pt
        boxes.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))
    return boxes


def _rate_ticks(bottom: float) -> list[float]:
    """Response-rate ticks from ``bottom`` to 100%, never above (a rate cannot exceed it)."""
    step = 0.02 if bottom >= 0.9 else 0.05 if bottom >= 0.7 else 0.1 if bottom >= 0.4 else 0.2
    n = round((1.0 - bottom) / step)
    return [round(1.0 - k * step, 4) for k in range(n + 1)][::-1]

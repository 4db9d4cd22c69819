"""Share of requests answered within t, per brand (log time axis).

The curves divide by the same requests as the table's ``within_30m``,
``within_1h`` and ``within_24h`` (every request that is not *open*), so at
30 m, 1 h and 24 h a curve reads exactly the table's figure, and it ends at
the brand's response rate: unanswered requests never count as answered.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from matplotlib.figure import Figure

from ..formatting import percent
from ..rank import DEFAULT_MIN_REQUESTS
from .data import ChartSource, NoDataError, facts_of, measured, pick_brands, ranked_brands
from .highlight import HIGHLIGHT, keep_highlighted, others_palette, resolve_highlight
from .style import PALETTE, SLA_LINES, add_notes, duration_axis, labels, new_figure, percent_axis, rc

__all__ = ["DEFAULT_TOP", "answered_within", "distribution", "share_within"]

DEFAULT_TOP = 6  # more lines than this cannot be told apart


def answered_within(facts: pl.DataFrame) -> pl.DataFrame:
    """Per ``label``: ``judged`` requests (all but open ones) and the sorted FRTs (``frt_s``) of the answered ones.

    The share answered within t is ``(frt_s <= t).sum() / judged``, the
    table's ``within_*`` definition at any t.
    """
    judged = pl.col("status") != "open" if "status" in facts.columns else pl.lit(True)
    return facts.group_by("label", maintain_order=True).agg(
        judged.sum().alias("judged"),
        pl.col("frt_s").filter(pl.col("answered")).sort().alias("frt_s"),
    )


def share_within(judged: int, frts: list[float], t: float) -> float | None:
    """The share of ``judged`` requests answered within ``t`` seconds (≤)."""
    return None if not judged else float(np.searchsorted(np.asarray(frts, dtype=float), t, side="right")) / judged


def distribution(
    source: ChartSource,
    *,
    top: int | None = DEFAULT_TOP,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    lang: str = "en",
    highlight: str | None = None,
    **filters: object,
) -> Figure:
    """One step curve per brand: the share of its requests answered within t (x log).

    Unlike the median alone, this shows the long tail, and the level where a
    curve flattens is the response rate. Answers sent in the same second
    count as 1 s (a log axis has no 0).

    >>> import benchmark as bm
    >>> fig = bm.chart.distribution("store", top=5)
    >>> fig.texts[-1].get_text().splitlines()[-1]
    '5 of 40 brands shown (--top to change)'
    """
    text = labels(lang)
    m = measured(source, **filters)  # type: ignore[arg-type]
    mark = resolve_highlight(m, highlight)  # its curve vermillion and thicker, drawn even when top leaves it out
    picked = keep_highlighted(pick_brands(m, top, min_requests), ranked_brands(m, min_requests).filter(pl.col("frt_median_s").is_not_null()), mark)
    brands = picked.rows
    palette = others_palette(PALETTE, mark)
    curves = answered_within(facts_of(m, brands)).filter(pl.col("judged") > 0, pl.col("frt_s").list.len() > 0)
    if curves.height == 0:
        raise NoDataError("nothing to chart: no answered request matches the filters")
    by_label = {label: (judged, frts) for label, judged, frts in curves.iter_rows()}
    longest = max(max(frts) for _, frts in by_label.values())
    right = max(longest, SLA_LINES[-1][0]) * 2.5
    with rc():
        fig = new_figure(height=5.4)
        ax = fig.add_subplot()
        others = 0  # the other brands keep their colour in order, whether or not a brand is highlighted
        for label, brand in brands.select("label", "brand").iter_rows():
            i, others = (others, others + 1) if brand != mark else (0, others)
            if label not in by_label:
                continue
            judged, frts = by_label[label]
            xs = np.clip(np.asarray(frts, dtype=float), 1.0, None)
            ys = np.arange(1, len(xs) + 1) / judged
            style = "-" if i < len(palette) or brand == mark else "--"
            ax.step(np.concatenate(([1.0], xs, [right])), np.concatenate(([0.0], ys, [ys[-1]])), where="post",
                    label=text["curve_label"].format(label=label, share=percent(ys[-1])), color=HIGHLIGHT if brand == mark else palette[i % len(palette)],
                    linestyle=style, linewidth=3.0 if brand == mark else 1.8, zorder=3 if brand == mark else 2)
        for seconds, name in SLA_LINES:
            ax.axvline(seconds, color="#999999", linestyle=":", linewidth=0.9)
            ax.text(seconds, 0.01, f" {name}", transform=ax.get_xaxis_transform(), va="bottom", fontsize=9, color="#555555")
        ax.set_xscale("log")
        ax.set_xlim(max(1.0, float(min(min(f) for _, f in by_label.values())) / 2), right)
        duration_axis(ax.xaxis, lang)
        percent_axis(ax.yaxis)
        ax.set_ylim(0, 1.0)
        ax.grid(True)
        ax.set_xlabel(text["time_since"])
        ax.set_ylabel(text["share_requests"])
        ax.set_title(text["dist_title"])
        ax.legend(loc="best", fontsize=9, frameon=True, facecolor="white", edgecolor="none", framealpha=0.9)
        add_notes(fig, [text["dist_note"], *picked.notes(text)])
    return fig

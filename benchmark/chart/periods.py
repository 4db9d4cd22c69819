"""Periods the data covers only in part (the month the export stops in), marked on time-series charts.

A count for the last month of an export that stops on the 10th is a third of
a month's: drawn like the others it reads as a collapse. Such periods get a
shaded band labelled "partial", hollow markers and a dashed segment, and a
note under the chart says what the shading means.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report's month-on-month changes read period_end without drawing anything
    from matplotlib.axes import Axes

__all__ = ["COVERED_ENOUGH", "PARTIAL_BAND", "partial_periods", "period_end", "plot_series", "shade_partial"]

PARTIAL_BAND = "#EEEEEE"
COVERED_ENOUGH = 0.98  # a period missing under 2% of its length (half a day of a month) counts as whole


def period_end(start: datetime, every: str) -> datetime:
    """The start of the period after ``start`` (``every``: ``1d``, ``1w`` or ``1mo``)."""
    if every == "1mo":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    days = {"1d": 1, "1w": 7}.get(every)
    if days is None:
        raise ValueError(f"unknown period {every!r}")
    return start + timedelta(days=days)


def partial_periods(starts: Sequence[datetime], every: str, data_start: datetime, data_end: datetime) -> set[datetime]:
    """The period starts whose period the data (``data_start`` to ``data_end``, same time zone) covers only in part."""
    partial = set()
    for start in starts:
        end = period_end(start, every)
        covered = (min(end, data_end) - max(start, data_start)) / (end - start)
        if covered < COVERED_ENOUGH:
            partial.add(start)
    return partial


def shade_partial(ax: Axes, partial: set[datetime], every: str, label: str) -> None:
    """A grey band around each partial period's point (drawn at the period start), labelled at the top of ``ax``."""
    for start in sorted(partial):
        half = (period_end(start, every) - start) / 2
        ax.axvspan(start - half * 0.8, start + half * 0.8, color=PARTIAL_BAND, zorder=0, linewidth=0)
        ax.text(start, 0.98, label, transform=ax.get_xaxis_transform(), va="top", ha="center", fontsize=8, color="#666666", fontstyle="italic")


def plot_series(ax: Axes, dates: Sequence[datetime], values: Sequence[float], partial: set[datetime], *, connect_partial: bool = True, **style: object) -> None:
    """A line with markers; segments that reach a partial period are dashed and its markers hollow.

    For counts (mentions per week) pass ``connect_partial=False``: a partial
    period's count is only a fraction of a whole one's, so no line leads to
    its hollow marker at all, and it cannot read as a drop.
    """
    pts = list(zip(dates, values, strict=True))
    line_style = {k: v for k, v in style.items() if k != "label"}
    for (d0, v0), (d1, v1) in zip(pts, pts[1:], strict=False):
        if connect_partial and (d0 in partial or d1 in partial):
            ax.plot([d0, d1], [v0, v1], **{**line_style, "linestyle": "--", "marker": None})
    # the solid runs between partial periods, with the legend entry on the first
    run: list[tuple[datetime, float]] = []
    labelled = False
    for d, v in [*pts, (None, None)]:
        if d is not None and d not in partial:
            run.append((d, v))  # type: ignore[arg-type]
            continue
        if run:
            ax.plot([p[0] for p in run], [p[1] for p in run], **(style if not labelled else line_style))
            labelled = True
        run = []
    if not labelled and "label" in style:  # every period partial: still one legend entry
        ax.plot([], [], **style)
    hollow = [(d, v) for d, v in pts if d in partial]
    if hollow:
        ax.plot([p[0] for p in hollow], [p[1] for p in hollow], **{**line_style, "linestyle": "none", "markerfacecolor": "white"})

"""Shared look of every chart: sizes, colours, duration axes, English/Italian labels.

Charts are drawn on a bare :class:`~matplotlib.figure.Figure` (no pyplot), so
library calls never touch global state or open windows, and the Agg/SVG
backends render them headless.
"""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib as mpl
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, Locator, MaxNLocator, NullLocator

from ..formatting import duration, tick_duration
from .labels import LABELS, LANGS, labels  # the texts need no matplotlib: the report's wording reads them there

__all__ = [
    "BLUE", "DurationLocator", "GREY", "INK", "LABELS", "LANGS", "MIN_TICKS", "PALETTE", "RC", "SLA_LINES",
    "WIDTH_IN", "add_notes", "duration_axis", "human_duration", "labels", "new_figure", "percent_axis", "rc",
    "tick_duration",
]

BLUE = "#0072B2"  # Okabe-Ito: readable for colour-blind readers and in greyscale print
GREY = "#BBBBBB"
INK = "#222222"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
SLA_LINES = ((30 * 60, "30m"), (60 * 60, "1h"), (24 * 3600, "24h"))
WIDTH_IN = 8.0  # fits an A4 page and scales down to a phone screen with 10-pt text still legible

RC: dict[str, Any] = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.edgecolor": "#888888",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": "#DDDDDD",
    "legend.frameon": False,
    "svg.hashsalt": "social-care-benchmark",  # stable SVG ids: reports diff cleanly
    "svg.fonttype": "path",  # text as paths: renders the same without the fonts installed
    "font.family": ["DejaVu Sans"],  # ships with matplotlib: the same glyphs (and PNG pixels) on every machine
    "text.parse_math": False,  # data is never markup: a brand called "$5 Deals" renders literally
    "axes.formatter.use_mathtext": False,
}


# Durations people think in, by importance: a log axis shows the most detailed tier that fits.
_TIERS = (
    (60, 3600, 86_400, 7 * 86_400, 30 * 86_400),
    (10, 5 * 60, 15 * 60, 30 * 60, 4 * 3600, 12 * 3600, 2 * 86_400),
    (1, 2 * 60, 2 * 3600),  # no 10m: too close to 15m on a log axis
    (30, 10 * 60, 20 * 60, 45 * 60, 3 * 3600, 6 * 3600, 3 * 86_400, 14 * 86_400),  # narrow ranges only
)
_UNITS = (1, 60, 3600, 86_400)
MIN_TICKS = 3  # an axis with fewer labelled ticks cannot be read


def human_duration(seconds: float | None, lang: str = "en") -> str:
    """:func:`~benchmark.formatting.duration` in ``lang`` (Italian days: ``g``, giorni)."""
    return duration(seconds, lang)


def new_figure(height: float, **kwargs: Any) -> Figure:
    """A white, print-friendly figure of the standard width."""
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained", facecolor="white", **kwargs)
    return fig


class DurationLocator(Locator):
    """Ticks at round durations (1m, 5m, 1h, 1d, ...) inside the view, at most ``max_ticks``."""

    def __init__(self, max_ticks: int = 10) -> None:
        self.max_ticks = max_ticks

    def __call__(self) -> list[float]:
        assert self.axis is not None
        lo, hi = sorted(self.axis.get_view_interval())
        return self.tick_values(lo, hi)

    def tick_values(self, vmin: float, vmax: float) -> list[float]:
        best: list[float] = []
        for depth in range(1, len(_TIERS) + 1):
            ticks = sorted(t for tier in _TIERS[:depth] for t in tier if vmin <= t <= vmax)
            if len(ticks) > self.max_ticks and len(best) >= MIN_TICKS:
                break
            best = ticks
        if len(best) >= MIN_TICKS or vmax <= vmin:
            return best
        return _even_durations(vmin, vmax)


def _even_durations(vmin: float, vmax: float) -> list[float]:
    """Evenly spaced round durations (6m, 8m, 10m, ...) for a view too narrow for the tiers."""
    unit = max([u for u in _UNITS if (vmax - vmin) / u >= 2] or [1])
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(vmin / unit, vmax / unit)
    return [float(t * unit) for t in ticks if vmin <= t * unit <= vmax and t > 0]


def duration_axis(axis: Axis, lang: str = "en") -> None:
    """Log-scaled seconds shown as ``5m``, ``1h``, ``2d``: people do not read 10³ s."""
    axis.set_major_locator(DurationLocator())
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: tick_duration(x, lang)))
    axis.set_minor_locator(NullLocator())


def add_notes(fig: Figure, notes: list[str], width: int = 110) -> None:
    """Notes under the chart, left-aligned and wrapped to the figure's width (nothing when there are none)."""
    if notes:
        lines = [line for note in notes for line in textwrap.wrap(note, width)]
        fig.supxlabel("\n".join(lines), fontsize=9, color="#555555", x=0.01, ha="left")


def percent_axis(axis: Axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x * 100:.0f}%"))


def rc() -> Any:
    """Context manager applying :data:`RC` while a chart is drawn."""
    return mpl.rc_context(RC)

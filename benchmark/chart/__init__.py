"""Charts as matplotlib Figures: ranking, social caring map, FRT distribution, hour-of-week heatmap, trend.

Every function takes a store (or its path) plus filters, or a measurement
computed once, and returns a :class:`~matplotlib.figure.Figure` without
printing or showing anything. Save with :func:`save` (PNG or SVG).

>>> import benchmark as bm
>>> fig = bm.chart.caring_map("store", min_requests=50)
>>> bm.chart.save(fig, "map.svg")
PosixPath('map.svg')
"""

from __future__ import annotations

from .caring_map import caring_map
from .data import NoDataError
from .distribution import distribution
from .heatmap import heatmap
from .ranking import ranking
from .save import FORMATS, save, to_bytes
from .scorecard import scorecard
from .trend import trend

KINDS = {"ranking": ranking, "map": caring_map, "distribution": distribution, "heatmap": heatmap, "trend": trend}

__all__ = ["FORMATS", "KINDS", "NoDataError", "caring_map", "distribution", "heatmap", "ranking", "save", "scorecard", "to_bytes", "trend"]

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

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

# Loaded on first use: importing this package, or one of its matplotlib-free modules (``chart.data``,
# ``chart.labels``), does not load matplotlib, so the report can load it on its drawing thread while the main
# thread measures. ``name: module`` of every public name.
_HOME = {
    "caring_map": "caring_map", "NoDataError": "data", "distribution": "distribution", "heatmap": "heatmap",
    "ranking": "ranking", "FORMATS": "save", "save": "save", "to_bytes": "save", "scorecard": "scorecard", "trend": "trend",
}
_KINDS = {"ranking": "ranking", "map": "caring_map", "distribution": "distribution", "heatmap": "heatmap", "trend": "trend"}

__all__ = ["FORMATS", "KINDS", "NoDataError", "caring_map", "distribution", "heatmap", "ranking", "save", "scorecard", "to_bytes", "trend"]

if TYPE_CHECKING:
    from .caring_map import caring_map
    from .data import NoDataError
    from .distribution import distribution
    from .heatmap import heatmap
    from .ranking import ranking
    from .save import FORMATS, save, to_bytes
    from .scorecard import scorecard
    from .trend import trend

    KINDS: dict[str, Any]


class _Package(types.ModuleType):
    """This package: a submodule named like its function (``chart.heatmap``) leaves the package's name bound
    to the function, as an eager ``from .heatmap import heatmap`` would (the import system binds the module)."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _HOME.get(name) == name and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name == "KINDS":
        value: Any = {kind: __getattr__(fn) for kind, fn in _KINDS.items()}
    elif name in _HOME:
        value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

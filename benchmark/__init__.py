"""social-care-benchmark: how fast and how often brands answer customers on social media.

>>> import benchmark as bm  # doctest: +SKIP
>>> bm.ingest(["twcs.csv"], store="store")  # doctest: +SKIP
>>> bm.rank("store", by="frt_median_s").to_pandas()  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

from .api import filters, ingest, measurement, rank, requests
from .errors import BenchmarkError, InputError, StoreError, UsageError
from .loaders import ColumnMapping, LoadOptions
from .store import FileReport, Store, create_store, open_store

__version__ = "0.1.0"

# Charts and the report import matplotlib, listening imports the language detector: load them on
# first use (bm.chart.caring_map(...)) so `import benchmark` and `benchmark --help` stay quick.
_LAZY = ("chart", "listening", "report")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "BenchmarkError",
    "ColumnMapping",
    "FileReport",
    "InputError",
    "LoadOptions",
    "Store",
    "StoreError",
    "UsageError",
    "__version__",
    "chart",
    "create_store",
    "filters",
    "ingest",
    "listening",
    "measurement",
    "open_store",
    "rank",
    "report",
    "requests",
]

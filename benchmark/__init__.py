"""social-care-benchmark: how fast and how often brands answer customers on social media.

>>> import benchmark as bm  # doctest: +SKIP
>>> bm.ingest(["twcs.csv"], store="store")  # doctest: +SKIP
>>> bm.rank("store", by="frt_median_s").to_pandas()  # doctest: +SKIP
"""

from __future__ import annotations

from . import chart, listening, report  # listening: topics, users, keywords (bm.listening.topics(...))
from .api import filters, ingest, measurement, rank, requests
from .errors import BenchmarkError, InputError, StoreError, UsageError
from .loaders import ColumnMapping, LoadOptions
from .store import FileReport, Store, create_store, open_store

__version__ = "0.1.0"

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

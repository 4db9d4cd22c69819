"""social-care-benchmark: how fast and how often brands answer customers on social media.

In a folder holding the bundled synthetic sample (``sample_data/``, fictional brands), after
``benchmark ingest sample_data/facebook sample_data/twitter --brands sample_data/brands.toml --store store``:

>>> import benchmark as bm
>>> reports = bm.ingest(["sample_data/twitter/telco-nova.ndjson"], store="telco_store")
>>> [(r.read, r.stored, r.duplicates, r.rejected) for r in reports]
[(543, 543, 0, 0)]
>>> table = bm.rank("store", brand_book="sample_data/brands.toml")
>>> table.select("rank", "brand", "platform", "requests").head(3).rows()
[(1, 'Telco Nova', 'facebook', 239), (2, 'Telco Nova', 'twitter', 162), (3, 'Aquila Voli', 'twitter', 156)]
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import TYPE_CHECKING, Any

from .errors import BenchmarkError, InputError, StoreError, UsageError

if TYPE_CHECKING:
    from . import chart, listening, report
    from .api import agents, filters, ingest, measure, measurement, query, rank, requests
    from .listening import keywords, topics, users
    from .metrics import Measurement
    from .query import Query
    from .loaders import ColumnMapping, LoadOptions
    from .store import FileReport, Store, create_store, open_store

__version__ = "0.1.0"

# Everything else loads on first use (PEP 562), so `import benchmark` and `benchmark --help` stay
# quick: the API imports Polars, NumPy, the loaders and the metrics; charts and the report import
# matplotlib. `bm.rank(...)` works as it always has; `bm.topics`, `bm.users` and `bm.keywords` are
# `bm.listening`'s, as the commands of the same names.
_LAZY = {
    "agents": "api",
    "filters": "api",
    "ingest": "api",
    "measurement": "api",
    "measure": "api",
    "query": "api",
    "Query": "query",
    "Measurement": "metrics",
    "rank": "api",
    "requests": "api",
    "keywords": "listening",
    "topics": "listening",
    "users": "listening",
    "ColumnMapping": "loaders",
    "LoadOptions": "loaders",
    "FileReport": "store",
    "Store": "store",
    "create_store": "store",
    "open_store": "store",
}
_SUBMODULES = ("chart", "listening", "report")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # found once; later look-ups do not come here
        return value
    if name in _SUBMODULES or (name.isidentifier() and not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}") is not None):
        return importlib.import_module(f".{name}", __name__)  # bm.chart, bm.api, bm.metrics, ...
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names only: not ``Any``, ``annotations`` or ``importlib``, which this module uses."""
    return sorted(__all__)


class _Package(types.ModuleType):
    """Importing the submodule ``benchmark.rank`` must not hide the function ``bm.rank``.

    Python binds a submodule to its parent's attribute when it is first imported; when
    ``benchmark/__init__.py`` imported the API eagerly, ``from .api import rank`` came after
    and won. Loaded lazily, the function must still win, whichever is imported first.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "BenchmarkError",
    "ColumnMapping",
    "FileReport",
    "InputError",
    "LoadOptions",
    "Measurement",
    "Query",
    "Store",
    "StoreError",
    "UsageError",
    "__version__",
    "agents",
    "chart",
    "create_store",
    "filters",
    "ingest",
    "keywords",
    "listening",
    "measure",
    "measurement",
    "open_store",
    "query",
    "rank",
    "report",
    "requests",
    "topics",
    "users",
]

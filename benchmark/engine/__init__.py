"""Engines the metrics run on: Polars (embedded default), DuckDB, PySpark.

Everything engine-specific lives in this package, one module per engine
(:mod:`.base` holds the interface). The metrics themselves are written once,
in Narwhals; an engine may replace one primitive (thread resolution) with a
faster kernel of the same definition, and the conformance suite checks that
every engine gives identical results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .base import ENGINES, KEY, PARENT_KEY, TS_COLUMN, Engine, EngineName
from .polars_engine import PolarsEngine

if TYPE_CHECKING:
    from .duckdb_engine import DuckDBEngine
    from .spark_engine import SparkEngine


def __getattr__(name: str) -> Any:  # DuckDB and PySpark are imported only when asked for
    if name == "DuckDBEngine":
        from .duckdb_engine import DuckDBEngine

        return DuckDBEngine
    if name == "SparkEngine":
        from .spark_engine import SparkEngine

        return SparkEngine
    raise AttributeError(name)


def get_engine(name: str = "polars") -> Engine:
    """An engine by name; raises UsageError for an unknown one."""
    if name == "polars":
        return PolarsEngine()
    if name == "duckdb":
        from .duckdb_engine import DuckDBEngine

        return DuckDBEngine()
    if name == "spark":
        from .spark_engine import SparkEngine

        return SparkEngine()
    raise UsageError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


__all__ = ["ENGINES", "KEY", "PARENT_KEY", "TS_COLUMN", "DuckDBEngine", "Engine", "EngineName", "PolarsEngine", "SparkEngine", "get_engine"]

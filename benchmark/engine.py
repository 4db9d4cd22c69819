"""Engines the metrics run on: Polars (embedded default), DuckDB, PySpark.

Everything engine-specific lives here, and it is small: how to scan the
store's Parquet files, how to turn a timestamp into integer microseconds
(backends disagree: casting gives µs on Polars but seconds on Spark, and
``dt.timestamp`` is missing on Spark), and how to materialise an
intermediate result. The metrics themselves are written once, in Narwhals.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, get_args

import narwhals as nw
import polars as pl

from .errors import UsageError
from .schema import MESSAGE_SCHEMA

EngineName = Literal["polars", "duckdb", "spark"]
ENGINES: tuple[str, ...] = get_args(EngineName)
TS_COLUMN = "ts_us"  # integer microseconds since the epoch, added to every scanned message frame


class Engine:
    """Base class: one engine session, able to scan Parquet and materialise frames."""

    name: str = ""

    def scan_parquet(self, paths: Sequence[Path]) -> nw.LazyFrame:
        """The messages in ``paths`` with an extra ``ts_us`` column."""
        raise NotImplementedError

    def from_polars(self, df: pl.DataFrame) -> nw.LazyFrame:
        """Move an in-memory frame onto this engine (tests and small lookups), with ``ts_us``."""
        raise NotImplementedError

    def materialize(self, lf: nw.LazyFrame) -> nw.LazyFrame:
        """Evaluate ``lf`` now so later steps do not recompute its plan."""
        raise NotImplementedError

    def collect(self, lf: nw.LazyFrame) -> pl.DataFrame:
        """Bring a (small) result back as a Polars frame."""
        return lf.collect("polars").to_native()


class PolarsEngine(Engine):
    name = "polars"

    def scan_parquet(self, paths: Sequence[Path]) -> nw.LazyFrame:
        # Files written before a column existed (e.g. ``lang``) read with it null.
        lf = pl.scan_parquet([str(p) for p in paths], schema=MESSAGE_SCHEMA, missing_columns="insert")
        return nw.from_native(lf.with_columns(pl.col("created_at").dt.epoch("us").alias(TS_COLUMN)))

    def from_polars(self, df: pl.DataFrame) -> nw.LazyFrame:
        out = df.lazy()
        if "created_at" in df.columns:
            out = out.with_columns(pl.col("created_at").dt.epoch("us").alias(TS_COLUMN))
        return nw.from_native(out)

    def materialize(self, lf: nw.LazyFrame) -> nw.LazyFrame:
        return lf.collect("polars").lazy()


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(self) -> None:
        import duckdb

        self.con = duckdb.connect()
        # Session time zone decides how TIMESTAMPTZ reaches Arrow; keep it UTC.
        self.con.execute("SET TimeZone = 'UTC'")
        self._n = 0

    def _with_ts(self, rel: Any) -> nw.LazyFrame:
        if "created_at" in rel.columns:
            rel = rel.project(f"*, epoch_us(created_at)::BIGINT AS {TS_COLUMN}")
        return nw.from_native(rel)

    def scan_parquet(self, paths: Sequence[Path]) -> nw.LazyFrame:
        return self._with_ts(self.con.read_parquet([str(p) for p in paths], union_by_name=True))  # older files lack newer columns

    def from_polars(self, df: pl.DataFrame) -> nw.LazyFrame:
        return self._with_ts(self._register(df.to_arrow()))

    def _register(self, table: Any) -> Any:
        self._n += 1
        name = f"_bm_{self._n}"
        self.con.register(name, table)
        return self.con.table(name)

    def materialize(self, lf: nw.LazyFrame) -> nw.LazyFrame:
        self._n += 1
        name = f"_bm_t{self._n}"
        lf.to_native().to_table(name)  # a temporary table inside DuckDB: data never leaves the engine
        return nw.from_native(self.con.table(name))


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, session: Any | None = None) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise UsageError(
                "the spark engine needs PySpark: pip install 'social-care-benchmark[spark]'"
            ) from exc
        self.spark = session or (
            SparkSession.builder.master("local[2]")
            .appName("social-care-benchmark")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )

    def _with_ts(self, sdf: Any) -> nw.LazyFrame:
        from pyspark.sql import functions as F

        if "created_at" in sdf.columns:
            sdf = sdf.withColumn(TS_COLUMN, F.unix_micros(F.col("created_at")))
        return nw.from_native(sdf)

    def scan_parquet(self, paths: Sequence[Path]) -> nw.LazyFrame:
        return self._with_ts(self.spark.read.option("mergeSchema", "true").parquet(*[str(p) for p in paths]))  # older files lack newer columns

    def from_polars(self, df: pl.DataFrame) -> nw.LazyFrame:
        return self._with_ts(self.spark.createDataFrame(df.to_pandas()))

    def materialize(self, lf: nw.LazyFrame) -> nw.LazyFrame:
        return nw.from_native(lf.to_native().localCheckpoint(eager=True))


def get_engine(name: str = "polars") -> Engine:
    """An engine by name; raises UsageError for an unknown one."""
    if name == "polars":
        return PolarsEngine()
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        return SparkEngine()
    raise UsageError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")

"""PySpark: the same metrics on a Spark session (local or a cluster)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import narwhals as nw
import polars as pl

from .base import TS_COLUMN, Engine
from ..errors import UsageError


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

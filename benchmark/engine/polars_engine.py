"""The embedded default engine: Polars, in this process."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import narwhals as nw
import polars as pl

from .base import TS_COLUMN, Engine
from ..schema import MESSAGE_SCHEMA


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

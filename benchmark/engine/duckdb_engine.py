"""DuckDB: the same metrics in an in-process SQL engine."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import narwhals as nw
import polars as pl  # noqa: F401

from .base import TS_COLUMN, Engine


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

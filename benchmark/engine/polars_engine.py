"""The embedded default engine: Polars, in this process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import narwhals as nw
import numpy as np
import polars as pl

from ..schema import MESSAGE_SCHEMA
from ..threads import ThreadStats
from .base import KEY, PARENT_KEY, TS_COLUMN, Engine
from .polars_threads import resolve, thread_keys

__all__ = ["PolarsEngine"]


class PolarsEngine(Engine):
    name = "polars"
    keys_unique_across_platforms = True  # KEY and thread are row numbers of one frame

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

    def resolve_roots(self, edges: nw.LazyFrame) -> tuple[nw.LazyFrame, ThreadStats]:
        frame = edges.select("platform", "message_id", "parent_id").collect("polars").to_native()
        roots, _up, _status, _parent, stats, _hashed = resolve(frame)
        return nw.from_native(pl.concat([frame.select("platform", "message_id"), roots], how="horizontal").lazy()), stats

    def with_threads(self, messages: nw.LazyFrame) -> tuple[nw.LazyFrame, ThreadStats]:
        # Materialised once with the columns the caller selected; roots are added in row order (no join
        # back), the thread and the message key are integers (row numbers): later joins never hash ids.
        frame = messages.collect("polars").to_native()
        roots, up, status, parent, stats, hashed = resolve(frame, root_ids=False)
        threaded = pl.concat([frame, roots], how="horizontal").with_columns(
            thread_keys(frame, up, status, hashed),
            pl.int_range(pl.len(), dtype=pl.Int64).alias(KEY),
            pl.Series(PARENT_KEY, parent, dtype=pl.Int64).set(pl.Series(parent < 0), None),
        ).drop("thread_id")  # folded into the thread key; nothing later reads it
        if TS_COLUMN in frame.columns:  # clock skew counted by a gather on the parent rows (no join)
            ts = frame.get_column(TS_COLUMN).to_numpy()
            parent_ts = np.take(ts, np.maximum(parent, 0))  # a full gather: cheaper than compacting the children first
            skewed = int(np.count_nonzero((ts < parent_ts) & (parent >= 0)))
            stats = replace(stats, replies_before_parent=skewed)
        return nw.from_native(threaded.lazy()), stats

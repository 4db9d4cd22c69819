"""The engine interface: what the Narwhals metrics need from a backend.

It is small: how to scan the store's Parquet files, how to turn a timestamp
into integer microseconds (backends disagree: casting gives µs on Polars but
seconds on Spark, and ``dt.timestamp`` is missing on Spark), how to
materialise an intermediate result, and thread resolution (written once in
Narwhals, replaceable by a faster kernel of the same definition).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import narwhals as nw
import polars as pl

if TYPE_CHECKING:
    from ..threads import ThreadStats

__all__ = ["ENGINES", "Engine", "EngineName", "KEY", "PARENT_KEY", "TS_COLUMN"]


EngineName = Literal["polars", "duckdb", "spark"]
ENGINES: tuple[str, ...] = get_args(EngineName)
TS_COLUMN = "ts_us"  # integer microseconds since the epoch, added to every scanned message frame
KEY = "_key"  # a message's key within one platform after with_threads: message_id, or a cheaper one (a row number)
PARENT_KEY = "_parent_key"  # the parent's KEY (null without a parent in the data... or, generically, its parent_id)


class Engine:
    """Base class: one engine session, able to scan Parquet and materialise frames."""

    name: str = ""
    # True when with_threads' KEY and thread columns never repeat across platforms (row numbers):
    # the metrics then join and group on them alone, without the platform.
    keys_unique_across_platforms: bool = False

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

    def resolve_roots(self, edges: nw.LazyFrame) -> tuple[nw.LazyFrame, ThreadStats]:
        """Each ``(platform, message_id)`` of ``edges`` mapped to its thread root (see :mod:`benchmark.threads`).

        The definition is written once, in Narwhals; an engine may override this with a
        faster kernel of the same definition (the conformance suite compares them).
        """
        from ..threads import resolve_roots

        return resolve_roots(edges, self.materialize)

    def with_threads(self, messages: nw.LazyFrame) -> tuple[nw.LazyFrame, ThreadStats]:
        """``messages`` plus ``thread_status``, ``thread`` (the key requests and replies share), :data:`KEY` and
        :data:`PARENT_KEY`; this generic version also keeps ``root_id`` (a kernel may leave it out: the
        metrics read only the columns above)."""
        from ..threads import STATUS_OK

        roots, stats = self.resolve_roots(messages.select("platform", "message_id", "parent_id"))
        threaded = messages.join(roots, on=["platform", "message_id"], how="left").with_columns(
            nw.when(nw.col("thread_status") == STATUS_OK)
            .then(nw.col("root_id"))
            .otherwise(nw.coalesce(nw.col("thread_id"), nw.col("root_id")))
            .alias("thread"),
            nw.col("message_id").alias(KEY),
            nw.col("parent_id").alias(PARENT_KEY),
        )
        return threaded, stats

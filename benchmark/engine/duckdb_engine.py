"""DuckDB: the same metrics in an in-process SQL engine."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import narwhals as nw
import polars as pl  # noqa: F401

from .base import TS_COLUMN, Engine

__all__ = ["DuckDBEngine"]

if TYPE_CHECKING:
    from ..threads import ThreadStats


class DuckDBEngine(Engine):
    name = "duckdb"
    keys_unique_across_platforms = True  # with_threads keys messages and threads by row numbers (:mod:`.duckdb_keys`)

    def __init__(self) -> None:
        import duckdb

        self.con = duckdb.connect()
        # Session time zone decides how TIMESTAMPTZ reaches Arrow; keep it UTC.
        self.con.execute("SET TimeZone = 'UTC'")
        self._n = 0
        self._stored: list[Any] = []  # relations that only read stored tables side by side: materialised already

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

    def _name(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def materialize(self, lf: nw.LazyFrame) -> nw.LazyFrame:
        if any(lf.to_native() is rel for rel in self._stored):  # copying it would only cost time
            return lf
        name = self._name("_bm_t")
        lf.to_native().to_table(name)  # a temporary table inside DuckDB: data never leaves the engine
        return nw.from_native(self.con.table(name))

    def _walk(self, edges: nw.LazyFrame) -> tuple[str, ThreadStats] | None:
        """Roots by a recursive CTE into a temporary table, or None when the depth bound was hit."""
        from ..threads import ThreadStats
        from .duckdb_threads import bound_hit, roots_table

        table = self._name("_bm_roots")
        messages, reached, orphans, depth = roots_table(self.con, edges.select("platform", "message_id", "parent_id").to_native(), table)
        if bound_hit(messages, reached, depth):
            return None
        return table, ThreadStats(messages=messages, missing_parents=orphans, in_cycles=messages - reached, rounds=depth)

    def resolve_roots(self, edges: nw.LazyFrame) -> tuple[nw.LazyFrame, ThreadStats]:
        joined = self._with_walk(edges, "e.platform, e.message_id, r.root_id, {status} AS thread_status")
        return joined if joined is not None else super().resolve_roots(edges)

    def with_threads(self, messages: nw.LazyFrame) -> tuple[nw.LazyFrame, ThreadStats]:
        # Integer keys (row numbers), so that the facts join on one integer column (:mod:`.duckdb_keys`).
        from .duckdb_keys import with_threads
        from .duckdb_threads import MAX_DEPTH

        threaded = with_threads(self.con, messages.to_native(), self._name, MAX_DEPTH)
        self._stored.append(threaded.relation)
        return nw.from_native(threaded.relation), threaded.stats

    def _with_walk(self, frame: nw.LazyFrame, columns: str) -> tuple[nw.LazyFrame, ThreadStats] | None:
        """``frame`` (as ``e``) joined with the string walk's roots (as ``r``, :mod:`.duckdb_threads`) selecting
        ``columns`` ({status}: the thread status expression); None when the walk hit its depth bound."""
        walked = self._walk(frame)
        if walked is None:
            return None
        table, stats = walked
        from .duckdb_threads import STATUS_SQL

        out = frame.to_native().query(
            "e",
            f"SELECT {columns.format(status=STATUS_SQL)} "
            f"FROM e LEFT JOIN {table} r ON r.platform = e.platform AND r.message_id = e.message_id",
        )
        return nw.from_native(out), stats

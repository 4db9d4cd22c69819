"""Threads on DuckDB with integer keys: the same definition as :mod:`benchmark.threads`, joined on row numbers.

The messages are stored once in a temporary table; a message's key is its row
(``rowid``), unique across platforms. One join on the string ids gives every
message its parent's row (and counts replies dated before their parent on the
way); from then on everything is integers: a recursive CTE walks down from the
roots (see :mod:`.duckdb_threads` for why it ends), and a small table in row
order holds the parent key, the thread status and the thread key. The threaded
messages are the stored table and that one side by side (a positional join): no
copy of the strings, no join back. Chains deeper than the walk's bound are
resolved by pointer jumping on the same integer keys.

The thread key is the root's row; where the chain is broken it is the row of the
message the source's thread id names, or a new number past the last row for an id
not in the data: the same grouping as the generic ``coalesce(thread_id, root_id)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..threads import STATUS_CYCLE, STATUS_MISSING_PARENT, STATUS_OK, ThreadStats
from .base import KEY, PARENT_KEY, TS_COLUMN

__all__ = ["MAX_JUMPS", "Threaded", "with_threads"]

MAX_JUMPS = 64  # pointer-jumping rounds past the walk's bound: 2**64 messages deep is never reached

# Parent row of every message (null: no parent in the data); `parents` is a relation with one row per id.
LINK_SQL = """
SELECT c.rowid AS _k, p._row AS _pk, c.parent_id IS NOT NULL AND p._row IS NULL AS _orphan, {skew} AS _skew
FROM {m} c LEFT JOIN {parents} p ON p.platform = c.platform AND p.message_id = c.parent_id
"""
PARENTS_SQL = "(SELECT platform, message_id, rowid AS _row{ts} FROM {m})"
# With an id stored twice (outside the store's contract, but possible in a frame) the first copy is the parent.
FIRST_PARENTS_SQL = "(SELECT platform, message_id, min(rowid) AS _row{ts_first} FROM {m} GROUP BY platform, message_id)"

# Down from the roots (messages without a parent in the data); each message is reached once, from its parent.
WALK_SQL = """
WITH RECURSIVE w(_k, _pk, _root, _orph, _depth) AS (
  SELECT _k, _pk, _k, _orphan, 0 FROM {link} WHERE _pk IS NULL
  UNION ALL
  SELECT l._k, l._pk, w._root, w._orph, w._depth + 1 FROM {link} l JOIN w ON l._pk = w._k WHERE w._depth < {max_depth}
)
SELECT * FROM w
"""

# Every row in row order: parent key, status (0 ok, 1 missing parent, 2 cycle) and thread key.
SIDE_SQL = """
WITH s AS ({rows}){named}
SELECT s._k, s._pk, s._status, {thread} AS _thread FROM s {join} ORDER BY s._k
"""
# Broken chains: the row of the message the source's thread id names, else a new number past the last row.
NAMED_SQL = """,
named AS (
  SELECT s._k, m.platform, m.thread_id FROM s JOIN {m} m ON m.rowid = s._k WHERE s._status <> 0 AND m.thread_id IS NOT NULL
),
found AS (
  SELECT n._k, n.platform, n.thread_id, t._row FROM named n
  LEFT JOIN {parents} t ON t.platform = n.platform AND t.message_id = n.thread_id
),
keyed AS (
  SELECT _k, coalesce(_row, {n} - 1 + dense_rank() OVER (PARTITION BY _row IS NULL ORDER BY platform, thread_id)) AS _named
  FROM found
)"""

# The rows of `s` when the walk reached every message (it carries the parent keys), else with the unreached ones.
ALL_REACHED_SQL = "SELECT _k, _pk, _root, CASE WHEN _orph THEN 1 ELSE 0 END AS _status FROM {roots}"
SOME_REACHED_SQL = """
  SELECT l._k, l._pk, w._root, CASE WHEN w._k IS NULL THEN 2 WHEN w._orph THEN 1 ELSE 0 END AS _status
  FROM {link} l LEFT JOIN {roots} w ON w._k = l._k
"""

# With an id stored twice, a thread is keyed by the first copy of its root's id (as on Polars).
FIRST_ROOTS_SQL = """
  SELECT s0._k, s0._pk, f._row AS _root, s0._status FROM ({rows}) s0
  LEFT JOIN {m} r ON r.rowid = s0._root LEFT JOIN {parents} f ON f.platform = r.platform AND f.message_id = r.message_id
"""

STATUS_LABEL = (
    f"CASE s._status WHEN 0 THEN '{STATUS_OK}' WHEN 1 THEN '{STATUS_MISSING_PARENT}' ELSE '{STATUS_CYCLE}' END"
)


@dataclass(frozen=True)
class Threaded:
    """The threaded messages (a relation over two stored tables) and the counts."""

    relation: Any
    stats: ThreadStats


class _Tables:
    """Temporary table names on one connection, dropped when no longer read."""

    def __init__(self, con: Any, name: Any) -> None:
        self.con, self._name = con, name

    def create(self, prefix: str, sql: str) -> str:
        table = self._name(prefix)
        self.con.execute(f"CREATE TEMP TABLE {table} AS {sql}")
        return table

    def drop(self, *tables: str) -> None:
        for table in tables:
            self.con.execute(f"DROP TABLE IF EXISTS {table}")


@contextmanager
def _any_order(con: Any) -> Iterator[None]:
    """Let DuckDB write a table in whatever order its threads finish (about 40% less CPU for the messages):
    rows are keyed by where they land, so their order is never read."""
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute("RESET preserve_insertion_order")


def with_threads(con: Any, messages: Any, name: Any, max_depth: int) -> Threaded:
    """``messages`` (a relation on ``con``) stored once, with ``thread``, ``thread_status``, :data:`KEY` and
    :data:`PARENT_KEY`; ``name(prefix)`` gives fresh table names."""
    tables = _Tables(con, name)
    timed = TS_COLUMN in messages.columns
    with _any_order(con):
        m = name("_bm_m")
        messages.to_table(m)
        parents = PARENTS_SQL.format(m=m, ts=f", {TS_COLUMN} AS _ts" if timed else "")
        skew = f"c.{TS_COLUMN} < p._ts" if timed else "NULL::BOOLEAN"
        link = tables.create("_bm_link", LINK_SQL.format(m=m, parents=parents, skew=skew))
        (n,) = _row(con, m, "count(*)")
        (linked,) = _row(con, link, "count(*)")
        repeated = linked != n
        if repeated:  # an id stored twice: its first copy is the parent
            parents = FIRST_PARENTS_SQL.format(m=m, ts_first=f", arg_min({TS_COLUMN}, rowid) AS _ts" if timed else "")
            tables.drop(link)
            link = tables.create("_bm_link", LINK_SQL.format(m=m, parents=parents, skew=skew))
        roots = tables.create("_bm_walk", WALK_SQL.format(link=link, max_depth=int(max_depth)))
    orphans, skewed = _row(con, link, "count(*) FILTER (WHERE _orphan), count(*) FILTER (WHERE _skew)")
    reached, rounds = _row(con, roots, "count(*), coalesce(max(_depth), 0)")
    everyone = reached == n
    if not everyone and rounds >= max_depth:  # the walk stopped at its bound: deep chains, perhaps not cycles
        tables.drop(roots)
        roots, rounds = _jump(con, tables, link)
        (reached,) = _row(con, roots, "count(*)")
    broken = orphans > 0 or reached < n
    named = broken and "thread_id" in messages.columns
    rows = (ALL_REACHED_SQL if everyone else SOME_REACHED_SQL).format(link=link, roots=roots)
    if repeated:
        rows = FIRST_ROOTS_SQL.format(rows=rows, m=m, parents=parents)
    side = tables.create(
        "_bm_side",
        SIDE_SQL.format(
            rows=rows,
            named=NAMED_SQL.format(m=m, parents=parents, n=int(n)) if named else "",
            thread="CASE WHEN k._k IS NOT NULL THEN k._named ELSE s._root END" if named else "s._root",
            join="LEFT JOIN keyed k ON k._k = s._k" if named else "",
        ),
    )
    tables.drop(link, roots)
    relation = con.sql(
        f"SELECT m.*, s._thread AS thread, {STATUS_LABEL} AS thread_status, s._k AS {KEY}, s._pk AS {PARENT_KEY} "
        f"FROM {m} m POSITIONAL JOIN {side} s"
    )
    stats = ThreadStats(
        messages=int(n),
        missing_parents=int(orphans),
        in_cycles=int(n - reached),
        rounds=int(rounds),
        replies_before_parent=int(skewed) if timed else None,
    )
    return Threaded(relation, stats)


def _row(con: Any, table: str, aggregates: str) -> tuple[Any, ...]:
    """One row of ``aggregates`` over ``table``."""
    return con.execute(f"SELECT {aggregates} FROM {table}").fetchone()


def _jump(con: Any, tables: _Tables, link: str) -> tuple[str, int]:
    """``(_k, _root, _orph)`` of every message whose chain reaches a root, by pointer jumping on the integer keys
    (each round every message points where its target pointed), and the number of rounds."""
    state = tables.create("_bm_jump", f"SELECT _k, coalesce(_pk, _k) AS _up, _pk IS NULL AS _done FROM {link}")
    (pending,) = _row(con, state, "count(*) FILTER (WHERE NOT _done)")
    rounds = 0
    while pending and rounds < MAX_JUMPS:
        rounds += 1
        nxt = tables.create("_bm_jump", f"SELECT a._k, b._up, b._done FROM {state} a JOIN {state} b ON b._k = a._up")
        tables.drop(state)
        state = nxt
        (still,) = _row(con, state, "count(*) FILTER (WHERE NOT _done)")
        if still == pending:  # no chain progressed: what is left loops
            break
        pending = still
    roots = tables.create(
        "_bm_roots", f"SELECT s._k, s._up AS _root, l._orphan AS _orph FROM {state} s JOIN {link} l ON l._k = s._up WHERE s._done"
    )
    tables.drop(state)
    return roots, rounds

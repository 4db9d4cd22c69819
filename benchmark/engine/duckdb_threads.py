"""Thread resolution on DuckDB by a recursive CTE: the same definition as :mod:`benchmark.threads`.

The generic Narwhals version materialises a table per pointer-jumping round and
collects a count after each. Here one statement walks down from the roots (the
messages whose parent is not in the data): each message is reached once, from
its parent, so the walk ends by itself, and a message it never reaches has a
chain that never gets to a root: a cycle, or a message hanging below one. Ids
are unique per platform (the store guarantees it); a depth bound stops the
walk anyway, and a walk that hits it is redone by the generic definition.

This is ``resolve_roots`` (root ids as strings, e.g. for comment scopes); ``with_threads``
walks the same way on integer row keys (:mod:`.duckdb_keys`).
"""

from __future__ import annotations

from typing import Any

from ..threads import STATUS_CYCLE, STATUS_MISSING_PARENT, STATUS_OK

__all__ = ["MAX_DEPTH", "bound_hit", "roots_table"]

MAX_DEPTH = 10_000  # reply chains deeper than this fall back to pointer jumping

# ``e`` is the relation with ``platform, message_id, parent_id``; one row per reached message.
ROOTS_SQL = """
WITH RECURSIVE
_present AS (SELECT platform, message_id FROM e),
_linked AS (
  SELECT e.platform, e.message_id, e.parent_id, p.message_id IS NOT NULL AS _has_parent
  FROM e LEFT JOIN _present p ON p.platform = e.platform AND p.message_id = e.parent_id
),
_walk(platform, message_id, root_id, _orphan, _depth) AS (
  SELECT platform, message_id, message_id, parent_id IS NOT NULL, 0 FROM _linked WHERE NOT _has_parent
  UNION ALL
  SELECT l.platform, l.message_id, w.root_id, w._orphan, w._depth + 1
  FROM _linked l JOIN _walk w ON l.platform = w.platform AND l.parent_id = w.message_id
  WHERE w._depth < {max_depth}
)
SELECT * FROM _walk
"""

STATUS_SQL = (
    f"CASE WHEN r.message_id IS NULL THEN '{STATUS_CYCLE}' "
    f"WHEN r._orphan THEN '{STATUS_MISSING_PARENT}' ELSE '{STATUS_OK}' END"
)

STATS_SQL = """
SELECT count(*) AS reached, count(*) FILTER (WHERE _orphan AND _depth = 0) AS orphans,
       coalesce(max(_depth), 0) AS depth
FROM w
"""


def roots_table(con: Any, edges: Any, table: str) -> tuple[int, int, int, int]:
    """Walk ``edges`` (a relation on ``con``) into temporary table ``table``.

    Returns ``(messages, reached, orphans, depth)``: ``messages - reached`` are in cycles.
    """
    edges.query("e", f"CREATE TEMP TABLE {table} AS {ROOTS_SQL.format(max_depth=int(MAX_DEPTH))}")
    reached, orphans, depth = con.table(table).query("w", STATS_SQL).fetchall()[0]
    (messages,) = edges.query("e", "SELECT count(*) FROM e").fetchall()[0]
    return int(messages), int(reached), int(orphans), int(depth)


def bound_hit(messages: int, reached: int, depth: int) -> bool:
    """Whether the walk stopped at the depth bound with messages left (they may be deep, not cyclic)."""
    return depth >= MAX_DEPTH and reached < messages

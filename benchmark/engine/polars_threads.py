"""Thread resolution on Polars by array pointer jumping: the same definition as :mod:`benchmark.threads`.

The generic Narwhals version joins the whole frame once per round on string
ids. Here each message learns its parent's row number once (a join on a
128-bit hash of the id, so no two ids ever share one), and the rounds are integer
gathers on numpy arrays. Row order is kept, so the result is added to the
messages as columns instead of being joined back, and the thread key is an
integer (the root's row), which makes every later join cheap.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ..threads import STATUS_CYCLE, STATUS_MISSING_PARENT, STATUS_OK, ThreadStats

__all__ = ["MAX_ROUNDS", "resolve", "thread_keys"]

MAX_ROUNDS = 64  # 2**64 messages deep: never reached; a chain that stops progressing is a cycle
_LABELS = pl.Series([STATUS_OK, STATUS_MISSING_PARENT, STATUS_CYCLE], dtype=pl.String)


def _key_hashes(platform: pl.Series, ids: pl.Series) -> pl.DataFrame:
    """Two independent 64-bit hashes of ``(platform, id)``: 128 bits, so two different ids never share both
    (the store's deduplication relies on the same)."""
    # Hashing the two strings apart and mixing is ~10x quicker than hashing a struct of them.
    return pl.DataFrame({
        "_h1": ids.hash(seed=3) ^ platform.hash(seed=5),
        "_h2": ids.hash(seed=4) ^ platform.hash(seed=6),
    })


def _lookup_rows(keys: pl.DataFrame, wanted: pl.DataFrame) -> np.ndarray:
    """Row of ``keys`` (hashes of every message key) matching each row of ``wanted`` (``-1``: none);
    where ``keys`` repeats an id, the first copy wins.

    Joined on the first hash alone (one integer column is the cheap join), the second checked after.
    """
    table = keys.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"))
    linked = wanted.select("_h1", pl.col("_h2").alias("_want2")).join(table, on="_h1", how="left", maintain_order="left")
    matched = pl.when(pl.col("_h2") == pl.col("_want2")).then(pl.col("_row"))
    if linked.height == wanted.height:  # the usual case: every id once, one row per wanted key
        return linked.select(matched.fill_null(-1)).to_series().to_numpy()
    # Several rows share a first hash: keep the earliest with the same second.
    linked = wanted.select("_h1", "_h2").with_row_index("_at").join(
        table.rename({"_h2": "_table2"}), on="_h1", how="left", maintain_order="left"
    )
    linked = linked.with_columns(pl.when(pl.col("_table2") == pl.col("_h2")).then(pl.col("_row")).alias("_row"))
    return linked.group_by("_at").agg(pl.col("_row").min()).sort("_at").get_column("_row").fill_null(-1).to_numpy()


def _root_rows(parent: np.ndarray, max_rounds: int = MAX_ROUNDS) -> tuple[np.ndarray, np.ndarray, int]:
    """``(root row, resolved, rounds)``: pointer jumping until every chain reaches a row without a parent.

    Rows whose chain never gets there (cycles, and messages hanging below one) stay unresolved.
    """
    n = parent.shape[0]
    up = np.where(parent >= 0, parent, np.arange(n, dtype=np.int64))
    done = parent < 0
    todo = np.flatnonzero(~done)  # each round touches only the rows still on their way up
    rounds = 0
    while todo.size and rounds < max_rounds:
        rounds += 1
        via = up[todo]
        up[todo], reached = up[via], done[via]  # right-hand sides read before any write: one synchronous round
        done[todo] = reached
        still = todo[~reached]
        if still.size == todo.size:  # no chain progressed: what is left loops
            break
        todo = still
    return up, done, rounds


def resolve(frame: pl.DataFrame, *, root_ids: bool = True) -> tuple[pl.DataFrame, np.ndarray, np.ndarray, np.ndarray, ThreadStats, tuple[pl.DataFrame, np.ndarray | None]]:
    """``root_id`` and ``thread_status`` for every row of ``frame`` (``platform, message_id, parent_id``), in row order.

    Also each row's root row, status code (0 ok, 1 missing parent, 2 cycle) and parent row (``-1``: none).
    """
    n = frame.height
    keys = _key_hashes(frame.get_column("platform"), frame.get_column("message_id"))
    parents = _key_hashes(frame.get_column("platform"), frame.get_column("parent_id"))
    rows = _lookup_rows(keys, parents)
    parent = np.where(frame.get_column("parent_id").is_null().to_numpy(), -1, rows)
    h1 = keys.get_column("_h1")
    first = _lookup_rows(keys, keys) if h1.n_unique() < h1.len() else None  # n_unique: 3x quicker than is_duplicated
    repeated = first is not None and bool((first != np.arange(n)).any())
    orphan = frame.get_column("parent_id").is_not_null().to_numpy() & (parent < 0)
    up, done, rounds = _root_rows(parent)
    status = np.where(~done, 2, np.where(orphan[up], 1, 0)).astype(np.int64)
    out = pl.DataFrame({"thread_status": _LABELS.gather(pl.Series(status))})
    if root_ids:  # strings for every row: only when asked (the integer thread key serves the metrics)
        roots = frame.get_column("message_id").gather(pl.Series(up))
        out = out.with_columns(pl.when(pl.Series(done)).then(roots).otherwise(pl.lit(None, dtype=pl.String)).alias("root_id"))
    stats = ThreadStats(messages=frame.height, missing_parents=int(orphan.sum()), in_cycles=int((~done).sum()), rounds=rounds)
    return out, up, status, parent, stats, (keys, first if repeated else None)


def thread_keys(frame: pl.DataFrame, up: np.ndarray, status: np.ndarray, hashed: tuple[pl.DataFrame, np.ndarray | None]) -> pl.Series:
    """The integer thread of each row: its root's row; where the chain is broken, the row of the message
    the source's thread id (else the topmost known message) names, or a new number past the last row for
    an id not in the data. Same grouping as the generic string key ``coalesce(thread_id, root_id)``."""
    n = frame.height
    keys = up.copy()
    hashes, first = hashed
    if first is not None:  # a repeated root id is one thread: key it by its first copy
        keys = first[up]
    broken = np.flatnonzero(status != 0)
    if broken.size:
        sub = frame[pl.Series(broken)]
        root_ids = frame.get_column("message_id").gather(pl.Series(up[broken]))
        done = status[broken] != 2
        wanted = pl.DataFrame({"t": sub.get_column("thread_id"), "r": root_ids, "d": done}).select(
            pl.coalesce("t", pl.when(pl.col("d")).then(pl.col("r"))).alias("key")
        ).get_column("key")
        rows = _lookup_rows(hashes, _key_hashes(sub.get_column("platform"), wanted))
        unknown = pl.DataFrame({"p": sub.get_column("platform"), "k": wanted, "miss": rows < 0})
        new = unknown.select(
            pl.when(pl.col("miss") & pl.col("k").is_not_null()).then(pl.struct("p", "k").rank("dense") + n - 1)
        ).to_series()
        rows = np.where(rows >= 0, rows, new.fill_null(-1).to_numpy())
        keys[broken] = rows
    series = pl.Series("thread", keys, dtype=pl.Int64)
    return series.set(series < 0, None)  # type: ignore[arg-type]  # no key: a cycle without a source thread id

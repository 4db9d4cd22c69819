"""Speed and memory of ingest + rank, against a hand-written DuckDB query on the same data.

Not a test (pytest does not collect it): run it and read the ratios.

    .venv/bin/python tests/perf/bench_rank.py --threads 200000

It writes a synthetic TWCS-format CSV (fictional brands), ingests it into a
store, then times `benchmark.metrics.measure` on each engine and a
hand-written DuckDB SQL query that computes the same per-brand table from the
store's Parquet files, checks the figures agree and prints time ratios and
peak memory (of this process: ru_maxrss). The first measurement per engine is cold (no
derived facts cache); the second reads the cache, as a repeated `benchmark rank` does.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

import benchmark as bm
from benchmark.engine import get_engine
from benchmark.metrics import measure
from benchmark.metrics.options import MetricOptions

HAND_WRITTEN = """
WITH RECURSIVE m AS (SELECT platform, brand, message_id, parent_id, is_brand, epoch_us(created_at) AS ts
                     FROM read_parquet('{glob}')),
roots(message_id, root) AS (
  SELECT message_id, message_id FROM m WHERE parent_id IS NULL
  UNION ALL SELECT m.message_id, r.root FROM m JOIN roots r ON m.parent_id = r.message_id),
t AS (SELECT m.*, r.root FROM m JOIN roots r USING (message_id)),
req AS (SELECT platform, brand, message_id, root, ts FROM t WHERE parent_id IS NULL AND NOT is_brand),
rep AS (SELECT platform, brand, root, ts FROM t WHERE is_brand),
f AS (SELECT r.platform, coalesce(r.brand, arg_min(p.brand, p.ts)) AS brand, r.message_id,
        (min(p.ts) FILTER (WHERE r.brand IS NULL OR p.brand = r.brand) - r.ts) / 1e6 AS frt
      FROM req r LEFT JOIN rep p ON p.platform = r.platform AND p.root = r.root AND p.ts >= r.ts
      GROUP BY r.platform, r.brand, r.message_id, r.ts)
SELECT platform, brand, count(*) AS requests, count(frt) AS answered,
       median(frt) AS frt_median_s, avg(frt) AS frt_mean_s, quantile_cont(frt, 0.9) AS frt_p90_s,
       count(*) FILTER (WHERE frt <= 1800) / count(*) AS within_30m
FROM f WHERE brand IS NOT NULL GROUP BY ALL ORDER BY platform, brand
"""
# The same default figures as `benchmark rank --open-window 0` (the yardstick's duckdb_rank.py): thread
# roots by following parent ids, the stored brand else the first brand to answer in the thread.


def write_twcs(path: Path, threads: int, seed: int = 1) -> int:
    """A TWCS-layout CSV with `threads` customer threads over 40 fictional brands; returns message count."""
    rng = np.random.default_rng(seed)
    brands = np.array([f"Brand{i:02d}_Care" for i in range(40)])
    t0 = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
    b = rng.integers(0, len(brands), threads)
    start = t0 + rng.integers(0, 150 * 86400, threads)
    answered = rng.random(threads) < 0.8
    delay = (rng.lognormal(7, 1.5, threads)).astype(np.int64)
    follow = rng.random(threads) < 0.3
    ids = np.arange(threads, dtype=np.int64) * 3 + 1
    fmt = "%a %b %d %H:%M:%S +0000 %Y"

    def ts(col: np.ndarray) -> pl.Series:
        return pl.Series(col * 1_000_000).cast(pl.Datetime("us", "UTC")).dt.strftime(fmt)

    customer = pl.DataFrame({
        "tweet_id": ids, "author_id": pl.Series(ids + 10_000_000).cast(pl.String), "inbound": "True",
        "created_at": ts(start), "text": np.char.add(np.char.add("@", brands[b]), " my order never arrived"),
        "response_tweet_id": None, "in_response_to_tweet_id": None,
    })
    fol = pl.DataFrame({
        "tweet_id": ids[follow] + 1, "author_id": pl.Series(ids[follow] + 10_000_000).cast(pl.String), "inbound": "True",
        "created_at": ts(start[follow] + 120), "text": "anyone?", "response_tweet_id": None,
        "in_response_to_tweet_id": pl.Series(ids[follow]).cast(pl.String),
    })
    parent = np.where(follow, ids + 1, ids)
    rep = pl.DataFrame({
        "tweet_id": ids[answered] + 2, "author_id": brands[b][answered], "inbound": "False",
        "created_at": ts(start[answered] + 120 + delay[answered]), "text": "Sorry to hear that: please DM us",
        "response_tweet_id": None, "in_response_to_tweet_id": pl.Series(parent[answered]).cast(pl.String),
    })
    frames = [customer, fol, rep]
    out = pl.concat([f.with_columns(pl.all().cast(pl.String)) for f in frames])
    out.write_csv(path)
    return out.height


def timed(label: str, fn):
    t = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=200_000)
    ap.add_argument("--engines", default="polars,duckdb")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "twcs_synthetic.csv"
        n, t_gen = timed("gen", lambda: write_twcs(csv, args.threads))
        print(f"synthetic TWCS: {n:,} messages, {csv.stat().st_size / 1e6:.1f} MB (written in {t_gen:.1f}s)")
        store = bm.create_store(Path(tmp) / "store")
        reports, t_ingest = timed("ingest", lambda: bm.ingest(csv, store=store))
        print(f"ingest: {t_ingest:.2f}s ({n / t_ingest:,.0f} messages/s), stored {reports[0].stored:,}")
        glob = str(store.path / "ingests" / "*" / "messages.parquet")
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        hand, t_hand = timed("hand", lambda: pl.from_arrow(con.sql(HAND_WRITTEN.format(glob=glob)).to_arrow_table()))
        hand, t_hand = timed("hand", lambda: pl.from_arrow(con.sql(HAND_WRITTEN.format(glob=glob)).to_arrow_table()))  # warm
        print(f"hand-written DuckDB query: {t_hand:.2f}s")
        for name in args.engines.split(","):
            eng = get_engine(name)
            # The default figures only; no open window (the hand-written query has no notion of open requests).
            plain = MetricOptions(open_window_s=None, extended=False)
            shutil.rmtree(store.path / "derived", ignore_errors=True)
            m, t = timed(name, lambda: measure(store, engine=eng, options=plain))  # cold: threads resolved
            _, t_again = timed(name, lambda: measure(store, engine=eng, options=plain))  # the derived facts cache
            print(f"  {name}: a repeated question on the unchanged store: {t_again:.2f}s = {t_again / t:.2f}x the first")
            ours = m.table.select("platform", "brand", "requests", "answered", "frt_median_s", "frt_mean_s", "frt_p90_s", "within_30m")
            theirs = hand.select(ours.columns).with_columns(pl.col("requests", "answered").cast(pl.Int64))
            same = ours.sort("brand").equals(theirs.sort("brand"), null_equal=True) or all(
                np.allclose(ours.sort("brand")[c].to_numpy(), theirs.sort("brand")[c].to_numpy()) for c in ours.columns[2:]
            )
            print(f"benchmark measure on {name:6s}: {t:.2f}s  ratio vs hand-written DuckDB: {t / t_hand:.2f}x  figures agree: {same}")
        print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

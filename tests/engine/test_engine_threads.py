"""Engine thread kernels (DuckDB recursive CTE, Spark batched pointer jumping) against the generic definition."""

from __future__ import annotations

import random
import uuid

import polars as pl
import pytest

from benchmark.engine import KEY, PARENT_KEY, Engine
from benchmark.threads import resolve_roots

SCHEMA = {"platform": pl.String, "message_id": pl.String, "parent_id": pl.String}


def _forest(seed: int, n: int = 160) -> list[tuple[str, str, str | None]]:
    """Chains, bushes, missing parents, self-replies, loops with messages hanging below them, two platforms."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str | None]] = []
    for i in range(n):
        platform = rng.choice(["twitter", "facebook"])
        kind = rng.random()
        if kind < 0.15 or i == 0:
            parent = None
        elif kind < 0.22:
            parent = f"gone{i}"
        elif kind < 0.25:
            parent = str(i)  # replies to itself
        elif kind < 0.35:
            parent = str(rng.randrange(i, n))  # may point forward: loops
        else:
            parent = str(rng.randrange(max(0, i - 5), i))  # mostly deep chains
        rows.append((platform, str(i), parent))
    # a parent on the other platform is not a parent
    rows.append(("twitter", "x1", None))
    rows.append(("facebook", "x2", "x1"))
    return rows


def _frame(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def _by_id(engine: Engine, lf) -> pl.DataFrame:
    cols = ["platform", "message_id", "root_id", "thread_status"]
    return engine.collect(lf.select(*cols)).sort("platform", "message_id")


CASES = [
    [("t", "a", None), ("t", "b", "a"), ("t", "c", "b"), ("t", "d", "c"), ("t", "x", "gone"), ("t", "y", "x"),
     ("t", "p", "q"), ("t", "q", "p"), ("t", "r", "q"), ("f", "a", None), ("f", "b", "a"), ("t", "s", "s")],
    _forest(1),
    _forest(2),
    [("t", "0", None)] + [("t", str(i), str(i - 1)) for i in range(1, 70)],  # deeper than one Spark batch
    [("t", str(i), str((i + 1) % 40)) for i in range(40)],  # one long loop: nothing resolves
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_kernel_matches_the_generic_definition(engine, case):
    edges = engine.from_polars(_frame(CASES[case]))
    generic, generic_stats = resolve_roots(edges, engine.materialize)
    kernel, stats = engine.resolve_roots(edges)
    assert _by_id(engine, kernel).equals(_by_id(engine, generic))
    assert (stats.messages, stats.missing_parents, stats.in_cycles) == (
        generic_stats.messages, generic_stats.missing_parents, generic_stats.in_cycles
    )


def _same_grouping(got: pl.DataFrame, want: pl.DataFrame) -> bool:
    """Whether two frames' ``(platform, thread)`` put the same rows together (a kernel may key threads by integers)."""
    pairs = pl.DataFrame({"p": got["platform"], "g": got["thread"], "w": want["thread"]})
    if not (pairs["g"].is_null() == pairs["w"].is_null()).all():
        return False
    pairs = pairs.drop_nulls()
    return pairs.unique().height == pairs.select("p", "g").n_unique() == pairs.select("p", "w").n_unique()


def _threaded_messages(rows) -> pl.DataFrame:
    """``rows`` with a source thread id on some: one no message has ("T7"), one naming a message ("5")."""
    ends = pl.col("message_id").str.slice(-1)
    return _frame(rows).with_columns(
        pl.when(ends == "7").then(pl.lit("T7")).when(ends == "3").then(pl.lit("5")).alias("thread_id")
    )


def _check_with_threads(engine: Engine, rows) -> None:
    lf = engine.from_polars(_threaded_messages(rows))
    kernel, stats = engine.with_threads(lf)
    generic, generic_stats = Engine.with_threads(engine, lf)
    got = engine.collect(kernel).sort("platform", "message_id")
    want = engine.collect(generic).sort("platform", "message_id")
    cols = ["platform", "message_id", "parent_id", "thread_status"]
    cols += [c for c in ("thread_id", "root_id") if c in got.columns]  # a kernel may fold them into the thread key
    assert got.select(cols).equals(want.select(cols))
    assert _same_grouping(got, want)
    assert stats.in_cycles == generic_stats.in_cycles and stats.missing_parents == generic_stats.missing_parents
    # KEY may be cheaper than message_id, but PARENT_KEY must name the parent's KEY when the parent is there
    keys = got.select("platform", "message_id", KEY)
    linked = got.join(keys.rename({"message_id": "parent_id", KEY: "_expected"}), on=["platform", "parent_id"], how="left")
    assert linked.filter(pl.col("_expected").is_not_null()).height > 0
    assert linked[PARENT_KEY].equals(linked["_expected"], check_names=False)  # null exactly where the parent is missing
    if engine.keys_unique_across_platforms:  # then the metrics join on KEY and thread alone
        assert got[KEY].n_unique() == got.height
        platforms_per_thread = got.drop_nulls("thread").group_by("thread").agg(pl.col("platform").n_unique())
        assert (platforms_per_thread["platform"] == 1).all()


# Missing parents but no cycle: every message reaches a root; "z3" names message "5" as its thread, "y7" an unknown one.
NO_CYCLES = [("t", "a", None), ("t", "b", "a"), ("t", "c", "b"), ("t", "x", "gone"), ("t", "y7", "x"), ("t", "5", None),
             ("t", "z3", "gone"), ("t", "w", "z3"), ("f", "a", None), ("f", "b", "a"), ("f", "z3", "gone")]


@pytest.mark.parametrize("rows", [_forest(3), NO_CYCLES], ids=["forest", "no-cycles"])
@pytest.mark.parametrize("name", ["polars", "duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def test_with_threads_matches_the_generic_one(name, rows, request):
    from benchmark.engine import DuckDBEngine, PolarsEngine, SparkEngine

    engine = {"polars": PolarsEngine, "duckdb": DuckDBEngine}.get(name)
    _check_with_threads(engine() if engine else SparkEngine(request.getfixturevalue("spark_session")), rows)


def test_duckdb_with_threads_jumps_past_its_depth_bound(monkeypatch):
    from benchmark.engine import DuckDBEngine, duckdb_threads

    monkeypatch.setattr(duckdb_threads, "MAX_DEPTH", 3)
    for rows in (_forest(3), CASES[3], CASES[4]):
        _check_with_threads(DuckDBEngine(), rows)


def test_duckdb_with_threads_keys_a_repeated_id_by_its_first_copy_as_polars_does():
    """Outside the store's contract (ids are unique per platform), but a frame may repeat one: one thread, as on Polars."""
    from benchmark.engine import DuckDBEngine, PolarsEngine

    rows = [("t", "a", None), ("t", "b", "a"), ("t", "a", None), ("t", "c", "b"), ("t", "d", "gone"), ("f", "a", None)]
    frame = _frame(rows).with_columns(pl.lit(None, dtype=pl.String).alias("thread_id"))
    got = {}
    for engine in (DuckDBEngine(), PolarsEngine()):
        threaded, stats = engine.with_threads(engine.from_polars(frame))
        out = engine.collect(threaded)
        assert out.height == len(rows) and stats.missing_parents == 1
        got[engine.name] = out.group_by("thread").agg(pl.col("platform").first(), pl.col("message_id").sort().str.join(",")).drop("thread").sort(pl.all())
    assert got["duckdb"].equals(got["polars"])
    assert got["duckdb"]["message_id"].to_list() == ["a", "a,a,b,c", "d"]


def test_duckdb_with_threads_counts_replies_dated_before_their_parent():
    from datetime import UTC, datetime, timedelta

    from benchmark.engine import DuckDBEngine

    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    rows = [("t", "a", None, t0), ("t", "b", "a", t0 - timedelta(seconds=1)), ("t", "c", "b", t0), ("f", "b", "a", t0)]
    frame = pl.DataFrame(rows, schema={**SCHEMA, "created_at": pl.Datetime("us", "UTC")}, orient="row")
    engine = DuckDBEngine()
    _threaded, stats = engine.with_threads(engine.from_polars(frame))
    assert stats.replies_before_parent == 1  # c is not before b; f's b has no parent on its platform


def test_duckdb_falls_back_to_pointer_jumping_past_its_depth_bound(monkeypatch):
    from benchmark.engine import DuckDBEngine, duckdb_threads

    monkeypatch.setattr(duckdb_threads, "MAX_DEPTH", 8)
    engine = DuckDBEngine()
    edges = engine.from_polars(_frame(CASES[3]))
    kernel, stats = engine.resolve_roots(edges)
    got = _by_id(engine, kernel)
    assert set(got["root_id"]) == {"0"} and set(got["thread_status"]) == {"ok"}
    assert stats.in_cycles == 0


@pytest.mark.spark
def test_spark_jobs_do_not_grow_with_thread_depth(spark_session):
    from benchmark.engine import SparkEngine

    engine = SparkEngine(spark_session)
    context = spark_session.sparkContext
    tracker = context.statusTracker()

    def jobs_for(depth: int) -> int:
        # Counted in a job group of their own: Spark keeps only the last spark.ui.retainedJobs jobs, so
        # counting all jobs before and after goes wrong once a long test session has run more than that.
        group = f"thread-depth-{depth}-{uuid.uuid4().hex}"
        rows = [("t", "0", None)] + [("t", str(i), str(i - 1)) for i in range(1, depth)]
        edges = engine.from_polars(_frame(rows))
        context.setJobGroup(group, "jobs of one thread resolution")
        try:
            engine.resolve_roots(edges)
        finally:
            context.setLocalProperty("spark.jobGroup.id", None)  # type: ignore[arg-type]
        return len(tracker.getJobIdsForGroup(group))

    assert jobs_for(3) == jobs_for(30) > 0

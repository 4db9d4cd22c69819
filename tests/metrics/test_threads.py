"""Thread roots by pointer jumping: chains, missing parents and cycles, on every engine."""

from __future__ import annotations

import polars as pl

from benchmark.threads import STATUS_CYCLE, STATUS_MISSING_PARENT, STATUS_OK, resolve_roots


def _resolve(engine, rows):
    edges = engine.from_polars(pl.DataFrame(rows, schema={"platform": pl.String, "message_id": pl.String, "parent_id": pl.String}, orient="row"))
    out, stats = resolve_roots(edges, engine.materialize)
    df = engine.collect(out)
    return {r["message_id"]: (r["root_id"], r["thread_status"]) for r in df.to_dicts()}, stats


def test_chains_missing_parents_and_cycles(engine):
    rows = [
        ("t", "a", None), ("t", "b", "a"), ("t", "c", "b"), ("t", "d", "c"),  # a chain of depth 3
        ("t", "x", "gone"), ("t", "y", "x"),  # x replies to a message not in the data
        ("t", "p", "q"), ("t", "q", "p"), ("t", "r", "q"),  # p <-> q loop; r hangs off it
        ("f", "a", None), ("f", "b", "a"),  # same ids on another platform are other messages
    ]
    got, stats = _resolve(engine, rows)
    assert got["d"] == ("a", STATUS_OK) and got["a"] == ("a", STATUS_OK)
    assert got["y"] == ("x", STATUS_MISSING_PARENT) and got["x"] == ("x", STATUS_MISSING_PARENT)
    assert got["p"] == (None, STATUS_CYCLE) and got["r"] == (None, STATUS_CYCLE)
    assert stats.messages == len(rows)
    assert stats.missing_parents == 1
    assert stats.in_cycles == 3


def test_deep_chain_resolves_in_logarithmic_rounds():
    from benchmark.engine import PolarsEngine

    depth = 5000
    rows = [("t", "0", None)] + [("t", str(i), str(i - 1)) for i in range(1, depth)]
    got, stats = _resolve(PolarsEngine(), rows)
    assert {root for root, _ in got.values()} == {"0"}
    assert stats.rounds <= 14  # ceil(log2(5000)) + 1

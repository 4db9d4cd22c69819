"""The ingest's duplicate check (:class:`benchmark.store.seen_keys.SeenKeys`) against a dict model."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.store import seen_keys
from benchmark.store.seen_keys import SeenKeys

# Small first hashes force collisions on h1 (and long probe runs); the second hash keeps keys apart.
_key = st.tuples(st.integers(0, 40), st.integers(0, 3))
_chunks = st.lists(st.lists(st.tuples(_key, st.integers(0, 2**64 - 1)), max_size=60), max_size=12)


def _arrays(chunk: list[tuple[tuple[int, int], int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    h1 = np.array([k[0] for k, _ in chunk], dtype=np.uint64)
    h2 = np.array([k[1] for k, _ in chunk], dtype=np.uint64)
    content = np.array([c for _, c in chunk], dtype=np.uint64)
    return h1, h2, content


@settings(max_examples=200, deadline=None)
@given(_chunks)
def test_probe_and_add_agree_with_a_dict(chunks: list[list[tuple[tuple[int, int], int]]]) -> None:
    seen, model = SeenKeys(), {}
    for chunk in chunks:
        first: dict[tuple[int, int], int] = {}
        for key, content in chunk:  # the caller keeps a chunk's first copy of each key
            first.setdefault(key, content)
        items = list(first.items())
        h1, h2, content = _arrays(items)
        found, kept = seen.probe(h1, h2)
        assert found.tolist() == [k in model for k, _ in items]
        assert kept[found].tolist() == [model[k] for k, _ in items if k in model]
        new = ~found
        seen.add(h1[new], h2[new], content[new])
        for k, c in items:
            model.setdefault(k, c)
        assert len(seen) == len(model)


def test_growth_keeps_every_key(monkeypatch) -> None:
    """Many keys through several rehashes and array growths: every one is found with its content."""
    monkeypatch.setattr(seen_keys, "MIN_SLOTS", 8)
    rng = np.random.default_rng(7)
    h1 = rng.integers(0, 2**63, size=50_000, dtype=np.uint64)
    h2 = rng.integers(0, 2**63, size=50_000, dtype=np.uint64)
    content = np.arange(50_000, dtype=np.uint64)
    seen = SeenKeys()
    for start in range(0, 50_000, 7_000):
        part = slice(start, start + 7_000)
        found, _ = seen.probe(h1[part], h2[part])
        assert not found.any()
        seen.add(h1[part], h2[part], content[part])
    found, kept = seen.probe(h1, h2)
    assert found.all() and (kept == content).all()
    found, _ = seen.probe(h1, h2 + np.uint64(1))  # same first hash, other second hash: not seen
    assert not found.any()
    assert seen._table.size >= len(seen) / seen_keys.MAX_LOAD


@settings(max_examples=200, deadline=None)
@given(_chunks, st.integers(0, 300))
def test_probe_add_is_probe_then_add(chunks: list[list[tuple[tuple[int, int], int]]], expected: int) -> None:
    """The ingest's one-walk probe-and-insert gives what a probe followed by an add gives."""
    one, two = SeenKeys(expected=expected), SeenKeys()
    for chunk in chunks:
        first: dict[tuple[int, int], int] = {}
        for key, content in chunk:
            first.setdefault(key, content)
        h1, h2, content = _arrays(list(first.items()))
        found, kept = one.probe_add(h1, h2, content)
        found2, kept2 = two.probe(h1, h2)
        two.add(h1[~found2], h2[~found2], content[~found2])
        assert found.tolist() == found2.tolist() and kept.tolist() == kept2.tolist()
        assert len(one) == len(two)
    if chunks:
        h1, h2, _ = _arrays([item for chunk in chunks for item in chunk])
        assert one.probe(h1, h2)[0].all()

"""The linear overlap test put into adjustText gives exactly what adjustText's own code gives."""

from __future__ import annotations

import numpy as np
import pytest

adjustText = pytest.importorskip("adjustText")

from benchmark.chart import fast_overlaps  # noqa: E402


def _originals():
    fast_overlaps.install()
    return adjustText._original_shifts


def _boxes(rng: np.random.Generator, n: int, *, degenerate: bool) -> np.ndarray:
    """``n`` boxes as adjustText's coords (xmin, xmax, ymin, ymax); degenerate: all on one row."""
    x0 = rng.uniform(0, 100, n)
    y0 = np.full(n, 50.0) if degenerate else rng.uniform(0, 100, n)
    w, h = rng.uniform(1, 30, n), rng.uniform(1, 10, n)
    return np.column_stack([x0, x0 + w, y0, y0 + h])


@pytest.mark.parametrize("degenerate", [False, True])
@pytest.mark.parametrize("seed", range(20))
def test_same_shifts_as_adjusttext(seed: int, degenerate: bool) -> None:
    texts, extra = _originals()
    rng = np.random.default_rng(seed)
    coords = _boxes(rng, int(rng.integers(1, 60)), degenerate=degenerate)
    objects = _boxes(rng, int(rng.integers(1, 80)), degenerate=degenerate)
    for mine, theirs in ((fast_overlaps.get_shifts_texts(coords), texts(coords)),
                         (fast_overlaps.get_shifts_extra(coords, objects), extra(coords, objects))):
        np.testing.assert_array_equal(mine[0], theirs[0])
        np.testing.assert_array_equal(mine[1], theirs[1])


def test_installed_once_into_adjusttext() -> None:
    assert fast_overlaps.install() and fast_overlaps.install()
    assert adjustText.get_shifts_extra is fast_overlaps.get_shifts_extra
    assert adjustText.get_shifts_texts is fast_overlaps.get_shifts_texts


@pytest.mark.parametrize("seed", range(20))
def test_same_crossing_swaps_as_adjusttext(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    fast_overlaps.install()
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    coords = _boxes(rng, n, degenerate=seed % 2 == 1)
    targets = rng.uniform(0, 100, (n, 2))
    if seed % 3 == 0:  # shared targets and collinear leader lines: the parallel (denominator 0) case
        targets[: n // 2] = targets[0]
    monkeypatch.setattr(fast_overlaps, "CROSSING_BLOCK", 1 + seed * 7)  # blocks of a few rows give the same pairs
    theirs = adjustText._original_remove_crossings(coords.copy(), targets, 0)
    mine = fast_overlaps.remove_crossings(coords.copy(), targets, 0)
    np.testing.assert_array_equal(mine, theirs)
    assert adjustText.remove_crossings is fast_overlaps.remove_crossings


def test_crossing_segments_found_in_loop_order() -> None:
    # four labels: 0-1 cross, 2-3 cross, 0-3 do not; (1, 0) comes before (3, 2)
    conn = np.array([[0, 0, 10, 10], [0, 10, 10, 0], [20, 0, 30, 10], [20, 10, 30, 0]], dtype=float)
    assert fast_overlaps._crossing_pairs(conn).tolist() == [[1, 0], [3, 2]]

"""adjustText 1.x with its overlap and crossing tests vectorised: the same label layout, without the slow steps.

adjustText finds the label pairs that overlap in both x and y by comparing every x-overlapping
pair with every y-overlapping pair (``(y[:, None] == x).all(-1).any(-1)``). When labels share a
row or a column, as on a map where every brand answers 100%, both lists hold thousands of pairs
and one step of a 60-label map took ~360 ms. The replacements below keep the y pairs found among
the x pairs with a hash lookup on pair codes (``np.isin``): the same pairs in the same order, so
the same layout. Everything else is adjustText's own code (MIT licence, © Ilya Flyamer),
unchanged; ``tests/test_chart_fast_overlaps.py`` checks both functions against the installed
originals on random and degenerate layouts.

``remove_crossings`` (on by default) tests every pair of leader lines in a Python loop and formats
both segments into debug messages for each crossing it finds, logging on or off: one 108-brand map
spent ~10 s there. The replacement finds the crossing pairs with array arithmetic (the same
floating-point operations, so the same answers) and applies the swaps in adjustText's order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CROSSING_BLOCK", "get_shifts_extra", "get_shifts_texts", "install", "remove_crossings"]


def _pairs_in_both(yoverlaps: np.ndarray, xoverlaps: np.ndarray, width: int) -> np.ndarray:
    """Rows of ``yoverlaps`` that are also rows of ``xoverlaps`` (pairs of indices below ``width``), in order."""
    if len(yoverlaps) == 0 or len(xoverlaps) == 0:
        return yoverlaps[:0]
    code = lambda pairs: pairs[:, 0].astype(np.int64) * width + pairs[:, 1].astype(np.int64)  # noqa: E731
    return yoverlaps[np.isin(code(yoverlaps), code(xoverlaps))]


def get_shifts_texts(coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from adjustText import overlap_intervals

    n = coords.shape[0]
    xoverlaps = overlap_intervals(coords[:, 0], coords[:, 1], coords[:, 0], coords[:, 1])
    xoverlaps = xoverlaps[xoverlaps[:, 0] != xoverlaps[:, 1]]
    yoverlaps = overlap_intervals(coords[:, 2], coords[:, 3], coords[:, 2], coords[:, 3])
    yoverlaps = yoverlaps[yoverlaps[:, 0] != yoverlaps[:, 1]]
    overlaps = _pairs_in_both(yoverlaps, xoverlaps, n)
    if len(overlaps) == 0:
        return np.zeros((coords.shape[0])), np.zeros((coords.shape[0]))
    diff = coords[overlaps[:, 1]] - coords[overlaps[:, 0]]
    xshifts = np.where(np.abs(diff[:, 0]) < np.abs(diff[:, 1]), diff[:, 0], diff[:, 1])
    yshifts = np.where(np.abs(diff[:, 2]) < np.abs(diff[:, 3]), diff[:, 2], diff[:, 3])
    xshifts = np.bincount(overlaps[:, 0], xshifts, minlength=n)
    yshifts = np.bincount(overlaps[:, 0], yshifts, minlength=n)
    return xshifts, yshifts


def get_shifts_extra(coords: np.ndarray, extra_coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from adjustText import overlap_intervals

    n = coords.shape[0]
    xoverlaps = overlap_intervals(coords[:, 0], coords[:, 1], extra_coords[:, 0], extra_coords[:, 1])
    yoverlaps = overlap_intervals(coords[:, 2], coords[:, 3], extra_coords[:, 2], extra_coords[:, 3])
    overlaps = _pairs_in_both(yoverlaps, xoverlaps, max(extra_coords.shape[0], 1))
    if len(overlaps) == 0:
        return np.zeros((coords.shape[0])), np.zeros((coords.shape[0]))
    diff_x = coords[overlaps[:, 0], :2] - extra_coords[overlaps[:, 1], -3::-1]
    diff_y = coords[overlaps[:, 0], 2:] - extra_coords[overlaps[:, 1], -1:-3:-1]
    xshifts = np.where(np.abs(diff_x[:, 0]) < np.abs(diff_x[:, 1]), diff_x[:, 0], diff_x[:, 1])
    yshifts = np.where(np.abs(diff_y[:, 0]) < np.abs(diff_y[:, 1]), diff_y[:, 0], diff_y[:, 1])
    xshifts = np.bincount(overlaps[:, 0], xshifts, minlength=n)
    yshifts = np.bincount(overlaps[:, 0], yshifts, minlength=n)
    return xshifts, yshifts


CROSSING_BLOCK = 1 << 22  # segment pairs tested at once: bounds memory for maps with thousands of brands


def _crossing_pairs(connections: np.ndarray) -> np.ndarray:
    """``(i, j)`` with ``j < i`` whose segments cross by adjustText's ``intersect``, in its loop order."""
    n = len(connections)
    x1, y1, x2, y2 = (connections[:, k] for k in range(4))
    found = []
    rows = max(1, CROSSING_BLOCK // max(n, 1))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for lo in range(0, n, rows):
            i = slice(lo, min(n, lo + rows))
            a1, b1, a2, b2 = (c[i, None] for c in (x1, y1, x2, y2))  # seg1 = connections[i], seg2 = connections[j]
            denom = (y2 - y1) * (a2 - a1) - (x2 - x1) * (b2 - b1)
            ua = ((x2 - x1) * (b1 - y1) - (y2 - y1) * (a1 - x1)) / denom
            ub = ((a2 - a1) * (b1 - y1) - (b2 - b1) * (a1 - x1)) / denom
            hit = (denom != 0) & ~(ua < 0) & ~(ua > 1) & ~(ub < 0) & ~(ub > 1)
            hit &= np.arange(n)[None, :] < np.arange(lo, i.stop)[:, None]
            pairs = np.argwhere(hit)
            pairs[:, 0] += lo
            found.append(pairs)
    return np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)


def remove_crossings(coords: np.ndarray, target_coords: np.ndarray, step: int) -> np.ndarray:
    """adjustText's ``remove_crossings``: swap the labels of each pair whose leader lines cross."""
    connections = np.hstack(
        [
            np.mean(coords[:, :2], axis=1)[:, np.newaxis],
            np.mean(coords[:, 2:], axis=1)[:, np.newaxis],
            target_coords,
        ]
    )
    for i, j in _crossing_pairs(connections):
        coords[i], coords[j] = coords[j].copy(), coords[i].copy()
    return coords


def install() -> bool:
    """Put the replacements into adjustText 1.x (once); False for another major version (left as it is)."""
    import adjustText

    if not str(getattr(adjustText, "__version__", "")).startswith("1.") or getattr(adjustText, "_benchmark_fast", False):
        return bool(getattr(adjustText, "_benchmark_fast", False))
    adjustText._original_shifts = (adjustText.get_shifts_texts, adjustText.get_shifts_extra)  # type: ignore[attr-defined]
    adjustText._original_remove_crossings = adjustText.remove_crossings  # type: ignore[attr-defined]
    adjustText.get_shifts_texts = get_shifts_texts
    adjustText.get_shifts_extra = get_shifts_extra
    adjustText.remove_crossings = remove_crossings
    adjustText._benchmark_fast = True  # type: ignore[attr-defined]
    return True

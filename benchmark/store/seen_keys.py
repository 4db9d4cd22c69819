"""The keys an ingest has seen (the store's and the file's so far), as 128-bit hashes, 24 bytes a message.

A chunk probes them with binary search in a few sorted levels (like an LSM tree):
each level's arrays are sorted by the first hash, a new chunk's keys form a new
level, and levels of similar size are merged, so a probe costs O(chunk · log n)
and the merges O(n log n) over the whole ingest, never O(chunks · n). A first hash
shared by two keys (about one in 2^40 ingests of a billion messages) is resolved
exactly on the second hash.
"""

from __future__ import annotations

import numpy as np

MERGE_RATIO = 4  # a level is merged into the one before once that is at most 4x larger: ~log4(n) levels


class SeenKeys:
    """``(h1, h2) -> content hash`` for every key seen, first version kept."""

    def __init__(self) -> None:
        self._levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(level[0].size for level in self._levels)

    def add(self, h1: np.ndarray, h2: np.ndarray, content: np.ndarray) -> None:
        """Add keys not seen before (the caller probes first)."""
        if h1.size == 0:
            return
        order = np.argsort(h1, kind="stable")
        self._levels.append((h1[order], h2[order], content[order]))
        while len(self._levels) > 1 and self._levels[-2][0].size <= MERGE_RATIO * self._levels[-1][0].size:
            b, a = list(self._levels.pop()), list(self._levels.pop())
            self._levels.append(_merge(a, b))  # frees each old column as soon as it is copied
            del a, b

    def probe(self, h1: np.ndarray, h2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(found, content)``: whether each key was seen, and the content hash of its kept version."""
        order = np.argsort(h1)  # sorted needles: the binary searches walk the levels in order (cache friendly)
        s1, s2 = h1[order], h2[order]
        found = np.zeros(h1.size, dtype=bool)
        content = np.zeros(h1.size, dtype=np.uint64)
        for keys1, keys2, kept in self._levels:
            at = np.searchsorted(keys1, s1, side="left")
            while True:  # one pass unless a first hash repeats in the level (then the next one is checked too)
                idx = np.minimum(at, keys1.size - 1)
                same1 = (at < keys1.size) & (keys1[idx] == s1)
                hit = same1 & ~found & (keys2[idx] == s2)
                found |= hit
                content = np.where(hit, kept[idx], content)
                again = same1 & ~found
                if not again.any():
                    break
                at = np.where(again, at + 1, keys1.size)
        out_found = np.empty_like(found)
        out_found[order] = found
        out_content = np.empty_like(content)
        out_content[order] = content
        return out_found, out_content


def _merge(a: list[np.ndarray], b: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge two levels sorted by their first array, ``a``'s keys first among equals, one column at a time
    (each old column is dropped once copied): a few bytes a key above the levels themselves, no argsort."""
    n = a[0].size + b[0].size
    index = np.int32 if n < 2**31 else np.int64
    at_b = np.searchsorted(a[0], b[0], side="right").astype(index)
    at_b += np.arange(b[0].size, dtype=index)
    from_a = np.ones(n, dtype=bool)
    from_a[at_b] = False
    out = []
    for i in range(3):
        col = np.empty(n, dtype=a[i].dtype)
        col[at_b] = b[i]
        col[from_a] = a[i]
        a[i] = b[i] = None  # type: ignore[call-overload]  # free the old column before the next one
        out.append(col)
    return out[0], out[1], out[2]

"""The keys an ingest has seen (the store's and the file's so far), as 128-bit hashes: ~34 bytes a message.

An open-addressing hash table probed a whole chunk at a time with NumPy: each round
looks up every pending key's slot at once, and a key moves on to the next slot only
while its slot holds another key (linear probing). A probe or an insert therefore
costs O(chunk) however large the store, where sorted runs cost a binary search per
level and merges of everything seen so far.

The table holds row numbers into three append-only arrays (first hash, second hash,
content hash), reserved up front from a generous guess (pages never written cost
nothing), so memory is 24 bytes a key plus 4 bytes a slot: 6-9 bytes a key, as the
table is rebuilt 1.5 times larger whenever it is :data:`MAX_LOAD` full. Keys are matched on both
hashes: two keys sharing the first hash (about one in 2^40 ingests of a billion
messages) stay distinct.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GROWTH", "LOAD_AFTER_REHASH", "MAX_LOAD", "MIN_SLOTS", "REHASH_BATCH", "SeenKeys"]

MAX_LOAD = 0.7  # slots in use / slots: past it the table is rebuilt ...
LOAD_AFTER_REHASH = 0.45  # ... this full, so it grows by ~1.5x (any size: slots are not a power of two)
MIN_SLOTS = 1 << 16
GROWTH = 1.5  # the key arrays grow by half when their reserve is exceeded
REHASH_BATCH = 1 << 20


class SeenKeys:
    """``(h1, h2) -> content hash`` for every key seen, first version kept."""

    def __init__(self, expected: int = 0, at_most: int = 0) -> None:
        """``expected``: about how many keys will be added (sizes the table once instead of rehashing
        everything at each doubling, which costs more than all the probes); ``at_most``: a generous
        bound, reserved for the key arrays (untouched pages of ``np.empty`` cost no memory)."""
        self._n = 0
        room = max(at_most, expected, 1024)
        self._h1 = np.empty(room, dtype=np.uint64)
        self._h2 = np.empty(room, dtype=np.uint64)
        self._content = np.empty(room, dtype=np.uint64)
        self._table = np.zeros(_slots_for(expected), dtype=np.uint32)  # row + 1; 0 = empty

    def __len__(self) -> int:
        return self._n

    def add(self, h1: np.ndarray, h2: np.ndarray, content: np.ndarray) -> None:
        """Add keys not seen before and distinct from each other (the caller probes and dedupes first)."""
        if h1.size == 0:
            return
        rows = self._append(h1, h2, content)
        if self._n > MAX_LOAD * self._table.size:
            self._rehash(self._n)
        else:
            self._insert(rows)

    def probe(self, h1: np.ndarray, h2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(found, content)``: whether each key was seen, and the content hash of its kept version."""
        found, content, _slot = self._walk(h1, h2)
        return found, content

    def probe_add(self, h1: np.ndarray, h2: np.ndarray, content: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`probe`, then :meth:`add` of the keys not found, in one walk of the table (the keys
        must be distinct from each other): a new key is inserted from the empty slot its probe ended on."""
        if self._n + h1.size > MAX_LOAD * self._table.size:  # grow first, so the walk's slots stay valid
            self._rehash(self._n + int(h1.size), rows=self._n)
        found, kept, slot = self._walk(h1, h2)
        new = ~found
        if new.any():
            rows = self._append(h1[new], h2[new], content[new])
            self._insert(rows, slot[new])
        return found, kept

    def _append(self, h1: np.ndarray, h2: np.ndarray, content: np.ndarray) -> np.ndarray:
        """Store keys at the end of the arrays (not yet in the table); their row numbers."""
        m = int(h1.size)
        self._reserve(self._n + m)
        self._h1[self._n : self._n + m] = h1
        self._h2[self._n : self._n + m] = h2
        self._content[self._n : self._n + m] = content
        rows = np.arange(self._n, self._n + m, dtype=np.int64)
        self._n += m
        return rows

    def _walk(self, h1: np.ndarray, h2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(found, content, slot)``; ``slot`` is where each key's probe ended (an empty slot if not found)."""
        m = int(h1.size)
        found = np.zeros(m, dtype=bool)
        content = np.zeros(m, dtype=np.uint64)
        size = self._table.size
        end = _home(h1, size)
        if m == 0 or self._n == 0:
            return found, content, end
        pending = np.arange(m, dtype=np.int64)
        slot = end.copy()
        while pending.size:
            held = self._table[slot]
            occupied = held != 0
            row = held[occupied].astype(np.int64) - 1
            at = pending[occupied]
            hit = np.zeros(pending.size, dtype=bool)
            hit[occupied] = (self._h1[row] == h1[at]) & (self._h2[row] == h2[at])
            found[pending[hit]] = True
            content[pending[hit]] = self._content[self._table[slot[hit]].astype(np.int64) - 1]
            end[pending[~occupied]] = slot[~occupied]
            go_on = occupied & ~hit  # another key in this slot: try the next one
            pending = pending[go_on]
            slot = _next(slot[go_on], size)
        return found, content, end

    def _insert(self, rows: np.ndarray, start: np.ndarray | None = None) -> None:
        """Give each of ``rows`` (keys not in the table) an empty slot, looking from ``start`` (default: home)."""
        size = self._table.size
        slot = _home(self._h1[rows], size) if start is None else start
        tag = (rows + 1).astype(self._table.dtype)
        while rows.size:
            free = self._table[slot] == 0
            self._table[slot[free]] = tag[free]  # several keys may claim one slot: one of them wins
            won = np.zeros(rows.size, dtype=bool)
            won[free] = self._table[slot[free]] == tag[free]
            rows, tag, slot = rows[~won], tag[~won], _next(slot[~won], size)

    def _rehash(self, n: int, rows: int | None = None) -> None:
        """A table sized for ``n`` keys, holding the first ``rows`` (default ``n``) of the arrays."""
        slots = _slots_for(n)
        dtype = np.uint32 if slots < (1 << 32) else np.uint64
        self._table = np.zeros(0, dtype=dtype)  # drop the old table before the new one is allocated
        self._table = np.zeros(slots, dtype=dtype)
        total = n if rows is None else rows
        for start in range(0, total, REHASH_BATCH):  # in batches: the walk's temporaries stay small
            self._insert(np.arange(start, min(start + REHASH_BATCH, total), dtype=np.int64))

    def _reserve(self, n: int) -> None:
        if n <= self._h1.size:
            return
        size = max(n, int(self._h1.size * GROWTH))
        for name in ("_h1", "_h2", "_content"):  # one column at a time: the old one is freed after its copy
            grown = np.empty(size, dtype=np.uint64)
            grown[: self._n] = getattr(self, name)[: self._n]
            setattr(self, name, grown)


def _slots_for(n: int) -> int:
    """Table size for ``n`` keys at :data:`LOAD_AFTER_REHASH` (at least :data:`MIN_SLOTS`)."""
    return max(MIN_SLOTS, int(n / LOAD_AFTER_REHASH) + 1)


def _home(h1: np.ndarray, size: int) -> np.ndarray:
    """A key's first slot: the top 32 bits of its hash scaled to ``size`` (uniform for any size)."""
    if size >= 1 << 32:
        return (h1 % np.uint64(size)).astype(np.int64)
    return (((h1 >> np.uint64(32)) * np.uint64(size)) >> np.uint64(32)).astype(np.int64)


def _next(slot: np.ndarray, size: int) -> np.ndarray:
    slot = slot + 1
    slot[slot == size] = 0
    return slot

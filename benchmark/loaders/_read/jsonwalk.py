"""The driver that walks a JSON export in bounded chunks for the loaders whose walkers learn brand
accounts as they go (Facebook pages, Instagram accounts): see :func:`load_walked`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

import polars as pl

from ..base import Chunk, LoadOptions
from .jsonread import Walker, split_on_time, walk_in_batches

__all__ = ["AccountWalk", "load_walked"]


class AccountWalk(Walker, Protocol):
    """A walker that learns brand accounts as it goes (Facebook pages, Instagram accounts)."""

    def absorb(self, other: Any) -> None: ...

    def notes(self) -> list[str]: ...


W = TypeVar("W", bound=AccountWalk)


def load_walked(
    path: Path,
    options: LoadOptions,
    make_walk: Callable[[LoadOptions], W],
    time_field: str,
    attribute: Callable[[pl.DataFrame, W, tuple[str, ...], str], pl.DataFrame],
) -> Iterator[Chunk]:
    """Walk ``path`` in bounded chunks; with more than one chunk, learn account names first.

    A page's name may first appear late in a big file, but the ``brand`` column
    must be the same on every message: a file that needs several chunks is
    walked once more beforehand (without building rows) to learn the names.
    """
    walk = make_walk(options)
    batches = walk_in_batches(path, walk, options.chunk_rows, time_field)
    first = next(batches)
    second = next(batches, None)
    if second is not None:
        learner = make_walk(options)
        for _ in walk_in_batches(path, learner, options.chunk_rows, time_field):
            pass
        walk.absorb(learner)
    pending = [first] + ([second] if second is not None else [])
    source = str(path)

    def finish(batch: tuple[pl.DataFrame, list], last: bool) -> Chunk:
        frame, rejects = batch
        good, bad_times = split_on_time(frame, time_field)
        messages = attribute(good, walk, options.brands, source)
        return Chunk(messages=messages, rejects=sorted(rejects + bad_times, key=lambda r: r.record), notes=walk.notes() if last else [])

    for batch in batches:
        yield finish(pending.pop(0), last=False)
        pending.append(batch)
    while pending:
        batch = pending.pop(0)
        yield finish(batch, last=not pending)

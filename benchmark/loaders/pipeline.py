"""Parse block *k* on a worker thread while block *k + 1* is being read.

A block loader has two stages: splitting the file into blocks of whole records
(sequential by nature: each block starts where the last one ended) and turning
a block into canonical messages (independent per block). Run one after the
other in one thread, the second stage leaves a core idle while the first reads;
Polars releases the GIL, so a worker thread gives the overlap without processes.

At most one block is parsed ahead of the one the consumer holds, so memory
grows by one parsed block, not with the file.
"""

from __future__ import annotations

import concurrent.futures
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["parsed_ahead"]

B = TypeVar("B")
C = TypeVar("C")


def parsed_ahead(blocks: Iterable[B], parse: Callable[[B], C], *, ahead: int = 1) -> Iterator[C]:
    """``parse(block)`` for every block, in order, each computed on a worker thread while the next
    block is read here. Errors surface at the block they belong to; closing the generator early
    waits for the block in progress (never more than ``ahead``) and cancels the rest."""
    pending: deque[concurrent.futures.Future[C]] = deque()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="benchmark-parse")
    iterator = iter(blocks)
    try:
        failed: Exception | None = None
        try:
            for block in iterator:
                pending.append(pool.submit(parse, block))
                del block  # the worker holds it now; this thread reads the next one
                while len(pending) > ahead:
                    yield pending.popleft().result()
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the blocks read before it
            failed = exc
        while pending:  # in file order: a bad block read later never hides an error in an earlier one
            yield pending.popleft().result()
        if failed is not None:
            raise failed
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)
        close = getattr(iterator, "close", None)
        if close is not None:
            close()

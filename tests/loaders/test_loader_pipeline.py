"""The block pipeline: parsed on a worker, yielded in file order, errors where they belong, closed cleanly."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from benchmark.loaders.pipeline import parsed_ahead


def test_results_come_in_block_order_and_parse_runs_off_the_reading_thread() -> None:
    reader = threading.get_ident()
    seen: list[int] = []

    def parse(block: int) -> int:
        seen.append(threading.get_ident())
        return block * 10

    assert list(parsed_ahead(range(7), parse)) == [0, 10, 20, 30, 40, 50, 60]
    assert seen and reader not in seen


def test_a_read_error_comes_after_the_blocks_read_before_it() -> None:
    def blocks() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("block 3 cannot be read")

    out: list[int] = []
    with pytest.raises(ValueError, match="block 3 cannot be read"):
        for x in parsed_ahead(blocks(), lambda b: b):
            out.append(x)
    assert out == [1, 2]


def test_a_parse_error_in_an_earlier_block_wins_over_a_later_read_error() -> None:
    def blocks() -> Iterator[int]:
        yield 1
        raise ValueError("read error in block 2")

    def parse(block: int) -> int:
        raise KeyError(f"parse error in block {block}")

    with pytest.raises(KeyError, match="parse error in block 1"):
        list(parsed_ahead(blocks(), parse))


def test_closing_early_closes_the_block_reader() -> None:
    closed = threading.Event()

    def blocks() -> Iterator[int]:
        try:
            yield from range(100)
        finally:
            closed.set()

    it = parsed_ahead(blocks(), lambda b: b)
    assert next(it) == 0
    it.close()
    assert closed.is_set()

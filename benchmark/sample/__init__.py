"""Generate the synthetic sample dataset: fictional Italian brands on Facebook and Twitter.

``benchmark sample --output DIR`` (or ``python -m benchmark.sample``) writes,
for each of the 20 brands of :mod:`benchmark.sample.brands`:

* ``facebook/<brand>.ndjson``: Graph API ``/PAGE_ID/feed`` response pages, one per line;
* ``twitter/<brand>.ndjson``: Twitter API v2 search pages as twarc2 writes them;

plus ``brands.toml``. The same seed, scale and period always give
byte-identical files: every random draw comes from a generator seeded by
``(seed, brand, platform, week)``, never from the clock. Files are written a
week at a time (newest week first, as the APIs page), so memory stays bounded
at any ``--scale``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..defaults import DEFAULT_MONTHS, DEFAULT_SEED, DEFAULT_START
from ..errors import BenchmarkError, ParameterError, UsageError
from . import facebook as fb
from . import twitter as tw
from .brands import BRANDS, BrandSpec, brands_toml, italian_holidays
from .clock import Desk, Grid, add_months
from .ids import IdMaker
from .threads import FanPool, brand_posts_block, incident_mask, requests_block

__all__ = ["BLOCK_DAYS", "FileSummary", "PLATFORMS", "Pager", "Summary", "blocks", "generate"]

BLOCK_DAYS = 7
PLATFORMS = ("facebook", "twitter")


@dataclass
class FileSummary:
    """What one generated file holds."""

    path: Path
    platform: str
    brand: str
    requests: int = 0
    messages: int = 0
    pages: int = 0


@dataclass
class Summary:
    files: list[FileSummary] = field(default_factory=list)

    @property
    def messages(self) -> int:
        return sum(f.messages for f in self.files)

    @property
    def requests(self) -> int:
        return sum(f.requests for f in self.files)


class Pager:
    """Writes items in pages of ``size``; a page knows whether another follows (for ``next`` links)."""

    def __init__(self, out: IO[str], size: int, make_page: Callable[[list[Any], bool], dict[str, Any]]) -> None:
        self.out, self.size, self.make_page = out, size, make_page
        self.buffer: list[Any] = []
        self.pages = 0

    def add(self, items: list[Any]) -> None:
        self.buffer.extend(items)
        while len(self.buffer) > self.size:
            self._write(self.buffer[: self.size], True)
            del self.buffer[: self.size]

    def close(self) -> None:
        if self.buffer or not self.pages:
            self._write(self.buffer, False)
        self.buffer = []

    def _write(self, items: list[Any], has_next: bool) -> None:
        self.out.write(json.dumps(self.make_page(items, has_next), ensure_ascii=False, separators=(",", ":")) + "\n")
        self.pages += 1


def _check_options(seed: int, scale: float, start: date, months: int) -> None:
    if seed < 0:
        raise ParameterError("{seed} must be 0 or more", "seed")
    if not scale > 0 or scale > 10_000:
        raise ParameterError("{scale} must be more than 0 (and at most 10000)", "scale")
    if not 1 <= months <= 60:
        raise ParameterError("{months} must be between 1 and 60", "months")
    if not 1990 <= start.year <= 2100:
        raise ParameterError("{start} must be a date between 1990 and 2100", "start")


def blocks(grid: Grid) -> Iterator[tuple[int, int, int]]:
    """``(block number, first minute, end minute)`` of each week of the period, newest first."""
    edges = list(range(0, grid.period_minutes, BLOCK_DAYS * 1440)) + [grid.period_minutes]
    for n in range(len(edges) - 2, -1, -1):
        yield n, edges[n], edges[n + 1]


def generate(
    output: Path,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    start: date = DEFAULT_START,
    months: int = DEFAULT_MONTHS,
    brands: tuple[BrandSpec, ...] = BRANDS,
    progress: Callable[[FileSummary], None] | None = None,
) -> Summary:
    """Write the sample into ``output`` (created if needed) and say what was written."""
    _check_options(seed, scale, start, months)
    grid = Grid(start, add_months(start, months))
    holidays = italian_holidays(grid.start, add_months(grid.end, 2))
    try:
        for sub in PLATFORMS:
            (output / sub).mkdir(parents=True, exist_ok=True)
        _write_atomic(output / "brands.toml", brands_toml(brands, holidays, seed))
    except OSError as exc:
        raise BenchmarkError(f"{output}: cannot write the sample: {exc.strerror or exc}") from None
    fans = {p: FanPool.for_scale(scale) for p in PLATFORMS}
    summary = Summary()
    for b, spec in enumerate(brands):
        desk = Desk.from_mask(grid.open_mask(spec.hours, holidays))
        incidents = incident_mask(np.random.default_rng([seed, b, 99]), grid)
        for p, platform in enumerate(PLATFORMS):
            path = output / platform / f"{spec.slug}.ndjson"
            fs = FileSummary(path, platform, spec.name)
            try:
                _write_brand_file(fs, spec, b, p, grid, desk, incidents, seed, scale, fans[platform])
            except OSError as exc:
                raise BenchmarkError(f"{path}: cannot write: {exc.strerror or exc}") from None
            summary.files.append(fs)
            if progress:
                progress(fs)
    return summary


def _write_brand_file(
    fs: FileSummary, spec: BrandSpec, b: int, p: int, grid: Grid, desk: Desk | None,
    incidents: np.ndarray, seed: int, scale: float, fans: FanPool,
) -> None:
    """One brand's file on one platform, a week at a time, newest first; replaced atomically."""
    ids = IdMaker(worker=b * 2 + p)
    tmp = fs.path.with_name(fs.path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        if fs.platform == "facebook":
            pager = Pager(out, fb.PAGE_SIZE, lambda items, more: fb.feed_page(spec, items, more))
        else:
            twarc = tw.TwarcPages(spec, grid)
            pager = Pager(out, tw.PAGE_SIZE, twarc.page)
        newest = True
        for n, lo, hi in blocks(grid):
            rng = np.random.default_rng([seed, b, p, n])
            reqs = requests_block(rng, spec, fs.platform, grid, desk, incidents, lo, hi, scale, fans)
            own = brand_posts_block(rng, spec, fs.platform, grid, desk, lo, hi, scale, fans, at_least_one=newest)
            newest = False
            fs.requests += len(reqs)
            if fs.platform == "facebook":
                posts = fb.request_posts(spec, grid, reqs, ids) + fb.page_posts(spec, grid, own, ids)
                posts.sort(key=lambda sp: (-sp[0], sp[1]["id"]))
                fs.messages += sum(_count_graph(item) for _, item in posts)
                pager.add([item for _, item in posts])
            else:
                tweets = tw.request_tweets(spec, grid, reqs, ids) + tw.brand_tweets(spec, grid, own, ids)
                tweets.sort(key=lambda t: (-t[0], t[1]["id"]))
                fs.messages += len(tweets)
                pager.add([(t, users) for _, t, users in tweets])
        pager.close()
        fs.pages = pager.pages
    os.replace(tmp, fs.path)


def _count_graph(item: dict[str, Any]) -> int:
    """Messages in a Graph object with its nested comments."""
    return 1 + sum(_count_graph(c) for c in item.get("comments", {}).get("data", ()))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)

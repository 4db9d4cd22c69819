"""Ids and timestamps for the synthetic sample, shaped like the platforms' own.

Ids are Twitter-style snowflakes (time, worker, sequence), so they grow with
time like real ids and never collide between brands or blocks: the worker is
the brand and platform, the sequence a per-file counter. Facebook uses the
same numbers inside its ``PAGEID_POSTID`` / ``POSTID_COMMENTID`` ids.
"""

from __future__ import annotations

import base64

import numpy as np

from .clock import Grid

__all__ = ["IdMaker", "TWITTER_EPOCH_MS", "cursor", "iso_seconds", "seconds"]

TWITTER_EPOCH_MS = 1_288_834_974_657


class IdMaker:
    """Snowflake ids for one file (one brand on one platform)."""

    def __init__(self, worker: int) -> None:
        if not 0 <= worker < 1024:
            raise ValueError("worker must fit in 10 bits")
        self.worker = worker
        self.counter = 0

    def take(self, seconds: np.ndarray) -> list[str]:
        """One new id per timestamp (UTC seconds since the epoch), as decimal strings."""
        seconds = np.asarray(seconds, dtype=np.int64)
        c = np.arange(self.counter, self.counter + len(seconds), dtype=np.int64)
        self.counter += len(seconds)
        ms = seconds * 1000 + c % 1000 - TWITTER_EPOCH_MS
        ids = (ms << 22) | (self.worker << 12) | (c // 1000 % 4096)
        return [str(i) for i in ids.tolist()]


def seconds(grid: Grid, minutes: np.ndarray) -> np.ndarray:
    """Grid minutes (``NaN`` allowed, giving 0) → UTC epoch seconds."""
    return grid.epoch_seconds(np.nan_to_num(np.asarray(minutes, dtype=np.float64), nan=0.0))


def iso_seconds(secs: np.ndarray) -> list[str]:
    """``2024-01-05T10:00:00`` strings (UTC), vectorised."""
    return np.datetime_as_string(np.asarray(secs, dtype=np.int64).astype("datetime64[s]"), unit="s").tolist()


def cursor(prefix: str, object_id: str) -> str:
    """An opaque Graph-style paging cursor."""
    return base64.urlsafe_b64encode(f"{prefix}:{object_id}".encode()).decode().rstrip("=")

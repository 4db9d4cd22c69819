"""A minute grid over the sample period, in UTC, with each brand's opening hours.

The synthetic data needs two things from the calendar: customers who post more
by day than by night, and care desks that only answer while open. Both are
done on one array of minutes (five months is ~300k minutes), so that drawing
times and shifting replies into opening hours are numpy operations, whatever
the number of messages.

Times inside the generator are float minutes since :attr:`Grid.origin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

__all__ = [
    "Desk", "Grid", "HOURLY_WEIGHT", "WEEKDAYS", "WEEKDAY_WEIGHT", "add_months", "business_shift",
    "parse_hours",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Relative share of customer posts by local hour (a care desk's typical day) and weekday.
HOURLY_WEIGHT = np.array(
    [0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.25, 0.6, 1.0, 1.3, 1.4, 1.35,
     1.2, 1.1, 1.15, 1.2, 1.25, 1.3, 1.35, 1.4, 1.45, 1.3, 0.9, 0.45]
)
WEEKDAY_WEIGHT = np.array([1.1, 1.05, 1.0, 1.0, 0.95, 0.75, 0.65])


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (days past the 28th become the 28th, so every month has one)."""
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1) if d.day == 1 else date(d.year + y, m + 1, min(d.day, 28))


def parse_hours(spec: str) -> tuple[int, int] | None:
    """``"08:00-20:00"`` → minutes of the day ``(480, 1200)``; ``"closed"`` → None."""
    if spec == "closed":
        return None
    a, b = spec.split("-")
    (ah, am), (bh, bm) = (map(int, a.split(":")), map(int, b.split(":")))
    return ah * 60 + am, bh * 60 + bm


@dataclass(frozen=True)
class Grid:
    """Minutes from local midnight of ``start`` to ``pad_days`` after the period ends."""

    start: date
    end: date  # exclusive
    timezone: str = "Europe/Rome"
    pad_days: int = 45  # replies to the last requests can come after the period

    @cached_property
    def origin(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time(), ZoneInfo(self.timezone)).astimezone(UTC)

    @cached_property
    def period_minutes(self) -> int:
        end = datetime.combine(self.end, datetime.min.time(), ZoneInfo(self.timezone)).astimezone(UTC)
        return int((end - self.origin).total_seconds() // 60)

    @cached_property
    def size(self) -> int:
        return self.period_minutes + self.pad_days * 1440

    @cached_property
    def _local(self) -> pl.DataFrame:
        utc = pl.datetime_range(
            self.origin, self.origin + timedelta(minutes=self.size - 1), "1m", time_zone="UTC", eager=True
        )
        local = utc.dt.convert_time_zone(self.timezone)
        return pl.DataFrame(
            {
                "minute_of_day": (local.dt.hour().cast(pl.Int32) * 60 + local.dt.minute().cast(pl.Int32)),
                "weekday": local.dt.weekday().cast(pl.Int32) - 1,  # 0 = Monday
                "day": local.dt.date().cast(pl.Int32),  # days since 1970-01-01, local calendar
            }
        )

    @cached_property
    def minute_of_day(self) -> np.ndarray:
        return self._local["minute_of_day"].to_numpy()

    @cached_property
    def weekday(self) -> np.ndarray:
        return self._local["weekday"].to_numpy()

    @cached_property
    def day(self) -> np.ndarray:
        return self._local["day"].to_numpy()

    @cached_property
    def customer_weight(self) -> np.ndarray:
        """Per-minute weight of customer activity, normalised to 1 per day on average over the period."""
        w = HOURLY_WEIGHT[self.minute_of_day // 60] * WEEKDAY_WEIGHT[self.weekday]
        w = w.astype(np.float64)
        days = self.period_minutes / 1440
        return w * (days / w[: self.period_minutes].sum())

    def open_mask(self, hours: dict[str, str] | None, holidays: tuple[date, ...] = ()) -> np.ndarray | None:
        """True for minutes when the care desk is open; None means open 24/7."""
        if hours is None:
            return None
        mask = np.zeros(self.size, dtype=bool)
        for i, name in enumerate(WEEKDAYS):
            span = parse_hours(hours.get(name, "closed"))
            if span is not None:
                mask |= (self.weekday == i) & (self.minute_of_day >= span[0]) & (self.minute_of_day < span[1])
        if holidays:
            closed_days = np.array([(h - date(1970, 1, 1)).days for h in holidays], dtype=np.int32)
            mask &= ~np.isin(self.day, closed_days)
        return mask

    def epoch_seconds(self, minutes: np.ndarray) -> np.ndarray:
        """Float minutes since the origin → whole UTC seconds since the epoch."""
        return int(self.origin.timestamp()) + np.floor(minutes * 60).astype(np.int64)


@dataclass(frozen=True)
class Desk:
    """A care desk's open minutes on the grid and ``counts[i]``, the open minutes before minute ``i``."""

    open: np.ndarray
    counts: np.ndarray

    @classmethod
    def from_mask(cls, mask: np.ndarray | None) -> Desk | None:
        """None (open 24/7) stays None."""
        if mask is None:
            return None
        if not mask.any():
            raise ValueError("a care desk must open at least once")
        return cls(mask, np.concatenate(([0], np.cumsum(mask, dtype=np.int64))).astype(np.float64))


def business_shift(start: np.ndarray, delay: np.ndarray, desk: Desk | None) -> np.ndarray:
    """When a reply comes if it takes ``delay`` minutes of *open* desk time after ``start``.

    A request that arrives while the desk is closed waits for the opening; work
    stops at closing and resumes at the next opening. With ``counts[i]`` the
    open minutes before minute ``i``, the reply is where ``counts`` reaches the
    start's open-time position plus the delay (a ``searchsorted``, no loop).
    Replies past the grid's end land in its last open minute.
    """
    start = np.asarray(start, dtype=np.float64)
    delay = np.asarray(delay, dtype=np.float64)
    if desk is None:
        return start + delay
    counts, mask = desk.counts, desk.open
    minute = np.clip(np.floor(start).astype(np.int64), 0, len(mask) - 1)
    position = counts[minute] + np.where(mask[minute], start - minute, 0.0) + delay
    position = np.minimum(position, counts[-1] - 1e-6)
    j = np.searchsorted(counts, position, side="right") - 1
    return j + (position - counts[j])

"""Human-readable figures for tables, charts and reports: durations like ``12m`` and ``1h 56m``, shares as percentages."""

from __future__ import annotations

import math

DASH = "—"

# English column labels of the standard figures, shared by terminal tables and the report.
LABELS = {
    "rank": "#",
    "brand": "Brand",
    "platform": "Platform",
    "requests": "Requests",
    "answered": "Answered",
    "unanswered": "Unanswered",
    "response_rate": "Response rate",
    "frt_median_s": "Median FRT",
    "frt_mean_s": "Mean FRT",
    "frt_p90_s": "P90 FRT",
    "within_30m": "≤30m",
    "within_1h": "≤1h",
    "within_24h": "≤24h",
}


def duration(seconds: float | None) -> str:
    """``45s``, ``12m``, ``1h 56m``, ``2d 3h``; a dash for a missing figure."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return DASH
    s = _half_up(float(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3570:
        return f"{_half_up(s / 60)}m"
    if s < 86_370:
        h, m = divmod(_half_up(s / 60), 60)
        return f"{h}h {m}m" if m else f"{h}h"
    d, h = divmod(_half_up(s / 3600), 24)
    return f"{d}d {h}h" if h else f"{d}d"


def _half_up(x: float) -> int:
    """Round halves up (54.5 minutes shows as 55m), unlike Python's round-half-even."""
    return math.floor(x + 0.5)


def percent(share: float | None) -> str:
    """``87%``, ``99.5%`` (one decimal at most); a dash for a missing figure."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return DASH
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


def integer(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"

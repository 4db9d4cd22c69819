"""All hours, office hours, nights and weekends side by side (issue 15, item 7), like Sprout's Team report.

The slot figures are those ``rank --figures all`` computes (``office_*``, ``night_*``, ``weekend_*``:
requests not open, answered, response rate, median FRT, in each brand's local time); the quickest and
slowest reply are each slot's shortest and longest first-response time over the measured facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..metrics import Measurement
from .i18n import cell, duration, integer

SLOT_KEYS = ("all", "office", "night", "weekend")


@dataclass(frozen=True)
class HoursTable:
    """One slot's small table: a title, a note on what it covers, and one row per brand and platform."""

    key: str
    title: str
    rows: list[dict[str, str]]  # brand, platform, requests, response_rate, frt_median_s, quickest, slowest (+ bh_frt_median_s)


def _extremes(m: Measurement) -> pl.DataFrame:
    """Quickest and slowest first response per brand, platform and slot (``all`` for every hour)."""
    answered = m.facts.filter(pl.col("answered"))
    agg = (pl.col("frt_s").min().alias("quickest"), pl.col("frt_s").max().alias("slowest"))
    every = answered.group_by("platform", "brand").agg(*agg).with_columns(pl.lit("all").alias("slot"))
    if "slot" not in answered.columns:
        return every
    per_slot = answered.filter(pl.col("slot").is_not_null()).group_by("platform", "brand", "slot").agg(*agg)
    return pl.concat([every, per_slot.select(every.columns)])


def hours_tables(m: Measurement, order: list[tuple[str, str]], t: dict[str, str], lang: str) -> list[HoursTable]:
    """The four small tables, brands in the report's ranking ``order`` ((brand, platform) pairs)."""
    table = m.table
    if not table.height or "office_requests" not in table.columns:
        return []
    extremes = {(r["brand"], r["platform"], r["slot"]): r for r in _extremes(m).iter_rows(named=True)}
    rows_by_key = {(r["brand"], r["platform"]): r for r in table.iter_rows(named=True)}
    out = []
    for slot in SLOT_KEYS:
        prefix = "" if slot == "all" else f"{slot}_"
        rows = []
        for key in order:
            r = rows_by_key.get(key)
            if r is None:
                continue
            requests = r["requests"] - (r.get("open") or 0) if slot == "all" else r[f"{prefix}requests"]
            if not requests:
                continue
            e = extremes.get((*key, slot), {})
            row = {
                "brand": str(key[0]),
                "platform": str(key[1]),
                "requests": integer(requests, lang),
                "answered": integer(r[f"{prefix}answered"], lang),
                "response_rate": cell("response_rate", r[f"{prefix}response_rate"], lang),
                "frt_median_s": cell("frt_median_s", r[f"{prefix}frt_median_s"], lang),
                "quickest": duration(e.get("quickest"), lang),
                "slowest": duration(e.get("slowest"), lang),
            }
            if slot == "all":
                row["bh_frt_median_s"] = cell("bh_frt_median_s", r.get("bh_frt_median_s"), lang)
            rows.append(row)
        out.append(HoursTable(key=slot, title=t[f"hours_{slot}"], rows=rows))
    return out

"""From stored messages to per-request facts and per-brand figures.

:func:`measure` is the one entry point: it scans the store on the chosen
engine, resolves threads, builds the facts and the brand table (both in
Narwhals), and brings the small results back as Polars frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from ..engine import Engine, get_engine
from ..store import Store
from .brand_table import METRIC_COLUMNS, SLA_SECONDS, brand_table
from .facts import FACT_COLUMNS, Filters, request_facts, unattributed_count, with_threads


@dataclass(frozen=True)
class Diagnostics:
    """What the figures rest on, and what was left out of them."""

    messages: int
    requests: int
    unattributed_requests: int  # customer thread starters with no brand; never ranked
    missing_parents: int  # messages whose parent is not in the store
    in_cycles: int  # messages whose parent chain loops
    first_request_at: datetime | None
    last_request_at: datetime | None


@dataclass(frozen=True)
class Measurement:
    """Per-brand table, per-request facts and diagnostics from one run."""

    table: pl.DataFrame
    facts: pl.DataFrame
    diagnostics: Diagnostics
    engine: str


def to_utc(col: str) -> pl.Expr:
    """Integer µs since the epoch → timezone-aware UTC datetime."""
    return pl.from_epoch(pl.col(col), time_unit="us").dt.replace_time_zone("UTC").alias(col.removesuffix("_ts_us") + "_at")


def measure(source: Store | pl.DataFrame, filters: Filters = Filters(), engine: str | Engine = "polars") -> Measurement:
    """Compute facts and the brand table for a store (or an in-memory canonical frame) on ``engine``."""
    eng = get_engine(engine) if isinstance(engine, str) else engine
    if isinstance(source, pl.DataFrame):
        empty_source = source.height == 0
    else:
        files = source.message_files()
        empty_source = not files
    if empty_source:
        empty = pl.DataFrame(schema={c: pl.String for c in ("platform", "brand")})
        facts = pl.DataFrame(schema=_facts_schema())
        return Measurement(
            table=empty.with_columns([pl.lit(None, dtype=pl.Float64).alias(c) for c in METRIC_COLUMNS]).clear(),
            facts=facts,
            diagnostics=Diagnostics(0, 0, 0, 0, 0, None, None),
            engine=eng.name,
        )
    messages = eng.from_polars(source) if isinstance(source, pl.DataFrame) else eng.scan_parquet(files)
    threaded, stats = with_threads(messages, eng)
    threaded = eng.materialize(threaded)
    facts_lf = eng.materialize(request_facts(threaded, filters))
    table = eng.collect(brand_table(facts_lf)).sort("platform", "brand")
    facts = _finish_facts(eng.collect(facts_lf))
    unattributed = int(eng.collect(unattributed_count(threaded, filters)).item(0, 0))
    times = facts.get_column("request_at")
    diagnostics = Diagnostics(
        messages=stats.messages,
        requests=facts.height,
        unattributed_requests=unattributed,
        missing_parents=stats.missing_parents,
        in_cycles=stats.in_cycles,
        first_request_at=times.min() if facts.height else None,  # type: ignore[arg-type]
        last_request_at=times.max() if facts.height else None,  # type: ignore[arg-type]
    )
    return Measurement(table=_finish_table(table), facts=facts, diagnostics=diagnostics, engine=eng.name)


def _finish_table(table: pl.DataFrame) -> pl.DataFrame:
    ints = {"requests", "answered", "unanswered"}
    return table.select(
        "platform",
        "brand",
        *[pl.col(c).cast(pl.Int64 if c in ints else pl.Float64) for c in METRIC_COLUMNS],
    )


def _finish_facts(facts: pl.DataFrame) -> pl.DataFrame:
    return facts.select(
        "platform",
        "brand",
        "request_id",
        "author_id",
        to_utc("request_ts_us"),
        "response_id",
        to_utc("response_ts_us"),
        pl.col("frt_s").cast(pl.Float64),
        pl.col("answered").cast(pl.Boolean),
        "thread_status",
    ).sort("platform", "brand", "request_at", "request_id")


def _facts_schema() -> dict[str, pl.DataType]:
    utc = pl.Datetime("us", "UTC")
    return {
        "platform": pl.String(),
        "brand": pl.String(),
        "request_id": pl.String(),
        "author_id": pl.String(),
        "request_at": utc,
        "response_id": pl.String(),
        "response_at": utc,
        "frt_s": pl.Float64(),
        "answered": pl.Boolean(),
        "thread_status": pl.String(),
    }


__all__ = ["FACT_COLUMNS", "METRIC_COLUMNS", "SLA_SECONDS", "Diagnostics", "Filters", "Measurement", "measure"]

"""The Python API that notebooks use and the CLI calls.

Functions return Polars DataFrames (``.to_pandas()`` for pandas users) and
never print. ``store`` arguments accept a :class:`~benchmark.store.Store`
or a path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import polars as pl

from .errors import UsageError
from .loaders import ColumnMapping, LoadOptions
from .metrics import Filters, Measurement, measure
from .rank import DEFAULT_MIN_REQUESTS, rank_table
from .store import FileReport, ProgressCallback, Store, create_store, open_store

TimeLike = str | date | datetime | None


def ingest(
    paths: str | Path | Iterable[str | Path],
    store: str | Path | Store,
    *,
    format: str = "auto",
    brands: Sequence[str] = (),
    mapping: ColumnMapping | None = None,
    encoding: str = "utf-8",
    progress: ProgressCallback | None = None,
) -> list[FileReport]:
    """Load export files into ``store`` (created when new); one report per file.

    >>> reports = ingest("sample_data/twcs_sample.csv", store="/tmp/doc-store")  # doctest: +SKIP
    >>> reports[0].read == reports[0].stored + reports[0].duplicates + reports[0].rejected  # doctest: +SKIP
    True
    """
    st = store if isinstance(store, Store) else create_store(store)
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    options = LoadOptions(brands=tuple(brands), mapping=mapping, encoding=encoding)
    return [st.ingest_file(Path(p), fmt=format, options=options, progress=progress) for p in items]


def _as_store(store: str | Path | Store) -> Store:
    return store if isinstance(store, Store) else open_store(store)


def to_epoch_us(value: TimeLike, *, end: bool = False) -> int | None:
    """A user's date/time bound → µs since the epoch (UTC).

    Naive datetimes and dates are read as UTC. A bare date used as an end
    bound includes that whole day (``until="2017-10-31"`` means before
    1 November).
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"{value!r} is not a date (YYYY-MM-DD) or an ISO date-time") from None
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:
        dt = datetime.combine(value + (timedelta(days=1) if end else timedelta()), time(), tzinfo=UTC)
    return int(dt.timestamp() * 1_000_000) if dt.microsecond == 0 else int(dt.timestamp()) * 1_000_000 + dt.microsecond


def filters(
    *,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    brands: Sequence[str] = (),
) -> Filters:
    """Build :class:`~benchmark.metrics.Filters` from user-facing values."""
    lo, hi = to_epoch_us(since), to_epoch_us(until, end=True)
    if lo is not None and hi is not None and hi <= lo:
        raise UsageError("--until must be after --since")
    return Filters(platform=platform, brands=tuple(brands), since_us=lo, until_us=hi)


def measurement(
    store: str | Path | Store,
    *,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    brands: Sequence[str] = (),
    engine: str = "polars",
) -> Measurement:
    """Facts, unranked brand table and diagnostics in one run (for the CLI and reports)."""
    return measure(_as_store(store), filters(since=since, until=until, platform=platform, brands=brands), engine)


def rank(
    store: str | Path | Store,
    *,
    by: str = "frt_median_s",
    min_requests: int = DEFAULT_MIN_REQUESTS,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    engine: str = "polars",
) -> pl.DataFrame:
    """Rank brands by ``by``: one row per brand and platform, ``rank`` null when not ranked.

    >>> import benchmark as bm  # doctest: +SKIP
    >>> bm.rank("store", by="response_rate", min_requests=50).to_pandas()  # doctest: +SKIP
    """
    m = measurement(store, since=since, until=until, platform=platform, engine=engine)
    return rank_table(m.table, by=by, min_requests=min_requests)


def requests(
    store: str | Path | Store,
    *,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    brands: Sequence[str] = (),
    engine: str = "polars",
) -> pl.DataFrame:
    """Per-request facts: request, brand, request/response times and FRT in seconds."""
    return measurement(store, since=since, until=until, platform=platform, brands=brands, engine=engine).facts


__all__ = ["filters", "ingest", "measurement", "open_store", "rank", "requests", "to_epoch_us"]

"""``benchmark requests``: one row per request, for drill-down and helpdesk-style exports.

The same facts the ranking rests on: brand, platform, request id and time,
first response id and time, FRT and business-hours FRT, status
(answered/unanswered/open) and local-time flags.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr
from .rank_cmd import (
    BrandsFileOpt,
    EngineOpt,
    FirstResponseOpt,
    SkipAutomatedOpt,
    MinReplyOpt,
    OpenWindowOpt,
    OutputOpt,
    PeriodOpt,
    PlatformOpt,
    RequestsOpt,
    SinceOpt,
    SparkMasterOpt,
    SpreadsheetSafeOpt,
    UntilOpt,
    check_finite,
    describe,
    describe_more,
)
from ..defaults import DEFAULT_OPEN_WINDOW, DEFAULT_TIMEZONE
from .options import REQUEST_FORMATS, OldBrandFilterOpt, OnlyBrandOpt, RequestFormatOpt, StatusOpt, TimezoneOpt, brand_filter
from .render import emit_text, output_target, spreadsheet_safe

if TYPE_CHECKING:  # Polars and the API load when the command runs, not for --help
    import polars as pl

EXPORT_COLUMNS = (
    "brand", "sector", "platform", "request_id", "author_id", "request_at", "response_id", "response_at", "frt_s",
    "bh_frt_s", "status", "deflected", "in_hours", "night", "weekend", "slot", "period", "thread_status",
)


def export_frame(facts: pl.DataFrame) -> pl.DataFrame:
    """Facts in export order; ISO times stay timezone-aware (UTC)."""
    return facts.select([c for c in EXPORT_COLUMNS if c in facts.columns])


def _text(df: pl.DataFrame, fmt: str, safe: bool = False) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        (spreadsheet_safe(df) if safe else df).write_csv(buf, datetime_format="%Y-%m-%dT%H:%M:%S%.f%:z")
        return buf.getvalue()
    return df.write_ndjson() if fmt == "ndjson" else df.write_json()


@app.command()
def requests(
    store: Annotated[Path, typer.Option("--store", "-s", help="Store directory.")],
    output_format: RequestFormatOpt = None,
    output: OutputOpt = None,
    only_brand: OnlyBrandOpt = None,
    brand: OldBrandFilterOpt = None,
    status: StatusOpt = None,
    platform: PlatformOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    brands_file: BrandsFileOpt = None,
    requests_mode: RequestsOpt = "starters",
    open_window: OpenWindowOpt = DEFAULT_OPEN_WINDOW,
    min_reply_seconds: MinReplyOpt = None,
    first_response: FirstResponseOpt = "thread",
    skip_automated: SkipAutomatedOpt = False,
    period: PeriodOpt = None,
    engine: EngineOpt = "polars",
    spark_master: SparkMasterOpt = None,  # noqa: ARG001  (applied by its callback)
    spreadsheet_safe_: SpreadsheetSafeOpt = False,
    timezone: TimezoneOpt = None,
    verbose: Verbose = False,
) -> None:
    """Export one row per request: times, FRT, business-hours FRT, status and night/weekend flags."""
    err = stderr()
    with errors_to_exit_codes(verbose):
        output_format, output = output_target("requests", output, output_format, REQUEST_FORMATS, "csv")
        if output_format == "parquet" and output is None:
            raise UsageError("--format parquet writes a binary file: give --output FILE")
        check_finite("--min-reply-seconds", min_reply_seconds)
        import polars as pl

        from .. import api
        from ..store import open_store

        options = api.metric_options(
            brands=brands_file, requests=requests_mode, open_window=open_window,  # type: ignore[arg-type]
            min_reply_seconds=min_reply_seconds, period=period, first_response=first_response,  # type: ignore[arg-type]
            timezone=timezone or DEFAULT_TIMEZONE,
            skip_automated=skip_automated,
        )
        m = api.measurement(
            open_store(store), since=since, until=until, platform=platform, brands=brand_filter(only_brand, brand), engine=engine, options=options
        )
        err.print(describe(m.diagnostics), markup=False)
        for line in describe_more(m):
            err.print(line, markup=False)
        err.print(api.local_time_note(options, "bh_frt_s, in_hours, night, weekend, slot, period"), markup=False)
        facts = m.facts if status is None else m.facts.filter(pl.col("status") == status)
        df = export_frame(facts)
        if output_format == "parquet":
            assert output is not None
            from ..atomic_files import replacing

            with replacing(output) as tmp:
                df.write_parquet(tmp)
        else:
            emit_text(_text(df, output_format, spreadsheet_safe_), output)
        if output is not None:
            err.print(f"wrote {df.height:,} requests to {output}", markup=False)

"""``benchmark requests``: one row per request, for drill-down and helpdesk-style exports.

The same facts the ranking rests on: brand, platform, request id and time,
first response id and time, FRT and business-hours FRT, status
(answered/unanswered/open) and local-time flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr
from .options import (
    DEFINITIONS,
    ENGINE,
    REQUEST_FORMATS,
    SELECTION,
    OutputOpt,
    QueryArgs,
    RequestFormatOpt,
    SpreadsheetSafeOpt,
    StatusOpt,
    StoreOpt,
    query_options,
)
from .output import write_frame
from .render import output_target
from .rank_cmd import describe, describe_more

if TYPE_CHECKING:  # Polars and the API load when the command runs, not for --help
    import polars as pl

EXPORT_COLUMNS = (
    "brand", "sector", "platform", "request_id", "author_id", "request_at", "response_id", "response_at", "frt_s",
    "bh_frt_s", "status", "deflected", "in_hours", "night", "weekend", "slot", "period", "thread_status",
)


ISO_DATETIME = "%Y-%m-%dT%H:%M:%S%.f%:z"  # request_at, response_at: ISO 8601 with the UTC offset


def export_frame(facts: pl.DataFrame) -> pl.DataFrame:
    """Facts in export order; ISO times stay timezone-aware (UTC)."""
    return facts.select([c for c in EXPORT_COLUMNS if c in facts.columns])


@app.command()
@query_options(*SELECTION, "brands_file", *DEFINITIONS, "period", *ENGINE, "timezone")
def requests(
    store: StoreOpt,
    output_format: RequestFormatOpt = None,
    output: OutputOpt = None,
    status: StatusOpt = None,
    query: QueryArgs = QueryArgs({}),
    spreadsheet_safe_: SpreadsheetSafeOpt = False,
    verbose: Verbose = False,
) -> None:
    """Export one row per request: times, FRT, business-hours FRT, status and night/weekend flags."""
    err = stderr()
    with errors_to_exit_codes(verbose):
        output_format, output = output_target("requests", output, output_format, REQUEST_FORMATS, "csv")
        if output_format == "parquet" and output is None:
            raise UsageError("--format parquet writes a binary file: give --output FILE")
        import polars as pl

        from .. import api
        from ..store import open_store

        m = api.measure(query.build(open_store(store)))
        err.print(describe(m.diagnostics), markup=False)
        for line in describe_more(m):
            err.print(line, markup=False)
        err.print(api.local_time_note(m.options, "bh_frt_s, in_hours, night, weekend, slot, period"), markup=False)
        facts = m.facts if status is None else m.facts.filter(pl.col("status") == status)
        df = export_frame(facts)
        write_frame(df, output_format, output, safe=spreadsheet_safe_, csv_datetime=ISO_DATETIME, json_writer="polars", wrote=f"wrote {df.height:,} requests to {output}")

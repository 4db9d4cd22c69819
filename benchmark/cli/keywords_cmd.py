"""``benchmark keywords``: up to five keywords side by side over time (table, JSON, CSV or a PNG chart)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr
from .options import TABLE_FORMATS, QueryArgs, SpreadsheetSafeOpt, StoreOpt, bucket_options, one_value, query_options
from .render import check_folder, check_output, output_target
from .topics_cmd import FormatOpt, emit

PeriodOpt, OldByOpt = bucket_options("Count per day (the default), week or month (UTC).", "--by", "--by names the figure to rank by")


@app.command()
@query_options("only_brand", "brand", "platform", "since", "until", "brands_file")
def keywords(
    terms: Annotated[list[str], typer.Argument(metavar="TERM", help="Up to five keywords or phrases; case- and accent-insensitive, whole words (a trailing * matches any ending).", show_default=False)],
    store: StoreOpt,
    period: Annotated[str | None, PeriodOpt] = None,
    old_by: Annotated[str | None, OldByOpt] = None,
    query: QueryArgs = QueryArgs({}),
    all_authors: Annotated[bool, typer.Option("--all-authors", help="Count the brands' own messages too (default: customers only).")] = False,
    output_format: FormatOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout ('-' is stdout); its suffix sets the format: .json, .csv, .md, or .png/.svg for the line chart.")] = None,
    spreadsheet_safe: SpreadsheetSafeOpt = False,
    verbose: Verbose = False,
) -> None:
    """Compare keyword volumes over time: messages mentioning each keyword per day, week or month."""
    with errors_to_exit_codes(verbose):
        by: str = one_value("--period", period, "--by", old_by) or "day"  # type: ignore[assignment]
        chart_file = output is not None and output.suffix.lower() in (".png", ".svg")
        if chart_file:
            assert output is not None
            check_output(output)
            if output_format is not None:
                raise UsageError("a chart file takes no --format; give --output FILE.png (or .svg) alone")
            check_folder(output)
        else:
            output_format, output = output_target("keywords", output, output_format, TABLE_FORMATS, "table", also=(".png", ".svg"))
        import polars as pl  # Polars and the listening API: when the command runs, not for --help

        from ..listening import api as listening
        from ..listening.keyword_volumes import wide
        from ..store import open_store

        volumes = listening.keywords(query.build(open_store(store)), terms, by=by, customers_only=not all_authors)
        totals = volumes.group_by("keyword", maintain_order=True).agg(pl.col("mentions").sum())
        stderr().print("; ".join(f"{k}: {n:,} messages" for k, n in totals.iter_rows()) or "no messages match", markup=False)
        if chart_file:
            assert output is not None
            from ..chart import save  # matplotlib: only for a chart file
            from ..listening.keyword_volumes import keyword_chart

            save(keyword_chart(volumes, title=f"Keyword volumes per {by} (UTC)"), output)
            stderr().print(f"wrote {output}", markup=False)
            return
        if output_format == "json":
            emit(volumes, output_format, output, "", safe=spreadsheet_safe)
            return
        table = wide(volumes)
        if table.height and output_format in ("table", "markdown"):
            table = table.with_columns(pl.col("period").dt.strftime("%Y-%m-%d"))
        emit(table, output_format, output, f"Messages mentioning each keyword, per {by} (UTC)", safe=spreadsheet_safe)

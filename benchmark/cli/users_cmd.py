"""``benchmark users``: the most active customer accounts (power users, repeat complainers)."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import Verbose, app, errors_to_exit_codes
from .options import EngineOpt, OutputOpt, SparkMasterOpt, QueryArgs, SpreadsheetSafeOpt, StoreOpt, bucket_options, one_value, query_options
from .topics_cmd import FormatOpt, check_emit, emit

PerOpt, OldPerOpt = bucket_options("Top accounts per day, week or month (UTC).", "--per", "one name for the time bucket in every command")


@app.command()
@query_options("only_brand", "brand", "platform", "since", "until", "brands_file", "requests_mode", "open_window")
def users(
    store: StoreOpt,
    top: Annotated[int, typer.Option("--top", "-n", min=1, metavar="N", help="How many accounts (per period with --period).")] = 10,
    period: Annotated[str | None, PerOpt] = None,
    old_per: Annotated[str | None, OldPerOpt] = None,
    query: QueryArgs = QueryArgs({}),
    output_format: FormatOpt = None,
    output: OutputOpt = None,
    engine: EngineOpt = "polars",
    spark_master: SparkMasterOpt = None,  # noqa: ARG001  (applied by its callback)
    spreadsheet_safe: SpreadsheetSafeOpt = False,
    verbose: Verbose = False,
) -> None:
    """List the most active customer accounts: messages, requests and the share of their requests answered."""
    with errors_to_exit_codes(verbose):
        per: str | None = one_value("--period", period, "--per", old_per)  # type: ignore[assignment]
        output_format, output = check_emit(output_format, output, "users")
        import polars as pl  # Polars and the listening API: when the command runs, not for --help

        from ..listening import api as listening
        from ..store import open_store

        table = listening.users(query.build(open_store(store), engine=engine), top=top, per=per)
        if output_format in ("table", "markdown"):
            table = table.with_columns(
                pl.col(c).dt.strftime("%Y-%m-%d %H:%M") for c in ("first_at", "last_at")
            ).with_columns(
                pl.when(pl.col("share_answered").is_not_null()).then(pl.format("{}%", (pl.col("share_answered") * 100).round(0).cast(pl.Int64))).alias("share_answered")
            )
            if per is not None:
                table = table.with_columns(pl.col("period").dt.strftime("%Y-%m-%d"))
        title = f"Most active customer accounts (top {top}{' per ' + per + ', UTC' if per else ''})"  # periods are UTC days, weeks, months
        emit(table, output_format, output, title, safe=spreadsheet_safe)

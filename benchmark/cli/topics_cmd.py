"""``benchmark topics``: how requests spread over topics, with each topic's team and care figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import Verbose, app, errors_to_exit_codes, stderr
from .options import (  # --only-brand; --brand/-b its old name
    TABLE_FORMATS,
    OutputOpt,
    QueryArgs,
    SpreadsheetSafeOpt,
    StoreOpt,
    TableFormatOpt,
    query_options,
    EngineOpt,
    SparkMasterOpt,
)
from .output import write_frame
from .render import output_target

if TYPE_CHECKING:  # Polars and the listening API load when a command runs, not for --help
    import polars as pl

TaxonomyOpt = Annotated[Path | None, typer.Option("--taxonomy", help="Topic taxonomy (TOML): topic → keywords per language, topic → team. Default: the bundled Italian/English one.")]
FormatOpt = TableFormatOpt


def check_emit(fmt: str | None, output: Path | None, command: str = "topics") -> tuple[str, Path | None]:
    """The format and file to write (None: stdout), from ``--format`` and ``--output``'s suffix; refused before any data is read."""
    return output_target(command, output, fmt, TABLE_FORMATS, "table")


def emit(df: pl.DataFrame, fmt: str, output: Path | None, title: str, *, safe: bool = False) -> None:
    """A frame as a terminal table, JSON, CSV or Markdown, on stdout or into ``output``.

    ``safe``: CSV for spreadsheets (``--spreadsheet-safe``, one implementation with ``rank`` and ``requests``)."""
    write_frame(df, fmt, output, title=title, safe=safe)


@app.command()
@query_options("only_brand", "brand", "platform", "since", "until", "brands_file", "requests_mode", "open_window")
def topics(
    store: StoreOpt,
    taxonomy: TaxonomyOpt = None,
    by_brand: Annotated[bool, typer.Option("--by-brand", help="One row per brand and topic.")] = False,
    query: QueryArgs = QueryArgs({}),
    output_format: FormatOpt = None,
    output: OutputOpt = None,
    engine: EngineOpt = "polars",
    spark_master: SparkMasterOpt = None,  # noqa: ARG001  (applied by its callback)
    spreadsheet_safe: SpreadsheetSafeOpt = False,
    verbose: Verbose = False,
) -> None:
    """Requests per topic (billing, network, ...): volume, share, questions, team, response rate and FRT."""
    with errors_to_exit_codes(verbose):
        output_format, output = check_emit(output_format, output, "topics")
        import polars as pl

        from ..listening import api as listening
        from ..store import open_store

        tax = listening.as_taxonomy(taxonomy)
        table = listening.topics(query.build(open_store(store), engine=engine), taxonomy=tax, by_brand=by_brand)
        total = int(table.get_column("requests").sum()) if table.height else 0
        stderr().print(f"{total:,} requests classified with {tax.source} ({len(tax.topics)} topics + other)", markup=False)
        shown = table.drop([c for c in ("frt_mean_s", "frt_p90_s", "within_30m", "within_24h") if c in table.columns]) if output_format == "table" else table
        if output_format == "table":
            shown = shown.with_columns(pl.format("{}%", (pl.col("share") * 100).round(1)).alias("share"))
        emit(shown, output_format, output, "Requests by topic", safe=spreadsheet_safe)

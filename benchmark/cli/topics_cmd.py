"""``benchmark topics``: how requests spread over topics, with each topic's team and care figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..defaults import DEFAULT_OPEN_WINDOW
from .app import Verbose, app, errors_to_exit_codes, stderr, stdout
from .rank_cmd import (
    BrandsFileOpt,
    EngineOpt,
    OpenWindowOpt,
    OutputOpt,
    PlatformOpt,
    RequestsOpt,
    SinceOpt,
    SparkMasterOpt,
    SpreadsheetSafeOpt,
    UntilOpt,
)
from .options import TABLE_FORMATS, OldBrandFilterOpt, OnlyBrandOpt, TableFormatOpt, brand_filter  # --only-brand; --brand/-b its old name
from .render import check_output, emit_text, output_target, rich_table, to_csv, to_json, to_markdown

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
    check_output(output)
    if fmt == "table":
        stdout().print(rich_table(df, title=title))
        return
    text = to_csv(df, safe=safe) if fmt == "csv" else {"json": to_json, "markdown": to_markdown}[fmt](df)
    emit_text(text, output)
    if output is not None:
        stderr().print(f"wrote {output}", markup=False)


@app.command()
def topics(
    store: Annotated[Path, typer.Option("--store", "-s", help="Store directory.")],
    taxonomy: TaxonomyOpt = None,
    by_brand: Annotated[bool, typer.Option("--by-brand", help="One row per brand and topic.")] = False,
    only_brand: OnlyBrandOpt = None,
    brand: OldBrandFilterOpt = None,
    platform: PlatformOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    brands_file: BrandsFileOpt = None,
    requests_mode: RequestsOpt = "starters",
    open_window: OpenWindowOpt = DEFAULT_OPEN_WINDOW,
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
        table = listening.topics(
            open_store(store), taxonomy=tax, by_brand=by_brand, brands=brand_filter(only_brand, brand), platform=platform, since=since,
            until=until, brands_file=brands_file, requests=requests_mode, open_window=open_window, engine=engine,
        )
        total = int(table.get_column("requests").sum()) if table.height else 0
        stderr().print(f"{total:,} requests classified with {tax.source} ({len(tax.topics)} topics + other)", markup=False)
        shown = table.drop([c for c in ("frt_mean_s", "frt_p90_s", "within_30m", "within_24h") if c in table.columns]) if output_format == "table" else table
        if output_format == "table":
            shown = shown.with_columns(pl.format("{}%", (pl.col("share") * 100).round(1)).alias("share"))
        emit(shown, output_format, output, "Requests by topic", safe=spreadsheet_safe)

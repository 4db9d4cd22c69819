"""``benchmark topics``: how requests spread over topics, with each topic's team and care figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr, stdout
from .rank_cmd import BrandsFileOpt, EngineOpt, SparkMasterOpt, OpenWindowOpt, OutputOpt, PlatformOpt, RequestsOpt, SinceOpt, UntilOpt
from .render import rich_table, to_csv, to_json, to_markdown

if TYPE_CHECKING:  # Polars and the listening API load when a command runs, not for --help
    import polars as pl

TaxonomyOpt = Annotated[Path | None, typer.Option("--taxonomy", help="Topic taxonomy (TOML): topic → keywords per language, topic → team. Default: the bundled Italian/English one.")]
BrandFilterOpt = Annotated[list[str] | None, typer.Option("--brand", "-b", help="Only this brand (its name in the brands file, else its account). Repeatable.")]
FormatOpt = Annotated[str, typer.Option("--format", help="Output: table, json, csv or markdown.")]


def emit(df: pl.DataFrame, fmt: str, output: Path | None, title: str) -> None:
    """A frame as a terminal table, JSON, CSV or Markdown, on stdout or into ``output``."""
    if fmt not in ("table", "json", "csv", "markdown"):
        raise UsageError(f"--format {fmt!r}: choose table, json, csv or markdown")
    if fmt == "table":
        if output is not None:
            raise UsageError("--output needs --format json, csv or markdown")
        stdout().print(rich_table(df, title=title))
        return
    text = {"json": to_json, "csv": to_csv, "markdown": to_markdown}[fmt](df)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        stderr().print(f"wrote {output}", markup=False)


@app.command()
def topics(
    store: Annotated[Path, typer.Option("--store", "-s", help="Store directory.")],
    taxonomy: TaxonomyOpt = None,
    by_brand: Annotated[bool, typer.Option("--by-brand", help="One row per brand and topic.")] = False,
    brand: BrandFilterOpt = None,
    platform: PlatformOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    brands_file: BrandsFileOpt = None,
    requests_mode: RequestsOpt = "starters",
    open_window: OpenWindowOpt = "72h",
    output_format: FormatOpt = "table",
    output: OutputOpt = None,
    engine: EngineOpt = "polars",
    spark_master: SparkMasterOpt = None,  # noqa: ARG001  (applied by its callback)
    verbose: Verbose = False,
) -> None:
    """Requests per topic (billing, network, ...): volume, share, questions, team, response rate and FRT."""
    with errors_to_exit_codes(verbose):
        import polars as pl

        from ..listening import api as listening
        from ..store import open_store

        tax = listening.as_taxonomy(taxonomy)
        table = listening.topics(
            open_store(store), taxonomy=tax, by_brand=by_brand, brands=tuple(brand or ()), platform=platform, since=since,
            until=until, brands_file=brands_file, requests=requests_mode, open_window=open_window, engine=engine,
        )
        total = int(table.get_column("requests").sum()) if table.height else 0
        stderr().print(f"{total:,} requests classified with {tax.source} ({len(tax.topics)} topics + other)", markup=False)
        shown = table.drop([c for c in ("frt_mean_s", "frt_p90_s", "within_30m", "within_24h") if c in table.columns]) if output_format == "table" else table
        if output_format == "table":
            shown = shown.with_columns(pl.format("{}%", (pl.col("share") * 100).round(1)).alias("share"))
        emit(shown, output_format, output, "Requests by topic")

"""``benchmark rank``: the ranking table, in the terminal or as JSON/CSV/Markdown."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from .. import api
from ..errors import UsageError
from ..metrics import Diagnostics
from ..rank import DEFAULT_MIN_REQUESTS, RANK_KEYS, rank_table
from ..store import create_store, open_store
from .app import Verbose, app, errors_to_exit_codes, stderr, stdout
from .ingest_cmd import BrandOpt, EncodingOpt, MapOpt, MappingOpt, build_mapping, ingest_with_progress, print_reports
from .render import OutputFormat, rich_table, to_csv, to_json, to_markdown

ByOpt = Annotated[str, typer.Option("--by", help=f"Figure to rank by: {', '.join(RANK_KEYS)}.")]
MinRequestsOpt = Annotated[int, typer.Option("--min-requests", min=0, help="Brands with fewer requests are listed apart, unranked.")]
PlatformOpt = Annotated[str | None, typer.Option("--platform", help="Only this platform (facebook, twitter, instagram, other).")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Requests from this date (YYYY-MM-DD, UTC) or ISO date-time.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Requests up to this date, inclusive (YYYY-MM-DD, UTC), or before an ISO date-time.")]
EngineOpt = Annotated[str, typer.Option("--engine", help="Where metrics run: polars, duckdb or spark.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]


def describe(d: Diagnostics) -> str:
    """One line on what the figures rest on."""
    parts = [f"{d.messages:,} messages", f"{d.requests:,} attributed requests"]
    if d.first_request_at and d.last_request_at:
        parts.append(f"from {d.first_request_at:%Y-%m-%d} to {d.last_request_at:%Y-%m-%d} (UTC)")
    line = ", ".join(parts)
    extras = []
    if d.unattributed_requests:
        extras.append(f"{d.unattributed_requests:,} requests not attributed to any brand (not ranked)")
    if d.missing_parents:
        extras.append(f"{d.missing_parents:,} messages reply to messages not in the data")
    if d.in_cycles:
        extras.append(f"{d.in_cycles:,} messages in reply cycles (left out)")
    return line + ("; " + "; ".join(extras) if extras else "")


@app.command()
def rank(
    paths: Annotated[list[Path] | None, typer.Argument(help="Raw export files for a quick look (ingested into a temporary store).", show_default=False)] = None,
    store: Annotated[Path | None, typer.Option("--store", "-s", help="Store directory to rank.")] = None,
    by: ByOpt = "frt_median_s",
    min_requests: MinRequestsOpt = DEFAULT_MIN_REQUESTS,
    platform: PlatformOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    output_format: Annotated[str, typer.Option("--format", help="Output: table, json, csv or markdown.")] = "table",
    output: OutputOpt = None,
    engine: EngineOpt = "polars",
    input_format: Annotated[str, typer.Option("--input-format", help="Format of raw export files: auto, twcs, csv, ...")] = "auto",
    brand: BrandOpt = None,
    map_: MapOpt = None,
    mapping: MappingOpt = None,
    encoding: EncodingOpt = "utf-8",
    verbose: Verbose = False,
) -> None:
    """Rank brands by first-response time, response rate or volume."""
    err = stderr()
    with errors_to_exit_codes(verbose):
        if output_format not in ("table", "json", "csv", "markdown"):
            raise UsageError(f"--format {output_format!r}: choose table, json, csv or markdown")
        if (store is None) == (not paths):
            raise UsageError("give either --store DIR or raw export files, not both")
        with tempfile.TemporaryDirectory(prefix="benchmark-") as tmp:
            if paths:
                st = create_store(Path(tmp) / "store")
                reports = ingest_with_progress(st, paths, input_format, brand or (), build_mapping(map_, mapping), encoding, err)
                print_reports(reports, st, err)
            else:
                assert store is not None
                st = open_store(store)
            m = api.measurement(st, since=since, until=until, platform=platform, engine=engine)
            ranked = rank_table(m.table, by=by, min_requests=min_requests)
            err.print(describe(m.diagnostics), markup=False)
            write(ranked, output_format, output, by=by, min_requests=min_requests)  # type: ignore[arg-type]


def write(ranked: pl.DataFrame, fmt: OutputFormat, output: Path | None, *, by: str, min_requests: int) -> None:
    """Send the ranking to stdout or ``output`` in ``fmt``."""
    if fmt == "table":
        if output is not None:
            raise UsageError("--output needs --format json, csv or markdown")
        out = stdout()
        ranked_rows = ranked.filter(pl.col("rank").is_not_null())
        apart = ranked.filter(pl.col("rank").is_null())
        if ranked_rows.height:
            out.print(rich_table(ranked_rows, title=f"Ranking by {by} (brands with at least {min_requests:,} requests)"))
        else:
            out.print(f"No brand has at least {min_requests:,} requests with a value for {by}.")
        if apart.height:
            out.print(rich_table(apart.drop("rank"), title=f"Not ranked ({apart.height}): fewer than {min_requests:,} requests, or no {by}"))
        return
    text = {"json": to_json, "csv": to_csv, "markdown": to_markdown}[fmt](ranked)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        stderr().print(f"wrote {output}", markup=False)

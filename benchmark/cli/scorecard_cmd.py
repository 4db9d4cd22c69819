"""``benchmark scorecard BRAND``: one shareable image of a brand's figures, rank, trend and its sector's median."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..defaults import DEFAULT_MIN_REQUESTS, DEFAULT_TIMEZONE
from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr
from .chart_cmd import BrandsFileOpt, LangOpt, StoreOpt, TzOpt
from .options import MinRequestsOpt, QueryArgs, query_options
from .render import check_output

SUFFIXES = (".png", ".svg")


@app.command("scorecard")
@query_options("platform", "since", "until", "brands_file", "engine", "spark_master", brands_file=BrandsFileOpt)
def scorecard_command(
    brand: Annotated[str, typer.Argument(help="The brand (its name after the brands file merged its pages and handles).", show_default=False)],
    store: StoreOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="Image to write: .png or .svg.")],
    min_requests: MinRequestsOpt = DEFAULT_MIN_REQUESTS,
    tz: TzOpt = None,
    lang: LangOpt = "en",
    query: QueryArgs = QueryArgs({}),
    verbose: Verbose = False,
) -> None:
    """Draw a brand's scorecard: its figures with the n, rank of N, monthly trend and its sector's median."""
    with errors_to_exit_codes(verbose):
        if output.suffix.lower() not in SUFFIXES:  # before anything is measured
            raise UsageError(f"--output {output}: a scorecard is written as .png or .svg")
        check_output(output)
        from .. import api, chart  # matplotlib: only when a scorecard is drawn
        from ..store import open_store

        zone = tz or DEFAULT_TIMEZONE
        m = api.measure(query.build(open_store(store), timezone=zone))
        fig = chart.scorecard(m, brand, min_requests=min_requests, tz=zone, lang=lang)
        chart.save(fig, output)
        stderr().print(f"wrote {output}", markup=False)

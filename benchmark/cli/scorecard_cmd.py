"""``benchmark scorecard BRAND``: one shareable image of a brand's figures, rank, trend and its sector's median."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..defaults import DEFAULT_MIN_REQUESTS, DEFAULT_TIMEZONE
from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr
from .chart_cmd import BrandsFileOpt, LangOpt, StoreOpt, TzOpt
from .render import check_output
from .rank_cmd import EngineOpt, MinRequestsOpt, PlatformOpt, SinceOpt, SparkMasterOpt, UntilOpt

SUFFIXES = (".png", ".svg")


@app.command("scorecard")
def scorecard_command(
    brand: Annotated[str, typer.Argument(help="The brand (its name after the brands file merged its pages and handles).", show_default=False)],
    store: StoreOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="Image to write: .png or .svg.")],
    min_requests: MinRequestsOpt = DEFAULT_MIN_REQUESTS,
    tz: TzOpt = None,
    lang: LangOpt = "en",
    platform: PlatformOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    brands_file: BrandsFileOpt = None,
    engine: EngineOpt = "polars",
    spark_master: SparkMasterOpt = None,  # noqa: ARG001  (applied by its callback)
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
        options = api.metric_options(brands=brands_file, timezone=zone)  # type: ignore[arg-type]
        m = api.measurement(open_store(store), since=since, until=until, platform=platform, engine=engine, options=options)
        fig = chart.scorecard(m, brand, min_requests=min_requests, tz=zone, lang=lang)
        chart.save(fig, output)
        stderr().print(f"wrote {output}", markup=False)

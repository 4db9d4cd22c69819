"""``benchmark chart KIND``: one chart from a store, as a PNG or SVG file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..defaults import CHART_KINDS, DEFAULT_MIN_REQUESTS, DEFAULT_TIMEZONE
from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr
from .options import BrandNamesFileOpt, MinRequestsOpt, OnlyBrandOpt, QueryArgs, TimezoneOpt, query_options

StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Store directory to draw from.")]
TopOpt = Annotated[int | None, typer.Option("--top", min=1, help="How many brands to show (ranked first, then the busiest). Default: every brand (up to 60) on ranking and map, 6 on distribution, 5 on trend; the chart notes how many it leaves out.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Labels in en (English) or it (Italian).")]
TzOpt = TimezoneOpt  # --timezone (--tz): heatmap, trend, business hours; UTC by default
BrandsFileOpt = BrandNamesFileOpt
HighlightOpt = Annotated[str | None, typer.Option("--highlight", help="A brand to colour in every chart and table, with a card comparing it with its peers (report).")]
BrandFilterOpt = OnlyBrandOpt  # --only-brand; --brand (and -b), its old name, still works (OldBrandFilterOpt)


@app.command("chart")
@query_options("platform", "since", "until", "only_brand", "brand", "brands_file", "engine", "spark_master", brands_file=BrandNamesFileOpt)
def chart_command(
    kind: Annotated[str, typer.Argument(help=f"Chart to draw: {', '.join(CHART_KINDS)}.", show_default=False)],
    store: StoreOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write: .png or .svg.")],
    top: TopOpt = None,
    min_requests: MinRequestsOpt = DEFAULT_MIN_REQUESTS,
    period: Annotated[str, typer.Option("--period", help="Trend periods: month or week.")] = "month",
    tz: TzOpt = None,
    lang: LangOpt = "en",
    query: QueryArgs = QueryArgs({}),
    highlight: HighlightOpt = None,
    verbose: Verbose = False,
) -> None:
    """Draw a chart (ranking, map, distribution, heatmap, trend) to a PNG or SVG file."""
    with errors_to_exit_codes(verbose):
        if kind not in CHART_KINDS:  # before matplotlib loads (the same list as chart.KINDS)
            raise UsageError(f"unknown chart {kind!r}; choose one of {', '.join(CHART_KINDS)}")
        from .. import api, chart  # matplotlib: only when a chart is drawn
        from ..store import open_store

        if kind not in chart.KINDS:
            raise UsageError(f"unknown chart {kind!r}; choose one of {', '.join(chart.KINDS)}")
        if output.suffix.lower().lstrip(".") not in chart.FORMATS:
            raise UsageError(f"--output {output}: the file name must end in .png or .svg")
        options: dict[str, object] = {"lang": lang}
        if kind in ("ranking", "map", "distribution", "trend"):
            options["min_requests"] = min_requests
            if top is not None:
                options["top"] = top
            if highlight is not None:
                options["highlight"] = highlight
        elif highlight is not None:
            raise UsageError(f"--highlight: the {kind} chart shows every brand's requests together; highlight a brand on ranking, map, distribution or trend")
        zone = tz or DEFAULT_TIMEZONE
        if kind in ("heatmap", "trend"):
            options["tz"] = zone
        if kind == "trend":
            options["period"] = period
        # one measurement of the chart's query (brand names and merged accounts from the brands file, when given)
        m = api.measure(query.build(open_store(store), timezone=zone if query["brands_file"] is not None else DEFAULT_TIMEZONE))
        fig = chart.KINDS[kind](m, **options)
        chart.save(fig, output)
        stderr().print(f"wrote {output}", markup=False)


"""``benchmark report``: the shareable HTML report or a Markdown summary of a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..defaults import DEFAULT_MIN_REQUESTS
from ..defaults import DEFAULT_TIMEZONE as DEFAULT_TZ
from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr
from .chart_cmd import BrandFilterOpt, BrandsFileOpt, LangOpt, StoreOpt, TzOpt
from .rank_cmd import (
    EngineOpt,
    MinRequestsOpt,
    PlatformOpt,
    SinceOpt,
    SparkMasterOpt,
    UntilOpt,
)
from .render import check_output, emit_text


@app.command("report")
def report_command(
    store: StoreOpt,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    output_format: Annotated[str, typer.Option("--format", help="html (self-contained, with charts) or markdown (summary).")] = "html",
    lang: LangOpt = "en",
    title: Annotated[str | None, typer.Option("--title", help="Report title.")] = None,
    min_requests: MinRequestsOpt = DEFAULT_MIN_REQUESTS,
    tz: TzOpt = DEFAULT_TZ,
    platform: PlatformOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    brand: BrandFilterOpt = None,
    brands_file: BrandsFileOpt = None,
    keyword: Annotated[list[str] | None, typer.Option("--keyword", help="A term whose monthly volume the report shows (repeatable, up to 5).")] = None,
    engine: EngineOpt = "polars",
    spark_master: SparkMasterOpt = None,  # noqa: ARG001  (applied by its callback)
    verbose: Verbose = False,
) -> None:
    """Write the benchmark report: ranking, charts, per-brand figures, data coverage and methodology."""
    with errors_to_exit_codes(verbose):
        if output_format not in ("html", "markdown"):
            raise UsageError(f"--format {output_format!r}: choose html or markdown")
        check_output(output)
        from ..store import open_store

        st = open_store(store)
        options = {
            "lang": lang,
            "title": title,
            "min_requests": min_requests,
            "tz": tz,
            "since": since,
            "until": until,
            "platform": platform,
            "brands": tuple(brand or ()),
            "brands_file": brands_file,
            "engine": engine,
            "keywords": tuple(keyword or ()),
        }
        from .. import (
            report as report_lib,  # matplotlib and jinja2: only when a report is written
        )

        text = report_lib.html(st, **options) if output_format == "html" else report_lib.markdown(st, **options)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
        emit_text(text, output)
        if output is None:
            return
        stderr().print(f"wrote {output}", markup=False)

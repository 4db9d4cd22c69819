"""``benchmark report``: the shareable HTML report, its PDF print (headless Chromium) or a Markdown summary of a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..defaults import DEFAULT_MIN_REQUESTS
from ..defaults import DEFAULT_TIMEZONE as DEFAULT_TZ  # UTC
from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr
from .chart_cmd import BrandsFileOpt, HighlightOpt, LangOpt, StoreOpt, TzOpt
from .options import MinRequestsOpt, QueryArgs, query_options
from .render import check_output, emit_text


SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".pdf": "pdf"}
KIND_SUFFIX = {"html": ".html", "markdown": ".md", "pdf": ".pdf"}
FORMATS = ("html", "markdown")
NAME_IT = "name it .html, .md or .pdf"


def output_kind(output: Path | None, output_format: str | None) -> tuple[str, Path | None]:
    """What to write (html, markdown or pdf) and where (None: stdout), before anything is measured.

    Like the other commands' ``-o``: ``-o -`` is stdout, the suffix sets the format and must agree with
    ``--format``, and a name without a suffix takes ``--format``. Unlike them, a suffix the report cannot
    write is always refused (``-o r.docx`` never gets HTML inside), and a PDF only comes from ``-o FILE.pdf``.
    """
    if output_format is not None and output_format not in FORMATS:
        hint = " (for a PDF, write to --output FILE.pdf)" if output_format == "pdf" else ""
        raise UsageError(f"--format {output_format!r}: choose html or markdown{hint}")
    if output is not None and str(output) == "-":
        output = None
    if output is None:
        return output_format or "html", None
    suffix = output.suffix.lower()
    kind = SUFFIXES.get(suffix)
    if suffix and kind is None:
        raise UsageError(f"--output {output}: report cannot write {suffix} files; {NAME_IT}")
    if kind is None and output_format is None:
        raise UsageError(f"--output {output}: cannot tell the format from the name; {NAME_IT}, or give --format html or markdown")
    if kind is not None and output_format is not None and output_format != kind:
        raise UsageError(f"--output {output}: a {suffix} file is {kind}, not {output_format}; drop --format {output_format} or name the file {KIND_SUFFIX[output_format]}")
    return kind or output_format, output  # type: ignore[return-value]


@app.command("report")
@query_options("platform", "since", "until", "only_brand", "brand", "brands_file", brands_file=BrandsFileOpt)
@query_options("engine", "first_response", "skip_automated", "spark_master", into="definitions")
def report_command(
    store: StoreOpt,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write: .html, .md or .pdf (a PDF is printed by headless Chromium). Default: stdout.")] = None,
    output_format: Annotated[str | None, typer.Option("--format", help="html (self-contained, with charts) or markdown (summary). Default: from the --output suffix, else html.")] = None,
    lang: LangOpt = "en",
    title: Annotated[str | None, typer.Option("--title", help="Report title.")] = None,
    min_requests: MinRequestsOpt = DEFAULT_MIN_REQUESTS,
    tz: TzOpt = None,
    query: QueryArgs = QueryArgs({}),
    keyword: Annotated[list[str] | None, typer.Option("--keyword", help="A term whose monthly volume the report shows (repeatable, up to 5).")] = None,
    highlight: HighlightOpt = None,
    definitions: QueryArgs = QueryArgs({}),
    verbose: Verbose = False,
) -> None:
    """Write the benchmark report: ranking, charts, per-brand figures, data coverage and methodology."""
    with errors_to_exit_codes(verbose):
        kind, output = output_kind(output, output_format)
        check_output(output)
        if kind == "pdf":
            from ..report.pdf import find_chromium

            find_chromium()  # no browser: say so before measuring anything
        from ..store import open_store

        zone = tz or DEFAULT_TZ
        measured = query.build(  # the report's one measurement: every section reads it (and its store summaries)
            open_store(store), engine=definitions["engine"], first_response=definitions["first_response"],
            skip_automated=definitions["skip_automated"], timezone=zone,
        )
        options = {
            "lang": lang,
            "title": title,
            "min_requests": min_requests,
            "tz": zone,
            "keywords": tuple(keyword or ()),
            "highlight": highlight,
        }
        from .. import (
            report as report_lib,  # matplotlib and jinja2: only when a report is written
        )

        if kind == "pdf":
            report_lib.pdf(measured, output, **options)
            stderr().print(f"wrote {output}", markup=False)
            return
        text = report_lib.html(measured, **options) if kind == "html" else report_lib.markdown(measured, **options)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
        emit_text(text, output)
        if output is None:
            return
        stderr().print(f"wrote {output}", markup=False)

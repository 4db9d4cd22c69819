"""``benchmark rank``: the ranking table, in the terminal or as JSON/CSV/Markdown."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from ..defaults import DEFAULT_MIN_REQUESTS, DEVOTED_RATE
from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr, stdout
from .ingest_cmd import BrandOpt, EncodingOpt, MapOpt, MappingOpt, build_mapping, ingest_with_progress, print_reports
from ..formatting import DASH, duration, percent
from .options import (  # the shared option types, also imported from here by other commands
    TABLE_FORMATS,
    ByOpt,
    EngineOpt,
    FiguresOpt,
    GroupByOpt,
    OutputOpt,
    PeriodOpt,
    PlatformOpt,
    RequestsOpt,
    TableFormatOpt,
)
from .render import OutputFormat, emit_text, output_target, rich_table, to_csv, to_json, to_markdown

if TYPE_CHECKING:  # Polars, the API and the metrics load when a command runs, not for --help
    import polars as pl

    from ..metrics import Diagnostics, Measurement

MinRequestsOpt = Annotated[int, typer.Option("--min-requests", min=0, metavar="N", help="Brands with fewer requests are listed apart, unranked.")]
SinceOpt = Annotated[str | None, typer.Option("--since", metavar="DATE", help="Requests from this date (YYYY-MM-DD, UTC) or ISO date-time.")]
UntilOpt = Annotated[str | None, typer.Option("--until", metavar="DATE", help="Requests up to this date, inclusive (YYYY-MM-DD, UTC), or before an ISO date-time.")]


def _use_spark_master(value: str | None) -> str | None:
    """Remember ``--spark-master`` for the Spark session the command may start (PySpark is not imported here)."""
    if value:
        from ..engine import spark_engine

        spark_engine.configure(master=value)
    return value


SparkMasterOpt = Annotated[str | None, typer.Option("--spark-master", envvar="SPARK_MASTER", callback=_use_spark_master, help="Spark master for --engine spark: local[*] (the default), local[2], spark://host:7077, yarn, ...")]
BrandsFileOpt = Annotated[Path | None, typer.Option("--brands", help="Brands file (brands.toml): accounts per brand, sector, time zone, opening hours, holidays, SLA.")]
OpenWindowOpt = Annotated[str | None, typer.Option("--open-window", metavar="DURATION", help="Unanswered requests younger than this at the end of the data are 'open', kept out of the response rate (e.g. 72h, 3d; 0 turns it off).")]
MinReplyOpt = Annotated[float | None, typer.Option("--min-reply-seconds", min=0, metavar="SECONDS", help="Brand replies sooner than this after the request are automated: not responses.")]
FirstResponseOpt = Annotated[Literal["thread", "direct"], typer.Option("--first-response", help="Which brand message is a request's first response: thread (its earliest anywhere in the request's thread) or direct (only a direct reply to the request).")]
SpreadsheetSafeOpt = Annotated[bool, typer.Option("--spreadsheet-safe", help="CSV for spreadsheets: text cells starting with = + - @, a tab or a carriage return (a formula to Excel/LibreOffice) get a leading ' so they show as text. Changes those values.")]


def check_finite(option: str, value: float | None) -> None:
    """``--min-reply-seconds 1e309`` parses as infinity and ``nan`` passes typer's range check: refuse both."""
    if value is not None and not math.isfinite(value):
        raise UsageError(f"{option} must be a finite number (got {value})")


def describe_more(m: Measurement) -> list[str]:
    """Lines about open requests, brands-file matching and the request definition."""
    d = m.diagnostics
    lines = []
    if d.request_mode != "starters":
        lines.append(f"requests defined as: {d.request_mode}")
    if d.first_response != "thread":
        lines.append(f"first response: {d.first_response} (only a brand reply directly to the request counts)")
    if m.options.open_window_s and d.end_of_data:
        lines.append(f"{d.open_requests:,} open requests (unanswered, younger than {m.options.open_window_s / 3600:g}h at {d.end_of_data:%Y-%m-%d %H:%M} UTC), kept out of response rates")
    if d.unmatched_brands:
        shown = ", ".join(d.unmatched_brands[:8]) + (" ..." if len(d.unmatched_brands) > 8 else "")
        lines.append(f"{len(d.unmatched_brands):,} store brand accounts not in the brands file (kept under their account name): {shown}")
    return lines


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
    if d.replies_before_parent:
        extras.append(f"{d.replies_before_parent:,} replies dated before the message they answer (clock skew; never counted as a response)")
    return line + ("; " + "; ".join(extras) if extras else "")


@app.command()
def rank(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="FILE", help="Raw export files for a quick look (ingested into a temporary store).", show_default=False)] = None,
    store: Annotated[Path | None, typer.Option("--store", "-s", help="Store directory to rank.")] = None,
    by: ByOpt = "frt_median_s",
    min_requests: MinRequestsOpt = DEFAULT_MIN_REQUESTS,
    min_answered: Annotated[int | None, typer.Option("--min-answered", min=0, metavar="N", help="Brands with fewer answered requests are listed apart, unranked.")] = None,
    platform: PlatformOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    output_format: TableFormatOpt = None,
    output: OutputOpt = None,
    engine: EngineOpt = "polars",
    spark_master: SparkMasterOpt = None,  # noqa: ARG001  (applied by its callback)
    brands_file: BrandsFileOpt = None,
    figures: FiguresOpt = "default",
    group_by: GroupByOpt = None,
    by_topic: Annotated[bool, typer.Option("--by-topic", help="Rank within each request topic (same as --group-by topic).")] = False,
    taxonomy: Annotated[Path | None, typer.Option("--taxonomy", help="Topic taxonomy (TOML) for --by-topic / --group-by topic|team; default: the bundled one.")] = None,
    period: PeriodOpt = None,
    requests_mode: RequestsOpt = "starters",
    open_window: OpenWindowOpt = "72h",
    min_reply_seconds: MinReplyOpt = None,
    first_response: FirstResponseOpt = "thread",
    devoted_rate: Annotated[float, typer.Option("--devoted-rate", min=0, max=1, metavar="SHARE", help="Response-rate bar of the 'devoted' flag (with at least 50 requests per quarter).")] = DEVOTED_RATE,
    input_format: Annotated[str, typer.Option("--input-format", help="Format of raw export files: auto, twcs, csv, ...")] = "auto",
    brand: BrandOpt = None,
    map_: MapOpt = None,
    mapping: MappingOpt = None,
    encoding: EncodingOpt = "utf-8",
    spreadsheet_safe: SpreadsheetSafeOpt = False,
    verbose: Verbose = False,
) -> None:
    """Rank brands by first-response time, response rate or volume."""
    err = stderr()
    with errors_to_exit_codes(verbose):
        if (store is None) == (not paths):
            raise UsageError("give either --store DIR or raw export files, not both")
        if group_by == "sector" and not by_topic and brands_file is None:  # sectors come from the brands file only
            raise UsageError("--group-by sector needs sectors: give a brands file (--brands)")
        check_finite("--min-reply-seconds", min_reply_seconds)
        check_finite("--devoted-rate", devoted_rate)
        output_format, output = output_target("rank", output, output_format, TABLE_FORMATS, "table")
        from .. import api
        from ..rank import needs_all_figures, rank_table
        from ..store import create_store, open_store
        from .quick_store import temporary_store_dir

        options = api.metric_options(
            brands=brands_file, requests=requests_mode, open_window=open_window,  # type: ignore[arg-type]
            min_reply_seconds=min_reply_seconds, period=period, devoted_rate=devoted_rate,  # type: ignore[arg-type]
            extended=needs_all_figures(by, figures, None if by_topic else group_by), first_response=first_response,
        )
        with temporary_store_dir() if paths else contextlib.nullcontext(None) as tmp:
            if paths:
                st = create_store(tmp / "store")
                accounts = [*(brand or ()), *(options.brands.account_ids() if options.brands else ())]
                reports = ingest_with_progress(st, paths, input_format, accounts, build_mapping(map_, mapping), encoding, err)
                print_reports(reports, st, err)
            else:
                assert store is not None
                st = open_store(store)
            m = api.measurement(st, since=since, until=until, platform=platform, engine=engine, options=options)
            group_by = _listening_group(group_by, by_topic, figures)
            if group_by in LISTENING_GROUPS:  # issue 7: per topic, team or language
                ranked = _rank_by_listening_group(m, st, group_by, taxonomy, by=by, min_requests=min_requests, min_answered=min_answered)
            else:
                ranked = rank_table(m.table, by=by, min_requests=min_requests, min_answered=min_answered, figures=figures, group_by=group_by)
            ranked = with_open(ranked)
            err.print(describe(m.diagnostics), markup=False)
            for line in describe_more(m):
                err.print(line, markup=False)
            if figures == "all" and output_format in ("table", "markdown"):
                view = figures_view(ranked, by=by)
                write(view, output_format, output, by=by, min_requests=min_requests)  # type: ignore[arg-type]
                if output_format == "table" and ranked.height:
                    stdout().print(rich_table(off_hours_view(ranked), title="Off-hours: office (Mon–Fri 08–22 local), night (22–08), weekend"))
                return
            write(ranked, output_format, output, by=by, min_requests=min_requests, safe=spreadsheet_safe)  # type: ignore[arg-type]


LISTENING_GROUPS = ("topic", "team", "lang")


def _listening_group(group_by: str | None, by_topic: bool, figures: str) -> str | None:
    """``--by-topic`` is ``--group-by topic``; listening groups rank the default figures only."""
    if by_topic:
        if group_by not in (None, "topic"):
            raise UsageError("--by-topic and --group-by are exclusive")
        group_by = "topic"
    if group_by in LISTENING_GROUPS and figures != "default":
        raise UsageError(f"--group-by {group_by} ranks the default figures; drop --figures {figures}")
    return group_by


def _rank_by_listening_group(m: Measurement, st: object, group: str, taxonomy: Path | None, **rank_options: object) -> pl.DataFrame:
    from ..listening.api import as_taxonomy
    from ..listening.topic_figures import grouped_table, labelled_facts, rank_within

    facts = labelled_facts(m, st, as_taxonomy(taxonomy))  # type: ignore[arg-type]
    return rank_within(grouped_table(facts, group), group, **rank_options)


def with_open(ranked: pl.DataFrame) -> pl.DataFrame:
    """``open`` beside ``unanswered``, so that requests = answered + unanswered + open shows (issue 14, item 13)."""
    import polars as pl

    if "open" in ranked.columns or not {"requests", "answered", "unanswered"} <= set(ranked.columns):
        return ranked
    cols = ranked.columns
    at = cols.index("unanswered") + 1
    opened = ranked.with_columns((pl.col("requests") - pl.col("answered") - pl.col("unanswered")).alias("open"))
    return opened.select(*cols[:at], "open", *cols[at:])


def for_people(ranked: pl.DataFrame, *, by: str) -> pl.DataFrame:
    """``sector_median`` as a duration or a share like the figure it is the median of (tables and Markdown only)."""
    import polars as pl

    if "sector_median" not in ranked.columns or ranked.schema["sector_median"] == pl.String:
        return ranked
    fmt = duration if by.endswith("_s") else percent if by == "response_rate" or by.startswith("within_") or by.endswith("_share") else None
    if fmt is None:  # a count: a median of counts may be half-way
        fmt = lambda v: DASH if v is None else f"{v:,g}"
    return ranked.with_columns(pl.col("sector_median").map_elements(fmt, return_dtype=pl.String))


def write(ranked: pl.DataFrame, fmt: OutputFormat, output: Path | None, *, by: str, min_requests: int, safe: bool = False) -> None:
    """Send the ranking to stdout or ``output`` in ``fmt``."""
    import polars as pl

    if fmt in ("table", "markdown"):
        ranked = for_people(ranked, by=by)
    if fmt == "table":
        if output is not None:
            raise UsageError("--output needs --format json, csv or markdown")
        out = stdout()
        ranked_rows = ranked.filter(pl.col("rank").is_not_null())
        apart = ranked.filter(pl.col("rank").is_null())
        if ranked_rows.height:
            out.print(rich_table(ranked_rows, title=f"Ranking by {by} (brands with at least {min_requests:,} requests)"))
        else:
            per = " in any one period: the threshold applies to each period (lower it with --min-requests)" if "period" in ranked.columns else ""
            out.print(f"No brand has at least {min_requests:,} requests with a value for {by}{per}.")
        if apart.height:
            out.print(rich_table(apart.drop("rank"), title=f"Not ranked ({apart.height}): fewer than {min_requests:,} requests, or no {by}"))
        return
    text = to_csv(ranked, safe=safe) if fmt == "csv" else {"json": to_json, "markdown": to_markdown}[fmt](ranked)
    emit_text(text, output)
    if output is not None:
        stderr().print(f"wrote {output}", markup=False)



def _ci(fmt: Callable[[float | None], str], v: float | None, lo: float | None, hi: float | None) -> str:
    """``12m (9m–15m)``: the value with its 95% interval; a dash when there is no value."""
    if v is None:
        return DASH
    return f"{fmt(v)} ({fmt(lo)}–{fmt(hi)})" if lo is not None and hi is not None else fmt(v)


def figures_view(ranked: pl.DataFrame, *, by: str) -> pl.DataFrame:
    """The ``--figures all`` ranking as people read it: intervals next to values, the n behind them.

    Presentation of a few dozen rows, so per-row formatting is fine here (never in the metrics).
    """
    import polars as pl

    front = [x for x in ("period", "sector", "sector_median") if x in ranked.columns and ranked[x].null_count() < ranked.height]
    show_sla = ranked["within_sla"].null_count() < ranked.height
    rows = []
    for r in ranked.iter_rows(named=True):
        row: dict[str, object] = {
            "rank": r["rank"],
            "Rank range": DASH if r["rank_low"] is None else (
                f"≈ {r['rank_low']}–{r['rank_high']}" if r["tie"] else str(r["rank_low"])
            ),
        }
        for x in front:
            v = r[x]
            row[x] = (duration(v) if by.endswith("_s") else percent(v) if isinstance(v, float) else v) if x == "sector_median" else v
        row |= {
            "brand": r["brand"],
            "platform": r["platform"],
            "requests": r["requests"],
            "answered": r["answered"],
            "Open": r["open"],
            "Response rate (95% CI)": _ci(percent, r["response_rate"], r["response_rate_ci_low"], r["response_rate_ci_high"]),
            "Median FRT (95% CI)": _ci(duration, r["frt_median_s"], r["frt_median_ci_low_s"], r["frt_median_ci_high_s"]),
            "KM median": duration(r["km_median_s"]),
            "Fastest-90% mean": duration(r["frt_fast90_mean_s"]),
            "Business-hours median": duration(r["bh_frt_median_s"]),
        }
        row |= {
            "To DM": percent(r["deflected_share"]),
            **({"Within SLA": percent(r["within_sla"])} if show_sla else {}),
            "Devoted": "yes" if r["devoted"] else "",
        }
        rows.append(row)
    if not rows:
        return ranked.select("rank", "brand", "platform")
    return pl.DataFrame(rows, infer_schema_length=None)


def off_hours_view(ranked: pl.DataFrame) -> pl.DataFrame:
    """Requests, response rate and median FRT for office hours, nights (22–08 local) and weekends."""
    import polars as pl

    rows = []
    for r in ranked.iter_rows(named=True):
        row: dict[str, object] = {"brand": r["brand"], "platform": r["platform"]}
        if "period" in r:
            row["period"] = r["period"]
        for slot in ("office", "night", "weekend"):
            name = slot.capitalize()
            row[f"{name} n"] = r[f"{slot}_requests"]
            row[f"{name} answered"] = percent(r[f"{slot}_response_rate"])
            row[f"{name} median"] = duration(r[f"{slot}_frt_median_s"])
        rows.append(row)
    return pl.DataFrame(rows, infer_schema_length=None)

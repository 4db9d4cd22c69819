"""``benchmark rank``: the ranking table, in the terminal or as JSON/CSV/Markdown."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..defaults import AUTOMATED_MAX_SECONDS, AUTOMATED_MIN_CUSTOMERS, DEFAULT_MIN_REQUESTS, DEFAULT_TIMEZONE, DEVOTED_RATE
from ..errors import UsageError
from .app import Verbose, app, errors_to_exit_codes, stderr, stdout
from .ingest_cmd import BrandOpt, EncodingOpt, MapOpt, MappingOpt, build_mapping, ingest_with_progress, print_reports
from ..formatting import DASH, duration, percent
from .options import (  # the shared option types and groups (cli/options.py)
    DEFAULT_COLUMNS,
    DEFINITIONS,
    TABLE_FORMATS,
    ByOpt,
    ColumnsOpt,
    FiguresOpt,
    GroupByOpt,
    MinRequestsOpt,
    OutputOpt,
    QueryArgs,
    SpreadsheetSafeOpt,
    TableFormatOpt,
    TimezoneOpt,
    check_finite,
    query_options,
)
from .output import frame_text
from .render import OutputFormat, emit_text, output_target, rich_table

if TYPE_CHECKING:  # Polars, the API and the metrics load when a command runs, not for --help
    import polars as pl

    from ..metrics import Diagnostics, Measurement

def describe_more(m: Measurement) -> list[str]:
    """Lines about open requests, brands-file matching and the request definition."""
    d = m.diagnostics
    lines = []
    if d.request_mode != "starters":
        lines.append(f"requests defined as: {d.request_mode}")
    if d.first_response != "thread":
        lines.append(f"first response: {d.first_response} (only a brand reply directly to the request counts)")
    if d.skip_automated:
        lines.append(
            f"automated replies skipped: {d.automated_replies:,} brand replies marked automated (the same text to "
            f"{AUTOMATED_MIN_CUSTOMERS} or more customers, each within {AUTOMATED_MAX_SECONDS} s); "
            f"{d.automated_first_responses:,} requests had one as their first response"
        )
    if m.options.open_window_s and d.end_of_data:
        lines.append(f"{d.open_requests:,} open requests (unanswered, younger than {m.options.open_window_s / 3600:g}h at {d.end_of_data:%Y-%m-%d %H:%M} UTC), kept out of response rates")
    if d.unmatched_brands:
        shown = ", ".join(d.unmatched_brands[:8]) + (" ..." if len(d.unmatched_brands) > 8 else "")
        lines.append(f"{len(d.unmatched_brands):,} store brand accounts not in the brands file (kept under their account name): {shown}")
    return lines


def print_data_warnings(m: Measurement, err: object) -> None:
    """Most threads broken, most requests open: said in bold, with the numbers (issue 14, item 9)."""
    from ..metrics.data_warnings import data_warnings, describe_warning

    for w in data_warnings(m.diagnostics):
        err.print(describe_warning(w, m.options.open_window_s), markup=False, style="bold")  # type: ignore[attr-defined]


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
@query_options("platform", "since", "until")
@query_options("engine", "spark_master", "brands_file", into="engine_options")
@query_options("period", *DEFINITIONS, into="definitions")
def rank(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="FILE", help="Raw export files for a quick look (ingested into a temporary store).", show_default=False)] = None,
    store: Annotated[Path | None, typer.Option("--store", "-s", help="Store directory to rank.")] = None,
    by: ByOpt = "frt_median_s",
    min_requests: MinRequestsOpt = DEFAULT_MIN_REQUESTS,
    min_answered: Annotated[int | None, typer.Option("--min-answered", min=0, metavar="N", help="Brands with fewer answered requests are listed apart, unranked.")] = None,
    query: QueryArgs = QueryArgs({}),
    output_format: TableFormatOpt = None,
    output: OutputOpt = None,
    engine_options: QueryArgs = QueryArgs({}),
    figures: FiguresOpt = "default",
    group_by: GroupByOpt = None,
    by_topic: Annotated[bool, typer.Option("--by-topic", help="Rank within each request topic (same as --group-by topic).")] = False,
    by_agent: Annotated[bool, typer.Option("--by-agent", help="Rank the agents who sign a brand's replies (^JK, -Marco, /AB, *AB), within each brand, by --by (an FRT or reply-time figure).")] = False,
    taxonomy: Annotated[Path | None, typer.Option("--taxonomy", help="Topic taxonomy (TOML) for --by-topic / --group-by topic|team; default: the bundled one.")] = None,
    definitions: QueryArgs = QueryArgs({}),
    devoted_rate: Annotated[float, typer.Option("--devoted-rate", min=0, max=1, metavar="SHARE", help="Response-rate bar of the 'devoted' flag (with at least 50 requests per quarter).")] = DEVOTED_RATE,
    input_format: Annotated[str, typer.Option("--input-format", help="Format of raw export files: auto, twcs, csv, ...")] = "auto",
    brand: BrandOpt = None,
    map_: MapOpt = None,
    mapping: MappingOpt = None,
    encoding: EncodingOpt = "utf-8",
    spreadsheet_safe: SpreadsheetSafeOpt = False,
    columns: ColumnsOpt = None,
    timezone: TimezoneOpt = None,
    verbose: Verbose = False,
) -> None:
    """Rank brands by first-response time, response rate or volume."""
    picked: list[str] | None = columns  # type: ignore[assignment]  (the callback made it a list)
    err = stderr()
    given = query | engine_options | definitions  # the measurement options, declared once in cli/options.py
    period, brands_file = given["period"], given["brands_file"]
    with errors_to_exit_codes(verbose):
        if (store is None) == (not paths):
            raise UsageError("give either --store DIR or raw export files, not both")
        if store is not None:  # options that say how to read raw files mean nothing to a store: refused, never ignored
            raw = [name for name, value in (("--input-format", input_format != "auto"), ("--map", bool(map_)),
                     ("--mapping", mapping is not None), ("--encoding", encoding.lower() not in ("utf-8", "utf8"))) if value]
            if raw:
                verb = "applies" if len(raw) == 1 else "apply"
                raise UsageError(f"{', '.join(raw)} {verb} to raw export files (rank FILE ...), not to --store: its messages are read already")
        if group_by == "sector" and not by_topic and brands_file is None:  # sectors come from the brands file only
            raise UsageError("--group-by sector needs sectors: give a brands file (--brands)")
        check_finite("--min-reply-seconds", given["min_reply_seconds"])  # type: ignore[arg-type]
        check_finite("--devoted-rate", devoted_rate)
        output_format, output = output_target("rank", output, output_format, TABLE_FORMATS, "table")
        from .. import api
        from ..rank import needs_all_figures, rank_table
        from ..store import create_store, open_store
        from ..store.temporary import temporary_store_dir

        book = api.brand_book(brands_file)  # type: ignore[arg-type]  (read once, before any file is ingested)
        local = shows_local_time(by, figures, period, picked)
        with temporary_store_dir() if paths else contextlib.nullcontext(None) as tmp:
            if paths:
                st = create_store(tmp / "store")
                accounts = [*(brand or ()), *(book.account_ids() if book else ())]
                reports = ingest_with_progress(st, paths, input_format, accounts, build_mapping(map_, mapping), encoding, err)
                print_reports(reports, st, err)
            else:
                assert store is not None
                st = open_store(store)
            q = given.build(
                st, brand_book=book, devoted_rate=devoted_rate, timezone=timezone or DEFAULT_TIMEZONE,
                extended=needs_all_figures(by, figures, None if by_topic else group_by) or not set(picked or ()) <= set(DEFAULT_COLUMNS),
                brand_accounts=() if paths else tuple(brand or ()),  # raw files: given to the loaders above instead
            )
            options = q.options
            if by_agent or group_by == "agent":  # issue 16: per agent within each brand
                if by_agent and (figures != "default" or period or by_topic or group_by not in (None, "agent")):
                    raise UsageError("--by-agent ranks its own figures: drop --figures, --period, --group-by and --by-topic")
                if figures != "default" or period or by_topic:
                    raise UsageError("--group-by agent ranks its own figures: drop --figures, --period and --by-topic")
                _rank_agents(q, err, output_format, output, by=by, min_requests=min_requests, safe=spreadsheet_safe)
                return
            m = api.measurement(q)  # a Query: measured as it says
            group_by = _listening_group(group_by, by_topic, figures)
            if group_by in LISTENING_GROUPS:  # issue 7: per topic, team or language
                ranked = api.rank_by_listening_group(m, group_by, taxonomy=taxonomy, by=by, min_requests=min_requests, min_answered=min_answered)
            else:
                every = "all" if not set(picked or ()) <= set(DEFAULT_COLUMNS) else figures  # --columns may name any figure
                ranked = rank_table(m.table, by=by, min_requests=min_requests, min_answered=min_answered, figures=every, group_by=group_by)
            ranked = with_open(ranked)
            if local and (output_format in ("json", "csv") or "timezone" in (picked or ())) and "brand" in ranked.columns:
                ranked = api.with_timezones(ranked, options)  # each row says which zone its local-time figures use
            if picked:
                check_columns(picked, ranked)
            err.print(describe(m.diagnostics), markup=False)
            for line in describe_more(m):
                err.print(line, markup=False)
            if local:
                err.print(api.local_time_note(options), markup=False)
            print_data_warnings(m, err)
            if figures == "all" and output_format in ("table", "markdown") and not picked:
                zoned = output_format == "markdown" and "brand" in ranked.columns  # a file says its zone; the terminal has it in titles and on stderr
                view = figures_view(api.with_timezones(ranked, options) if zoned else ranked, by=by)
                write(view, output_format, output, by=by, min_requests=min_requests, fold=True)  # type: ignore[arg-type]
                if output_format == "table" and ranked.height:
                    print_folded(off_hours_view(ranked), f"Off-hours in local time ({zones_in(ranked, options)}): office (Mon–Fri 08–22), night (22–08), weekend")
                return
            write(ranked, output_format, output, by=by, min_requests=min_requests, safe=spreadsheet_safe, columns=picked)  # type: ignore[arg-type]


LISTENING_GROUPS = ("topic", "team", "lang")
LOCAL_TIME_PREFIXES = ("bh_", "office_", "night_", "weekend_")


def shows_local_time(by: str, figures: str, period: str | None, picked: list[str] | None) -> bool:
    """Whether the ranking shows figures in local time (business hours, off-hours slots, periods)."""
    return figures == "all" or period is not None or by.startswith("bh_") or any(c.startswith(LOCAL_TIME_PREFIXES) for c in picked or ())


def zones_in(ranked: pl.DataFrame, options: object) -> str:
    """``UTC`` or ``Europe/Rome, UTC``: the zones the rows' local time is in."""
    from ..api import with_timezones

    zones = with_timezones(ranked.select("brand"), options).get_column("timezone").unique().sort().to_list()  # type: ignore[arg-type]
    return ", ".join(zones) if zones else options.timezone  # type: ignore[attr-defined]


def _rank_agents(q: object, err: object, fmt: str, output: Path | None, *, by: str, min_requests: int, safe: bool) -> None:
    """``--by-agent``: agents ranked within each brand (docs/metrics.md, "Agents")."""
    from .. import api

    table = api.agents(q)  # type: ignore[arg-type]
    ranked = api.rank_agents(table, by=by, min_n=min_requests)
    n = "first responses" if by.startswith("frt_") else "replies"
    err.print(f"{table.height:,} agent rows ({table['agent'].drop_nulls().len():,} signed agents); ranked within each brand by {by}, agents with at least {min_requests:,} {n}", markup=False)  # type: ignore[attr-defined]
    if fmt == "table" and output is None:
        stdout().print(rich_table(ranked.with_columns(ranked["agent"].fill_null("(unsigned)")), title=f"Agents by {by}"))
        return
    write(ranked, fmt, output, by=by, min_requests=min_requests, safe=safe)  # type: ignore[arg-type]


def _listening_group(group_by: str | None, by_topic: bool, figures: str) -> str | None:
    """``--by-topic`` is ``--group-by topic``; listening groups rank the default figures only."""
    if by_topic:
        if group_by not in (None, "topic"):
            raise UsageError("--by-topic and --group-by are exclusive")
        group_by = "topic"
    if group_by in LISTENING_GROUPS and figures != "default":
        raise UsageError(f"--group-by {group_by} ranks the default figures; drop --figures {figures}")
    return group_by


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


# Where a column comes from, for --columns naming one this ranking lacks.
_COMES_WITH = {
    "period": "--period", "previous_period": "--period", "requests_change": "--period", "response_rate_change": "--period",
    "frt_median_change_s": "--period", "frt_mean_change_s": "--period", "timezone": "--figures all or --period",
    "sector": "--brands", "sector_median": "--group-by sector", "topic": "--group-by topic", "team": "--group-by team",
    "lang": "--group-by lang",
}


def check_columns(picked: list[str], ranked: pl.DataFrame) -> None:
    """Every ``--columns`` name is a column of this ranking; else one line saying what brings it."""
    for name in picked:
        if name not in ranked.columns:
            why = f" (it comes with {_COMES_WITH[name]})" if name in _COMES_WITH else ""
            raise UsageError(f"--columns {name}: this ranking has no such column{why}")


# The default table's columns when the terminal is narrow: the essentials always, the rest in this order while they fit.
ESSENTIALS = ("rank", "period", "sector", "topic", "team", "lang", "brand", "platform", "frt_median_s", "response_rate", "requests")
PRIORITY = (
    "sector_median", "open", "answered", "unanswered", "frt_median_change_s", "response_rate_change", "requests_change",
    "within_1h", "frt_mean_s", "frt_p90_s", "frt_mean_change_s", "within_30m", "within_24h",
)


def print_table(df: pl.DataFrame, title: str, *, fold: bool, by: str = "frt_median_s") -> list[str]:
    """``df`` as terminal tables that fit the width, headers never cut; the columns left out, if any.

    ``fold``: every column, in as many tables as it takes (``--figures all``, ``--columns``); else the
    essentials (and the figure ranked by) and what else fits.
    """
    from . import fit

    out = stdout()
    if fold:
        parts = fit.fold(df, out.width)
        for i, cols in enumerate(parts):
            part = df.select(cols)
            out.print(title if len(parts) == 1 else f"{title} ({i + 1} of {len(parts)})", markup=False)  # not the table's title: no narrower than the terminal
            out.print(rich_table(part, widths=fit.widths(part, cols, out.width)))
        return []
    shown, left_out = fit.choose(df, out.width, (*ESSENTIALS, by), PRIORITY)
    part = df.select(shown)
    out.print(title, markup=False)
    out.print(rich_table(part, widths=fit.widths(part, shown, out.width)))
    return left_out


def print_folded(df: pl.DataFrame, title: str) -> None:
    print_table(df, title, fold=True)


def write(
    ranked: pl.DataFrame, fmt: OutputFormat, output: Path | None, *, by: str, min_requests: int, safe: bool = False,
    columns: list[str] | None = None, fold: bool = False,
) -> None:
    """Send the ranking to stdout or ``output`` in ``fmt`` (only ``columns``, when given)."""
    import polars as pl

    if fmt in ("table", "markdown"):
        ranked = for_people(ranked, by=by)
    if fmt == "table":
        if output is not None:
            raise UsageError("--output needs --format json, csv or markdown")
        ranked_rows = ranked.filter(pl.col("rank").is_not_null())
        apart = ranked.filter(pl.col("rank").is_null()).drop("rank")
        if columns:
            ranked_rows, apart = ranked_rows.select(columns), apart.select([c for c in columns if c != "rank"])
        left_out: list[str] = []
        if ranked_rows.height:
            left_out = print_table(ranked_rows, f"Ranking by {by} (brands with at least {min_requests:,} requests)", fold=fold or bool(columns), by=by)
        else:
            per = " in any one period: the threshold applies to each period (lower it with --min-requests)" if "period" in ranked.columns else ""
            stdout().print(f"No brand has at least {min_requests:,} requests with a value for {by}{per}.")
        if apart.height:
            more = print_table(apart, f"Not ranked ({apart.height}): fewer than {min_requests:,} requests, or no {by}", fold=fold or bool(columns), by=by)
            left_out += [c for c in more if c not in left_out]
        if left_out:
            width = stdout().width
            stderr().print(
                f"note: {len(left_out)} column(s) left out to fit {width} columns: {', '.join(left_out)} "
                "(a wider terminal, --columns or --format csv shows them)", markup=False,
            )
        return
    if columns:
        ranked = ranked.select(columns)
    emit_text(frame_text(ranked, fmt, safe=safe), output)
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
            **({"Time zone": r["timezone"]} if "timezone" in r else {}),  # of the business hours and off-hours figures
            "Reply": duration(r["reply_median_s"]),  # median reply time (every reply pair); narrow: the ranking fills a 200-column terminal
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

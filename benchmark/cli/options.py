"""Enumerated choices of the command line, declared once: validated, case-insensitive, completed, listed in ``--help``.

Each choice option is a ``str`` option with a callback that folds case, maps the usual aliases
(``--platform fb`` is facebook), and refuses anything else with one line and exit 2, suggesting
the nearest choice ("did you mean facebook?"). The lists are plain tuples: ``benchmark --help``
and usage errors import no dataframe library (``tests/test_cli_choices.py`` checks them against the
modules that own them: ``benchmark.schema.PLATFORMS``, ``benchmark.metrics.options``, the engines).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final, Literal

import typer

from ..defaults import (
    AUTOMATED_MAX_SECONDS,
    AUTOMATED_MIN_CUSTOMERS,
    DEFAULT_ENGINE,
    DEFAULT_FIRST_RESPONSE,
    DEFAULT_OPEN_WINDOW,
    DEFAULT_REQUESTS,
    DEFAULT_TIMEZONE,
    RANK_KEYS,
)
from ..errors import UsageError

if TYPE_CHECKING:  # the API loads when a command runs, not for --help
    from ..query import Query

PLATFORMS: Final = ("facebook", "twitter", "instagram", "other")  # benchmark.schema.PLATFORMS
PLATFORM_ALIASES: Final = {"fb": "facebook", "tw": "twitter", "x": "twitter", "ig": "instagram", "insta": "instagram"}
ENGINES: Final = ("polars", "duckdb", "spark")  # benchmark.engine.ENGINES
PERIODS: Final = ("month", "week", "quarter")  # benchmark.metrics.options.PERIODS
REQUEST_MODES: Final = ("starters", "comments", "all-inbound", "questions")  # benchmark.metrics.options.REQUEST_MODES
FIGURES: Final = ("default", "all")
GROUPS: Final = ("sector", "topic", "team", "lang", "agent")  # benchmark.rank.GROUPS + listening's + the agents of issue 16
BUCKETS: Final = ("day", "week", "month")  # users --per, keywords --by
STATUSES: Final = ("answered", "unanswered", "open")
TABLE_FORMATS: Final = ("table", "json", "csv", "markdown")
REQUEST_FORMATS: Final = ("csv", "json", "ndjson", "parquet")
FORMAT_ALIASES: Final = {"md": "markdown", "jsonl": "ndjson"}


def one_of(choices: Sequence[str]) -> str:
    """``a, b or c``."""
    return choices[0] if len(choices) == 1 else f"{', '.join(choices[:-1])} or {choices[-1]}"


def choose(option: str, value: str, choices: Sequence[str], aliases: Mapping[str, str] | None = None, *, what: str | None = None) -> str:
    """``value`` as one of ``choices`` (case folded, aliases mapped); else :class:`UsageError` with the nearest choice."""
    aliases = aliases or {}
    folded = value.strip().casefold()
    if folded in choices:
        return folded
    if folded in aliases:
        return aliases[folded]
    near = get_close_matches(folded, [*choices, *aliases], n=1, cutoff=0.7)
    hint = f" (did you mean {aliases.get(near[0], near[0])}?)" if near else ""
    raise UsageError(f"{what or f'{option} {value!r}'}: choose {one_of(choices)}{hint}")


def choice_callback(option: str, choices: Sequence[str], aliases: Mapping[str, str] | None = None, *, what: str | None = None) -> Callable[[str | None], str | None]:
    """A typer callback: the chosen value, or one ``error:`` line on stderr and exit 2 (before any data is read)."""

    def callback(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return choose(option, value, choices, aliases, what=what.format(value=value) if what else None)
        except UsageError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None

    return callback


def completer(choices: Sequence[str]) -> Callable[[str], list[str]]:
    """Shell completion of a choice option."""

    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.startswith(incomplete.casefold())]

    return complete


def choice_option(names: Sequence[str], choices: Sequence[str], help: str, aliases: Mapping[str, str] | None = None, *, what: str | None = None) -> typer.models.OptionInfo:
    """``typer.Option`` for an enumerated choice; ``--help`` shows ``[a|b|c]``."""
    return typer.Option(
        *names, callback=choice_callback(names[0], choices, aliases, what=what), metavar=f"[{'|'.join(choices)}]",
        autocompletion=completer(choices), help=help,
    )


PlatformOpt = Annotated[str | None, choice_option(("--platform",), PLATFORMS, "Only this platform (case-insensitive; fb, ig, x are understood).", PLATFORM_ALIASES)]
EngineOpt = Annotated[str, choice_option(("--engine",), ENGINES, "Where metrics run.")]
PeriodOpt = Annotated[str | None, choice_option(("--period",), PERIODS, "One row per brand and month, week or quarter (brand's local time: see --timezone), with change vs the previous period.")]
RequestsOpt = Annotated[str, choice_option(("--requests",), REQUEST_MODES, "What counts as a request: starters (thread starters), comments (also fans' comments under brand posts), all-inbound (every customer message), questions (thread starters that ask something).")]
ByOpt = Annotated[str, choice_option(("--by",), RANK_KEYS, "Figure to rank by.", what="cannot rank by {value!r}")]
FiguresOpt = Annotated[str, choice_option(("--figures",), FIGURES, "default (the classic figures) or all (intervals, rank interval, KM median, business hours, off-hours, deflection, devoted).")]
GroupByOpt = Annotated[str | None, choice_option(("--group-by",), GROUPS, "sector: rank within each sector (needs --brands) and give each sector's median; topic, team or lang: rank within each request topic, routing team or language; agent: rank the agents who sign a brand's replies within each brand (as --by-agent).")]
StatusOpt = Annotated[str | None, choice_option(("--status",), STATUSES, "Only requests with this status.")]
TableFormatOpt = Annotated[str | None, choice_option(("--format",), TABLE_FORMATS, "Output (default: table; with --output, what its suffix says: .json, .csv, .md).", FORMAT_ALIASES)]
RequestFormatOpt = Annotated[str | None, choice_option(("--format",), REQUEST_FORMATS, "Output (default: csv; with --output, what its suffix says: .csv, .json, .ndjson, .parquet; parquet needs --output).", FORMAT_ALIASES)]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout ('-' is stdout); its suffix sets the format.")]


# Every column a ranking can have (``benchmark.rank.rank_table`` and ``rank_within``, with ``open``, ``--period``,
# ``--group-by`` and ``--figures all``): what ``--columns`` accepts (tests/test_cli_columns.py checks the list).
RANK_COLUMNS: Final = (
    "rank", "period", "sector", "sector_median", "topic", "team", "lang", "brand", "platform",
    "requests", "answered", "unanswered", "open", "response_rate", "frt_median_s", "frt_mean_s", "frt_p90_s",
    "within_30m", "within_1h", "within_24h",
    "previous_period", "requests_change", "response_rate_change", "frt_median_change_s", "frt_mean_change_s",
    "response_rate_ci_low", "response_rate_ci_high", "frt_median_ci_low_s", "frt_median_ci_high_s", "km_median_s",
    "frt_fast90_mean_s", "replies", "reply_median_s", "reply_mean_s", "reply_p90_s", "signed_replies", "agents",
    "waits", "nrt_median_s", "nrt_mean_s", "nrt_p90_s", "waits_unanswered", "bh_frt_median_s", "bh_frt_mean_s",
    "deflected", "deflected_share", "sla_minutes", "within_sla", "devoted",
    *(f"{slot}_{name}" for slot in ("office", "night", "weekend") for name in ("requests", "answered", "response_rate", "frt_median_s")),
    "rank_low", "rank_high", "tie", "timezone",
)
DEFAULT_COLUMNS: Final = ("rank", "brand", "platform", "requests", "answered", "unanswered", "open", "response_rate", "frt_median_s", "frt_mean_s", "frt_p90_s", "within_30m", "within_1h", "within_24h")


def parse_columns(value: str | None) -> list[str] | None:
    """``--columns rank,brand,frt_median_s``: the names, case folded, each a column a ranking can have."""
    if value is None:
        return None
    names = [n.strip().casefold() for n in value.split(",")]
    if not any(names):
        raise UsageError("--columns: give column names separated by commas, e.g. --columns brand,frt_median_s,response_rate")
    if "" in names:
        raise UsageError(f"--columns {value!r}: an empty column name (two commas, or one at an end)")
    for name in names:
        if name not in RANK_COLUMNS:
            near = get_close_matches(name, RANK_COLUMNS, n=1, cutoff=0.6)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise UsageError(f"--columns: no column {name!r}{hint}; the table's columns are {', '.join(DEFAULT_COLUMNS)} (more with --figures all: see --format csv)")
    return list(dict.fromkeys(names))


def _columns_callback(value: str | None) -> list[str] | None:
    try:
        return parse_columns(value)
    except UsageError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns", metavar="NAME,NAME,...", callback=_columns_callback,
        help="Only these columns, in this order (e.g. rank,brand,frt_median_s,response_rate; names as in --format csv). "
        "Without it the terminal table shows what fits its width, essentials first.",
    ),
]


def _timezone_callback(value: str | None) -> str | None:
    """An IANA zone name, checked before any data is read (exit 2 otherwise)."""
    if value is None:
        return None
    from ..brands import valid_timezone  # zoneinfo and tomllib only

    if not valid_timezone(value.strip()):
        typer.echo(f"error: --timezone {value!r} is not a time zone name like Europe/Rome, America/New_York or UTC", err=True)
        raise typer.Exit(2)
    return value.strip()


TIMEZONE_HELP = (
    "Local time of brands the brands file gives no time zone (business hours, night/weekend, --period, heatmap, trend): "
    "an IANA name like Europe/Rome or America/New_York. Default: UTC."
)
TimezoneOpt = Annotated[str | None, typer.Option("--timezone", "--tz", metavar="ZONE", callback=_timezone_callback, help=TIMEZONE_HELP)]


def bucket_option(name: str, help: str) -> typer.models.OptionInfo:
    return choice_option((name,), BUCKETS, help)


# ---- one vocabulary (issue 14, item 15) ---------------------------------------------------------------------------
# --brand / -b: a brand *account* (ingest, rank). --only-brand: only this brand (requests, topics, users, keywords,
# chart, report). --period: the time bucket (rank, users, keywords, chart trend). --by: the figure to rank by.
# The old spellings keep working, marked deprecated in --help, with one note on stderr when used.


def deprecated(old: str, new: str, why: str, inner: Callable[[object], object] | None = None) -> Callable[[object], object]:
    """A callback for an old spelling: the value (checked by ``inner`` first), and ``note: OLD is deprecated …`` when used."""

    def callback(value: object) -> object:
        if inner is not None:
            value = inner(value)
        if value not in (None, [], ()):
            typer.echo(f"note: {old} is deprecated: use {new} ({why})", err=True)
        return value

    return callback


ONLY_BRAND_HELP = "Only this brand (its name in the brands file, else its account). Repeatable."
OnlyBrandOpt = Annotated[list[str] | None, typer.Option("--only-brand", metavar="BRAND", help=ONLY_BRAND_HELP)]
OldBrandFilterOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--brand", "-b", metavar="BRAND", help="Deprecated: the old name of --only-brand here.",
        callback=deprecated("--brand/-b", "--only-brand", "--brand names a brand account, as in ingest and rank"),
    ),
]


def bucket_options(help: str, old: str, why: str) -> tuple[typer.models.OptionInfo, typer.models.OptionInfo]:
    """``--period`` for a time bucket, and its old spelling ``old`` (hidden, with a deprecation note)."""
    new = choice_option(("--period",), BUCKETS, help)
    old_option = typer.Option(
        old, metavar=f"[{'|'.join(BUCKETS)}]", autocompletion=completer(BUCKETS), help="Deprecated: the old name of --period.",
        callback=deprecated(old, "--period", why, choice_callback(old, BUCKETS)),  # type: ignore[arg-type]
    )
    return new, old_option


def one_value(new: str, new_value: object, old: str, old_value: object) -> object:
    """The value given with the new spelling or the old one; both at once is a usage error."""
    if new_value not in (None, [], ()) and old_value not in (None, [], ()):
        raise UsageError(f"give {new} only ({old} is its old name)")
    return new_value if new_value not in (None, [], ()) else old_value


def brand_filter(only_brand: list[str] | None, old: list[str] | None) -> tuple[str, ...]:
    """``--only-brand`` values, with those given by the old ``--brand``/``-b``."""
    return (*(only_brand or ()), *(old or ()))


# ---- the measurement option group: declared once, used by every command that measures (issue 11) ----------------


def _use_spark_master(value: str | None) -> str | None:
    """Remember ``--spark-master`` for the Spark session the command may start (PySpark is not imported here)."""
    if value:
        from ..engine import spark_engine

        spark_engine.configure(master=value)
    return value


StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Store directory.")]
MinRequestsOpt = Annotated[int, typer.Option("--min-requests", min=0, metavar="N", help="Brands with fewer requests are listed apart, unranked.")]
SinceOpt = Annotated[str | None, typer.Option("--since", metavar="DATE", help="Requests from this date (YYYY-MM-DD, UTC) or ISO date-time.")]
UntilOpt = Annotated[str | None, typer.Option("--until", metavar="DATE", help="Requests up to this date, inclusive (YYYY-MM-DD, UTC), or before an ISO date-time.")]
SparkMasterOpt = Annotated[str | None, typer.Option("--spark-master", envvar="SPARK_MASTER", callback=_use_spark_master, help="Spark master for --engine spark: local[*] (the default), local[2], spark://host:7077, yarn, ...")]
BrandsFileOpt = Annotated[Path | None, typer.Option("--brands", help="Brands file (brands.toml): accounts per brand, sector, time zone, opening hours, holidays, SLA.")]
BrandNamesFileOpt = Annotated[Path | None, typer.Option("--brands", help="Brands file (brands.toml): display names, several accounts per brand.")]
OpenWindowOpt = Annotated[str | None, typer.Option("--open-window", metavar="DURATION", help="Unanswered requests younger than this at the end of the data are 'open', kept out of the response rate (e.g. 72h, 3d; 0 turns it off).")]
MinReplyOpt = Annotated[float | None, typer.Option("--min-reply-seconds", min=0, metavar="SECONDS", help="Brand replies sooner than this after the request are automated: not responses.")]
FirstResponseOpt = Annotated[Literal["thread", "direct"], typer.Option("--first-response", help="Which brand message is a request's first response: thread (its earliest anywhere in the request's thread) or direct (only a direct reply to the request).")]
SkipAutomatedOpt = Annotated[bool, typer.Option("--skip-automated", help=f"Leave automated replies out (the same text to {AUTOMATED_MIN_CUSTOMERS}+ customers, each within {AUTOMATED_MAX_SECONDS} s of their message): measure the first human response.")]
SpreadsheetSafeOpt = Annotated[bool, typer.Option("--spreadsheet-safe", help="CSV for spreadsheets: text cells starting with = + - @, a tab or a carriage return (a formula to Excel/LibreOffice) get a leading ' so they show as text. Changes those values.")]
BrandAccountOpt = Annotated[list[str] | None, typer.Option("--brand", "-b", help="A brand account (id or @handle) whose messages are brand messages, for formats that do not mark them (repeatable).")]


def check_finite(option: str, value: float | None) -> None:
    """``--min-reply-seconds 1e309`` parses as infinity and ``nan`` passes typer's range check: refuse both."""
    if value is not None and not math.isfinite(value):
        raise UsageError(f"{option} must be a finite number (got {value})")


# Each member of the group: its parameter name in the command, its option type and default. Commands pick the
# members they offer; the decorator puts them where the command's ``query`` parameter stands.
QUERY_OPTIONS: Final[dict[str, tuple[object, object]]] = {
    "only_brand": (OnlyBrandOpt, None),
    "brand": (OldBrandFilterOpt, None),  # --brand/-b: the old name of --only-brand (not in rank, where it is an account)
    "platform": (PlatformOpt, None),
    "since": (SinceOpt, None),
    "until": (UntilOpt, None),
    "brands_file": (BrandsFileOpt, None),
    "requests_mode": (RequestsOpt, DEFAULT_REQUESTS),
    "open_window": (OpenWindowOpt, DEFAULT_OPEN_WINDOW),
    "min_reply_seconds": (MinReplyOpt, None),
    "first_response": (FirstResponseOpt, DEFAULT_FIRST_RESPONSE),
    "skip_automated": (SkipAutomatedOpt, False),
    "period": (PeriodOpt, None),
    "engine": (EngineOpt, DEFAULT_ENGINE),
    "spark_master": (SparkMasterOpt, None),
    "timezone": (TimezoneOpt, None),
}
SELECTION: Final = ("only_brand", "brand", "platform", "since", "until")  # which requests
DEFINITIONS: Final = ("requests_mode", "open_window", "min_reply_seconds", "first_response", "skip_automated")  # what a request and a response are
ENGINE: Final = ("engine", "spark_master")


@dataclass(frozen=True)
class QueryArgs:
    """The measurement options a command was given, as typed: :meth:`build` makes the :class:`~benchmark.query.Query`
    (one translation from flags to the API, with the defaults of :mod:`benchmark.defaults`)."""

    values: Mapping[str, object]

    def __or__(self, other: QueryArgs) -> QueryArgs:
        """Two groups of one command as one (a command may declare its options in several places)."""
        return QueryArgs({**self.values, **other.values})

    def __getitem__(self, name: str) -> object:
        return self.values.get(name, QUERY_OPTIONS[name][1])

    @property
    def only_brands(self) -> tuple[str, ...]:
        return brand_filter(self["only_brand"], self["brand"])  # type: ignore[arg-type]

    def build(self, store: object, **overrides: object) -> Query:
        """The Query of ``store`` with these options (``overrides``: keywords of :func:`benchmark.api.query`)."""
        from .. import api

        check_finite("--min-reply-seconds", self["min_reply_seconds"])  # type: ignore[arg-type]
        keywords: dict[str, object] = {
            "since": self["since"], "until": self["until"], "platform": self["platform"], "only_brands": self.only_brands,
            "brand_book": self["brands_file"], "requests": self["requests_mode"], "open_window": self["open_window"],
            "min_reply_seconds": self["min_reply_seconds"], "first_response": self["first_response"],
            "skip_automated": self["skip_automated"], "period": self["period"], "engine": self["engine"], "timezone": self["timezone"] or DEFAULT_TIMEZONE,
        }
        return api.query(store, **{**keywords, **overrides})  # type: ignore[arg-type]


def query_options(*members: str, into: str = "query", **types: object) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Declare a command's measurement options once: the decorated command has a ``query: QueryArgs`` parameter
    (or one named ``into``), which becomes ``members`` (names of :data:`QUERY_OPTIONS`; ``types`` replaces a
    member's option type) on the command line, and arrives as one :class:`QueryArgs` (as sqlite-utils'
    ``output_options``). Stacked, a command gets several groups where its parameters stand."""
    for name in members:
        if name not in QUERY_OPTIONS:
            raise ValueError(f"no query option {name!r}")

    def decorate(command: Callable[..., object]) -> Callable[..., object]:
        signature = inspect.signature(command, eval_str=True)
        params = list(signature.parameters.values())
        at = [p.name for p in params].index(into)
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY if params[at].kind == inspect.Parameter.KEYWORD_ONLY else inspect.Parameter.POSITIONAL_OR_KEYWORD,
                              annotation=types.get(name, QUERY_OPTIONS[name][0]), default=QUERY_OPTIONS[name][1])
            for name in members
        ]

        @functools.wraps(command)
        def wrapper(*args: object, **kwargs: object) -> object:
            values = {name: kwargs.pop(name) for name in members if name in kwargs}
            return command(*args, **{into: QueryArgs(values)}, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=[*params[:at], *added, *params[at + 1 :]])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in wrapper.__signature__.parameters.values()}  # type: ignore[attr-defined]
        return wrapper

    return decorate

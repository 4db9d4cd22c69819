"""The Python API that notebooks use and the CLI calls.

Functions return Polars DataFrames (``.to_pandas()`` for pandas users) and
never print. ``store`` arguments accept a :class:`~benchmark.store.Store`
or a path.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import polars as pl

from .brands import BrandBook, load_brands
from .defaults import DEFAULT_ENGINE, DEFAULT_FIRST_RESPONSE, DEFAULT_OPEN_WINDOW, DEFAULT_RANK_BY, DEFAULT_REQUESTS, DEFAULT_TIMEZONE
from .display import Ranking
from .errors import ParameterError, UsageError
from .loaders import ColumnMapping, LoadOptions, expand_inputs
from .metrics import Filters, Measurement, MetricOptions, measure_agents, parse_duration
from .metrics import measure as _measure
from .query import Query
from .metrics.options import DEVOTED_RATE, FirstResponse, Period, RequestMode
from .rank import DEFAULT_MIN_REQUESTS, needs_all_figures, rank_table
from .store import FileReport, ProgressCallback, Store, create_store, open_store
from .store.layout import discard_unused_store, is_store

TimeLike = str | date | datetime | None
BrandsLike = str | Path | BrandBook | None
DurationLike = str | float | int | timedelta | None


def ingest(
    paths: str | Path | Iterable[str | Path],
    store: str | Path | Store,
    *,
    format: str = "auto",
    brand_accounts: Sequence[str] | str | Path | BrandBook = (),
    mapping: ColumnMapping | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
    progress: ProgressCallback | None = None,
    detect_language: bool | None = None,
    strict: bool = False,
    brands: Sequence[str] | str | Path | BrandBook = (),
) -> list[FileReport]:
    """Load export files (or directories of them) into ``store`` (created when new); one report per file.

    Each file is committed as soon as it is loaded. With ``strict``, every file is loaded first and
    all are committed only when no record of any was rejected; otherwise nothing is, and a
    :class:`~benchmark.store.ingest.StrictRejectError` (a BenchmarkError) carries each file's report.

    ``brand_accounts`` names brand accounts (ids or @handles) for formats that do not mark them,
    or is a brands file (``brands.toml``) whose accounts are used (``brands`` is its old name).
    Compressed files (``.zip``, ``.gz``, ``.bz2``, ``.xz``, ``.zst``) are read as they are; a CSV's
    delimiter is sniffed unless ``delimiter`` (``","``, ``";"``, ``"|"``, ``"tab"``) is given.
    Directories contribute their export files (README, LICENSE, notes and hidden files are skipped).
    A new store that a failed ingest leaves empty is removed again.
    Languages are detected when a figure first needs them (and cached beside the store);
    ``detect_language=True`` detects every message at ingest into the ``lang`` column instead.

    >>> reports = ingest("sample_data/twitter/telco-nova.ndjson", store="doc_store")
    >>> reports[0].read == reports[0].stored + reports[0].duplicates + reports[0].rejected
    True
    """
    brands = renamed("brand_accounts", brand_accounts, "brands", brands, empty=())  # type: ignore[assignment]
    items = expand_inputs([Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths])
    if isinstance(brands, (str, Path, BrandBook)):  # a brands file: its accounts mark brand messages
        book = brand_book(brands)
        brands = book.account_ids() if book else ()
    from .loaders import parse_delimiter

    sep = parse_delimiter(delimiter) if delimiter is not None else None  # also "tab", "semicolon", ...
    options = LoadOptions(brands=tuple(brands), mapping=mapping, encoding=encoding, delimiter=sep)
    with store_for_ingest(store) as st:
        if detect_language is not None:  # None: off unless BENCHMARK_DETECT_LANGUAGE=1 (it costs ~5-8k messages/s)
            st.detect_language = detect_language
        from .store.ingest import ingest_files

        return ingest_files(st, [Path(p) for p in items], format, options, progress, strict=strict)


def check_inputs(
    paths: str | Path | Iterable[str | Path],
    *,
    format: str = "auto",
    brand_accounts: Sequence[str] = (),
    mapping: ColumnMapping | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
) -> tuple[list[Path], list[str]]:
    """The export files ``paths`` name (folders expanded), each checked before anything is written: with
    ``format="auto"`` every file's format is detected now, so an unreadable or unknown file raises (naming it)
    before a store is touched; and one line per folder naming the files skipped as not exports."""
    from .loaders import find_inputs, get_loader, loader_for
    from .loaders import parse_delimiter

    found = find_inputs([Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths])
    if format != "auto":
        get_loader(format)
    sep = parse_delimiter(delimiter) if delimiter is not None else None
    options = LoadOptions(brands=tuple(brand_accounts), mapping=mapping, encoding=encoding, delimiter=sep)
    for path in found.files:
        loader_for(path, format, options)
    return list(found.files), list(found.skip_messages())


@contextlib.contextmanager
def store_for_ingest(store: str | Path | Store) -> Iterator[Store]:
    """The store to ingest into, created when new, and removed again when the ingest fails with nothing committed.

    A :class:`~benchmark.store.Store` object is used as it is (its caller created it).
    """
    if isinstance(store, Store):
        yield store
        return
    path = Path(store)
    new, existed = not is_store(path), path.exists()
    st = create_store(path)
    try:
        yield st
    except BaseException:
        if new:
            discard_unused_store(path, remove_dir=not existed)
        raise


def nothing_stored(report: FileReport, *, mapping_file: bool = False) -> str | None:
    """Why ``report``'s file yielded nothing (every record read was rejected), with the fix when known; else None.

    >>> nothing_stored(FileReport("a.csv", "csv", read=2, rejected=2, reject_reasons={"when has no UTC offset; give the export's timezone": 2}))
    'a.csv: nothing stored: all 2 records were rejected; the timestamps have no UTC offset: give the zone they were written in, e.g. --map timezone=Europe/Rome'
    """
    from .loaders.hints import fix_for

    if report.read == 0 or report.rejected < report.read:
        return None
    fix = fix_for(report.reject_reasons, mapping_file=mapping_file)
    records = "the only record was" if report.read == 1 else f"all {report.read:,} records were"
    return f"{report.source_file}: nothing stored: {records} rejected" + (f"; {fix}" if fix else "")


def _as_store(store: str | Path | Store) -> Store:
    return store if isinstance(store, Store) else open_store(store)


def to_epoch_us(value: TimeLike, *, end: bool = False) -> int | None:
    """A user's date/time bound → µs since the epoch (UTC).

    Naive datetimes and dates are read as UTC. A bare date used as an end
    bound includes that whole day (``until="2017-10-31"`` means before
    1 November).
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(f"{value!r} is not a date (YYYY-MM-DD) or an ISO date-time") from None
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=UTC)
    else:
        dt = datetime.combine(value + (timedelta(days=1) if end else timedelta()), time(), tzinfo=UTC)
    return int(dt.timestamp() * 1_000_000) if dt.microsecond == 0 else int(dt.timestamp()) * 1_000_000 + dt.microsecond


def filters(
    *,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    only_brands: Sequence[str] = (),
    brands: Sequence[str] = (),
) -> Filters:
    """Build :class:`~benchmark.metrics.Filters` from user-facing values (``brands``: the old name of ``only_brands``)."""
    only = renamed("only_brands", only_brands, "brands", brands, empty=())
    lo, hi = to_epoch_us(since), to_epoch_us(until, end=True)
    if lo is not None and hi is not None and hi <= lo:
        raise ParameterError("{until} must be after {since}", "until", "since")
    return Filters(platform=platform_name(platform), brands=tuple(only), since_us=lo, until_us=hi)  # type: ignore[arg-type]


PLATFORM_ALIASES = {"fb": "facebook", "tw": "twitter", "x": "twitter", "ig": "instagram", "insta": "instagram"}


def platform_name(platform: str | None) -> str | None:
    """``"Facebook"`` and ``"fb"`` → ``"facebook"``; a name that is no platform is refused, never an empty selection.

    >>> platform_name("FB")
    'facebook'
    """
    if platform is None:
        return None
    from difflib import get_close_matches

    from .schema import PLATFORMS

    name = platform.strip().casefold()
    name = PLATFORM_ALIASES.get(name, name)
    if name in PLATFORMS:
        return name
    near = get_close_matches(name, [*PLATFORMS, *PLATFORM_ALIASES], n=1, cutoff=0.7)
    hint = f" (did you mean {PLATFORM_ALIASES.get(near[0], near[0])}?)" if near else ""
    raise ParameterError("{platform} {value!r}: choose {choices}{hint}", "platform", value=platform,
                         choices=f"{', '.join(PLATFORMS[:-1])} or {PLATFORMS[-1]}", hint=hint)


def brand_book(brands: BrandsLike) -> BrandBook | None:
    """A brands file path (or an already parsed :class:`~benchmark.brands.BrandBook`) → BrandBook."""
    if brands is None or isinstance(brands, BrandBook):
        return brands
    return load_brands(brands)


_book = brand_book  # metric_options' parameter of the same name hides the function


def _seconds(value: DurationLike, parameter: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, str):
        return parse_duration(value, parameter)
    return float(value)


def metric_options(
    *,
    brand_book: BrandsLike = None,
    requests: RequestMode = DEFAULT_REQUESTS,
    open_window: DurationLike = DEFAULT_OPEN_WINDOW,
    min_reply_seconds: DurationLike = None,
    period: Period | None = None,
    devoted_rate: float = DEVOTED_RATE,
    extended: bool = True,
    first_response: FirstResponse = DEFAULT_FIRST_RESPONSE,
    timezone: str = DEFAULT_TIMEZONE,
    skip_automated: bool = False,
    brand_accounts: Sequence[str] = (),
    brands: BrandsLike = None,
    accounts: Sequence[str] = (),
) -> MetricOptions:
    """Build :class:`~benchmark.metrics.MetricOptions` from user-facing values (``open_window="72h"``).

    ``first_response="direct"`` counts only a brand message whose parent is the request as its
    first response (the default ``"thread"``: the brand's earliest message anywhere in its thread).
    ``timezone``: local time (business hours, night/weekend, ``period``) of brands the brands file
    gives no zone (UTC unless set).
    ``skip_automated=True`` leaves automated replies out (docs/metrics.md, "Automated replies"): the first
    *human* response, reply pairs and next replies without them.
    ``brand_book``: the brands file. ``brand_accounts``: brand accounts (handles or ids) whose messages are brand
    messages, applied when the store is read (with the brands file's accounts): a store ingested without them is
    measured as if it had been. ``brands`` and ``accounts`` are their old names.
    """
    brand_book = renamed("brand_book", brand_book, "brands", brands)  # type: ignore[assignment]
    brand_accounts = renamed("brand_accounts", brand_accounts, "accounts", accounts, empty=())  # type: ignore[assignment]
    return MetricOptions(
        requests=requests,
        open_window_s=_seconds(open_window, "open_window"),
        min_reply_s=_seconds(min_reply_seconds, "min_reply_seconds"),
        period=period,
        brands=_book(brand_book),
        devoted_rate=devoted_rate,
        extended=extended,
        first_response=first_response,
        timezone=timezone,
        skip_automated=skip_automated,
        accounts=tuple(brand_accounts),
    )


def uses_local_time(options: MetricOptions) -> bool:
    """Whether a measurement's figures read local time: business hours and off-hours slots, or periods."""
    return options.extended or options.period is not None


def with_timezones(table: pl.DataFrame, options: MetricOptions) -> pl.DataFrame:
    """``table`` (with a ``brand`` column) plus ``timezone``: the zone each brand's local-time figures use."""
    zones = {b: options.zone_of(b) for b in table.get_column("brand").unique().to_list() if b is not None}
    return table.with_columns(pl.col("brand").replace_strict(zones, default=options.timezone, return_dtype=pl.String).alias("timezone"))


def local_time_note(options: MetricOptions, what: str = "business hours, night/weekend, periods") -> str:
    """One line saying which zone local time is in (``local time: UTC for every brand (set one with --timezone)``)."""
    default = options.timezone
    zoned = [b for b in options.brands.brands if b.timezone] if options.brands is not None else []
    how = "" if default != DEFAULT_TIMEZONE else " (set another with --timezone or in the brands file)"
    if not zoned:
        return f"local time ({what}): {default} for every brand{how}"
    counts: dict[str, int] = {}
    for b in zoned:
        counts[b.timezone] = counts.get(b.timezone, 0) + 1  # type: ignore[index]
    listed = ", ".join(f"{zone} for {n} brand{'s' if n > 1 else ''}" for zone, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"local time ({what}): {listed} of the brands file; {default} for the others{how}"


QueryLike = Query | Measurement | str | Path | Store


def _absent(value: object, empty: object) -> bool:
    """Not given: the default, None, or an empty list or tuple."""
    return value is empty or value is None or (isinstance(value, (list, tuple)) and not value)


def renamed(new: str, new_value: object, old: str, old_value: object, *, empty: object = None) -> object:
    """The value of parameter ``new``, or of its old name ``old`` with a DeprecationWarning; both is an error."""
    if _absent(old_value, empty):
        return new_value
    warnings.warn(f"{old}= is deprecated: use {new}=", DeprecationWarning, stacklevel=3)
    if not _absent(new_value, empty):
        raise ParameterError("give {%s} only ({%s} is its old name)" % (new, old), new, old)
    return old_value


QUERY_DEFAULTS: dict[str, object] = {  # the keywords of query() that rank() also takes, with their defaults
    "since": None, "until": None, "platform": None, "engine": DEFAULT_ENGINE, "brand_book": None, "requests": DEFAULT_REQUESTS,
    "open_window": DEFAULT_OPEN_WINDOW, "min_reply_seconds": None, "devoted_rate": DEVOTED_RATE, "first_response": DEFAULT_FIRST_RESPONSE,
    "timezone": DEFAULT_TIMEZONE, "skip_automated": False, "brand_accounts": (),
}


def query(
    store: str | Path | Store,
    *,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    only_brands: Sequence[str] = (),
    engine: str = DEFAULT_ENGINE,
    brand_book: BrandsLike = None,
    brand_accounts: Sequence[str] = (),
    requests: RequestMode = DEFAULT_REQUESTS,
    open_window: DurationLike = DEFAULT_OPEN_WINDOW,
    min_reply_seconds: DurationLike = None,
    period: Period | None = None,
    devoted_rate: float = DEVOTED_RATE,
    extended: bool = True,
    first_response: FirstResponse = DEFAULT_FIRST_RESPONSE,
    timezone: str = DEFAULT_TIMEZONE,
    skip_automated: bool = False,
) -> Query:
    """What to measure, from user-facing values, each default defined once (:mod:`benchmark.defaults`).

    ``only_brands`` keeps requests of these brands (display names); ``brand_book`` is the brands file
    (``brands.toml``) merging accounts into brands; ``brand_accounts`` are accounts whose messages are brand
    messages (``--brand``) for a store ingested without them. The CLI's commands build theirs with this function.

    >>> import benchmark as bm
    >>> q = query("store", since="2024-02-01", brand_book="sample_data/brands.toml", open_window="48h")
    >>> bm.rank(q, min_requests=50).select("rank", "brand", "platform", "requests").head(2).rows()
    [(1, 'Telco Nova', 'twitter', 128), (2, 'Telco Nova', 'facebook', 199)]
    >>> bm.requests(q).height
    3622
    """
    return Query(
        store=_as_store(store),
        filters=filters(since=since, until=until, platform=platform, only_brands=only_brands),
        options=metric_options(
            brand_book=brand_book, requests=requests, open_window=open_window, min_reply_seconds=min_reply_seconds,
            period=period, devoted_rate=devoted_rate, extended=extended, first_response=first_response,
            timezone=timezone, skip_automated=skip_automated, brand_accounts=brand_accounts,
        ),
        engine=engine,
    )


def measure(source: QueryLike, **query_options: object) -> Measurement:
    """The :class:`~benchmark.metrics.Measurement` of ``source``: a :class:`~benchmark.query.Query`, or a store with
    :func:`query`'s keywords. It holds the query, the facts, the brand table, the diagnostics and the store's
    ingest summaries; rank, charts, listening and the report take it and never scan the store again.
    A Measurement is returned as it is."""
    if isinstance(source, Measurement):
        if query_options:
            raise UsageError(f"a Measurement is measured already: drop {', '.join(sorted(query_options))}")
        return source
    q = as_query(source, **query_options)
    m = _measure(q.store, q.filters, q.engine, q.options)
    m.query = q
    return m


def as_query(source: QueryLike, **query_options: object) -> Query:
    """``source`` as a Query: a Query as it is (with no other keywords), a Measurement's own, or one built from a store."""
    if isinstance(source, Measurement):
        if query_options:
            raise UsageError(f"the Measurement says what to measure already: drop {', '.join(sorted(query_options))}")
        if source.query is None:
            raise UsageError("this Measurement is of an in-memory frame, not of a store")
        source = source.query
    if isinstance(source, Query):
        if query_options:
            raise UsageError(f"the Query says what to measure already: drop {', '.join(sorted(query_options))} (or use Query.with_options)")
        return source
    return query(source, **query_options)  # type: ignore[arg-type]


def measurement(
    store: str | Path | Store | Query,
    *,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    only_brands: Sequence[str] = (),
    engine: str = DEFAULT_ENGINE,
    options: MetricOptions | None = None,
    brands: Sequence[str] = (),
) -> Measurement:
    """Facts, unranked brand table and diagnostics in one run, from a store and ready-made ``options``
    (:func:`metric_options`); :func:`measure` takes a Query. ``brands`` is the old name of ``only_brands``."""
    if isinstance(store, Query):
        return measure(store)
    only = renamed("only_brands", only_brands, "brands", brands, empty=())
    q = Query(_as_store(store), filters(since=since, until=until, platform=platform, only_brands=only), options or MetricOptions(), engine)  # type: ignore[arg-type]
    return measure(q)


def rank(
    store: QueryLike | None = None,
    *,
    by: str = DEFAULT_RANK_BY,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    engine: str = DEFAULT_ENGINE,
    brand_book: BrandsLike = None,
    min_answered: int | None = None,
    figures: str = "default",
    group_by: str | None = None,
    period: Period | None = None,
    requests: RequestMode = DEFAULT_REQUESTS,
    open_window: DurationLike = DEFAULT_OPEN_WINDOW,
    min_reply_seconds: DurationLike = None,
    devoted_rate: float = DEVOTED_RATE,
    first_response: FirstResponse = DEFAULT_FIRST_RESPONSE,
    timezone: str = DEFAULT_TIMEZONE,
    skip_automated: bool = False,
    brand_accounts: Sequence[str] = (),
    taxonomy: object = None,
    files: Sequence[str | Path] = (),
    format: str = "auto",
    brands: BrandsLike = None,
    accounts: Sequence[str] = (),
) -> Ranking:
    """Rank brands by ``by``: one row per brand and platform, ``rank`` null when not ranked (a :class:`~benchmark.display.Ranking`: a Polars DataFrame that Jupyter shows with human units).

    ``store`` is a store, a :class:`~benchmark.query.Query` or a :class:`~benchmark.metrics.Measurement`
    (then the keywords that say what to measure must be left out); or give raw export ``files`` instead
    (ingested into a temporary store, as ``benchmark rank FILE``; ``format`` as for :func:`ingest`).
    ``brand_book`` is a brands file (``brands.toml``) merging accounts into brands;
    ``figures="all"`` adds every figure (intervals, KM median, business hours, ...); ``brand_accounts`` names brand
    accounts (``--brand``) the store was ingested without. ``group_by``: ``sector``, ``topic``, ``team``, ``lang``
    (requests classified with ``taxonomy``, default the bundled one) or ``agent``.
    Figures in local time (business hours, off-hours, ``period``) are in each brand's brands-file zone, else
    in ``timezone`` (UTC by default); the table then says which in a ``timezone`` column.
    ``brands`` and ``accounts`` are the old names of ``brand_book`` and ``brand_accounts``.

    >>> import benchmark as bm
    >>> bm.rank("store", by="response_rate", min_requests=50).select("rank", "brand", "platform").head(2).rows()
    [(1, 'Telco Nova', 'facebook'), (2, 'TelcoNova_Help', 'twitter')]
    >>> bm.rank("store", brand_book="sample_data/brands.toml", figures="all", open_window="72h").height
    40
    >>> bm.rank(files=["sample_data/twitter/telco-nova.ndjson"], group_by="topic", min_requests=10).columns[:4]
    ['topic', 'rank', 'brand', 'platform']
    """
    book = renamed("brand_book", brand_book, "brands", brands)
    owned = renamed("brand_accounts", brand_accounts, "accounts", accounts, empty=())
    if files:
        if store is not None:
            raise UsageError("give either a store or raw export files, not both")
        with quick_store(files, format=format, brand_accounts=[*owned, *(brand_book_of(book).account_ids() if book is not None else ())]) as (st, _reports):
            ranked = rank(st, by=by, min_requests=min_requests, since=since, until=until, platform=platform, engine=engine,
                          brand_book=book, min_answered=min_answered, figures=figures, group_by=group_by, period=period,
                          requests=requests, open_window=open_window, min_reply_seconds=min_reply_seconds,
                          devoted_rate=devoted_rate, first_response=first_response, timezone=timezone,
                          skip_automated=skip_automated, taxonomy=taxonomy)
            return ranked
    if store is None:
        raise UsageError("give a store, a Query, a Measurement or raw export files")
    given = isinstance(store, (Query, Measurement))
    kw = {
        "since": since, "until": until, "platform": platform, "engine": engine, "brand_book": book, "requests": requests,
        "open_window": open_window, "min_reply_seconds": min_reply_seconds, "devoted_rate": devoted_rate,
        "first_response": first_response, "timezone": timezone, "skip_automated": skip_automated, "brand_accounts": owned,
    }
    if given:  # the Query (or Measurement) says what to measure: a keyword that would change it is refused, never ignored
        kw = {k: v for k, v in kw.items() if v != QUERY_DEFAULTS[k]}
        if period is not None and not isinstance(store, Measurement):
            store = store.with_options(period=period)  # type: ignore[union-attr]
        elif period is not None and period != store.options.period:  # type: ignore[union-attr]
            kw["period"] = period
    if group_by == "agent":  # agents ranked within each brand (docs/metrics.md, "Agents"), as `rank --group-by agent`
        if figures != "default" or period:
            raise ParameterError("{group_by} agent ranks its own figures: drop {figures} and {period}", "group_by", "figures", "period")
        return rank_agents(agents(as_query(store, **kw)), by=by, min_n=min_requests)  # type: ignore[arg-type]
    extended = needs_all_figures(by, figures, group_by)
    if isinstance(store, Measurement):
        as_query(store, **kw)  # refuses keywords the Measurement would ignore
        m = store if (store.options.extended or not extended) else store.derived(extended=True)
    else:
        q = as_query(store, **kw) if given else as_query(store, **kw, period=period)  # type: ignore[arg-type]
        m = measure(q.with_options(extended=extended))
    options = m.options
    if group_by in LISTENING_GROUPS:  # per request topic, routing team or language (issue 7)
        return Ranking(rank_by_listening_group(m, group_by, taxonomy=taxonomy, by=by, min_requests=min_requests, min_answered=min_answered))
    ranked = rank_table(m.table, by=by, min_requests=min_requests, min_answered=min_answered, figures=figures, group_by=group_by)
    out = with_timezones(ranked, options) if uses_local_time(options) and (figures != "default" or options.period) else ranked
    return Ranking(out)  # a DataFrame that Jupyter shows readably (benchmark.display)


LISTENING_GROUPS = ("topic", "team", "lang")


def rank_by_listening_group(
    m: Measurement, group_by: str, *, taxonomy: object = None, by: str = DEFAULT_RANK_BY, min_requests: int = DEFAULT_MIN_REQUESTS,
    min_answered: int | None = None,
) -> pl.DataFrame:
    """Brands ranked within each request topic, routing team or language (``group_by``) of ``m``'s requests,
    classified with ``taxonomy`` (a Taxonomy, a TOML path, or None for the bundled one)."""
    from .listening.api import as_taxonomy
    from .listening.topic_figures import grouped_table, labelled_facts, rank_within

    facts = labelled_facts(m, m.store, as_taxonomy(taxonomy))  # type: ignore[arg-type]
    return rank_within(grouped_table(facts, group_by), group_by, by=by, min_requests=min_requests, min_answered=min_answered)


@contextlib.contextmanager
def quick_store(
    files: Sequence[str | Path], *, format: str = "auto", brand_accounts: Sequence[str] = (), **ingest_options: object,
) -> Iterator[tuple[Store, list[FileReport]]]:
    """Raw export ``files`` ingested into a temporary store (a quick look, as ``benchmark rank FILE``), and each
    file's report; the store is removed when the block ends, also on Ctrl-C or SIGTERM."""
    from .store.temporary import temporary_store_dir  # signal handling and orphan clean-up

    with temporary_store_dir() as tmp:
        st = create_store(tmp / "store")
        reports = ingest([Path(f) for f in files], st, format=format, brand_accounts=brand_accounts, **ingest_options)  # type: ignore[arg-type]
        yield st, reports


def brand_book_of(value: BrandsLike) -> BrandBook:
    book = brand_book(value)
    assert book is not None
    return book


def requests(
    store: QueryLike,
    *,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    only_brands: Sequence[str] = (),
    engine: str = DEFAULT_ENGINE,
    brand_book: BrandsLike = None,
    requests: RequestMode = DEFAULT_REQUESTS,
    open_window: DurationLike = DEFAULT_OPEN_WINDOW,
    min_reply_seconds: DurationLike = None,
    period: Period | None = None,
    first_response: FirstResponse = DEFAULT_FIRST_RESPONSE,
    timezone: str = DEFAULT_TIMEZONE,
    skip_automated: bool = False,
    brand_accounts: Sequence[str] = (),
    brands: Sequence[str] = (),
    brands_file: BrandsLike = None,
) -> pl.DataFrame:
    """Per-request facts: request, brand, request/response times, FRT and business-hours FRT, status, flags.

    ``store`` may be a :class:`~benchmark.query.Query` or a :class:`~benchmark.metrics.Measurement`.
    Business hours, the night/weekend slot and ``period`` are in each brand's brands-file zone, else ``timezone``
    (UTC by default). ``brands`` and ``brands_file`` are the old names of ``only_brands`` and ``brand_book``."""
    if isinstance(store, Measurement):
        return store.facts
    if isinstance(store, Query):
        return measure(store).facts
    q = query(
        store, since=since, until=until, platform=platform, engine=engine,
        only_brands=renamed("only_brands", only_brands, "brands", brands, empty=()),  # type: ignore[arg-type]
        brand_book=renamed("brand_book", brand_book, "brands_file", brands_file),  # type: ignore[arg-type]
        requests=requests, open_window=open_window, min_reply_seconds=min_reply_seconds, period=period,
        first_response=first_response, timezone=timezone, skip_automated=skip_automated, brand_accounts=brand_accounts,
    )
    return measure(q).facts


def agents(
    store: QueryLike,
    *,
    since: TimeLike = None,
    until: TimeLike = None,
    platform: str | None = None,
    only_brands: Sequence[str] = (),
    engine: str = DEFAULT_ENGINE,
    brand_book: BrandsLike = None,
    requests: RequestMode = DEFAULT_REQUESTS,
    open_window: DurationLike = DEFAULT_OPEN_WINDOW,
    min_reply_seconds: DurationLike = None,
    first_response: FirstResponse = DEFAULT_FIRST_RESPONSE,
    skip_automated: bool = False,
    brand_accounts: Sequence[str] = (),
    brands: Sequence[str] = (),
    brands_file: BrandsLike = None,
) -> pl.DataFrame:
    """Per brand and agent (signature of the reply, null when unsigned; docs/metrics.md "Agents"): reply pairs,
    reply time, first responses written and their FRT. ``benchmark rank --by-agent`` ranks these.
    ``store`` may be a Query or a Measurement (its query is measured per agent)."""
    if isinstance(store, (Query, Measurement)):
        q = as_query(store)
    else:
        q = query(
            store, since=since, until=until, platform=platform, engine=engine,
            only_brands=renamed("only_brands", only_brands, "brands", brands, empty=()),  # type: ignore[arg-type]
            brand_book=renamed("brand_book", brand_book, "brands_file", brands_file),  # type: ignore[arg-type]
            requests=requests, open_window=open_window, min_reply_seconds=min_reply_seconds,
            first_response=first_response, skip_automated=skip_automated, brand_accounts=brand_accounts,
        )
    return measure_agents(q.store, q.filters, q.engine, q.options)


def rank_agents(table: pl.DataFrame, by: str = DEFAULT_RANK_BY, min_n: int = DEFAULT_MIN_REQUESTS) -> pl.DataFrame:
    """``rank`` of each signed agent within its brand and platform by ``by`` (lower is better), among agents with
    at least ``min_n`` of the figure's own n (first responses for FRT figures, replies for reply figures)."""
    n = {"frt_median_s": "first_responses", "frt_mean_s": "first_responses"}.get(by, "replies")
    if by not in ("frt_median_s", "frt_mean_s", "reply_median_s", "reply_mean_s", "reply_p90_s"):
        raise UsageError(f"--by-agent ranks by frt_median_s, frt_mean_s, reply_median_s, reply_mean_s or reply_p90_s, not {by}")
    eligible = pl.col("agent").is_not_null() & (pl.col(n) >= min_n) & pl.col(by).is_not_null()
    rank = pl.when(eligible).then(pl.col(by)).rank(method="min").over("platform", "brand").cast(pl.Int64)
    ranked = table.with_columns(rank.alias("rank"))
    ranked = ranked.sort("platform", "brand", pl.col("rank").is_null(), "rank", pl.col(n), "agent", descending=[False, False, False, False, True, False], nulls_last=True)
    return ranked.select("rank", *[c for c in ranked.columns if c != "rank"])


__all__ = [
    "Query", "agents", "as_query", "check_inputs", "quick_store", "brand_book", "filters", "ingest", "local_time_note", "measure", "measurement", "metric_options", "nothing_stored", "query",
    "open_store", "rank", "rank_agents", "requests", "store_for_ingest", "to_epoch_us", "uses_local_time", "with_timezones",
]

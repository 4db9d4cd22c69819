"""From stored messages to per-request facts and per-brand figures.

:func:`measure` is the one entry point: it scans the store on the chosen
engine, merges brand accounts (brands file), resolves threads, builds the
facts (requests, first responses, status, business-hours time, local-time
flags) and the brand table in Narwhals, and brings the small results back as
Polars frames. Interval estimates and the Kaplan–Meier median are computed
on those small results (:mod:`.uncertainty`, :mod:`.survival`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING
from datetime import UTC, datetime

import narwhals as nw
import numpy as np
import polars as pl

from ..engine import KEY, TS_COLUMN, Engine, get_engine
from ..schema import empty_messages
from ..store import Store
from .agents import agent_of
from .automated import AUTOMATED, with_automated_flag
from .brand_map import apply_brand_book, with_brand_accounts
from .brand_table import BRAND_KEYS, EXTENDED_COLUMNS, METRIC_COLUMNS, SLA_SECONDS, brand_table
from .business_hours import brand_profiles, calendar, with_local_time
from ..text.questions import is_question
from .deflection import is_deflection
from ..threads import ThreadStats
from .cache import ENGINES as CACHE_ENGINES
from .cache import Cached, FactsCache
from .facts import DEFLECTS, FACT_COLUMNS, Filters, _filtered, facts_and_unattributed, filter_facts, replies_before_parent, with_status, with_threads
from .options import DEFAULT_OPEN_WINDOW_S, PERIODS, REQUEST_MODES, MetricOptions, parse_duration
from .periods import CHANGE_COLUMNS, with_changes
from .next_reply import NRT_COLUMNS, next_reply_waits, nrt_table, wait_inputs, waits_of
from .replies import AGENT_COLUMNS, REPLY_COLUMNS, reply_pairs, reply_table
from .request_modes import QUESTION
from .survival import km_median
from .uncertainty import median_ci_columns, wilson_columns

if TYPE_CHECKING:
    from ..query import Query  # which imports this package's options and filters

QUARTER_S = 365.25 / 4 * 86_400

# Columns of Measurement.table beyond METRIC_COLUMNS, in display order.
ALL_FIGURES = (
    "sector",
    "open",
    "response_rate_ci_low",
    "response_rate_ci_high",
    "frt_median_ci_low_s",
    "frt_median_ci_high_s",
    "km_median_s",
    "frt_fast90_mean_s",
    *REPLY_COLUMNS,
    *AGENT_COLUMNS,
    *NRT_COLUMNS,
    "bh_frt_median_s",
    "bh_frt_mean_s",
    "deflected",
    "deflected_share",
    "sla_minutes",
    "within_sla",
    "devoted",
    *[c for c in EXTENDED_COLUMNS if c.startswith(("office_", "night_", "weekend_"))],
)


@dataclass(frozen=True)
class Diagnostics:
    """What the figures rest on, and what was left out of them."""

    messages: int
    requests: int
    unattributed_requests: int  # customer thread starters with no brand; never ranked
    missing_parents: int  # messages whose parent is not in the store
    in_cycles: int  # messages whose parent chain loops
    first_request_at: datetime | None
    last_request_at: datetime | None
    open_requests: int = 0
    end_of_data: datetime | None = None  # the latest message: the clock for "open" and censoring
    unmatched_brands: tuple[str, ...] = ()  # store brand values no brands-file account matched
    request_mode: str = "starters"
    first_response: str = "thread"  # MetricOptions.first_response: thread (anywhere in the scope) or direct
    replies_before_parent: int = 0  # clock skew: replies dated before their parent (never a negative FRT)
    store_thread_starters: int = 0  # customer thread starters of the selection; of the whole store when fewer
    # than missing_parents (a sample? see data_warnings), so that both numbers count the same data
    skip_automated: bool = False  # MetricOptions.skip_automated: automated replies left out
    automated_replies: int = 0  # with skip_automated: brand replies marked automated (whole store)
    automated_first_responses: int = 0  # with skip_automated: requests whose first response would have been automated


class Measurement:
    """Per-brand table, per-request facts and diagnostics from one run.

    ``facts`` may be handed over as a function that builds them: a ranking reads only the
    table and the diagnostics, and ordering a million requests' facts is then never paid for.
    """

    def __init__(
        self,
        table: pl.DataFrame,
        facts: pl.DataFrame | Callable[[], pl.DataFrame],
        diagnostics: Diagnostics,
        engine: str,
        options: MetricOptions | None = None,
        query: Query | None = None,
    ) -> None:
        self.table = table
        self.diagnostics = diagnostics
        self.engine = engine
        self.options = options if options is not None else MetricOptions()
        self.query = query  # what was measured (store, filters, options, engine); None for an in-memory frame
        self._facts = facts
        self._facts_lock = threading.Lock()  # the report draws charts on a thread that reads them too
        self._whole: _Whole | None = None  # the unfiltered measurement, for derived() (set by measure)
        self._eng: Engine | None = None  # the engine its frames live in
        self._summaries: list[dict[str, object]] | None = None
        self._messages: dict[bool, pl.LazyFrame] = {}

    @property
    def store(self) -> Store | None:
        """The store measured (None for an in-memory frame)."""
        return self.query.store if self.query is not None else None

    @property
    def summaries(self) -> list[dict[str, object]]:
        """The store's ingest summaries (read once): files, formats and the read/stored/duplicate/rejected counts."""
        if self._summaries is None:
            self._summaries = self.store.summaries() if self.store is not None else []
        return self._summaries

    @property
    def rejected(self) -> int:
        """Records the store's ingests rejected, from the summaries (never by reading every rejects file)."""
        return sum(int(s.get("rejected", 0) or 0) for s in self.summaries)  # type: ignore[call-overload]

    def messages(self, *, customers_only: bool = True) -> pl.LazyFrame:
        """The measured store's messages as this measurement saw them (brand accounts and the brands file
        applied once, here), with its filters; customers' only by default. Built once per measurement:
        listening (texts, users, keywords) reads these, never its own scan with the brand map re-applied."""
        if customers_only not in self._messages:
            if self.query is None:
                raise ValueError("messages() needs a measurement of a store")
            self._messages[customers_only] = query_messages(self.query, customers_only)
        return self._messages[customers_only]

    def derived(self, **changes: object) -> Measurement:
        """The same query with ``changes`` to its options (``period="month", extended=False``), reusing this
        measurement's resolved threads and first responses when the changes leave them as they are."""
        options = replace(self.options, **changes)  # type: ignore[arg-type]
        query = replace(self.query, options=options) if self.query is not None else None
        if self._whole is not None and self._eng is not None and _same_whole(self.options, options):
            eng = self._eng
            whole = self._whole
            if whole.replies is not None and not options.extended:  # as a measurement without the extended figures has it
                facts = whole.facts.with_columns(nw.lit(None, dtype=nw.Boolean()).alias("deflected"))
                whole = replace(whole, facts=facts, replies=None, waits=None)
            m = _measure_whole(whole, self.query.filters if self.query is not None else Filters(), eng, options)
            m._whole, m._eng, m.query = whole, eng, query
            return m
        if query is None:
            raise ValueError("derived() needs a measurement of a store")
        m = measure(query.store, query.filters, query.engine, options)
        m.query = query
        return m

    @property
    def facts(self) -> pl.DataFrame:
        """One row per request (:func:`measure` documents the columns), built on first use."""
        with self._facts_lock:
            if callable(self._facts):
                self._facts = self._facts()
            return self._facts

    def _repr_html_(self) -> str:
        """Jupyter's view: coverage, then the brands ranked by median FRT in human units (:mod:`benchmark.display`)."""
        from ..defaults import DEFAULT_MIN_REQUESTS
        from ..display import measurement_html  # presentation, imported only when a notebook shows one

        return measurement_html(self, DEFAULT_MIN_REQUESTS)

    def __repr__(self) -> str:
        return f"Measurement(engine={self.engine!r}, brands={self.table.height}, requests={self.diagnostics.requests})"


def to_utc(col: str) -> pl.Expr:
    """Integer µs since the epoch → timezone-aware UTC datetime."""
    return pl.from_epoch(pl.col(col), time_unit="us").dt.replace_time_zone("UTC").alias(col.removesuffix("_ts_us") + "_at")


def measure(
    source: Store | pl.DataFrame,
    filters: Filters = Filters(),
    engine: str | Engine = "polars",
    options: MetricOptions = MetricOptions(),
) -> Measurement:
    """Compute facts and the brand table for a store (or an in-memory canonical frame) on ``engine``."""
    eng = get_engine(engine) if isinstance(engine, str) else engine
    files = [] if isinstance(source, pl.DataFrame) else source.message_files()
    if (isinstance(source, pl.DataFrame) and source.height == 0) or (isinstance(source, Store) and not files):
        if eng.name != "polars":  # some engines cannot build an empty frame; nothing to compute anyway
            from ..engine import PolarsEngine

            empty = measure(empty_messages(), filters, PolarsEngine(), options)
            return Measurement(empty.table, empty.facts, empty.diagnostics, eng.name, options)
        source = empty_messages()
    whole = _whole_store(source, files, eng, options)
    m = _measure_whole(whole, filters, eng, options)
    if eng.name in CACHE_ENGINES:  # in-process frames; a Spark measurement keeps no cluster data alive for derived()
        m._whole, m._eng = whole, eng  # the frames live in this engine (a DuckDB connection's tables)
    if isinstance(source, Store):
        from ..query import Query

        m.query = Query(store=source, filters=filters, options=options, engine=eng.name)
    return m


def _same_whole(before: MetricOptions, after: MetricOptions) -> bool:
    """Whether ``after`` reads the same unfiltered measurement as ``before``: only local time, periods, the
    open window and the devoted bar differ, and the extended figures are not newly asked for."""
    same = ("requests", "min_reply_s", "first_response", "brands", "accounts", "skip_automated")
    return all(getattr(before, k) == getattr(after, k) for k in same) and (before.extended or not after.extended)


def _measure_whole(whole: _Whole, filters: Filters, eng: Engine, options: MetricOptions) -> Measurement:
    """The figures of ``filters``' selection from the unfiltered measurement ``whole``."""
    core = eng.materialize(filter_facts(whole.facts, filters))
    unattributed = int(eng.collect(_filtered(whole.unattributed, filters, brands=False).select(nw.len().alias("n"))).item(0, "n") or 0)
    end_us = int(whole.meta["end_us"])  # type: ignore[call-overload]
    first = eng.collect(core.select(nw.col("request_ts_us").min().alias("start"))).item(0, "start")
    start_us = int(first) if first is not None else end_us
    stats = ThreadStats(**whole.meta["threads"])  # type: ignore[arg-type]
    unmatched = list(whole.meta["unmatched"])  # type: ignore[call-overload]
    skewed = int(whole.meta["replies_before_parent"])  # type: ignore[call-overload]

    profiles = brand_profiles(options.brands, options.timezone)
    keys = (*BRAND_KEYS, "period") if options.period else BRAND_KEYS
    pairs = None  # reply pairs (extended figures only), dated by the customer message they answer
    waits = None  # next-reply waits (extended figures only), dated by the customer message that starts them
    if options.extended and whole.replies is not None:
        pairs = _filtered(whole.replies.with_columns(nw.col("parent_ts_us").alias(TS_COLUMN)), filters)
    if options.extended and whole.waits is not None:
        waits = _filtered(whole.waits.with_columns(nw.col("wait_ts_us").alias(TS_COLUMN)), filters)
    facts_lf = with_status(core, end_us, options.open_window_s)
    if profiles.info.height:
        facts_lf = facts_lf.join(eng.from_polars(profiles.info.select("brand", "sla_s", "profile")), on="brand", how="left")
        facts_lf = facts_lf.with_columns(nw.col("profile").fill_null(0))
    else:  # no brands file (joining an empty frame is not possible on every engine)
        facts_lf = facts_lf.with_columns(nw.lit(None, dtype=nw.Float64()).alias("sla_s"), nw.lit(0, dtype=nw.Int64()).alias("profile"))
    if options.extended or options.period:
        cal_start = start_us
        for dated in (pairs, waits) if options.period else ():  # the calendar must also cover the customer messages they start from
            if dated is None:
                continue
            earliest = eng.collect(dated.select(nw.col(TS_COLUMN).min().alias("m"))).item(0, "m")
            cal_start = min(cal_start, int(earliest)) if earliest is not None else cal_start
        cal, bucket_us = calendar(profiles.profiles, cal_start, end_us)
        cal_lf = eng.from_polars(cal)
        facts_lf = with_local_time(facts_lf, cal_lf, bucket_us, options.period)
        if pairs is not None and options.period:
            pairs = _with_period(pairs, profiles.info, cal_lf, bucket_us, options.period, eng)
        if waits is not None and options.period:
            waits = _with_period(waits, profiles.info, cal_lf, bucket_us, options.period, eng)
    else:  # the default figures need no local time
        facts_lf = facts_lf.with_columns(
            nw.lit(None, dtype=nw.Float64()).alias("bh_frt_s"),
            *[nw.lit(None, dtype=nw.Boolean()).alias(c) for c in ("in_hours", "night", "weekend")],
            nw.lit(None, dtype=nw.String()).alias("slot"),
            nw.lit(None, dtype=nw.String()).alias("period"),
        )
    facts_lf = eng.materialize(facts_lf)
    table = eng.collect(brand_table(facts_lf, keys, extended=options.extended))
    replies = eng.collect(reply_table(pairs, keys)) if pairs is not None else None
    nrt = eng.collect(nrt_table(waits, keys)) if waits is not None else None
    raw = eng.collect(facts_lf)
    times = raw.select(to_utc("request_ts_us")).to_series()  # the facts' request_at, as the finished facts give it
    starters = raw.height + unattributed
    if stats.missing_parents > starters:  # perhaps a sample: count the whole store's starters (data_warnings)
        starters = sum(int(eng.collect(lf.select(nw.len().alias("n"))).item(0, "n") or 0) for lf in (whole.facts, whole.unattributed))
    diagnostics = Diagnostics(
        messages=stats.messages,
        requests=raw.height,
        unattributed_requests=unattributed,
        missing_parents=stats.missing_parents,
        in_cycles=stats.in_cycles,
        first_request_at=times.min() if raw.height else None,  # type: ignore[arg-type]
        last_request_at=times.max() if raw.height else None,  # type: ignore[arg-type]
        open_requests=int((raw["status"] == "open").sum()),
        end_of_data=datetime.fromtimestamp(end_us / 1_000_000, tz=UTC) if stats.messages else None,
        unmatched_brands=tuple(unmatched),
        request_mode=options.requests,
        first_response=options.first_response,
        replies_before_parent=skewed,
        store_thread_starters=starters,
        skip_automated=options.skip_automated,
        automated_replies=int(whole.meta.get("automated_replies", 0)),  # type: ignore[call-overload]
        automated_first_responses=int(whole.meta.get("automated_first_responses", 0)),  # type: ignore[call-overload]
    )
    finish = functools.partial(_finish_facts, raw, profiles.info)
    if options.extended:  # the intervals and the KM median read the finished facts
        facts: pl.DataFrame | Callable[[], pl.DataFrame] = finish()
        table = _finish_table(table, facts, keys, profiles.info, options, diagnostics, replies, nrt)  # type: ignore[arg-type]
    else:
        facts = finish
        table = _finish_table(table, pl.DataFrame(), keys, profiles.info, options, diagnostics, replies, nrt)
    whole.saved()
    return Measurement(table=table, facts=facts, diagnostics=diagnostics, engine=eng.name, options=options)


@dataclass(frozen=True)
class _Whole:
    """The unfiltered measurement of a store, on the engine (fresh or from the cache)."""

    facts: nw.LazyFrame
    unattributed: nw.LazyFrame
    meta: dict[str, object]
    replies: nw.LazyFrame | None = None  # reply pairs, with the extended figures only
    waits: nw.LazyFrame | None = None  # next-reply waits, with the extended figures only
    saving: threading.Thread | None = None  # the cache entry being written while the figures are computed

    def saved(self) -> None:
        """Wait for the cache entry (so the next question finds it)."""
        if self.saving is not None:
            self.saving.join()


def _whole_store(source: Store | pl.DataFrame, files: list, eng: Engine, options: MetricOptions) -> _Whole:
    """Threads, attribution and first responses of every request: from the cache when the store is
    unchanged since they were computed (:mod:`.cache`), else computed and cached."""
    cache = FactsCache(source.path, files, eng.name, options) if isinstance(source, Store) and eng.name in CACHE_ENGINES else None
    hit = cache.load() if cache else None
    if hit is not None:
        replies = waits = None
        if options.extended:
            pairs, spans = hit.replies, hit.waits
            if pairs is None or "agent" not in pairs.columns:  # an entry written before reply pairs (or their agents) were kept
                pairs = eng.collect(_scanned_reply_pairs(files, eng, options))
                cache.add_replies(pairs)  # type: ignore[union-attr]
            if spans is None:  # an entry written before next-reply waits were kept
                spans = eng.collect(_scanned_waits(files, eng, options))
                cache.add_waits(spans)  # type: ignore[union-attr]
            replies, waits = eng.from_polars(pairs), eng.from_polars(spans)
        return _Whole(eng.from_polars(hit.facts), eng.from_polars(hit.unattributed), hit.meta, replies, waits)
    if cache is not None and options.extended:  # a default ranking measured this store: add deflection, reply pairs and waits only
        plain_cache = FactsCache(source.path, files, eng.name, replace(options, extended=False))  # type: ignore[union-attr]
        plain = plain_cache.load()
        if plain is not None:
            # First responses are brand replies (as this analysis sees brands): only their texts are read.
            replies = _scanned(files, eng, replace(options, skip_automated=False)).filter(nw.col("is_brand") & ~nw.col("parent_id").is_null())
            facts = eng.materialize(_with_deflection(eng.from_polars(plain.facts), replies))
            pairs = eng.collect(_scanned_reply_pairs(files, eng, options))
            spans = plain.waits if plain.waits is not None else eng.collect(_plain_waits(plain_cache, files, eng, options))
            entry = Cached(eng.collect(facts), plain.unattributed, plain.meta, pairs, spans)
            saving = threading.Thread(target=cache.save, args=(entry,), name="benchmark-facts-cache")
            saving.start()
            return _Whole(facts, eng.from_polars(plain.unattributed), plain.meta, eng.from_polars(pairs), eng.from_polars(spans), saving)
    messages = eng.from_polars(source) if isinstance(source, pl.DataFrame) else eng.scan_parquet(files)
    messages, unmatched = _analysed(messages, options, eng)
    replies = eng.materialize(reply_pairs(messages, options.min_reply_s)) if options.extended else None
    threaded, stats = with_threads(_needed_columns(messages, options), eng)
    threaded = eng.materialize(threaded)
    # Waits only for the extended figures: on 3.55 M messages they cost as much CPU as resolving the threads
    # (3 s), which a default ranking would pay for a figure it never shows. `--figures all` or a report after
    # a default ranking reuses its facts and resolves the threads once more for the waits alone.
    waits = eng.materialize(next_reply_waits(threaded, eng)) if options.extended else None
    facts, orphans = facts_and_unattributed(
        threaded, Filters(), mode=options.requests, min_reply_s=options.min_reply_s, engine=eng,
        first_response=options.first_response,
    )
    facts, orphans = eng.materialize(facts), eng.materialize(orphans)
    end = threaded.select(nw.col(TS_COLUMN).max().alias("end"))
    if stats.replies_before_parent is None:  # the kernel did not count them: a join
        scalars = eng.collect(end.join(replies_before_parent(threaded), how="cross"))
    else:
        scalars = eng.collect(end.with_columns(nw.lit(stats.replies_before_parent).alias("replies_before_parent")))
    meta: dict[str, object] = {
        **(_automated_counts(threaded, options, eng) if options.skip_automated else {}),
        "end_us": int(scalars.item(0, "end") or 0) if scalars.height else 0,
        "replies_before_parent": int(scalars.item(0, "replies_before_parent") or 0) if scalars.height else 0,
        "threads": asdict(stats),
        "unmatched": unmatched,
    }
    saving = None
    if cache is not None:  # written on a second core while the figures are computed; measure() waits for it
        collected = [eng.collect(x) if x is not None else None for x in (replies, waits)]
        keep = waits is None and eng.keys_unique_across_platforms  # see _plain_waits
        inputs = eng.collect(wait_inputs(threaded, eng).drop(KEY)) if keep else None
        entry = Cached(eng.collect(facts), eng.collect(orphans), meta, *collected, wait_inputs=inputs)
        saving = threading.Thread(target=cache.save, args=(entry,), name="benchmark-facts-cache")
        saving.start()
    return _Whole(facts, orphans, meta, replies, waits if options.extended else None, saving)


def query_messages(query: Query, customers_only: bool = True) -> pl.LazyFrame:
    """Polars messages of ``query``'s store as its measurement sees them (brand accounts and the brands file
    applied, as for the facts), with its filters; customers' only by default. Listening reads these."""
    from ..engine import PolarsEngine

    st = query.store
    lf = nw.from_native(st.scan())
    if st.message_files():
        lf = _analysed(lf, replace(query.options, skip_automated=False), PolarsEngine())[0]
    if customers_only:
        lf = lf.filter(~nw.col("is_brand"))
    dated = lf.with_columns(nw.col("created_at").dt.timestamp("us").alias(TS_COLUMN))
    return _filtered(dated, query.filters).drop(TS_COLUMN).to_native()  # the facts' filters, as the facts apply them


AGENT_KEYS = ("platform", "brand", "agent")
AGENT_FIGURES = ("replies", "reply_median_s", "reply_mean_s", "reply_p90_s", "first_responses", "frt_median_s", "frt_mean_s")


def measure_agents(
    source: Store | pl.DataFrame,
    filters: Filters = Filters(),
    engine: str | Engine = "polars",
    options: MetricOptions = MetricOptions(),
) -> pl.DataFrame:
    """Per platform, brand and agent (the reply's signature, :mod:`.agents`; null for unsigned replies):
    reply pairs and their times (dated by the customer message, as in the brand table), and the first
    responses the agent wrote with their FRT (the requests ``filters`` keep)."""
    eng = get_engine(engine) if isinstance(engine, str) else engine
    m = measure(source, filters, eng, replace(options, extended=False, period=None))
    schema = {"platform": pl.String, "brand": pl.String, "agent": pl.String, **{c: pl.Int64 if c in ("replies", "first_responses") else pl.Float64 for c in AGENT_FIGURES}}
    if m.facts.height == 0 and (isinstance(source, pl.DataFrame) or not source.message_files()):
        return pl.DataFrame(schema=schema)
    if isinstance(source, pl.DataFrame):
        messages, _ = _analysed(eng.from_polars(source), options, eng)
    else:
        messages = _scanned(source.message_files(), eng, options)
    pairs = _filtered(reply_pairs(messages, options.min_reply_s).with_columns(nw.col("parent_ts_us").alias(TS_COLUMN)), filters)
    replies = eng.collect(reply_table(pairs, AGENT_KEYS).select(*AGENT_KEYS, *AGENT_FIGURES[:4]))
    signed = messages.filter(nw.col("is_brand") & ~nw.col("parent_id").is_null()).select(
        "platform", nw.col("message_id").alias("response_id"), agent_of(nw.col("text")).alias("agent")
    )
    answered = m.facts.filter(pl.col("answered")).select("platform", "brand", "response_id", "frt_s")
    firsts = eng.collect(
        eng.from_polars(answered)
        .join(signed, on=["platform", "response_id"], how="inner")
        .group_by(*AGENT_KEYS)
        .agg(nw.len().cast(nw.Int64).alias("first_responses"), nw.col("frt_s").median().alias("frt_median_s"), nw.col("frt_s").mean().alias("frt_mean_s"))
    )
    keys = list(AGENT_KEYS)
    table = replies.join(firsts, on=keys, how="full", coalesce=True, nulls_equal=True)
    table = table.with_columns(pl.col("replies").fill_null(0), pl.col("first_responses").fill_null(0))
    return table.select(*[pl.col(c).cast(t) for c, t in schema.items()]).sort("platform", "brand", "agent", nulls_last=True)


def _automated_counts(threaded: nw.LazyFrame, options: MetricOptions, eng: Engine) -> dict[str, int]:
    """Brand replies marked automated, and requests whose first response would have been one (diagnostics)."""
    marked = threaded.filter(nw.col(AUTOMATED)).select("platform", nw.col("message_id").alias("response_id"))
    plain, _ = facts_and_unattributed(
        threaded.drop(AUTOMATED), Filters(), mode=options.requests, min_reply_s=options.min_reply_s, engine=eng,
        first_response=options.first_response,
    )
    skipped = plain.join(marked, on=["platform", "response_id"], how="inner").select(nw.len().alias("n"))
    counts = eng.collect(marked.select(nw.len().alias("marked")).join(skipped, how="cross"))
    return {"automated_replies": int(counts.item(0, "marked") or 0), "automated_first_responses": int(counts.item(0, "n") or 0)}


def _scanned(files: list, eng: Engine, options: MetricOptions) -> nw.LazyFrame:
    """The store's messages with brands merged (and automated replies flagged) as for the facts."""
    return _analysed(eng.scan_parquet(files), options, eng)[0]


def _analysed(messages: nw.LazyFrame, options: MetricOptions, eng: Engine) -> tuple[nw.LazyFrame, list[str]]:
    """Messages as this analysis sees them: the brand accounts it names (``--brand``, the brands file's
    accounts) write as their brand, brands merged under their display names, automated replies flagged;
    and the store brands no brands-file account matched."""
    accounts = [*options.accounts, *(options.brands.account_ids() if options.brands is not None else ())]
    if accounts:
        messages = with_brand_accounts(messages, accounts)
    unmatched: list[str] = []
    if options.brands is not None:
        messages, unmatched = apply_brand_book(messages, options.brands, eng)
    if options.skip_automated:
        messages = with_automated_flag(messages)
    return messages, unmatched


def _scanned_reply_pairs(files: list, eng: Engine, options: MetricOptions) -> nw.LazyFrame:
    """Reply pairs read from the store's files (brands merged as for the facts)."""
    return reply_pairs(_scanned(files, eng, options), options.min_reply_s)


def _plain_waits(plain: FactsCache, files: list, eng: Engine, options: MetricOptions) -> nw.LazyFrame:
    """Next-reply waits for the extended figures of a store a default ranking measured: from the messages it kept
    for them (:data:`.cache.WAIT_INPUTS_FILE`, keyed again by row number), else by resolving the threads again."""
    inputs = plain.load_wait_inputs()
    if inputs is None:  # an entry written before they were kept
        return _scanned_waits(files, eng, options)
    return waits_of(eng.from_polars(inputs.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(KEY))), eng)


def _scanned_waits(files: list, eng: Engine, options: MetricOptions) -> nw.LazyFrame:
    """Next-reply waits read from the store's files (brands merged and threads resolved as for the facts)."""
    messages = _scanned(files, eng, options)
    threaded, _stats = with_threads(_needed_columns(messages, replace(options, extended=False)), eng)
    return next_reply_waits(eng.materialize(threaded), eng)


def _with_period(pairs: nw.LazyFrame, info: pl.DataFrame, cal: nw.LazyFrame, bucket_us: int, period: str, eng: Engine) -> nw.LazyFrame:
    """Reply pairs with the ``period`` of the customer message (the brand's local time, as for requests)."""
    if info.height:
        pairs = pairs.join(eng.from_polars(info.select("brand", "profile")), on="brand", how="left")
        pairs = pairs.with_columns(nw.col("profile").fill_null(0))
    else:
        pairs = pairs.with_columns(nw.lit(0, dtype=nw.Int64()).alias("profile"))
    buckets = cal.select("profile", nw.col("bucket").alias("_pb"), nw.col(period).alias("period"))
    return (
        pairs.with_columns((nw.col(TS_COLUMN) // bucket_us).alias("_pb"))
        .join(buckets, on=["profile", "_pb"], how="left")
        .drop("_pb", "profile")
    )


def _with_deflection(facts: nw.LazyFrame, messages: nw.LazyFrame) -> nw.LazyFrame:
    """``facts`` with ``deflected`` computed from the texts of their first responses only."""
    responses = facts.filter(nw.col("answered")).select("platform", nw.col("response_id").alias("message_id")).unique()
    flags = (
        messages.select("platform", "message_id", "text")
        .join(responses, on=["platform", "message_id"], how="inner")
        .select("platform", nw.col("message_id").alias("response_id"), is_deflection(nw.col("text")).alias("_deflects"))
        .unique(["platform", "response_id"])
    )
    return (
        facts.drop("deflected")
        .join(flags, on=["platform", "response_id"], how="left")
        .with_columns((nw.col("_deflects") & ~nw.col("response_ts_us").is_null()).alias("deflected"))
        .select(*FACT_COLUMNS, "deflected")
    )


def _needed_columns(messages: nw.LazyFrame, options: MetricOptions) -> nw.LazyFrame:
    """Only what the figures read: text is reduced to the flags computed from it (it is most of the bytes)."""
    columns = ["platform", "brand", "message_id", "parent_id", "thread_id", "author_id", "is_brand", TS_COLUMN]
    if options.skip_automated:
        columns.append(AUTOMATED)
    if options.requests == "comments":
        columns.append("kind")
    flags = []
    if options.extended:
        flags.append(is_deflection(nw.col("text")).alias(DEFLECTS))
    if options.requests == "questions":
        flags.append(is_question(nw.col("text")).alias(QUESTION))
    return messages.select(*columns, *flags)


def _finish_table(
    table: pl.DataFrame,
    facts: pl.DataFrame,
    keys: tuple[str, ...],
    info: pl.DataFrame,
    options: MetricOptions,
    d: Diagnostics,
    replies: pl.DataFrame | None = None,
    nrt: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Types, intervals, the KM median, brand-file columns, reply time, the devoted flag and period changes."""
    ints = {"requests", "answered", "unanswered", "open", "deflected"}
    ints |= {c for c in EXTENDED_COLUMNS if c.endswith(("_requests", "_answered"))}
    table = table.with_columns(
        [pl.col(c).cast(pl.Int64) for c in ints if c in table.columns]
        + [pl.col(c).cast(pl.Float64) for c in table.columns if c not in ints and c not in keys]
    )
    if not options.extended:  # the default figures: nothing below is asked for
        table = table.select(*keys, *METRIC_COLUMNS)
        return (with_changes(table) if options.period else table).sort(*keys, nulls_last=True)
    table = wilson_columns(table.with_columns((pl.col("requests") - pl.col("open")).alias("_closed"))).drop("_closed")
    k = list(keys)
    table = table.join(median_ci_columns(facts, k), on=k, how="left", nulls_equal=True)
    table = table.join(km_median(facts, k), on=k, how="left", nulls_equal=True)
    table = table.join(
        info.select("brand", "sector", (pl.col("sla_s") / 60).alias("sla_minutes")), on="brand", how="left"
    )
    if options.period:
        quarters = pl.lit(1.0)
    else:
        span = (d.last_request_at - d.first_request_at).total_seconds() if d.first_request_at and d.last_request_at else 0.0
        quarters = pl.lit(max(1.0, span / QUARTER_S))
    table = table.with_columns(
        (
            (pl.col("response_rate") >= options.devoted_rate).fill_null(False)
            & (pl.col("requests") >= options.devoted_min_per_quarter * quarters)
        ).alias("devoted")
    )
    table = _with_reply_time(table, replies, k)
    table = _with_next_reply_time(table, nrt, k)
    table = table.select(*keys, *METRIC_COLUMNS, *(ALL_FIGURES if options.extended else ()))
    if options.period:
        table = with_changes(table)
    return table.sort(*keys, nulls_last=True)


def _with_reply_time(table: pl.DataFrame, replies: pl.DataFrame | None, keys: list[str]) -> pl.DataFrame:
    """:data:`~.replies.REPLY_COLUMNS` joined on the brand rows (0 replies, null times where a row has none)."""
    counts = ("replies", *AGENT_COLUMNS)
    figures = [*[pl.col(c).cast(pl.Int64) for c in counts], *[pl.col(c).cast(pl.Float64) for c in REPLY_COLUMNS[1:]]]
    if replies is None:
        return table.with_columns(*[pl.lit(None, pl.Int64).alias(c) for c in counts], *[pl.lit(None, pl.Float64).alias(c) for c in REPLY_COLUMNS[1:]])
    replies = replies.select(*[pl.col(c).cast(table.schema[c]) for c in keys], *figures)
    return table.join(replies, on=keys, how="left", nulls_equal=True).with_columns(pl.col(c).fill_null(0) for c in counts)


def _with_next_reply_time(table: pl.DataFrame, nrt: pl.DataFrame | None, keys: list[str]) -> pl.DataFrame:
    """:data:`~.next_reply.NRT_COLUMNS` joined on the brand rows (0 waits, null times where a row has none)."""
    counts = ("waits", "waits_unanswered")
    if nrt is None:
        return table.with_columns(*[pl.lit(None, pl.Int64).alias(c) for c in counts], *[pl.lit(None, pl.Float64).alias(c) for c in NRT_COLUMNS if c not in counts])
    nrt = nrt.select(
        *[pl.col(c).cast(table.schema[c]) for c in keys],
        *[pl.col(c).cast(pl.Int64 if c in counts else pl.Float64) for c in NRT_COLUMNS],
    )
    return table.join(nrt, on=keys, how="left", nulls_equal=True).with_columns(pl.col(c).fill_null(0) for c in counts)


def _finish_facts(facts: pl.DataFrame, info: pl.DataFrame) -> pl.DataFrame:
    """The facts with their sector and UTC datetimes, ordered by platform, brand, request time and id.

    Ordered through ``arg_sort_by`` and one gather: the same order as ``DataFrame.sort`` on the four
    keys, about four times faster on a million requests (the sort carried every column along).
    """
    done = (
        facts.join(info.select("brand", "sector"), on="brand", how="left")
        .select(
            "platform",
            "brand",
            "sector",
            "request_id",
            "author_id",
            to_utc("request_ts_us"),
            "response_id",
            to_utc("response_ts_us"),
            pl.col("frt_s").cast(pl.Float64),
            pl.col("bh_frt_s").cast(pl.Float64),
            pl.col("answered").cast(pl.Boolean),
            "status",
            pl.col("followup_s").cast(pl.Float64),
            pl.col("deflected").cast(pl.Boolean),
            pl.col("in_hours").cast(pl.Boolean),
            pl.col("night").cast(pl.Boolean),
            pl.col("weekend").cast(pl.Boolean),
            "slot",
            "period",
            "thread_status",
        )
    )
    return done[request_order(done)]


def request_order(facts: pl.DataFrame) -> pl.Series:
    """The rows of ``facts`` ordered by platform, brand, request time and request id, as
    ``arg_sort_by`` on those four columns gives them, at a third of its CPU.

    The brand strings are sorted once among the few distinct (platform, brand) pairs and the rows by
    that pair's number and the time; only rows with the same pair and time (a few in a million) are
    then ordered by their id: sorting every row on the strings was most of the cost.
    """
    groups = facts.select("platform", "brand").unique().sort("platform", "brand").with_row_index("_g")
    keyed = facts.select("platform", "brand", "request_at").join(
        groups, on=["platform", "brand"], how="left", nulls_equal=True, maintain_order="left"
    )
    order = keyed.select(pl.arg_sort_by("_g", "request_at")).to_series()
    same = keyed.select("_g", "request_at")[order].select(
        (pl.col("_g").eq_missing(pl.col("_g").shift(1)) & pl.col("request_at").eq_missing(pl.col("request_at").shift(1))).fill_null(False)
    ).to_series().to_numpy()
    if not same.any():
        return order
    at = order.to_numpy().copy()
    tied = np.flatnonzero(same | np.append(same[1:], False))  # every row of a run of equal (pair, time)
    ids = facts.get_column("request_id").gather(pl.Series(at[tied]))
    at[tied] = pl.DataFrame({"_run": np.cumsum(~same)[tied], "_id": ids, "_row": at[tied]}).sort("_run", "_id").get_column("_row").to_numpy()
    return pl.Series(at)


__all__ = [
    "ALL_FIGURES",
    "CHANGE_COLUMNS",
    "DEFAULT_OPEN_WINDOW_S",
    "FACT_COLUMNS",
    "METRIC_COLUMNS",
    "PERIODS",
    "REQUEST_MODES",
    "SLA_SECONDS",
    "Diagnostics",
    "Filters",
    "Measurement",
    "MetricOptions",
    "measure",
    "measure_agents",
    "query_messages",
    "parse_duration",
    "request_order",
]

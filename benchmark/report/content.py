"""Everything a report shows, gathered once from a store: ranking, charts, coverage.

The HTML and Markdown renderers only lay this out, so both always agree.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from .. import api, chart
from ..chart.data import ranked_brands, zone
from ..defaults import AUTOMATED_MAX_SECONDS, AUTOMATED_MIN_CUSTOMERS
from ..defaults import DEFAULT_TIMEZONE as DEFAULT_TZ
from ..errors import UsageError
from ..metrics import METRIC_COLUMNS, Measurement
from ..query import Query
from ..rank import DEFAULT_MIN_REQUESTS
from ..store import Store, open_store
from ..chart.highlight import resolve_highlight
from .changes import BrandChange, brand_changes
from .compare import Comparison, comparisons
from .hours import HoursTable, hours_tables
from .i18n import date_text, cell, duration, integer, percent, text
from .listening_section import SimpleTable, listening_tables

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLE_COLUMNS = ("rank", "brand", "platform", *METRIC_COLUMNS)
# Key figures first (a phone shows the first few columns), platform last; unanswered = requests − answered.
SHOWN_COLUMNS = ("rank", "brand", "frt_median_s", "response_rate", "requests", "answered", "frt_mean_s", "frt_p90_s", "within_30m", "within_1h", "within_24h", "platform")


@dataclass(frozen=True)
class ChartImage:
    """One chart ready to embed: an ``data:`` URI (SVG) or None when there was nothing to draw."""

    key: str
    title: str
    data_uri: str | None


@dataclass(frozen=True)
class Row:
    """One brand's table row: raw values (for sorting) and human-readable cells."""

    raw: dict[str, object]
    cells: dict[str, str]


@dataclass(frozen=True)
class Headline:
    """One headline figure: what it is, its value, and the n it rests on (always shown beside it)."""

    key: str
    label: str
    value: str
    basis: str
    brand: str | None = None  # the fastest/slowest cards name a brand (user data: escaped when rendered)


@dataclass(frozen=True)
class BrandCoverage:
    """One brand's measured pages and handles, grouped: its platforms with their request counts."""

    brand: str
    platforms: list[tuple[str, str]]  # (platform, requests as people read it)
    requests: str


@dataclass(frozen=True)
class IngestGroup:
    """The ingested files of one format, counted together (file names listed apart, collapsed)."""

    format: str
    files: str
    read: str
    stored: str
    duplicates: str
    rejected: str


@dataclass
class ReportContent:
    lang: str
    title: str
    t: dict[str, str]
    min_requests: int
    tz: str
    generated: str
    columns: tuple[str, ...]
    ranked: list[Row]
    unranked: list[Row]
    charts: list[ChartImage]
    summary: list[str]
    brand_notes: list[tuple[Row, str]]
    coverage: list[tuple[str, str]]
    ingests: list[dict[str, str]]
    reject_reasons: list[tuple[str, str]]
    methodology: list[str]
    filters: str
    listening: list[SimpleTable]
    period: str = ""  # the requests' first and last day, shown with the title
    headline: list[Headline] = field(default_factory=list)
    coverage_brands: list[BrandCoverage] = field(default_factory=list)
    ingest_groups: list[IngestGroup] = field(default_factory=list)
    several_platforms: bool = False
    warnings: list[str] = field(default_factory=list)  # most threads broken, most requests open (issue 14, item 9)
    changes: list[BrandChange] = field(default_factory=list)  # each brand's latest month vs its previous one
    highlight: str | None = None  # --highlight: the brand coloured in every chart and table
    comparison: list[Comparison] = field(default_factory=list)  # its card(s): figures, peers' median, rank of N
    hours: list[HoursTable] = field(default_factory=list)  # all hours, office, nights, weekends (rank --figures all)

    @property
    def full_title(self) -> str:
        """The title with the period it covers ("… , 2017-09-04 to 2017-10-30")."""
        return f"{self.title} · {self.period}" if self.period else self.title


# (chart kind, title): drawn by ``chart.KINDS[kind]``, looked up on the drawing thread, where matplotlib loads.
CHARTS: tuple[tuple[str, str], ...] = (
    ("ranking", "ranking_title"),
    ("map", "map_title"),
    ("distribution", "dist_title"),
    ("heatmap", "heat_requests"),
    ("trend", "trend_title"),
)


def gather(
    store: Store | str | Path | Query | Measurement,
    *,
    lang: str = "en",
    min_requests: int = DEFAULT_MIN_REQUESTS,
    tz: str = DEFAULT_TZ,
    title: str | None = None,
    since: api.TimeLike = None,
    until: api.TimeLike = None,
    platform: str | None = None,
    brands: Sequence[str] = (),
    brands_file: str | Path | None = None,
    engine: str = "polars",
    first_response: str = "thread",
    skip_automated: bool = False,
    charts: bool = True,
    keywords: Sequence[str] = (),
    highlight: str | None = None,
    only_brands: Sequence[str] = (),
    brand_book: str | Path | None = None,
) -> ReportContent:
    """Measure ``store`` once and prepare every figure, chart and coverage line of the report from that one
    :class:`~benchmark.metrics.Measurement`: ranking, charts, listening, changes vs the previous month, hours
    tables, and the coverage counts from its store summaries (never by reading every rejects file).

    ``store`` may be a Query or a Measurement (the report then shows their filters, in their timezone unless
    ``tz`` names another); the keywords that say what to measure must then be left out. ``only_brands`` and ``brand_book``
    are the brand filter and the brands file (``brands`` and ``brands_file``: their old names).
    """
    from .. import __version__  # at call time: the package imports this module while it initialises

    t = text(lang)
    zone(tz)
    if charts:  # matplotlib and the charts load on a second thread while this one measures (Polars frees the GIL)
        Background(_load_charts)
    brands = api.renamed("only_brands", tuple(only_brands), "brands", tuple(brands), empty=())  # type: ignore[assignment]
    brands_file = api.renamed("brand_book", brand_book, "brands_file", brands_file)  # type: ignore[assignment]
    if isinstance(store, (Query, Measurement)):
        given = [k for k, v in (("since", since), ("until", until), ("platform", platform), ("only_brands", brands), ("brand_book", brands_file)) if v not in (None, (), [])]
        given += [k for k, v, d in (("engine", engine, "polars"), ("first_response", first_response, "thread"), ("skip_automated", skip_automated, False)) if v != d]
        if given:
            raise UsageError(f"the {type(store).__name__} says what to measure already: drop {', '.join(given)}")
        m = api.measure(store)
        if not m.options.extended:  # the report shows the extended figures (intervals, reply and next-reply times)
            m = m.derived(extended=True)
        q = m.query
        assert q is not None
        if tz == DEFAULT_TZ:  # local time as the query measured it (its --timezone), unless the report is given another
            tz = m.options.timezone
        since, until = _bound(q.filters.since_us), _bound(q.filters.until_us, end=True)
        platform, brands = q.filters.platform, q.filters.brands
    else:
        m = api.measure(api.query(
            store if isinstance(store, Store) else open_store(store), since=since, until=until, platform=platform,
            only_brands=brands, engine=engine, brand_book=brands_file, first_response=first_response, timezone=tz,  # type: ignore[arg-type]
            skip_automated=skip_automated,
        ))
    st = m.store
    assert st is not None

    mark = resolve_highlight(m, highlight)  # an unknown name stops here, before anything is drawn
    ranked = ranked_brands(m, min_requests) if m.table.height else pl.DataFrame(schema={c: pl.String for c in (*TABLE_COLUMNS, "label")})
    rows = [_row(r, lang) for r in ranked.select(TABLE_COLUMNS).iter_rows(named=True)]
    ranked_rows = [r for r in rows if r.raw["rank"] is not None]
    filters = _describe_filters(t, since, until, platform, brands)
    drawn = Background(_charts, m, lang, min_requests, tz, mark) if charts else None  # drawn while the rest is computed
    listening = listening_tables(m, st, t, lang, keywords=keywords) if charts and m.table.height else []
    return ReportContent(
        lang=lang,
        title=title or t["title"],
        t=t,
        min_requests=min_requests,
        tz=tz,
        generated=t["generated"].format(version=__version__, date=f"{date_text(datetime.now(UTC), lang)} {datetime.now(UTC):%H:%M}"),
        columns=tuple(c for c in SHOWN_COLUMNS if c != "platform" or m.table.get_column("platform").n_unique() > 1),
        ranked=ranked_rows,
        unranked=[r for r in rows if r.raw["rank"] is None],
        charts=drawn.result() if drawn else [],
        summary=_summary(m, t, ranked_rows, lang, min_requests),
        brand_notes=[(r, _brand_note(r, t, lang)) for r in rows],
        # Read (not just counted from the summaries): a damaged rejects file must stop the report with a line naming
        # it (tests/test_hostile_store_repair.py), never be shown as a count.
        coverage=_coverage(m, t, lang, filters, rejected=st.rejects().height),
        ingests=_ingests(m, lang),
        reject_reasons=_reject_reasons(m, lang),
        methodology=_methodology(t, m, lang, min_requests, tz),
        filters=filters,
        period=_period(m, t, lang),
        headline=headline(m, t, ranked_rows, lang, min_requests),
        coverage_brands=_coverage_brands(m, lang),
        ingest_groups=_ingest_groups(m, lang),
        several_platforms=m.table.get_column("platform").n_unique() > 1,
        warnings=_warnings(m, t, lang),
        changes=brand_changes(m, lang, tz=tz),
        listening=listening,
        highlight=mark,
        hours=hours_tables(m, [(str(r.raw["brand"]), str(r.raw["platform"])) for r in rows], t, lang),
        comparison=comparisons(ranked, mark, t, lang, min_requests) if m.table.height else [],
    )


def _methodology(t: dict[str, str], m: Measurement, lang: str, min_requests: int, tz: str) -> list[str]:
    """The definitions behind the figures; the response line names the first-response rule the report used."""
    response = "def_response_direct" if m.options.first_response == "direct" else "def_response"
    keys = ("def_request", response, *(("def_automated",) if m.options.skip_automated else ()), "def_frt", "def_rate", "def_rank", "def_ci")
    return [t[k].format(n=integer(min_requests, lang), tz=tz, customers=AUTOMATED_MIN_CUSTOMERS, seconds=AUTOMATED_MAX_SECONDS) for k in keys]


class Background:
    """``fn(*args)`` on a daemon thread, its result (or its exception) collected by :meth:`result`.

    The charts are drawn this way while the main thread computes the listening tables: matplotlib
    holds the GIL, Polars releases it, so on two cores the report takes about the longer of the two
    instead of their sum. Only the chart thread touches matplotlib. A daemon thread, so that Ctrl-C
    ends the command at once instead of waiting for the drawing to finish.
    """

    def __init__(self, fn: Callable[..., object], *args: object) -> None:
        import threading

        self._value: object = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), name="report-charts", daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[..., object], args: tuple[object, ...]) -> None:
        try:
            self._value = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by result()
            self._error = exc

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _period(m: Measurement, t: dict[str, str], lang: str) -> str:
    d = m.diagnostics
    if d.first_request_at is None or d.last_request_at is None:
        return ""
    return t["period_span"].format(first=date_text(d.first_request_at, lang), last=date_text(d.last_request_at, lang))


def overall(m: Measurement) -> dict[str, object]:
    """Every attributed request in the selection taken as one brand: the same figures as a table row.

    Computed by the brand table itself (one key for all), so the headline cannot drift from the
    per-brand definitions; plus the counts each share rests on (``closed`` = requests not open).
    """
    import narwhals as nw

    from ..metrics.brand_table import SLA_SECONDS, brand_table

    facts = m.facts.with_columns(pl.lit("all").alias("_all"))
    row = brand_table(nw.from_native(facts.lazy()), ("_all",)).collect().to_native().row(0, named=True)
    is_open = pl.col("status") == "open"
    counts = facts.select(
        is_open.sum().alias("open"),
        (pl.col("frt_s") <= SLA_SECONDS["within_1h"]).fill_null(False).sum().alias("n_within_1h"),
    ).row(0, named=True)
    return {**row, **counts, "closed": row["requests"] - counts["open"], "brands": m.table.get_column("brand").n_unique()}


def headline(m: Measurement, t: dict[str, str], ranked: list[Row], lang: str, min_requests: int) -> list[Headline]:
    """The figures a reader wants first, each with the n behind it: overall volume, response rate,
    median FRT and share within 1 h, then the fastest and slowest ranked brands."""
    if not m.facts.height:
        return []
    o = overall(m)
    n = {k: integer(int(o[k]), lang) for k in ("requests", "answered", "closed", "open", "n_within_1h", "brands")}  # type: ignore[call-overload]
    open_note = t["hl_open"].format(open=n["open"]) if o["open"] else ""
    out = [
        Headline("requests", t["hl_requests"], n["requests"], t["hl_requests_n"].format(brands=n["brands"])),
        Headline("response_rate", t["response_rate"], percent(o["response_rate"], lang),  # type: ignore[arg-type]
                 t["hl_rate_n"].format(answered=n["answered"], closed=n["closed"]) + open_note),
        Headline("frt_median_s", t["hl_median"], duration(o["frt_median_s"], lang), t["hl_median_n"].format(answered=n["answered"])),  # type: ignore[arg-type]
        Headline("within_1h", t["hl_within_1h"], percent(o["within_1h"], lang),  # type: ignore[arg-type]
                 t["hl_within_n"].format(within=n["n_within_1h"], closed=n["closed"]) + open_note),
    ]
    if not ranked:
        out.append(Headline("no_ranked", t["hl_fastest"], "—", t["no_ranked"].format(n=integer(min_requests, lang))))
        return out
    picks = [("fastest", ranked[0])] + ([("slowest", ranked[-1])] if len(ranked) > 1 else [])
    of = integer(len(ranked), lang)
    for key, r in picks:
        name = f"{r.raw['brand']} ({r.raw['platform']})" if m.table.get_column("platform").n_unique() > 1 else str(r.raw["brand"])
        basis = t["hl_brand_n"].format(rank=r.cells["rank"], of=of, answered=r.cells["answered"], requests=r.cells["requests"], rate=r.cells["response_rate"])
        out.append(Headline(key, t[f"hl_{key}"], r.cells["frt_median_s"], basis, brand=name))
    return out


def _row(raw: dict[str, object], lang: str) -> Row:
    return Row(raw=raw, cells={c: cell(c, v, lang) for c, v in raw.items()})


def svg_data_uri(fig: Figure) -> str:
    """A chart as an ``<img>`` source: SVG stays sharp in print, and as an image it can run nothing."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.to_bytes(fig, "svg")).decode("ascii")


def _load_charts() -> None:
    """Import what :func:`_charts` draws with (about half a second of matplotlib start-up)."""
    chart.KINDS, chart.to_bytes  # noqa: B018 - loading them is the point


def _charts(m: Measurement, lang: str, min_requests: int, tz: str, highlight: str | None = None) -> list[ChartImage]:
    from ..chart.style import labels

    names = labels(lang)
    options: dict[str, dict[str, object]] = {
        "ranking": {"min_requests": min_requests, "highlight": highlight},
        "map": {"min_requests": min_requests, "highlight": highlight},
        "distribution": {"min_requests": min_requests, "highlight": highlight},
        "heatmap": {"tz": tz},  # every brand's requests together: nothing to single out
        "trend": {"min_requests": min_requests, "tz": tz, "highlight": highlight},
    }
    out = []
    for key, title_key in CHARTS:
        title = names[title_key].format(tz=tz, period=names["month"])
        draw: Callable[..., Figure] = chart.KINDS[key]
        try:
            uri: str | None = svg_data_uri(draw(m, lang=lang, **options[key]))
        except chart.NoDataError:
            uri = None
        out.append(ChartImage(key=key, title=title, data_uri=uri))
    return out


def _summary(m: Measurement, t: dict[str, str], ranked: list[Row], lang: str, min_requests: int) -> list[str]:
    d = m.diagnostics
    if not d.requests or d.first_request_at is None or d.last_request_at is None:
        return []
    answered = int(m.facts.get_column("answered").sum())
    lines = [
        t["summary_line"].format(
            brands=integer(m.table.get_column("brand").n_unique(), lang),
            requests=integer(d.requests, lang),
            first=date_text(d.first_request_at, lang),
            last=date_text(d.last_request_at, lang),
            answered=integer(answered, lang),
        )
    ]
    if ranked:
        lines.append(t["best"].format(brand=ranked[0].raw["brand"], median=ranked[0].cells["frt_median_s"]))
    else:
        lines.append(t["no_ranked"].format(n=integer(min_requests, lang)))
    return lines


def _warnings(m: Measurement, t: dict[str, str], lang: str) -> list[str]:
    """The data warnings rank prints, in the report's language."""
    from ..metrics.data_warnings import data_warnings

    out = []
    for w in data_warnings(m.diagnostics):
        share = percent(w.share, lang)
        if w.kind == "broken":
            out.append(t["warn_broken"].format(n=integer(w.n, lang), starters=integer(w.of - w.n, lang), share=share))
        else:
            window = f"{(m.options.open_window_s or 0) / 3600:g} h"
            out.append(t["warn_open"].format(n=integer(w.n, lang), of=integer(w.of, lang), share=share, window=window, rest=integer(w.of - w.n, lang)))
    return out


def _brand_note(r: Row, t: dict[str, str], lang: str) -> str:
    c = r.cells
    if not r.raw["answered"]:
        return t["brand_unanswered"].format(brand=r.raw["brand"], requests=c["requests"])
    return t["brand_line"].format(brand=r.raw["brand"], answered=c["answered"], requests=c["requests"], rate=c["response_rate"], median=c["frt_median_s"], p90=c["frt_p90_s"])


def _bound(us: int | None, *, end: bool = False) -> str | None:
    """A Query's bound (µs, UTC; ``until`` exclusive) as the report's filter line writes it: a date when it is
    midnight (an ``until`` date is the day before the exclusive bound), else an ISO date-time."""
    if us is None:
        return None
    from datetime import timedelta

    at = datetime.fromtimestamp(us / 1_000_000, tz=UTC)
    if at == at.replace(hour=0, minute=0, second=0, microsecond=0):
        return (at - timedelta(days=1) if end else at).date().isoformat()
    return at.isoformat()


def _describe_filters(t: dict[str, str], since: api.TimeLike, until: api.TimeLike, platform: str | None, brands: Sequence[str]) -> str:
    parts = []
    if since is not None:
        parts.append(f"since {since}")
    if until is not None:
        parts.append(f"until {until}")
    if platform:
        parts.append(f"platform {platform}")
    if brands:
        parts.append("brands " + ", ".join(brands))
    return "; ".join(parts) or t["none"]


def _coverage(m: Measurement, t: dict[str, str], lang: str, filters: str, *, rejected: int) -> list[tuple[str, str]]:
    d = m.diagnostics
    period = f"{date_text(d.first_request_at, lang)} → {date_text(d.last_request_at, lang)}" if d.first_request_at and d.last_request_at else "—"
    per_platform = m.table.group_by("platform").agg(pl.len().alias("brands"), pl.col("requests").sum()).sort("platform")
    platforms = "; ".join(f"{p}: {integer(b, lang)} × {t['brands'].lower()}, {integer(r, lang)} × {t['requests'].lower()}" for p, b, r in per_platform.iter_rows())
    brands = m.table.get_column("brand").n_unique()
    pages = t["pages_value"].format(pages=integer(m.table.height, lang), brands=integer(brands, lang)) if m.table.height else "0"
    return [
        (t["period"], period),
        (t["filters"], filters),
        (t["platforms"], platforms or "—"),
        (t["pages"], pages),
        (t["messages"], integer(d.messages, lang)),
        (t["requests_attributed"], integer(d.requests, lang)),
        (t["unattributed"], integer(d.unattributed_requests, lang)),
        (t["missing_parents"], integer(d.missing_parents, lang)),
        (t["in_cycles"], integer(d.in_cycles, lang)),
        (t["rejected"], integer(rejected, lang)),
    ]


def _ingests(m: Measurement, lang: str) -> list[dict[str, str]]:
    """One line per ingested file; only the file name, never the local path (it may name people or machines)."""
    out = []
    for s in m.summaries:
        out.append(
            {
                "file": Path(str(s.get("source_file", ""))).name,
                "format": str(s.get("format", "")),
                **{k: integer(int(s.get(k, 0) or 0), lang) for k in ("read", "stored", "duplicates", "rejected")},  # type: ignore[call-overload]
            }
        )
    return out


def _coverage_brands(m: Measurement, lang: str) -> list[BrandCoverage]:
    """One entry per brand (not per page or file), its platforms side by side, busiest brand first."""
    per = m.table.select("brand", "platform", "requests").sort("platform")
    out = []
    for (brand,), rows in per.group_by("brand", maintain_order=True):
        total = int(rows.get_column("requests").sum())
        out.append((total, BrandCoverage(str(brand), [(p, integer(r, lang)) for p, r in rows.select("platform", "requests").iter_rows()], integer(total, lang))))
    out.sort(key=lambda x: (-x[0], x[1].brand.lower()))
    return [b for _, b in out]


def _ingest_groups(m: Measurement, lang: str) -> list[IngestGroup]:
    """The ingest summaries summed per format: a few lines, however many files were loaded."""
    sums: dict[str, Counter[str]] = {}
    for s in m.summaries:
        c = sums.setdefault(str(s.get("format", "")), Counter())
        c["files"] += 1
        for k in ("read", "stored", "duplicates", "rejected"):
            c[k] += int(s.get(k, 0) or 0)  # type: ignore[call-overload]
    return [IngestGroup(fmt, *(integer(c[k], lang) for k in ("files", "read", "stored", "duplicates", "rejected"))) for fmt, c in sorted(sums.items())]


def _reject_reasons(m: Measurement, lang: str) -> list[tuple[str, str]]:
    """Reasons only, never the rejected records' raw text (personal data)."""
    totals: Counter[str] = Counter()
    for s in m.summaries:
        totals.update(s.get("reject_reasons") or {})  # type: ignore[arg-type]
    return [(reason, integer(n, lang)) for reason, n in totals.most_common()]

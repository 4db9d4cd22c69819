"""Listening from Python: every function takes a store (or its path), a Query or a Measurement, and returns a
Polars DataFrame.

The options mirror :func:`benchmark.api.query`: ``brand_book`` merges accounts
into brands, ``requests``/``open_window`` define requests and open ones,
``since``/``until``/``platform``/``only_brands`` filter (``brands_file`` and ``brands`` are their old names).

>>> import benchmark as bm
>>> bm.topics("store").columns[:4]
['topic', 'team', 'requests', 'share']
>>> bm.users("store", top=5).height
5
>>> bm.keywords("store", ["fibra", "4g", "bolletta"], by="week").columns
['period', 'keyword', 'mentions']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from ..defaults import DEFAULT_ENGINE, DEFAULT_OPEN_WINDOW
from .. import api
from ..api import BrandsLike
from ..errors import UsageError
from ..metrics import Measurement
from ..query import Query
from ..metrics.options import RequestMode
from .keyword_volumes import keyword_counts
from .source import StoreLike, as_store
from .taxonomy import Taxonomy, load_taxonomy
from .topic_figures import GROUPS, grouped_table, labelled_facts, topic_volumes
from .top_users import top_users

__all__ = ["as_taxonomy", "breakdown", "keywords", "labelled_requests", "topics", "users"]

TaxonomyLike = Taxonomy | str | Path | None
Source = StoreLike | Query | Measurement  # a store (measured with the keywords given), a Query, or a Measurement


def as_taxonomy(taxonomy: TaxonomyLike) -> Taxonomy:
    """A Taxonomy, a TOML path, or None for the bundled default."""
    return taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)


def _measure(
    store: Source, *, since: object, until: object, platform: str | None, only_brands: Sequence[str], brand_book: BrandsLike,
    requests: RequestMode, open_window: object, engine: str, brands: Sequence[str] = (), brands_file: BrandsLike = None,
) -> Measurement:
    """``store`` measured: a Query or Measurement as it says (then no other option may be given), else a query built here."""
    only = api.renamed("only_brands", only_brands, "brands", brands, empty=())
    book = api.renamed("brand_book", brand_book, "brands_file", brands_file)
    if isinstance(store, (Query, Measurement)):
        given = {"since": since, "until": until, "platform": platform, "only_brands": only, "brand_book": book}
        extra = [k for k, v in given.items() if v not in (None, (), [])]
        extra += [k for k, v, d in (("requests", requests, "starters"), ("open_window", open_window, DEFAULT_OPEN_WINDOW), ("engine", engine, DEFAULT_ENGINE)) if v != d]
        if extra:
            raise UsageError(f"the {type(store).__name__} says what to measure already: drop {', '.join(extra)}")
        return api.measure(store)
    return api.measure(api.query(
        as_store(store), since=since, until=until, platform=platform, only_brands=only, engine=engine,  # type: ignore[arg-type]
        brand_book=book, requests=requests, open_window=open_window,  # type: ignore[arg-type]
    ))


def labelled_requests(
    store: Source,
    *,
    taxonomy: TaxonomyLike = None,
    since: object = None,
    until: object = None,
    platform: str | None = None,
    only_brands: Sequence[str] = (),
    brand_book: BrandsLike = None,
    requests: RequestMode = "starters",
    open_window: object = DEFAULT_OPEN_WINDOW,
    engine: str = DEFAULT_ENGINE,
    brands: Sequence[str] = (),
    brands_file: BrandsLike = None,
) -> pl.DataFrame:
    """Per-request facts with the request's ``text``, ``lang``, ``topic``, ``team`` and ``question``."""
    m = _measure(store, since=since, until=until, platform=platform, only_brands=only_brands, brand_book=brand_book,
                 requests=requests, open_window=open_window, engine=engine, brands=brands, brands_file=brands_file)
    return labelled_facts(m, m.store, as_taxonomy(taxonomy))  # type: ignore[arg-type]


def topics(store: Source, *, taxonomy: TaxonomyLike = None, by_brand: bool = False, **options: object) -> pl.DataFrame:
    """Requests per topic: team, count, share, questions, response rate and FRT figures (per brand with ``by_brand``)."""
    tax = as_taxonomy(taxonomy)
    return topic_volumes(labelled_requests(store, taxonomy=tax, **options), tax, by_brand=by_brand)  # type: ignore[arg-type]


def breakdown(store: Source, by: str = "topic", *, taxonomy: TaxonomyLike = None, **options: object) -> pl.DataFrame:
    """Each brand's figures per topic, team or language (``by``), unranked."""
    if by not in GROUPS:
        raise UsageError(f"cannot break down by {by!r}; choose one of {', '.join(GROUPS)}")
    return grouped_table(labelled_requests(store, taxonomy=taxonomy, **options), by)  # type: ignore[arg-type]


def users(
    store: Source,
    *,
    top: int = 10,
    per: str | None = None,
    only_brands: Sequence[str] = (),
    since: object = None,
    until: object = None,
    platform: str | None = None,
    brand_book: BrandsLike = None,
    requests: RequestMode = "starters",
    open_window: object = DEFAULT_OPEN_WINDOW,
    engine: str = DEFAULT_ENGINE,
    brands: Sequence[str] = (),
    brands_file: BrandsLike = None,
) -> pl.DataFrame:
    """The most active customer accounts (per day/week/month with ``per``): messages, requests, share answered."""
    m = _measure(store, since=since, until=until, platform=platform, only_brands=only_brands, brand_book=brand_book,
                 requests=requests, open_window=open_window, engine=engine, brands=brands, brands_file=brands_file)
    return top_users(m, top=top, per=per)


def keywords(
    store: Source,
    terms: Sequence[str],
    *,
    by: str = "day",
    only_brands: Sequence[str] = (),
    since: object = None,
    until: object = None,
    platform: str | None = None,
    brand_book: BrandsLike = None,
    customers_only: bool = True,
    brands: Sequence[str] = (),
    brands_file: BrandsLike = None,
) -> pl.DataFrame:
    """``period, keyword, mentions``: customer messages mentioning each of up to five keywords, per period (UTC).

    ``store`` may be a Query or a Measurement: its messages are read as it measured them (no requests are resolved
    for a store or a Query: keywords count messages)."""
    if isinstance(store, (Query, Measurement)):
        _measure(store, since=since, until=until, platform=platform, only_brands=only_brands, brand_book=brand_book,
                 requests="starters", open_window=DEFAULT_OPEN_WINDOW, engine=DEFAULT_ENGINE, brands=brands, brands_file=brands_file)  # refuses extra filters
        if isinstance(store, Query):
            from ..metrics import query_messages

            return keyword_counts(query_messages(store, customers_only), terms, by)
        return keyword_counts(store.messages(customers_only=customers_only), terms, by)
    from ..metrics import query_messages

    only = api.renamed("only_brands", only_brands, "brands", brands, empty=())
    book = api.renamed("brand_book", brand_book, "brands_file", brands_file)
    q = api.query(as_store(store), since=since, until=until, platform=platform, only_brands=only, brand_book=book)  # type: ignore[arg-type]
    return keyword_counts(query_messages(q, customers_only), terms, by)  # the messages as a measurement reads them

"""Listening from Python: every function takes a store (or its path) and returns a Polars DataFrame.

The options mirror :func:`benchmark.api.rank`: ``brands_file`` merges accounts
into brands, ``requests``/``open_window`` define requests and open ones,
``since``/``until``/``platform``/``brands`` filter.

>>> import benchmark as bm  # doctest: +SKIP
>>> bm.topics("store")  # doctest: +SKIP
>>> bm.users("store", top=5, per="day")  # doctest: +SKIP
>>> bm.keywords("store", ["fibra", "4g", "bolletta"], by="week")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from ..defaults import DEFAULT_OPEN_WINDOW
from .. import api
from ..errors import UsageError
from ..metrics import Measurement
from ..metrics.options import RequestMode
from .keyword_volumes import keyword_volumes
from .source import StoreLike, as_store
from .taxonomy import Taxonomy, load_taxonomy
from .topic_figures import GROUPS, grouped_table, labelled_facts, topic_volumes
from .top_users import top_users

TaxonomyLike = Taxonomy | str | Path | None


def as_taxonomy(taxonomy: TaxonomyLike) -> Taxonomy:
    """A Taxonomy, a TOML path, or None for the bundled default."""
    return taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)


def _measure(
    store: StoreLike, *, since: object, until: object, platform: str | None, brands: Sequence[str], brands_file: object,
    requests: RequestMode, open_window: object, engine: str,
) -> Measurement:
    options = api.metric_options(brands=brands_file, requests=requests, open_window=open_window)  # type: ignore[arg-type]
    return api.measurement(as_store(store), since=since, until=until, platform=platform, brands=brands, engine=engine, options=options)  # type: ignore[arg-type]


def labelled_requests(
    store: StoreLike,
    *,
    taxonomy: TaxonomyLike = None,
    since: object = None,
    until: object = None,
    platform: str | None = None,
    brands: Sequence[str] = (),
    brands_file: object = None,
    requests: RequestMode = "starters",
    open_window: object = DEFAULT_OPEN_WINDOW,
    engine: str = "polars",
) -> pl.DataFrame:
    """Per-request facts with the request's ``text``, ``lang``, ``topic``, ``team`` and ``question``."""
    m = _measure(store, since=since, until=until, platform=platform, brands=brands, brands_file=brands_file,
                 requests=requests, open_window=open_window, engine=engine)
    return labelled_facts(m, store, as_taxonomy(taxonomy))


def topics(store: StoreLike, *, taxonomy: TaxonomyLike = None, by_brand: bool = False, **options: object) -> pl.DataFrame:
    """Requests per topic: team, count, share, questions, response rate and FRT figures (per brand with ``by_brand``)."""
    tax = as_taxonomy(taxonomy)
    return topic_volumes(labelled_requests(store, taxonomy=tax, **options), tax, by_brand=by_brand)  # type: ignore[arg-type]


def breakdown(store: StoreLike, by: str = "topic", *, taxonomy: TaxonomyLike = None, **options: object) -> pl.DataFrame:
    """Each brand's figures per topic, team or language (``by``), unranked."""
    if by not in GROUPS:
        raise UsageError(f"cannot break down by {by!r}; choose one of {', '.join(GROUPS)}")
    return grouped_table(labelled_requests(store, taxonomy=taxonomy, **options), by)  # type: ignore[arg-type]


def users(
    store: StoreLike,
    *,
    top: int = 10,
    per: str | None = None,
    brands: Sequence[str] = (),
    since: object = None,
    until: object = None,
    platform: str | None = None,
    brands_file: object = None,
    requests: RequestMode = "starters",
    open_window: object = DEFAULT_OPEN_WINDOW,
    engine: str = "polars",
) -> pl.DataFrame:
    """The most active customer accounts (per day/week/month with ``per``): messages, requests, share answered."""
    m = _measure(store, since=since, until=until, platform=platform, brands=brands, brands_file=brands_file,
                 requests=requests, open_window=open_window, engine=engine)
    return top_users(m, store, top=top, per=per, brands=tuple(brands), brands_file=brands_file, since=since, until=until, platform=platform)


def keywords(
    store: StoreLike,
    terms: Sequence[str],
    *,
    by: str = "day",
    brands: Sequence[str] = (),
    since: object = None,
    until: object = None,
    platform: str | None = None,
    brands_file: object = None,
    customers_only: bool = True,
) -> pl.DataFrame:
    """``period, keyword, mentions``: customer messages mentioning each of up to five keywords, per period (UTC)."""
    return keyword_volumes(store, terms, by=by, brands=tuple(brands), brands_file=brands_file, since=since, until=until,
                           platform=platform, customers_only=customers_only)

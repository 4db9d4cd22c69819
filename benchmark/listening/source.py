"""The messages and requests the listening tools read, with the same filters as the metrics.

Listening is presentation over a store's text, so it runs on Polars: the
per-request facts come from :func:`benchmark.api.measurement` (any engine),
and the request texts are joined to them here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import narwhals as nw
import polars as pl

from ..errors import UsageError
from ..store import Store, open_store

Per = Literal["day", "week", "month"]
TRUNCATE: dict[str, str] = {"day": "1d", "week": "1w", "month": "1mo"}
StoreLike = Store | str | Path


def as_store(store: StoreLike) -> Store:
    return store if isinstance(store, Store) else open_store(store)


def period_expr(column: str, per: str) -> pl.Expr:
    """Start of the UTC day, ISO week (Monday) or month of ``column``."""
    if per not in TRUNCATE:
        raise UsageError(f"--per/--by {per!r}: choose day, week or month")
    return pl.col(column).dt.truncate(TRUNCATE[per]).alias("period")


def messages(
    store: StoreLike,
    *,
    brands_file: object = None,
    since: object = None,
    until: object = None,
    platform: str | None = None,
    brands: tuple[str, ...] = (),
    customers_only: bool = True,
) -> pl.LazyFrame:
    """Stored messages (customers' only by default), brand accounts merged by the brands file, filtered."""
    from .. import api
    from ..engine import PolarsEngine
    from ..metrics.brand_map import apply_brand_book

    st = as_store(store)
    lf = st.scan()
    book = api.brand_book(brands_file)  # type: ignore[arg-type]
    if book is not None and st.message_files():
        mapped, _unmatched = apply_brand_book(nw.from_native(lf), book, PolarsEngine())
        lf = mapped.to_native()
    if customers_only:
        lf = lf.filter(~pl.col("is_brand"))
    lo, hi = api.to_epoch_us(since), api.to_epoch_us(until, end=True)  # type: ignore[arg-type]
    if lo is not None:
        lf = lf.filter(pl.col("created_at").dt.epoch("us") >= lo)
    if hi is not None:
        lf = lf.filter(pl.col("created_at").dt.epoch("us") < hi)
    if platform:
        lf = lf.filter(pl.col("platform") == platform)
    if brands:
        lf = lf.filter(pl.col("brand").is_in(list(brands)))
    return lf


def with_request_text(facts: pl.DataFrame, store: StoreLike) -> pl.DataFrame:
    """Per-request facts plus the request's ``text`` and ``lang`` (from the store)."""
    texts = (
        as_store(store).scan()
        .select("platform", pl.col("message_id").alias("request_id"), "text", "lang")
        .join(facts.lazy().select("platform", "request_id"), on=["platform", "request_id"], how="semi")
        .unique(["platform", "request_id"], keep="first")
        .collect()
    )
    return facts.join(texts, on=["platform", "request_id"], how="left")

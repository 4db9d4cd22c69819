"""The messages and requests the listening tools read, with the same filters as the metrics.

Listening is presentation over a store's text, so it runs on Polars: the
per-request facts come from :func:`benchmark.api.measurement` (any engine),
and the request texts are joined to them here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import narwhals as nw
import polars as pl

from ..errors import ParameterError
from ..schema import MESSAGE_SCHEMA
from ..store import Store, open_store

__all__ = ["TRUNCATE", "as_store", "messages", "period_expr", "with_request_text"]

if TYPE_CHECKING:
    from ..api import BrandsLike  # a brands file path or a parsed BrandBook

Per = Literal["day", "week", "month"]
TRUNCATE: dict[str, str] = {"day": "1d", "week": "1w", "month": "1mo"}
StoreLike = Store | str | Path


def as_store(store: StoreLike) -> Store:
    return store if isinstance(store, Store) else open_store(store)


def period_expr(column: str, per: str) -> pl.Expr:
    """Start of the UTC day, ISO week (Monday) or month of ``column``."""
    if per not in TRUNCATE:
        raise ParameterError("{per} {value!r}: choose day, week or month", "per", value=per)
    return pl.col(column).dt.truncate(TRUNCATE[per]).alias("period")


def messages(
    store: StoreLike,
    *,
    brands_file: BrandsLike = None,
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


def with_request_text(facts: pl.DataFrame, store: StoreLike, *, detect_limit: int | None = None) -> pl.DataFrame:
    """Per-request facts plus the request's ``text`` and ``lang`` (from the store; languages the loader did
    not give are detected now, once, and cached: see :func:`benchmark.text.language.fill_languages`)."""
    from ..text.language import fill_languages

    st = as_store(store)
    files = st.message_files()
    if not files or facts.height == 0:
        return facts.with_columns(pl.lit(None, dtype=pl.String).alias("text"), pl.lit(None, dtype=pl.String).alias("lang"))
    texts = (
        pl.scan_parquet([str(f) for f in files], schema=MESSAGE_SCHEMA, missing_columns="insert", include_file_paths="_file")
        .filter(~pl.col("is_brand"))  # a request is a customer message in every mode: half the texts to join
        .select("platform", "message_id", "text", "lang", "_file")
        .join(facts.lazy().select("platform", pl.col("request_id").alias("message_id")), on=["platform", "message_id"], how="semi")
        .collect()
    )
    if texts.height > facts.height:  # a message stored twice (copied ingests): every request has one row at least
        texts = texts.unique(["platform", "message_id"], keep="first", maintain_order=True)
    texts = fill_languages(st, texts, limit=detect_limit).rename({"message_id": "request_id"})
    return facts.join(texts, on=["platform", "request_id"], how="left")

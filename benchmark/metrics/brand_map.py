"""Merge account-level ``brand`` values into the brands of a brands file.

A store's ``brand`` is whatever the export names the account by (a handle,
a page name or a page id). The brands file lists each brand's accounts; an
account matches, case-insensitively and per platform, either a store
``brand`` value or the author id of that brand's own messages (so a page id
in the file finds a page stored under its name, and vice versa). The lookup
is built from the small table of distinct account values, then joined on
the engine.
"""

from __future__ import annotations

from collections.abc import Sequence

import narwhals as nw
import polars as pl

from ..brands import BrandBook
from ..engine import Engine

__all__ = ["apply_brand_book", "with_brand_accounts"]


def _brand_lookup(distinct: pl.DataFrame, book: BrandBook) -> pl.DataFrame:
    """``platform, brand, brand_name`` for every store brand value a configured account matches.

    ``distinct`` has ``platform, brand, author_id`` (author_id null for non-brand rows).
    """
    accounts = book.accounts_frame()
    keyed = distinct.filter(pl.col("brand").is_not_null()).with_columns(
        pl.col("brand").str.to_lowercase().alias("_b"), pl.col("author_id").str.to_lowercase().alias("_a")
    )
    by_brand = keyed.join(accounts, left_on=["platform", "_b"], right_on=["platform", "account"], how="inner")
    by_author = keyed.join(accounts, left_on=["platform", "_a"], right_on=["platform", "account"], how="inner")
    both = pl.concat([by_brand.select("platform", "brand", "brand_name", pl.lit(0).alias("_pref")),
                      by_author.select("platform", "brand", "brand_name", pl.lit(1).alias("_pref"))])
    return (
        both.sort("platform", "brand", "_pref", "brand_name")
        .unique(["platform", "brand"], keep="first", maintain_order=True)
        .select("platform", "brand", "brand_name")
    )


def apply_brand_book(messages: nw.LazyFrame, book: BrandBook, engine: Engine) -> tuple[nw.LazyFrame, list[str]]:
    """Messages with ``brand`` replaced by the display name; also the store brands no account matched."""
    distinct = engine.collect(
        messages.filter(~nw.col("brand").is_null())
        .select(
            "platform",
            "brand",
            nw.when(nw.col("is_brand")).then(nw.col("author_id")).otherwise(nw.lit(None, dtype=nw.String())).alias("author_id"),
        )
        .unique()
    )
    lookup = _brand_lookup(distinct, book)
    unmatched = sorted(
        distinct.select("platform", "brand").unique().join(lookup, on=["platform", "brand"], how="anti")
        .select(pl.format("{}:{}", "platform", "brand")).to_series().to_list()
    )
    if lookup.height == 0:  # nothing matched (an empty frame cannot be moved onto every engine)
        return messages, unmatched
    mapped = messages.join(engine.from_polars(lookup), on=["platform", "brand"], how="left")
    mapped = mapped.with_columns(nw.coalesce(nw.col("brand_name"), nw.col("brand")).alias("brand")).drop("brand_name")
    return mapped, unmatched


def with_brand_accounts(messages: nw.LazyFrame, accounts: Sequence[str]) -> nw.LazyFrame:
    """Messages written by ``accounts`` (handles or ids; ``@`` optional, any case) are brand messages of
    their own account, whatever the loader decided.

    Brand accounts are a choice of the analysis, not a property of the bytes: a store ingested without
    ``--brand`` is measured with it, and the customers' requests go to the brand that answers them
    (the responder attribution of :mod:`.facts`).
    """
    handles = sorted({a.strip().lstrip("@").strip().lower() for a in accounts} - {""})
    if not handles:
        return messages
    mine = nw.col("author_id").str.to_lowercase().is_in(handles).fill_null(False)
    return messages.with_columns(
        (nw.col("is_brand") | mine).alias("is_brand"),
        nw.when(mine & nw.col("brand").is_null()).then(nw.col("author_id")).otherwise(nw.col("brand")).alias("brand"),
    )

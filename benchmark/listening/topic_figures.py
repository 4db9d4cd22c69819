"""Topic, team, question and language of each request, and figures broken down by them.

``benchmark topics`` shows how requests spread over topics; ``benchmark rank
--by-topic`` / ``--group-by team|lang`` gives each brand's FRT and response
rate per topic, team or language. The figures come from the same per-request
facts and the same Narwhals brand table as the ranking, so they add up to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import narwhals as nw
import polars as pl

from ..metrics import Measurement
from ..metrics.brand_table import METRIC_COLUMNS, brand_table
from .classify import topics_and_questions
from .source import StoreLike, with_request_text
from .taxonomy import Taxonomy, default_taxonomy

__all__ = [
    "GROUPS", "UNKNOWN_LANG", "breakdown", "grouped_table", "labelled_facts", "rank_within", "topic_volumes",
]

GROUPS: Final = ("topic", "team", "lang")
UNKNOWN_LANG: Final = "unknown"


def labelled_facts(
    m: Measurement, store: StoreLike, taxonomy: Taxonomy | None = None, *, detect_limit: int | None = None
) -> pl.DataFrame:
    """The measurement's per-request facts plus ``text``, ``lang``, ``topic``, ``team`` and ``question``.

    Languages not known yet are detected now and cached (at most ``detect_limit`` of them when given).
    """
    facts = with_request_text(m.facts, store, detect_limit=detect_limit)
    return topics_and_questions(facts, taxonomy or default_taxonomy()).with_columns(pl.col("lang").fill_null(UNKNOWN_LANG))


def breakdown(facts: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """:data:`METRIC_COLUMNS` per ``keys`` (response rate leaves open requests out, as in the ranking)."""
    keys = list(keys)
    if facts.height == 0:
        return pl.DataFrame(schema={**{k: pl.String for k in keys}, **{c: pl.Float64 for c in METRIC_COLUMNS}})
    table = brand_table(nw.from_native(facts.lazy()), keys).collect().to_native()
    ints = ("requests", "answered", "unanswered")
    return table.with_columns(pl.col(c).cast(pl.Int64) for c in ints).sort(keys, nulls_last=True)


def topic_volumes(facts: pl.DataFrame, taxonomy: Taxonomy | None = None, *, by_brand: bool = False) -> pl.DataFrame:
    """Requests per topic (and brand): count, share of all requests, questions, and the care figures."""
    tax = taxonomy or default_taxonomy()
    keys = ["platform", "brand", "topic"] if by_brand else ["topic"]
    table = breakdown(facts, keys)
    extra = facts.group_by(keys).agg(pl.col("question").sum().cast(pl.Int64).alias("questions"))
    table = table.join(extra, on=keys, how="left")
    part = ["platform", "brand"] if by_brand else None
    total = pl.col("requests").sum().over(part) if part else pl.col("requests").sum()
    table = table.with_columns(
        pl.col("topic").replace_strict({t: tax.team_of(t) for t in tax.names}, default=tax.default_team, return_dtype=pl.String).alias("team"),
        (pl.col("requests") / total).alias("share"),
    )
    order = {name: i for i, name in enumerate(tax.names)}
    table = table.with_columns(pl.col("topic").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("_o"))
    front = [*keys, "team", "requests", "share", "questions"]
    rest = [c for c in METRIC_COLUMNS if c != "requests"]
    sort_keys = [*(["platform", "brand"] if by_brand else []), "_o"]
    return table.sort(sort_keys).select(*front, *rest)


def grouped_table(facts: pl.DataFrame, group: str) -> pl.DataFrame:
    """Brand × ``group`` (topic, team or lang) table with :data:`METRIC_COLUMNS`, for ranking within groups."""
    return breakdown(facts, ["platform", "brand", group])


def rank_within(table: pl.DataFrame, group: str, **rank_options: object) -> pl.DataFrame:
    """Rank brands within each value of ``group``; the group column comes first."""
    from ..rank import rank_table

    parts = []
    for key, part in table.partition_by(group, as_dict=True, maintain_order=True).items():
        ranked = rank_table(part.drop(group), **rank_options)  # type: ignore[arg-type]
        parts.append(ranked.with_columns(pl.lit(key[0], dtype=pl.String).alias(group)))
    if not parts:
        return pl.DataFrame(schema={group: pl.String, "rank": pl.Int64, "brand": pl.String, "platform": pl.String})
    out = pl.concat(parts, how="diagonal_relaxed")
    return out.select(group, *[c for c in out.columns if c != group])

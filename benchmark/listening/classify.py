"""Topic and routing team for each message, from its text.

Links, @mentions and #hashtags are not the customer's words and are removed
first ("@TelcoNova_Help complimenti" is praise, not a request for help).
Vectorised: the text is folded once (lower case, no accents), then one
``when/then`` chain of ``str.contains`` tests the topics in priority order;
the first match wins, no match is ``other``. The team follows from the
topic. Works on a DataFrame or a LazyFrame and never loops over rows.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from .taxonomy import OTHER, Taxonomy, default_taxonomy
from .text import fold, words_only

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


def topic_expr(text: pl.Expr, taxonomy: Taxonomy | None = None) -> pl.Expr:
    """The topic of each text (``other`` when no topic matches; null text is ``other`` too)."""
    tax = taxonomy or default_taxonomy()
    return _topic_of_folded(fold(words_only(text.fill_null(""))), tax)


def team_expr(topic: pl.Expr, taxonomy: Taxonomy | None = None) -> pl.Expr:
    """The team a topic is routed to."""
    tax = taxonomy or default_taxonomy()
    mapping = {t.name: t.team for t in tax.topics}
    return topic.replace_strict(mapping, default=tax.default_team, return_dtype=pl.String)


def classify(frame: FrameT, taxonomy: Taxonomy | None = None, text: str = "text") -> FrameT:
    """``frame`` plus ``topic`` and ``team`` columns.

    The text is folded once into a temporary column that every topic's test reads: written
    inline, the fold would be repeated for each topic (Polars does not share it between the
    branches of an eager ``when/then`` chain), which made it most of the cost.
    """
    tax = taxonomy or default_taxonomy()
    folded = "__folded_text"
    return (
        frame.with_columns(fold(words_only(pl.col(text).fill_null(""))).alias(folded))
        .with_columns(_topic_of_folded(pl.col(folded), tax).alias("topic"))
        .drop(folded)
        .with_columns(team_expr(pl.col("topic"), tax).alias("team"))
    )


def _topic_of_folded(folded: pl.Expr, tax: Taxonomy) -> pl.Expr:
    """The first topic in priority order whose regex matches the already folded text, else ``other``."""
    chain = pl.when(folded.str.contains(tax.topics[0].regex)).then(pl.lit(tax.topics[0].name))
    for topic in tax.topics[1:]:
        chain = chain.when(folded.str.contains(topic.regex)).then(pl.lit(topic.name))
    return chain.otherwise(pl.lit(OTHER))

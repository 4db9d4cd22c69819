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

import numpy as np
import polars as pl

from .taxonomy import OTHER, Taxonomy, default_taxonomy
from ..text.folding import fold, words_only
from ..text.questions import question_in_words

__all__ = ["classify", "team_expr", "topic_expr", "topics_and_questions", "topics_of_folded"]

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
    if isinstance(frame, pl.DataFrame):  # eager: each regex runs only on the rows that may match it
        topics = topics_of_folded(frame.select(fold(words_only(pl.col(text).fill_null("")))).to_series(), tax)
        return frame.with_columns(topics.alias("topic")).with_columns(team_expr(pl.col("topic"), tax).alias("team"))
    return (
        frame.with_columns(fold(words_only(pl.col(text).fill_null(""))).alias(folded))
        .with_columns(_topic_of_folded(pl.col(folded), tax).alias("topic"))
        .drop(folded)
        .with_columns(team_expr(pl.col("topic"), tax).alias("team"))
    )


def topics_and_questions(frame: pl.DataFrame, taxonomy: Taxonomy | None = None, text: str = "text") -> pl.DataFrame:
    """``frame`` plus ``topic``, ``team`` (as :func:`classify`) and ``question`` (as
    :func:`benchmark.text.questions.is_question`), the text cleaned of links, @mentions and tags once for
    both: that cleaning is four regex passes over every text, the biggest part of labelling requests."""
    tax = taxonomy or default_taxonomy()
    words = frame.select(words_only(pl.col(text)).alias("_words"))
    topic = topics_of_folded(words.select(fold(pl.col("_words").fill_null(""))).to_series(), tax)
    question = words.select(question_in_words(pl.col("_words")).alias("question")).to_series()
    return frame.with_columns(topic.alias("topic")).with_columns(team_expr(pl.col("topic"), tax).alias("team"), question)


def topics_of_folded(folded: pl.Series, tax: Taxonomy) -> pl.Series:
    """What :func:`_topic_of_folded` gives, computed topic by topic in priority order on the rows no
    earlier topic took, each regex only where one of the topic's keywords occurs as a plain
    substring (one Aho-Corasick pass). The whole-word regexes are most of the cost of
    classifying, and most texts contain none of a topic's words."""
    n = folded.len()
    chosen = np.full(n, len(tax.topics), dtype=np.int64)  # index into the topics; past the end: other
    todo = np.arange(n, dtype=np.int64)
    for i, topic in enumerate(tax.topics):
        if not todo.size:
            break
        rows = todo
        texts = folded.gather(pl.Series(rows))
        if topic.literals is not None:
            maybe = texts.str.contains_any(list(topic.literals)).to_numpy()
            rows, texts = rows[maybe], texts.filter(pl.Series(maybe))
        hit = texts.str.contains(topic.regex).to_numpy()
        chosen[rows[hit]] = i
        todo = todo[chosen[todo] == len(tax.topics)]
    names = pl.Series([*(t.name for t in tax.topics), OTHER], dtype=pl.String)
    return names.gather(pl.Series(chosen)).alias("topic")


def _topic_of_folded(folded: pl.Expr, tax: Taxonomy) -> pl.Expr:
    """The first topic in priority order whose regex matches the already folded text, else ``other``."""
    chain = pl.when(folded.str.contains(tax.topics[0].regex)).then(pl.lit(tax.topics[0].name))
    for topic in tax.topics[1:]:
        chain = chain.when(folded.str.contains(topic.regex)).then(pl.lit(topic.name))
    return chain.otherwise(pl.lit(OTHER))

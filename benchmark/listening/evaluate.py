"""Precision and recall of the topic classifier and question detector on a hand-labelled set.

The labelled set is a CSV with ``text``, ``topic`` (the expected topic) and
optionally ``question`` (1/0) and ``lang``; the repository's own is
``tests/fixtures/listening/labelled.csv`` (synthetic). docs/listening.md
quotes these figures.
"""

from __future__ import annotations

from pathlib import Path

import narwhals as nw
import polars as pl

from .classify import classify
from ..text.questions import is_question
from .taxonomy import Taxonomy, default_taxonomy

__all__ = ["evaluate", "predictions", "question_scores", "topic_scores"]


def predictions(labelled: pl.DataFrame, taxonomy: Taxonomy | None = None) -> pl.DataFrame:
    """``labelled`` plus ``predicted`` (topic) and ``asks`` (question detected)."""
    out = classify(labelled.rename({"topic": "expected"}), taxonomy).rename({"topic": "predicted"})
    asks = nw.from_native(out.lazy()).select(is_question(nw.col("text")).alias("asks")).collect().to_native()
    return out.with_columns(asks.get_column("asks"))


def topic_scores(pred: pl.DataFrame, by_lang: bool = False) -> pl.DataFrame:
    """Per topic (and language): labelled n, predicted n, correct, precision, recall, F1."""
    keys = ["lang"] if by_lang else []
    topics = pl.concat([pred.select(*keys, pl.col("expected").alias("topic")), pred.select(*keys, pl.col("predicted").alias("topic"))]).unique()
    exp = pred.group_by(*keys, pl.col("expected").alias("topic")).agg(pl.len().alias("labelled"))
    got = pred.group_by(*keys, pl.col("predicted").alias("topic")).agg(pl.len().alias("predicted"))
    hit = pred.filter(pl.col("expected") == pl.col("predicted")).group_by(*keys, pl.col("expected").alias("topic")).agg(pl.len().alias("correct"))
    on = [*keys, "topic"]
    scores = (
        topics.join(exp, on=on, how="left").join(got, on=on, how="left").join(hit, on=on, how="left")
        .with_columns(pl.col("labelled", "predicted", "correct").fill_null(0).cast(pl.Int64))
        .with_columns(
            pl.when(pl.col("predicted") > 0).then(pl.col("correct") / pl.col("predicted")).alias("precision"),
            pl.when(pl.col("labelled") > 0).then(pl.col("correct") / pl.col("labelled")).alias("recall"),
        )
        .with_columns((2 * pl.col("precision") * pl.col("recall") / (pl.col("precision") + pl.col("recall"))).alias("f1"))
    )
    return scores.sort(*keys, "topic")


def question_scores(pred: pl.DataFrame) -> dict[str, float]:
    """Precision and recall of question detection against the ``question`` label."""
    truth, asks = pred.get_column("question") == 1, pred.get_column("asks")
    tp = int((truth & asks).sum())
    return {"labelled": int(truth.sum()), "detected": int(asks.sum()), "correct": tp,
            "precision": tp / max(int(asks.sum()), 1), "recall": tp / max(int(truth.sum()), 1)}


def evaluate(path: str | Path, taxonomy: Taxonomy | None = None) -> tuple[pl.DataFrame, dict[str, float]]:
    """Topic scores and question scores for the labelled CSV at ``path``."""
    pred = predictions(pl.read_csv(path), taxonomy or default_taxonomy())
    return topic_scores(pred), question_scores(pred)

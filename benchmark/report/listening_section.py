"""The report's "Listening" section: topics and routing teams, languages, top users, keywords.

Each table appears only when the data supports it: topics when the taxonomy
recognises some requests, languages when at least one was detected, top users
when someone wrote more than one request, keywords when the user asked for terms.
Customer handles are masked (``ro…u0``): a report is meant to be shared, and who
the power users are belongs in ``benchmark users``, not in a slide deck.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from ..metrics import Measurement
from ..store import Store
from .i18n import duration, integer, language_name, month_text, percent, team_name

TOP_USERS = 10
DETECT_LIMIT = 50_000  # requests whose language a report detects itself (~10 s); beyond, it says how to


@dataclass(frozen=True)
class SimpleTable:
    """A titled table of ready-formatted cells; the first ``text_columns`` columns are left-aligned text."""

    key: str
    title: str
    note: str
    headers: list[str]
    rows: list[list[str]]
    text_columns: int = 1


def _figures(df: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    counted = (pl.col("status") != "open").sum()
    return (
        df.group_by(by)
        .agg(
            pl.len().alias("requests"),
            pl.col("answered").sum().alias("answered"),
            (pl.col("answered").sum() / pl.when(counted > 0).then(counted)).alias("response_rate"),
            pl.col("frt_s").median().alias("frt_median_s"),
        )
        .with_columns((pl.col("requests") / pl.col("requests").sum()).alias("share"))
        .sort("requests", *by, descending=[True] + [False] * len(by))
    )


def mask(handle: str | None) -> str:
    """``rossi_giu0`` → ``ro…u0``: enough to tell rows apart, not to name a person."""
    if not handle:
        return "—"
    return f"{handle[:2]}…{handle[-2:]}" if len(handle) > 6 else handle[0] + "…"


def listening_tables(
    m: Measurement,
    store: Store,
    t: dict[str, str],
    lang: str,
    *,
    keywords: Sequence[str] = (),
) -> list[SimpleTable]:
    """The section's tables from the report's own measurement ``m`` (see the module docstring for when each appears):
    its facts, and its messages (its filters and brand map) for the users and keywords; never a scan of their own."""
    from .. import listening  # at call time: listening imports the store, which imports loaders
    from ..listening.top_users import top_users
    from ..listening.topic_figures import labelled_facts

    out: list[SimpleTable] = []
    from ..listening.taxonomy import default_taxonomy

    tax = default_taxonomy()  # the report classifies with the bundled taxonomy; its labels name the topics
    labelled = labelled_facts(m, store, detect_limit=DETECT_LIMIT)
    if labelled.height:
        topics = _figures(labelled, ["topic", "team"])
        if topics.filter(pl.col("topic") != "other").height:
            out.append(SimpleTable(
                "topics", t["topics_title"], t["topics_note"],
                [t["topic"], t["team"], t["requests_h"], t["share"], t["response_rate_h"], t["median_h"]],
                [[tax.label(r["topic"], lang), team_name(r["team"], lang), integer(r["requests"], lang), percent(r["share"], lang),
                  percent(r["response_rate"], lang), duration(r["frt_median_s"], lang)] for r in topics.iter_rows(named=True)],
                text_columns=2,
            ))
        langs = _figures(labelled.with_columns(pl.col("lang").fill_null("unknown")), ["lang"])
        if langs.filter(pl.col("lang") != "unknown").height:
            out.append(SimpleTable(
                "languages", t["languages_title"], t["languages_note"],
                [t["language"], t["requests_h"], t["share"], t["response_rate_h"], t["median_h"]],
                [[language_name(r["lang"], lang), integer(r["requests"], lang), percent(r["share"], lang), percent(r["response_rate"], lang),
                  duration(r["frt_median_s"], lang)] for r in langs.iter_rows(named=True)],
            ))
        elif labelled.height > DETECT_LIMIT:  # too many to detect inside a report: say how to get them
            out.append(SimpleTable(
                "languages", t["languages_title"],
                t["languages_later"].format(n=integer(labelled.height, lang), store=store.path), [], [],
            ))
    users = top_users(m, top=TOP_USERS)  # the measurement's own messages: its filters, its brand map
    users = users.filter(pl.col("requests") > 1)
    if users.height:
        out.append(SimpleTable(
            "users", t["users_title"], t["users_note"],
            [t["user"], t["platform_h"], t["messages_h"], t["requests_h"], t["answered_share"]],
            [[mask(r["author_id"]), r["platform"], integer(r["messages"], lang), integer(r["requests"], lang),
              percent(r["share_answered"], lang)] for r in users.iter_rows(named=True)],
            text_columns=2,
        ))
    if keywords:
        volumes = listening.keywords(m, list(keywords), by="month")
        wide = volumes.pivot(on="keyword", index="period", values="mentions").sort("period")
        terms = [k for k in keywords if k in wide.columns]
        out.append(SimpleTable(
            "keywords", t["keywords_title"], t["keywords_note"],
            [t["month"], *terms],
            [[month_text(r["period"], lang), *[integer(r[k], lang) for k in terms]] for r in wide.iter_rows(named=True)],
        ))
    return out

"""The comparison card of ``--highlight BRAND``: its figures beside its peers' median, and its rank of N.

Peers are the ranked brands of its sector when the brands file gives it one, else every ranked
brand; the median is over those brands' own figures (one value per brand and platform), the
"sector median" of ``rank --group-by sector``.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .i18n import cell, integer

COMPARED = ("frt_median_s", "response_rate", "within_1h")


@dataclass(frozen=True)
class Comparison:
    """One highlighted brand (and platform) against its peers."""

    brand: str
    platform: str
    rank: str  # "3 of 12", or why it is not ranked
    peers: str  # which brands the medians are over, and how many
    figures: list[tuple[str, str, str, str]]  # (key, label, its value, peers' median)
    basis: str  # the n its figures rest on


def comparisons(ranked: pl.DataFrame, brand: str | None, t: dict[str, str], lang: str, min_requests: int) -> list[Comparison]:
    """The card(s) of ``brand``: one per platform it is measured on (``ranked``: the report's ranking with ``sector`` when known)."""
    if brand is None:
        return []
    is_ranked = pl.col("rank").is_not_null()
    total = ranked.filter(is_ranked).height
    out = []
    for row in ranked.filter(pl.col("brand") == brand).iter_rows(named=True):
        sector = row.get("sector")
        peers = ranked.filter(is_ranked & (pl.col("sector") == sector)) if sector is not None and "sector" in ranked.columns else ranked.filter(is_ranked)
        who = t["cmp_sector"].format(sector=sector, n=integer(peers.height, lang)) if sector is not None else t["cmp_all"].format(n=integer(peers.height, lang))
        rank = t["cmp_rank"].format(rank=integer(row["rank"], lang), of=integer(total, lang)) if row["rank"] is not None else t["cmp_unranked"].format(n=integer(min_requests, lang))
        figures = [
            (k, t[k], cell(k, row[k], lang), cell(k, peers.get_column(k).median() if peers.height else None, lang))
            for k in COMPARED
        ]
        basis = t["hl_rate_n"].format(answered=integer(row["answered"], lang), closed=integer(row["requests"], lang))
        out.append(Comparison(brand=brand, platform=str(row["platform"]), rank=rank, peers=who, figures=figures, basis=basis))
    return out

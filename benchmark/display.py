"""How a ranking and a measurement look in Jupyter (``_repr_html_``): figures as people read them.

A ranking with ``figures="all"`` has ~40 columns; the raw frame buries the answer. The notebook view
shows the rank, the brand, the n behind the figures and the key figures in human units (``12m``,
``87.5%``), and names the columns left out (they stay in the frame: ``.to_pandas()``, ``.columns``).
Every value is escaped: a brand named ``<script>`` shows as text, never as markup.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import polars as pl

from .formatting import DASH, LABELS, duration, integer, percent

if TYPE_CHECKING:
    from .metrics import Measurement

__all__ = ["GROUPS", "HEADERS", "MAX_ROWS", "Ranking", "SHOWN", "human", "measurement_html"]

# The columns the notebook view shows, in this order, when the frame has them.
SHOWN = (
    "rank", "period", "sector", "topic", "team", "lang", "brand", "platform",
    "requests", "answered", "response_rate", "frt_median_s", "within_1h",
    "requests_change", "response_rate_change", "frt_median_change_s",
)
HEADERS = {
    **LABELS, "rank": "Rank", "period": "Period", "sector": "Sector", "topic": "Topic",
    "team": "Team", "lang": "Language", "requests": "Requests (n)", "requests_change": "Δ requests",
    "response_rate_change": "Δ response rate", "frt_median_change_s": "Δ median FRT",
}
GROUPS = ("period", "sector", "topic", "team", "lang")  # shown only when the ranking has them (not all null)
MAX_ROWS = 60


def human(column: str, value: object) -> str:
    """One cell as people read it: durations, percentages, thousands separators, signed changes."""
    if value is None or (isinstance(value, float) and value != value):
        return DASH
    if column.endswith("_change_s"):
        text = duration(abs(value))  # type: ignore[arg-type]
        return text if value == 0 else ("-" if value < 0 else "+") + text  # type: ignore[operator]
    if column == "response_rate_change":
        text = percent(abs(value)).removesuffix("%") + " pp"  # type: ignore[arg-type]
        return text if value == 0 else ("-" if value < 0 else "+") + text  # type: ignore[operator]
    if column == "requests_change":
        return ("-" if value < 0 else "+" if value > 0 else "") + integer(abs(round(value)))  # type: ignore[arg-type, operator]
    if column.endswith("_s") and isinstance(value, (int, float)):
        return duration(value)
    if isinstance(value, float) and (column.startswith(("within_", "response_rate")) or column.endswith(("_share", "_rate"))):
        return percent(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return integer(value)
    return str(value)


def _table_html(frame: pl.DataFrame, *, caption: str) -> str:
    """``frame``'s key columns as an HTML table (escaped), with a caption and the left-out columns named."""
    shown = [c for c in SHOWN if c in frame.columns and (c not in GROUPS or frame.get_column(c).null_count() < frame.height)]
    if "brand" not in shown:
        shown = list(frame.columns)
    hidden = [c for c in frame.columns if c not in shown]
    head = "".join(f'<th style="text-align:{"left" if c in ("brand", "platform", "period", "sector", "topic", "team", "lang") else "right"}">{escape(HEADERS.get(c, c))}</th>' for c in shown)
    body = []
    for row in frame.head(MAX_ROWS).iter_rows(named=True):
        cells = []
        for c in shown:
            text = human(c, row[c])
            align = "left" if c in ("brand", "platform", "period", "sector", "topic", "team", "lang") else "right"
            wrap = "" if c == "brand" else ";white-space:nowrap"
            cells.append(f'<td style="text-align:{align}{wrap}">{escape(text)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    notes = [caption]
    if frame.height > MAX_ROWS:
        notes.append(f"first {MAX_ROWS} of {frame.height:,} rows shown")
    if hidden:
        notes.append(f"{len(hidden)} more columns in the frame ({', '.join(hidden[:6])}{', …' if len(hidden) > 6 else ''})")
    return (
        '<div class="benchmark-table"><table>'
        f'<caption style="caption-side:bottom;text-align:left">{escape("; ".join(notes))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _ranking_caption(frame: pl.DataFrame) -> str:
    """What the ranking rests on: how many brands are ranked, and that unranked rows have no rank."""
    if "rank" not in frame.columns:
        return f"{frame.height:,} rows"
    ranked = frame.filter(pl.col("rank").is_not_null()).height
    return f"{ranked:,} of {frame.height:,} rows ranked (— = under the volume threshold or no answered request); n = requests"


class Ranking(pl.DataFrame):
    """A ranking (what :func:`benchmark.rank` returns): a Polars DataFrame that Jupyter shows readably."""

    def _repr_html_(self) -> str:
        return _table_html(self, caption=_ranking_caption(self))


def measurement_html(m: Measurement, min_requests: int) -> str:
    """A measurement in Jupyter: what it covers, then its brands ranked by median FRT."""
    from .rank import rank_table

    d = m.diagnostics
    span = f", {d.first_request_at:%Y-%m-%d} to {d.last_request_at:%Y-%m-%d} (UTC)" if d.first_request_at and d.last_request_at else ""
    summary = f"Measurement ({m.engine}): {integer(d.requests)} requests to {integer(m.table.height)} brand pages{span}"
    if not m.table.height:
        return f"<p>{escape(summary)}</p>"
    ranked = rank_table(m.table, min_requests=min_requests)
    caption = _ranking_caption(ranked) + f"; ranked by median FRT with at least {integer(min_requests)} requests"
    return f"<p>{escape(summary)}</p>" + _table_html(ranked, caption=caption)

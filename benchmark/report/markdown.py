"""A short Markdown summary for tickets and chats: headline, ranking table, coverage, definitions."""

from __future__ import annotations

from ..formatting import markdown_cell
from .content import ReportContent, Row

MAX_UNRANKED = 10  # a chat message, not an appendix: the HTML report lists them all
COLUMNS = ("rank", "brand", "platform", "requests", "response_rate", "frt_median_s", "frt_p90_s", "within_1h")


_escape = markdown_cell  # one escaping for every Markdown output (rank --format markdown too)


def _table(rows: list[Row], c: ReportContent, with_rank: bool) -> list[str]:
    t = c.t
    cols = [col for col in COLUMNS if (with_rank or col != "rank") and (col != "platform" or col in c.columns)]
    lines = ["| " + " | ".join(t[col] for col in cols) + " |", "|" + "|".join("---" if col in ("brand", "platform") else "---:" for col in cols) + "|"]
    lines += ["| " + " | ".join(_escape(r.cells[col]) for col in cols) + " |" for r in rows]
    return lines


def _changes(c: ReportContent) -> list[str]:
    """Each brand's latest month against its previous one, with the n (the HTML's changes table)."""
    if not c.changes:
        return []
    t = c.t
    lines = [f"**{t['changes_title']}**", "", f"| {t['brand']} | {t['changes_period']} | {t['requests']} | {t['changes_rate']} | {t['changes_median']} |", "|---|---|---:|---:|---:|"]
    for x in c.changes:
        period = f"{x.period} ({t['partial']}) " if x.partial else f"{x.period} "
        cells = [
            f"{x.brand} ({x.platform})" if c.several_platforms else x.brand,
            period + t["changes_vs"].format(previous=x.previous),
            f"{x.requests_change} ({t['changes_requests_n'].format(requests=x.requests, previous=x.previous_requests)})",
            f"{x.response_rate} {x.response_rate_change} ({t['changes_rate_n'].format(answered=x.answered, requests=x.requests)})",
            f"{x.frt_median} {x.frt_median_change}",
        ]
        lines.append("| " + " | ".join(_escape(v) for v in cells) + " |")
    return [*lines, ""]


def render_markdown(c: ReportContent) -> str:
    """The summary as Markdown (numbers formatted for ``c.lang``)."""
    t = c.t
    out = [f"# {_escape(c.full_title)}", ""]
    for w in c.warnings:
        out += [f"> **{_escape(t['warning'])}:** {_escape(w)}", ""]
    for line in c.summary[:1] if c.headline else c.summary:  # the headline names the fastest brand itself
        out += [_escape(line), ""]
    for h in c.headline:
        value = f"{h.brand}, {h.value}" if h.brand else h.value
        out.append(f"- **{_escape(h.label)}**: {_escape(value)} ({_escape(h.basis)})")
    if c.headline:
        out.append("")
    out += _changes(c)
    out += [f"## {t['ranking']}", ""]
    if c.ranked:
        out += [t["ranking_intro"].split(". ")[0].format(n=c.min_requests) + ".", "", *_table(c.ranked, c, True), ""]
    else:
        out += [t["no_ranked"].format(n=c.min_requests), ""]
    if c.unranked:
        shown = c.unranked[:MAX_UNRANKED]
        out += [f"**{t['not_ranked']}** ({len(c.unranked)}): " + t["not_ranked_intro"].format(n=c.min_requests), "", *_table(shown, c, False), ""]
        if len(c.unranked) > len(shown):
            out += [f"… +{len(c.unranked) - len(shown)}", ""]
    out += [f"## {t['coverage']}", ""]
    out += [f"- {label}: {_escape(value)}" for label, value in c.coverage]
    out += ["", f"## {t['methodology']}", ""]
    out += [f"{i}. {line}" for i, line in enumerate(c.methodology, 1)]
    out += ["", f"_{c.generated}_ {t['markdown_more']}", ""]
    return "\n".join(out)

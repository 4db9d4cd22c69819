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

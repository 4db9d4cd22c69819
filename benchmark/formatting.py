"""Human-readable figures for tables, charts and reports: durations like ``12m`` and ``1h 56m``, shares as percentages."""

from __future__ import annotations

import math

__all__ = ["DASH", "LABELS", "control_escaped", "duration", "integer", "markdown_cell", "percent"]

DASH = "—"

# English column labels of the standard figures, shared by terminal tables and the report.
LABELS = {
    "rank": "#",
    "brand": "Brand",
    "platform": "Platform",
    "requests": "Requests",
    "answered": "Answered",
    "unanswered": "Unanswered",
    "response_rate": "Response rate",
    "frt_median_s": "Median FRT",
    "frt_mean_s": "Mean FRT",
    "frt_p90_s": "P90 FRT",
    "within_30m": "≤30m",
    "within_1h": "≤1h",
    "within_24h": "≤24h",
}


def duration(seconds: float | None) -> str:
    """``45s``, ``12m``, ``1h 56m``, ``2d 3h``; a dash for a missing figure."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return DASH
    s = _half_up(float(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3570:
        return f"{_half_up(s / 60)}m"
    if s < 86_370:
        h, m = divmod(_half_up(s / 60), 60)
        return f"{h}h {m}m" if m else f"{h}h"
    d, h = divmod(_half_up(s / 3600), 24)
    return f"{d}d {h}h" if h else f"{d}d"


def _half_up(x: float) -> int:
    """Round halves up (54.5 minutes shows as 55m), unlike Python's round-half-even."""
    return math.floor(x + 0.5)


def percent(share: float | None) -> str:
    """``87%``, ``99.5%`` (one decimal at most); a dash for a missing figure."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return DASH
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


def integer(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"


# Characters a terminal acts on instead of showing: C0 controls (ESC starts colour, clear-screen and OSC-8
# link sequences; BEL, BS, CR rewrite what is shown), DEL, C1 controls (U+009B is a one-byte CSI) and the
# Unicode bidi overrides/isolates that reorder a line (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C).
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_TERMINAL_UNSAFE = {
    chr(c): _NAMED.get(chr(c), f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}")
    for c in (*range(0x20), *range(0x7F, 0xA0), *_BIDI)
}
_TERMINAL_TABLE = str.maketrans(_TERMINAL_UNSAFE)
_TERMINAL_TABLE_KEEP_NL = str.maketrans({k: v for k, v in _TERMINAL_UNSAFE.items() if k != "\n"})


def control_escaped(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every character a terminal would act on shown as an escape (``\\x1b``, ``\\r``, ``\\u202e``).

    For terminal output only (tables, messages): data written to files keeps its characters.
    ``keep_newlines`` keeps line breaks (multi-line messages); table cells escape them too.
    """
    return text.translate(_TERMINAL_TABLE_KEEP_NL if keep_newlines else _TERMINAL_TABLE)


_MARKDOWN_SPECIAL = "<>*_`[]"


def markdown_cell(text: str) -> str:
    """User text made inert in Markdown: no HTML, links, emphasis, table breaks or new lines.

    Shared by ``rank --format markdown`` and ``report --format markdown`` (and every other Markdown table).
    Backslashes are doubled first, so the escapes added here are the only ones.
    """
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    for ch in _MARKDOWN_SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out

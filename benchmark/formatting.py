"""Human-readable figures for tables, charts and reports, in English or Italian: durations like ``12m`` and
``1h 56m`` (``2g 3h`` in Italian), shares as percentages (``87,5%``), counts (``1.234``), signed changes.

The one place these are written: the terminal tables (``cli/render.py``), the charts (``chart/style.py``)
and the report (``report/i18n.py``) call these functions with their language."""

from __future__ import annotations

import math

__all__ = ["DASH", "LABELS", "LANGUAGES", "control_escaped", "duration", "integer", "markdown_cell", "percent", "signed", "tick_duration"]

LANGUAGES = ("en", "it")  # what the figures can be written in

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


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def duration(seconds: float | None, lang: str = "en") -> str:
    """``45s``, ``12m``, ``1h 56m``, ``2d 3h`` (Italian days: ``2g 3h``); a dash for a missing figure."""
    if _missing(seconds):
        return DASH
    s = _half_up(float(seconds))  # type: ignore[arg-type]
    if s < 60:
        return f"{s}s"
    if s < 3570:
        return f"{_half_up(s / 60)}m"
    if s < 86_370:
        h, m = divmod(_half_up(s / 60), 60)
        return f"{h}h {m}m" if m else f"{h}h"
    d, h = divmod(_half_up(s / 3600), 24)
    day = "g" if lang == "it" else "d"
    return f"{d}{day} {h}h" if h else f"{d}{day}"


def tick_duration(seconds: float, lang: str = "en") -> str:
    """An axis tick as a duration with its two leading units, exact for round ticks (``1m 30s``, ``1h 20m``, ``2d``)."""
    rest = round(seconds)
    parts = []
    for size, unit in ((86_400, "g" if lang == "it" else "d"), (3600, "h"), (60, "m"), (1, "s")):
        n, rest = divmod(rest, size)
        if n or parts:
            parts.append((n, unit))
    shown = [f"{n}{u}" for n, u in parts[:2] if n]
    return " ".join(shown) or "0s"


def _half_up(x: float) -> int:
    """Round halves up (54.5 minutes shows as 55m), unlike Python's round-half-even."""
    return math.floor(x + 0.5)


def percent(share: float | None, lang: str = "en") -> str:
    """``87%``, ``99.5%`` (``99,5%`` in Italian; one decimal at most); a dash for a missing figure."""
    if _missing(share):
        return DASH
    s = f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"  # type: ignore[operator]
    return s.replace(".", ",") if lang == "it" else s


def integer(n: int | None, lang: str = "en") -> str:
    """``1,234`` (``1.234`` in Italian); a dash for a missing count."""
    if n is None:
        return DASH
    s = f"{n:,}"
    return s.replace(",", ".") if lang == "it" else s


def signed(text: str, value: float) -> str:
    """``+12m``, ``-1h 26m``, ``0s``: a change (``text`` is its size, written already) with its direction."""
    return text if value == 0 or text == DASH else ("-" if value < 0 else "+") + text


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

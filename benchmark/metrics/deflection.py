"""Replies that move the customer to a private channel ("send us a DM").

Such a reply is a real first response, but what happens next is invisible in
a public dump, so the share of first responses that deflect is reported per
brand (``deflected_share``). Matching is a lower-cased regular expression
that every engine evaluates (Polars, DuckDB/RE2, Spark/Java): plain
alternations and ``\\b`` only, no look-arounds.

The patterns (Italian and English) are documented in docs/metrics.md; a reply
counts as deflecting when it contains any of them, whatever else it says.
"""

from __future__ import annotations

from typing import Final

import narwhals as nw

__all__ = ["DEFLECTION_PATTERNS", "DEFLECTION_REGEX", "is_deflection"]

DEFLECTION_PATTERNS: Final = (
    # Italian
    r"in privato",
    r"messaggio privato",
    r"messaggi privati",
    r"in (dm|direct|pm|mp|chat privata)\b",
    r"\b(scrivici|contattaci|inviaci|mandaci|scriveteci|contattateci)\b.{0,40}\b(dm|direct|privat[oaie]|messenger|in chat)\b",
    r"\bmessenger\b",
    # English
    r"\b(dm|pm) us\b",
    r"\bsend us an? (dm|pm|direct message|private message)\b",
    r"\bdirect message\b",
    r"\bprivate message\b",
    r"\b(via|by|in|over|through) (dm|dms|pm|direct)\b",
    r"\bslide into our dms\b",
    r"\bcheck your (dm|dms|inbox)\b",
)
DEFLECTION_REGEX: Final = "|".join(f"(?:{p})" for p in DEFLECTION_PATTERNS)


def is_deflection(text: nw.Expr) -> nw.Expr:
    """True when the text asks to continue privately; null text → False."""
    return text.str.to_lowercase().str.contains(DEFLECTION_REGEX).fill_null(False)

"""Text folding shared by topics, keywords and questions: lower case, accents removed.

Folding is a vectorised Polars ``str.replace_many`` with a table built once
from Unicode decompositions of the Latin letters (``è`` → ``e``, ``ß`` →
``ss``), so "perché", "PERCHE" and "perche" all match the keyword
``perche``, with no per-row Python.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from typing import Final, TypeVar

import narwhals as nw
import polars as pl

__all__ = [
    "NOT_TEXT", "accent_table", "any_term_regex", "first_word", "fold", "fold_str", "term_regex",
    "words_only",
]

_EXTRA = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "’": "'", "‘": "'", "ʼ": "'"}


@functools.cache
def accent_table() -> dict[str, str]:
    """Every lower-case Latin letter with a diacritic (U+00C0–U+024F) → its base letters."""
    table: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        if ch != ch.lower():
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base and base != ch and base.isascii():
            table[ch] = base
    table.update(_EXTRA)
    return table


# Parts of a post that are not the customer's words (issue 14, item 8): links, @mentions (a brand's handle
# "@KFC_UKI_Help" is no request for help, "@sprintcare" holds no "are") and #hashtags standing as tags
# before or after the text ("#help #fail"); a hashtag inside a sentence ("la #bolletta è sbagliata") keeps
# its word. Removed before question detection, topics and language, in this order. Written in the regex
# subset Polars (Rust), DuckDB (RE2) and Spark (Java) share, since question detection runs on every engine.
_WORD = r"[\p{L}\p{N}_]+"
_TAG = r"[#＃]" + _WORD
NOT_TEXT: Final = (
    r"https?://\S+|www\.\S+|[@＠]" + _WORD + r"(?:\." + _WORD + ")*",  # links and @mentions, anywhere
    r"^[\s,:;.]*(?:" + _TAG + r"[\s,:;.]*)+",  # tags before the text
    r"(?:[\s,:;.]*" + _TAG + r")+[\s.!]*$",  # tags after it
    r"[#＃]",  # the sign of a hashtag inside a sentence
)

ExprT = TypeVar("ExprT", pl.Expr, nw.Expr)


def words_only(expr: ExprT) -> ExprT:
    """The text without links, @mentions and #tags (each replaced by a space); a Polars or Narwhals expression."""
    for pattern in NOT_TEXT:
        expr = expr.str.replace_all(pattern, " ")
    return expr


def fold(expr: pl.Expr) -> pl.Expr:
    """Lower-cased, accent-free text (a Polars expression)."""
    table = accent_table()
    return expr.str.to_lowercase().str.replace_many(list(table), list(table.values()))


def fold_str(value: str) -> str:
    """The same folding for one Python string (keywords from a config file, never message rows)."""
    out = value.lower()
    for src, dst in accent_table().items():
        out = out.replace(src, dst)
    return out


def term_regex(term: str) -> str:
    """A keyword or phrase → a whole-word regex on folded text (``*`` at the end: any ending)."""
    return any_term_regex([term])


def first_word(term: str) -> str:
    """The first folded word of a keyword (without a trailing ``*``): a substring of every text
    :func:`term_regex` matches, for a cheap literal pre-check."""
    return fold_str(term.strip()).rstrip("*").split()[0]


def any_term_regex(terms: list[str]) -> str:
    """One regex matching any of ``terms`` as whole words."""
    parts = []
    for term in terms:
        folded = fold_str(term.strip())
        prefix = folded.endswith("*")
        body = r"\s+".join(re.escape(w) for w in folded.rstrip("*").split())
        parts.append(body + (r"[\p{L}\p{N}]*" if prefix else ""))
    # \b would not do: a term may start or end with a non-letter ("2fa", "wi-fi", "4g"), so a boundary
    # is "not a letter or digit" on each side.
    return rf"(?:^|[^\p{{L}}\p{{N}}])(?:{'|'.join(parts)})(?:$|[^\p{{L}}\p{{N}}])"

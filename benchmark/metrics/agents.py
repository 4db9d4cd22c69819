"""Agent signatures at the end of brand replies (``^JK``, ``-Marco``, ``/AB``, ``*AB``).

Care teams sign public replies so customers know who answered. A reply is **signed** when its text
ends with :data:`SIGNATURE_REGEX` (docs/metrics.md, "Agents"); the **agent** is the signature's
letters in upper case (``^jk`` and ``^JK`` are one agent, ``-Marco`` is ``MARCO``), within the brand
(two brands' ``^JK`` are two agents). Precision and recall on a labelled set of synthetic replies are
in docs/metrics.md (``tests/test_metrics_agents.py`` recomputes them).

One Narwhals expression, portable across Polars, DuckDB (RE2) and Spark (Java): Narwhals has no
regex extraction, so the agent is what is left after deleting everything up to the signature's mark.
"""

from __future__ import annotations

from typing import Final

import narwhals as nw

__all__ = ["GROUPS", "SIGNATURE_REGEX", "agent_of"]

# Marks: ^ (anywhere), or - – — ~ / * after white space (so "on-line", "and/or", "TV/DVR" are not signatures).
# After ^, - – — ~: 2–3 letters (initials) or a name (a letter and 1–14 lower-case letters); after / and *:
# 2–3 capital letters. Then only white space, "." or "!" to the end of the text.
GROUPS: Final = ("agent",)  # `rank --group-by agent`: agents ranked within each brand

SIGNATURE_REGEX: Final = (
    r"(?:\^ ?[A-Za-z]{2,3}|\^ ?[A-Za-z][a-z]{1,14}"
    r"|\s[-–—~] ?(?:[A-Za-z]{2,3}|[A-Za-z][a-z]{1,14})"
    r"|\s[/*] ?[A-Z]{2,3})[\s.!]*$"
)
_UP_TO_MARK: Final = r"(?s)^.*[\^\-–—~/*] ?"  # greedy: everything up to the last mark (names hold none)


def agent_of(text: nw.Expr) -> nw.Expr:
    """The signature of a reply in upper case, or null when the text is not signed (or null)."""
    name = text.str.replace_all(_UP_TO_MARK, "").str.strip_chars(" \t\r\n.!").str.to_uppercase()
    return nw.when(text.str.contains(SIGNATURE_REGEX).fill_null(False)).then(name)

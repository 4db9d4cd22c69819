"""Does a customer's message ask something?

Used by ``--requests questions`` (rank on questions only, as one published
standard does), so it is a Narwhals expression that runs on every engine.
The regex is written in the subset Polars (Rust), DuckDB (RE2) and Spark
(Java) agree on: the text is lower-cased first (no inline flags), word
boundaries are spelled ``[^\\p{L}]`` (RE2's ``\\b`` is ASCII-only), and
accented letters appear both ways (``perch[eé]``).

A message asks something when it has a question mark, asks for help
("help", "aiuto", "any update"), or uses an Italian or English question
phrase: "come posso/faccio", "how do I/can I", "is there", "c'è", ...;
English wh-words and auxiliaries count only at the start of a sentence (after
any @handles), so "error when I connect" is not a question.

Links, @mentions and #tags are removed first (:data:`~.folding.NOT_TEXT`): a
handle is not what the customer wrote, and "@KFC_UKI_Help" or "@sprintcare"
(which holds "are") would otherwise make every request to that brand a question.
"""

from __future__ import annotations

from typing import Final

import narwhals as nw

from .folding import ExprT, words_only

__all__ = ["ANYWHERE", "QUESTION_REGEX", "SENTENCE_START", "is_question", "question_in_words"]

_B = r"(?:^|[^\p{L}\p{N}])"  # a word starts here
_E = r"(?:$|[^\p{L}\p{N}])"  # a word ends here
_START = r"(?:^|[.!?;:])[\s,:]*"  # sentence start (the @handles before it are removed already)

ANYWHERE: Final = (
    # Italian
    "come posso", "come faccio", "come si", "come mai", "come mai", "perch[eé]", "per quale motivo",
    "aiuto", "aiutatemi", "mi aiutate", "potete aiutarmi", "sapete", "qualcuno sa", "a chi (?:mi |devo )",
    "si pu[oò]", "[eè] possibile", "vorrei sapere", "chiedo", "info", "informazioni",
    # English
    "how do i", "how can i", "how to", "how much", "how long", "can you", "could you", "would you",
    "can i", "could i", "is there", "are there", "any update", "any news", "any idea", "anyone",
    "help", "please advise", "let me know", "wondering",
)
SENTENCE_START: Final = (
    "what", "why", "where", "when", "which", "who", "whom", "whose", "how", "is", "are", "do", "does", "did",
    "can", "could", "will", "would", "should", "have", "has",
    "dove", "quando", "quanto", "quanta", "quanti", "quale", "quali", "chi", "cosa", "che cosa", "come",
    "posso", "possiamo", "potete", "avete", "c'[eè]", "ci sono",
)

QUESTION_REGEX: Final = (
    r"[?？¿]"
    + "|" + _B + "(?:" + "|".join(ANYWHERE) + ")" + _E
    + "|" + _START + "(?:" + "|".join(SENTENCE_START) + ")" + _E
)


def is_question(text: nw.Expr) -> nw.Expr:
    """True where the text asks something; null text is not a question."""
    return question_in_words(words_only(text))


def question_in_words(words: ExprT) -> ExprT:
    """:func:`is_question` of a text already reduced by :func:`~benchmark.text.folding.words_only` (a Polars or
    Narwhals expression): for callers that need those words for something else too (topics)."""
    return words.str.to_lowercase().str.contains(QUESTION_REGEX).fill_null(False)

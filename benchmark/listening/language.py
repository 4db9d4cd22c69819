"""Each message's language, detected offline at ingest with lingua.

lingua-language-detector ships its n-gram models inside the wheel, so nothing
is downloaded at run time. Restricting it to the languages care teams here
meet (:data:`LANGUAGES`) makes it faster and more accurate on short posts.
Only distinct texts are detected, with lingua's parallel batch call, after
@handles, links and hashtag signs are removed (a handle is not a word of any
language). Texts with too few letters, or where two languages are almost
equally likely, stay null: "unknown" is better than a guess.

Set ``BENCHMARK_DETECT_LANGUAGE=0`` (or pass ``detect_language=False`` to the
store) to skip detection on very large ingests; ``lang`` then stays null.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Final

import polars as pl

LANGUAGES: Final = ("it", "en", "es", "fr", "de", "pt")
MIN_LETTERS: Final = 3  # "ok", "?" or an emoji say nothing about a language
MIN_RELATIVE_DISTANCE: Final = 0.05  # lingua's margin between the best and the second language
ENV_SWITCH: Final = "BENCHMARK_DETECT_LANGUAGE"

_NOISE = r"https?://\S+|www\.\S+|[@＠]\w+|#|&amp;|&gt;|&lt;"


def detection_enabled(explicit: bool | None = None) -> bool:
    """``explicit`` when given, else the environment switch (on unless set to 0/false/no/off)."""
    if explicit is not None:
        return explicit
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def available() -> bool:
    """True when lingua is installed (it is a dependency; a trimmed install may lack it)."""
    try:
        import lingua  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*langs).with_minimum_relative_distance(MIN_RELATIVE_DISTANCE).build()


def clean_for_detection(text: pl.Expr) -> pl.Expr:
    """Text without links, @handles, hashtag signs and HTML entities, trimmed."""
    return text.str.replace_all(_NOISE, " ").str.replace_all(r"\s+", " ").str.strip_chars()


def detect_languages(texts: pl.Series) -> pl.Series:
    """ISO 639-1 code (or null) for each text; one detection per distinct cleaned text."""
    name = texts.name
    frame = pl.DataFrame({"_text": texts.cast(pl.String)}).with_columns(clean_for_detection(pl.col("_text")).alias("_clean"))
    letters = pl.col("_clean").str.count_matches(r"\p{L}")
    distinct = frame.filter(letters.fill_null(0) >= MIN_LETTERS).select("_clean").unique()
    if distinct.height == 0 or not available():
        return pl.Series(name, [None] * texts.len(), dtype=pl.String)
    found = _detector().detect_languages_in_parallel_of(distinct.get_column("_clean").to_list())
    codes = [None if lang is None else lang.iso_code_639_1.name.lower() for lang in found]
    lookup = distinct.with_columns(pl.Series("_lang", codes, dtype=pl.String))
    out = frame.join(lookup, on="_clean", how="left", maintain_order="left", nulls_equal=False)
    return out.get_column("_lang").alias(name)


def with_language(messages: pl.DataFrame, enabled: bool | None = None) -> pl.DataFrame:
    """``messages`` with ``lang`` filled where the loader left it null (when detection is enabled)."""
    if not detection_enabled(enabled) or messages.height == 0 or "text" not in messages.columns:
        return messages
    detected = detect_languages(messages.get_column("text"))
    if "lang" in messages.columns:
        return messages.with_columns(pl.coalesce(pl.col("lang"), detected).alias("lang"))
    return messages.with_columns(detected.alias("lang"))

"""Each message's language, detected offline at ingest with lingua.

lingua-language-detector ships its n-gram models inside the wheel, so nothing
is downloaded at run time. Restricting it to the languages care teams here
meet (:data:`LANGUAGES`) makes it faster and more accurate on short posts.
Only distinct texts are detected, with lingua's parallel batch call, after
links, @mentions and #hashtags are removed (a handle or a tag is not a word of
the customer's language). Texts with too few letters, or where two languages are almost
equally likely, stay null: "unknown" is better than a guess.

Detection is lazy: ingest stores the loader's own language (Twitter's ``lang``)
or null, and :func:`fill_languages` detects the messages a figure asks for the
first time it asks, caching the result beside the store (``STORE/derived/``).
``BENCHMARK_DETECT_LANGUAGE=1`` (or ``detect_language=True``) detects every
message at ingest instead, as before.
"""

from __future__ import annotations

import functools
import os
import uuid
from pathlib import Path
from typing import Any, Final

import polars as pl

from .folding import words_only

__all__ = [
    "CACHE_DIR", "CLEANING", "ENV_SWITCH", "LANGUAGES", "MIN_LETTERS", "MIN_RELATIVE_DISTANCE", "available",
    "clean_for_detection", "detect_languages", "fill_languages", "with_language",
]

LANGUAGES: Final = ("it", "en", "es", "fr", "de", "pt")
MIN_LETTERS: Final = 3  # "ok", "?" or an emoji say nothing about a language
MIN_RELATIVE_DISTANCE: Final = 0.05  # lingua's margin between the best and the second language
ENV_SWITCH: Final = "BENCHMARK_DETECT_LANGUAGE"
CLEANING: Final = "words2"  # what detection reads (folding.words_only): a change here must not reuse cached languages

_ENTITIES = r"&amp;|&gt;|&lt;"


def _detection_enabled(explicit: bool | None = None, *, default: bool = False) -> bool:
    """Detect at ingest? ``explicit`` when given, else the environment switch, else ``default`` (off:
    languages are detected when a figure first needs them, see :func:`fill_languages`)."""
    if explicit is not None:
        return explicit
    value = os.environ.get(ENV_SWITCH, "").strip().lower()
    if not value:
        return default
    return value not in ("0", "false", "no", "off")


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
    """Text without links, @mentions, #hashtags and HTML entities, trimmed."""
    return words_only(text).str.replace_all(_ENTITIES, " ").str.replace_all(r"\s+", " ").str.strip_chars()


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
    if not _detection_enabled(enabled) or messages.height == 0 or "text" not in messages.columns:
        return messages
    detected = detect_languages(messages.get_column("text"))
    if "lang" in messages.columns:
        return messages.with_columns(pl.coalesce(pl.col("lang"), detected).alias("lang"))
    return messages.with_columns(detected.alias("lang"))


# ---- detected when first needed, cached beside the store -------------------------------------------

CACHE_DIR: Final = "derived"


def _cache_root(store_path: Path) -> Path:
    """One folder per detector setting: a change of languages, thresholds or lingua version starts afresh."""
    try:
        from importlib.metadata import version

        lingua = version("lingua-language-detector")
    except Exception:  # noqa: BLE001 - a trimmed install: still a stable name
        lingua = "none"
    tag = f"lang-{lingua}-{'-'.join(LANGUAGES)}-{MIN_LETTERS}-{MIN_RELATIVE_DISTANCE}-{CLEANING}"
    return store_path / CACHE_DIR / tag


def fill_languages(store: Any, rows: pl.DataFrame, *, limit: int | None = None) -> pl.DataFrame:
    """``rows`` (``platform, message_id, text, lang, _file``: the messages file each row came from) with
    ``lang`` filled: from the loader, else from the cache, else detected now and cached.

    Only the rows asked for are detected (the listening figures need requests, not every reply), and
    each result is kept in ``STORE/derived/`` per ingest, so no text is detected twice. The cache is
    derived data: deleting it only costs a new detection; a crash while writing it leaves no part file.
    With ``limit``, more than ``limit`` texts still to detect are left null (a caller that must stay quick).
    """
    root = _cache_root(Path(store.path))
    need = rows.filter(pl.col("lang").is_null())
    if need.height == 0:
        return rows.drop("_file")
    files = need.get_column("_file").unique().to_list()
    ingests = pl.DataFrame({"_file": files, "_ingest": [Path(f).parent.name for f in files]}, schema={"_file": pl.String, "_ingest": pl.String})
    cached_parts = [p for name in ingests.get_column("_ingest").to_list() for p in sorted((root / name).glob("part-*.parquet"))]
    key = ["platform", "message_id"]
    cached = _read_parts(cached_parts)
    need = need.join(ingests, on="_file", how="left").join(cached.rename({"lang": "_cached"}), on=key, how="left")
    todo = need.filter(pl.col("_cached").is_null()).join(cached.select(key), on=key, how="anti")
    found = cached
    if todo.height and available() and (limit is None or todo.height <= limit):
        detected = todo.select(*key, "_ingest", detect_languages(todo.get_column("text")).alias("lang"))
        for (ingest,), part in detected.group_by("_ingest"):
            _write_part(root / str(ingest), part.select(*key, "lang"))
        found = pl.concat([cached, detected.select(*key, "lang")])
    found = found.unique(key, keep="first")
    out = rows.join(found.rename({"lang": "_found"}), on=key, how="left", maintain_order="left")
    return out.with_columns(pl.coalesce("lang", "_found").alias("lang")).drop("_found", "_file")


_PART_SCHEMA: Final = {"platform": pl.String, "message_id": pl.String, "lang": pl.String}


def _read_parts(parts: list[Path]) -> pl.DataFrame:
    """The cached languages; a damaged part is removed (its texts are detected again), never an error."""
    frames = []
    for part in parts:
        try:
            frames.append(pl.read_parquet(part).select([pl.col(c).cast(t) for c, t in _PART_SCHEMA.items()]))
        except (OSError, pl.exceptions.PolarsError):
            part.unlink(missing_ok=True)
    return pl.concat(frames) if frames else pl.DataFrame(schema=_PART_SCHEMA)


def _write_part(folder: Path, part: pl.DataFrame) -> None:
    """A new part file, written aside and renamed into place; a store we may not write to is left alone."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".tmp-{uuid.uuid4().hex}.parquet"
        part.write_parquet(tmp)
        os.replace(tmp, folder / f"part-{uuid.uuid4().hex}.parquet")
    except OSError:
        pass

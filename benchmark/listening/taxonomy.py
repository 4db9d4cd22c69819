"""The topic taxonomy: topic → keywords/patterns per language, topic → team.

A TOML file (the bundled default is ``data/taxonomy.toml``) lists topics in
priority order. Loading validates it and compiles each topic's keywords into
one whole-word regex over folded text (see :mod:`.text`), so classifying is a
chain of vectorised ``str.contains`` calls.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import polars as pl

from ..errors import InputError
from ..text.folding import any_term_regex, first_word

__all__ = [
    "DEFAULT_FILE", "OTHER", "Taxonomy", "Topic", "default_taxonomy", "load_taxonomy", "parse_taxonomy",
]

OTHER = "other"
DEFAULT_FILE = "taxonomy.toml"


@dataclass(frozen=True)
class Topic:
    """One topic: its routing team, display labels and the regex compiled from its keywords/patterns."""

    name: str
    team: str
    regex: str
    labels: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    # Substrings one of which every match contains (each keyword's first folded word), so a text
    # without any of them need not go through the regex; None when raw patterns make that unknowable.
    literals: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Taxonomy:
    """Topics in priority order, and the team that gets what no topic matches."""

    topics: tuple[Topic, ...]
    default_team: str
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        return (*(t.name for t in self.topics), OTHER)

    def team_of(self, topic: str) -> str:
        return next((t.team for t in self.topics if t.name == topic), self.default_team)

    def label(self, topic: str, lang: str = "en") -> str:
        t = next((t for t in self.topics if t.name == topic), None)
        if t is None:
            return {"it": "Altro"}.get(lang, "Other")
        return t.labels.get(lang) or t.labels.get("en") or topic


@functools.cache
def default_taxonomy() -> Taxonomy:
    """The bundled Italian/English customer-care taxonomy."""
    text = files("benchmark.listening").joinpath("data", DEFAULT_FILE).read_text(encoding="utf-8")
    return parse_taxonomy(text, source=f"(bundled) {DEFAULT_FILE}")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """A taxonomy from a TOML file; the bundled default when ``path`` is None."""
    if path is None:
        return default_taxonomy()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(p, f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(p, "is not UTF-8 text") from None
    return parse_taxonomy(text, source=str(p))


def _fail(source: str, message: str) -> InputError:
    return InputError(Path(source), message)


def parse_taxonomy(text: str, source: str = "<taxonomy>") -> Taxonomy:
    """Validate and compile a taxonomy's TOML text; every mistake names the topic and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, f"is not valid TOML: {exc}") from None
    raw_topics = data.get("topic")
    if not isinstance(raw_topics, list) or not raw_topics:
        raise _fail(source, "needs at least one [[topic]] table")
    default_team = data.get("default_team", "community")
    if not isinstance(default_team, str) or not default_team:
        raise _fail(source, "default_team must be a non-empty string")
    topics: list[Topic] = []
    for i, raw in enumerate(raw_topics, start=1):
        topics.append(_topic(raw, i, source))
    names = [t.name for t in topics]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise _fail(source, f"topic names must be unique: {', '.join(dupes)} appear more than once")
    return Taxonomy(topics=tuple(topics), default_team=default_team, source=source)


def _topic(raw: object, i: int, source: str) -> Topic:
    if not isinstance(raw, dict):
        raise _fail(source, f"topic {i} is not a table")
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name or "") or name == OTHER:
        raise _fail(source, f"topic {i}: name must be lower-case letters, digits or _ (and not {OTHER!r}), got {name!r}")
    team = raw.get("team")
    if not isinstance(team, str) or not team:
        raise _fail(source, f"topic {name!r}: team must be a non-empty string")
    keywords = raw.get("keywords", {})
    patterns = raw.get("patterns", {})
    labels = raw.get("label", {})
    for field_name, value in (("keywords", keywords), ("patterns", patterns), ("label", labels)):
        if not isinstance(value, dict):
            raise _fail(source, f"topic {name!r}: {field_name} must be a table of language = [...]")
    kw: dict[str, tuple[str, ...]] = {}
    for lang, words in keywords.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip().rstrip("*").strip() for w in words):
            raise _fail(source, f"topic {name!r}: keywords.{lang} must be a list of non-empty strings")
        kw[lang] = tuple(words)
    alternatives = []
    all_words = [w for words in kw.values() for w in words]
    if all_words:
        alternatives.append(any_term_regex(all_words))
    for lang, pats in patterns.items():
        if not isinstance(pats, list) or not all(isinstance(p, str) and p for p in pats):
            raise _fail(source, f"topic {name!r}: patterns.{lang} must be a list of regular expressions")
        for p in pats:
            try:  # checked by the regex engine that will run it (Rust syntax, via Polars)
                pl.select(pl.lit("").str.contains(p))
            except pl.exceptions.PolarsError:
                raise _fail(source, f"topic {name!r}: pattern {p!r} is not a valid regular expression") from None
            alternatives.append(f"(?:{p})")
    if not alternatives:
        raise _fail(source, f"topic {name!r}: give at least one keyword or pattern")
    return Topic(
        name=name,
        team=team,
        regex="|".join(alternatives),
        labels={str(k): str(v) for k, v in labels.items()},
        keywords=kw,
        literals=None if patterns else tuple(sorted({first_word(w) for w in all_words})),
    )

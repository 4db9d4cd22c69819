"""What every loader returns, and the options loaders share.

A loader turns one file into a stream of :class:`Chunk` objects: canonical
messages plus the records it could not use, each with a reason. The store
adds lineage, dedupes and writes; the counting identity
``read == stored + duplicates + rejected`` is checked there, so a loader only
has to account for every record it reads, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

__all__ = ["Chunk", "ColumnMapping", "LoadOptions", "Loader", "Reject", "rejects_of"]


@dataclass(frozen=True)
class Reject:
    """One input record that was not stored, and why."""

    record: int  # 1-based record (or line, for line-oriented formats) number in the file
    reason: str
    raw: str | None = None  # a short excerpt of the record, for the rejects file


def rejects_of(df: pl.DataFrame, *, record: str = "_record", value: str | None = None, label: str | None = None) -> list[Reject]:
    """One Reject per row of ``df`` whose ``_problem`` is set.

    Each carries the row's record number, the reason, and (with ``value``) a short
    ``label=value`` excerpt that finds the record again without copying its text.
    """
    bad = df.filter(pl.col("_problem").is_not_null()).select(record, "_problem", *([value] if value else []))
    name = label or value
    return [
        Reject(record=row[0], reason=row[1], raw=None if len(row) < 3 or row[2] is None else f"{name}={row[2]}")
        for row in bad.iter_rows()
    ]


@dataclass
class Chunk:
    """A slice of one file: canonical messages and rejected records.

    ``read`` counts input records in this slice; it must equal
    ``messages.height + len(rejects)``.
    """

    messages: pl.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # facts worth telling the user once

    @property
    def read(self) -> int:
        return self.messages.height + len(self.rejects)


@dataclass(frozen=True)
class ColumnMapping:
    """How a generic CSV's columns map onto the canonical schema.

    Values are source column names; ``platform`` and ``brand`` may instead be
    fixed for the whole file with ``platform_value``/``brand_value``.
    """

    message_id: str
    created_at: str
    author_id: str
    parent_id: str | None = None
    thread_id: str | None = None
    text: str | None = None
    brand: str | None = None
    is_brand: str | None = None  # a true/false column; else authors in LoadOptions.brands are the brand
    kind: str | None = None
    platform: str | None = None
    platform_value: str = "other"
    brand_value: str | None = None
    timestamp_format: str | None = None  # strftime format; default ISO 8601
    timezone: str | None = None  # for timestamps written without an offset


@dataclass(frozen=True)
class LoadOptions:
    """Options a user may pass to any loader; each loader reads what applies to it."""

    brands: tuple[str, ...] = ()  # brand account ids/handles, for formats that do not mark them
    mapping: ColumnMapping | None = None
    encoding: str = "utf-8"
    chunk_rows: int = 250_000
    delimiter: str | None = None  # CSV field delimiter (--delimiter); None: sniffed from the header


class Loader(Protocol):
    """A format: recognises its files from their first bytes and reads them."""

    name: str
    description: str

    def sniff(self, head: bytes, path: Path) -> bool:
        """True when ``head`` (the file's first 64 KiB) looks like this format."""
        ...

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        """Read ``path`` into canonical chunks; raise InputError when the file is unreadable."""
        ...

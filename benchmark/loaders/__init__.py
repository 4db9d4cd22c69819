"""Loaders: one module per export format, each turning a file into canonical chunks.

:func:`detect_format` picks a loader from a file's first bytes; formats are
tried in :data:`REGISTRY` order, most specific first. Add a format by writing
a module with a ``LOADER`` object (see :class:`~benchmark.loaders.base.Loader`)
and listing it here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, UnknownFormatError, UsageError
from . import generic_csv, twcs, twitter_v2
from . import minimaxir, netvizz  # noqa: I001
from . import facebook_graph, instagram  # noqa: I001
from .base import Chunk, ColumnMapping, Loader, LoadOptions, Reject

REGISTRY: dict[str, Loader] = {
    twcs.LOADER.name: twcs.LOADER,
    twitter_v2.LOADER.name: twitter_v2.LOADER,
    minimaxir.LOADER.name: minimaxir.LOADER,
    netvizz.LOADER.name: netvizz.LOADER,
    facebook_graph.LOADER.name: facebook_graph.LOADER,
    instagram.LOADER.name: instagram.LOADER,
    generic_csv.LOADER.name: generic_csv.LOADER,
}

HEAD_BYTES = 64 * 1024


def read_head(path: Path) -> bytes:
    """The first bytes of ``path``, with errors that name the file."""
    try:
        with path.open("rb") as fh:
            return fh.read(HEAD_BYTES)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory; pass the files inside it") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None


INPUT_SUFFIXES = (".csv", ".tsv", ".tab", ".json", ".ndjson", ".jsonl", ".txt")


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: files as given, directories replaced by the export files inside them.

    A directory contributes its files (recursively, sorted, hidden ones skipped) whose
    suffix is one exports use; a directory with none is an InputError naming it.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputError(path, f"directory holds no export files ({', '.join(INPUT_SUFFIXES)})")
            out.extend(found)
        else:
            out.append(path)
    return out


def detect_format(path: Path, options: LoadOptions | None = None) -> Loader:
    """The loader for ``path``; raises UnknownFormatError naming the file."""
    head = read_head(path)
    if not head.strip():
        raise InputError(path, "the file is empty")
    for loader in REGISTRY.values():
        if loader.sniff(head, path):
            return loader
    if options is not None and options.mapping is not None:
        return REGISTRY["csv"]
    known = ", ".join(name for name in REGISTRY)
    raise UnknownFormatError(
        path, f"unknown format: not one of {known}; pass --format, or --map columns for a generic CSV"
    )


def get_loader(name: str) -> Loader:
    """A loader by its format name; raises UsageError for an unknown name."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; choose auto or one of {', '.join(REGISTRY)}") from None


__all__ = ["INPUT_SUFFIXES", "REGISTRY", "expand_inputs", "Chunk", "ColumnMapping", "LoadOptions", "Loader", "Reject", "detect_format", "get_loader", "read_head"]

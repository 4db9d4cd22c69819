"""Loaders: one module per export format, each turning a file into canonical chunks.

:func:`detect_format` picks a loader from a file's first bytes; formats are
tried in :data:`REGISTRY` order, most specific first. Add a format by writing
a module with a ``LOADER`` object (see :class:`~benchmark.loaders.base.Loader`)
and listing it here. Formats never import each other: what two of them share is a
reader in :mod:`._read` (CSV, JSON, encodings, compression, clean-ups).

Compressed files (``.zip``, ``.gz``, ``.bz2``, ``.xz``, ``.zst``) are read as they are
(:mod:`._read.compressed`): :func:`detect_format` and :func:`get_loader` return the loader
wrapped so that it reads the decompressed stream of each export inside.
:func:`find_inputs` turns folders into the export files inside them and says which
files it skipped (README, LICENSE, notes, hidden files).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, ParameterError, UnknownFormatError, UsageError
from . import generic_csv, twcs, twitter_v2
from . import minimaxir, netvizz  # noqa: I001
from . import facebook_graph, instagram  # noqa: I001
from .base import Chunk, ColumnMapping, Loader, LoadOptions, Reject
from ._read.compressed import SourcePath, contents, inner_name
from ._read.normalize import EARLIEST_TIMESTAMP, LATEST_TIMESTAMP
from ._read.sniff import header_names, is_hidden, is_note, parse_delimiter, sniff_delimiter, without_blank_first_column
from ._read.wide_text import as_utf8, is_wide, wide_text_problem

REGISTRY: dict[str, Loader] = {
    twcs.LOADER.name: twcs.LOADER,
    twitter_v2.LOADER.name: twitter_v2.LOADER,
    minimaxir.LOADER.name: minimaxir.LOADER,
    netvizz.LOADER.name: netvizz.LOADER,
    facebook_graph.LOADER.name: facebook_graph.LOADER,
    instagram.LOADER.name: instagram.LOADER,
    generic_csv.LOADER.name: generic_csv.LOADER,
}

DELIMITED_FORMATS = ("twcs", "csv")  # the formats --delimiter applies to
HEAD_BYTES = 64 * 1024


def read_head(path: Path) -> bytes:
    """The first bytes of ``path`` (decompressed, for a :class:`SourcePath`), with errors that name the file."""
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


# ---- which files are exports ------------------------------------------------------------------


@dataclass
class Inputs:
    """The files to ingest, and per folder the files in it that were skipped as not exports."""

    files: list[Path] = field(default_factory=list)
    skipped: dict[Path, list[str]] = field(default_factory=dict)  # folder -> names relative to it
    hidden: dict[Path, list[str]] = field(default_factory=dict)  # folder -> hidden files and folders (not descended into)

    def skip_messages(self) -> list[str]:
        """One line per folder that had files skipped, naming them (the first few)."""
        out = []
        for folder in {**self.skipped, **self.hidden}:
            names, hidden = self.skipped.get(folder, []), self.hidden.get(folder, [])
            parts = []
            if names:
                parts.append(f"skipped {len(names):,} file(s) that are not exports: {_some(names, 6)}")
            if hidden:
                parts.append(f"{'and ' if names else 'skipped '}{len(hidden):,} hidden ({_some(hidden, 3)})")
            out.append(f"{folder}: {'; '.join(parts)}")
        return out


def _some(names: list[str], n: int) -> str:
    return ", ".join(names[:n]) + (f", and {len(names) - n:,} more" if len(names) > n else "")


def _export_kind(name: str) -> str:
    """'export', 'maybe' (a .txt: an export only if a loader recognises it) or 'skip' for a file name in a folder."""
    if is_hidden(name) or is_note(name):
        return "skip"
    lower = inner_name(name).lower()
    if name.lower().endswith(".zip"):
        return "export"
    if lower.endswith(".txt"):
        return "maybe"
    return "export" if lower.endswith(INPUT_SUFFIXES) else "skip"


def _recognised(path: Path) -> bool:
    """True when some loader recognises the file (used for .txt files, which may be exports or notes)."""
    try:
        detect_format(path)
    except (InputError, UsageError):
        return False
    return True


def find_inputs(paths: Iterable[Path]) -> Inputs:
    """Files to ingest: files as given, directories replaced by the export files inside them.

    A directory contributes its files (recursively, sorted; hidden files and folders skipped)
    whose suffix is one exports use, compressed or not (``.csv``, ``.json``, ``.csv.gz``, ``.zip``, ...).
    Files that document the data rather than hold it (README*, LICENSE*, SOURCE.txt, ``*.md``) and
    ``.txt`` files no loader recognises are skipped and listed in :attr:`Inputs.skipped`. A file
    named explicitly is always kept (and fails clearly if it is not an export). A directory with no
    export file is an InputError naming it.
    """
    found = Inputs()
    for path in paths:
        if not path.is_dir():
            found.files.append(path)
            continue
        files: list[Path] = []
        skipped: list[str] = []
        hidden: list[str] = []
        for root, dirs, names in os.walk(path):
            hidden.extend((Path(root) / d).relative_to(path).as_posix() for d in sorted(dirs) if is_hidden(d))
            dirs[:] = sorted(d for d in dirs if not is_hidden(d))  # never descended into (.git, __MACOSX)
            for name in sorted(names):
                p = Path(root) / name
                rel = p.relative_to(path).as_posix()
                kind = "hidden" if is_hidden(name) else _export_kind(name)
                if kind == "hidden":
                    hidden.append(rel)
                elif kind == "export" or (kind == "maybe" and _recognised(p)):
                    files.append(p)
                else:
                    skipped.append(rel)
        files.sort()
        if skipped:
            found.skipped[path] = skipped
        if hidden:
            found.hidden[path] = hidden
        if not files:
            why = f"; skipped {', '.join(skipped[:6])}{', …' if len(skipped) > 6 else ''}" if skipped else ""
            raise InputError(path, f"directory holds no export files ({', '.join(INPUT_SUFFIXES)}, compressed or not){why}")
        found.files.extend(files)
    return found


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """The files :func:`find_inputs` finds (without the list of skipped ones)."""
    return find_inputs(paths).files


# ---- formats ----------------------------------------------------------------------------------

# (format, required columns, columns only that format writes): a header holding one of the latter
# and most of the former is that format with columns missing, not an unknown format.
_CSV_SIGNATURES: tuple[tuple[str, list[str], set[str]], ...] = (
    ("twcs", twcs.REQUIRED, {"tweet_id", "inbound", "in_response_to_tweet_id", "response_tweet_id"}),
    ("netvizz", netvizz.REQUIRED, {"post_by", "comment_by", "is_reply", "post_published", "comment_published"}),
    ("minimaxir", minimaxir.COMMENT_REQUIRED, {"comment_id", "comment_published", "comment_author"}),
    ("minimaxir", minimaxir.STATUS_REQUIRED, {"status_published", "status_message"}),
)


def _csv_names(head: bytes, path: Path, options: LoadOptions | None) -> list[str]:
    delimiter = (options.delimiter if options else None) or getattr(path, "delimiter", None)
    delimiter = delimiter or sniff_delimiter(head, prefer="\t" if path.suffix.lower() in (".tsv", ".tab") else None)
    return [n.strip() for n in header_names(head, delimiter) if n.strip()]


def delimiter_hint(head: bytes, names: list[str], path: Path, options: LoadOptions | None) -> str:
    """'; the header splits on ';', not ','…' when a one-column header would split on another delimiter."""
    given = (options.delimiter if options else None) or getattr(path, "delimiter", None)
    if len(names) != 1 or given is None:
        return ""
    sniffed = sniff_delimiter(head)
    if sniffed == given:
        return ""
    return f"; the header is not {_shown(given)}-delimited but {_shown(sniffed)}-delimited: pass --delimiter {_shown(sniffed)}, or leave it out"


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def _missing(fmt: str, names: list[str]) -> list[str] | None:
    """The required columns of CSV format ``fmt`` that ``names`` lacks (None when ``fmt`` is not a checked CSV format)."""
    signatures = [s for s in _CSV_SIGNATURES if s[0] == fmt]
    if not signatures:
        return None
    if fmt == "minimaxir":  # the comments file or the statuses file, as the loader decides
        signatures = signatures[:1] if "comment_id" in names else signatures[1:]
    return [c for c in signatures[0][1] if c not in names]


def _nearest(names: list[str]) -> tuple[str, list[str]] | None:
    """The CSV format ``names`` nearly is and the columns it lacks, or None."""
    have = set(names)
    best: tuple[str, list[str]] | None = None
    for fmt, required, own in _CSV_SIGNATURES:
        missing = [c for c in required if c not in have]
        if not missing or not (own & have) or len(missing) * 2 > len(required):
            continue
        if best is None or len(missing) < len(best[1]):
            best = (fmt, missing)
    return best


def _sniffed(head: bytes, path: Path) -> Loader | None:
    for loader in REGISTRY.values():
        if loader.sniff(head, path):
            return loader
    return None


def _detect_one(path: Path, options: LoadOptions | None) -> Loader:
    """The loader for one plain (or already decompressed) file."""
    head = read_head(path)
    encoding = options.encoding if options else "utf-8"
    if is_wide(encoding):  # --encoding utf-16: the formats are recognised in the decoded text
        head = as_utf8(head, encoding)
    elif problem := wide_text_problem(head, encoding):
        raise InputError(path, problem)
    if not head.strip():
        raise InputError(path, "the file is empty")
    if len(head) > 262 and head[257:262] == b"ustar":
        raise InputError(path, "a tar archive: unpack it (tar -xf) and ingest the folder")
    names = _csv_names(head, path, options) if head.lstrip()[:1] not in (b"{", b"[") else []
    loader = _sniffed(head, path)
    if loader is None:  # a pandas index column (a blank first name) in front of an export's header
        delimiter = (options.delimiter if options else None) or sniff_delimiter(head)
        shifted = without_blank_first_column(head, delimiter)
        loader = _sniffed(shifted, path) if shifted is not None else None
    if loader is not None:
        missing = _missing(loader.name, names)
        if missing:
            raise InputError(path, f"{loader.name}: missing required column(s): {', '.join(missing)}{delimiter_hint(head, names, path, options)}")
        return loader
    if options is not None and options.mapping is not None:
        return REGISTRY["csv"]
    near = _nearest(names)
    if near is not None and len(near[1]) == 1:
        raise UnknownFormatError(path, f"{near[0]}: missing required column(s): {near[1][0]}")
    known = ", ".join(name for name in REGISTRY)
    closest = f" (nearest: {near[0]}, which also needs column(s) {', '.join(near[1])})" if near else ""
    raise UnknownFormatError(
        path, f"unknown format: not one of {known}{closest}; pass --format, or --map columns for a generic CSV"
    )


def _members(path: Path, options: LoadOptions | None) -> tuple[list[SourcePath], list[str]]:
    """The files to read inside ``path`` (itself, unless it is a zip) and the zip members skipped."""
    if isinstance(path, SourcePath):
        return [path], []
    head = read_head(path)
    delimiter = options.delimiter if options else None
    found = contents(path, head, delimiter)
    if len(found) == 1 and found[0].member is None:
        return found, []
    keep, skipped = [], []
    for member in found:
        name = member.member or ""
        parts = name.split("/")
        kind = "skip" if any(is_hidden(p) for p in parts[:-1]) else _export_kind(parts[-1])
        if kind == "export" or (kind == "maybe" and _recognised(member)):
            keep.append(member)
        else:
            skipped.append(name)
    if not keep:
        shown = f" (only {', '.join(skipped[:5])}{', …' if len(skipped) > 5 else ''})" if skipped else ""
        raise InputError(path, f"the zip archive holds no export file{shown}")
    return keep, skipped


def _check_delimiter(loader: Loader, path: Path, options: LoadOptions | None) -> None:
    if options is not None and options.delimiter is not None and loader.name not in DELIMITED_FORMATS:
        raise ParameterError("{delimiter} applies to {formats} files; {path} is {name}", "delimiter", formats=" and ".join(DELIMITED_FORMATS), path=str(path), name=loader.name)


def detect_format(path: Path, options: LoadOptions | None = None) -> Loader:
    """The loader for ``path``; raises UnknownFormatError naming the file.

    A compressed file is recognised by what it holds; a zip must hold exports of one format.
    """
    members, _ = _members(path, options)
    found = [(m, _detect_one(m, options)) for m in members]
    formats = {loader.name for _, loader in found}
    if len(formats) > 1:
        listed = ", ".join(f"{m.member}: {loader.name}" for m, loader in found)
        raise InputError(path, f"holds exports of different formats ({listed}); unzip it and ingest them one by one")
    loader = found[0][1]
    _check_delimiter(loader, path, options)
    return Reading(loader)


def loader_for(path: Path, fmt: str, options: LoadOptions | None) -> Loader:
    """The loader for ``path``: format ``fmt``, or the detected one for ``auto``.

    A column mapping (``--map``/``--mapping``) is read by the generic csv format only: with any
    other format it would be silently ignored, so it is refused instead, saying how to use it.
    """
    loader = detect_format(path, options) if fmt == "auto" else get_loader(fmt)
    if options is not None and options.mapping is not None and loader.name != "csv":
        raise UsageError(
            f"{path}: a {loader.name} export: --map/--mapping apply to the generic csv format only; "
            "leave them out, or pass --format csv to read the file with your mapping"
        )
    return loader


def get_loader(name: str) -> Loader:
    """A loader by its format name; raises UsageError for an unknown name."""
    try:
        return Reading(REGISTRY[name])
    except KeyError:
        raise UsageError(f"unknown format {name!r}; choose auto or one of {', '.join(REGISTRY)}") from None


@dataclass(frozen=True)
class Reading:
    """A format's loader applied to what a file holds: the file itself, or each export inside a compressed one."""

    loader: Loader

    @property
    def name(self) -> str:
        return self.loader.name

    @property
    def description(self) -> str:
        return self.loader.description

    def sniff(self, head: bytes, path: Path) -> bool:
        return self.loader.sniff(head, path)

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        _check_delimiter(self.loader, path, options)
        members, skipped = _members(path, options)
        several = len(members) > 1
        for i, member in enumerate(members):
            if problem := wide_text_problem(read_head(member), options.encoding):  # also when --format was given
                raise InputError(member, problem)
            for j, chunk in enumerate(self.loader.load(member, options)):
                if member.member is not None and j == 0:
                    if i == 0 and skipped:
                        chunk.notes.insert(0, f"skipped {len(skipped)} file(s) in the zip that are not exports: {', '.join(skipped[:6])}")
                    chunk.notes.insert(0, f"read {member.member} from the zip" + (f" ({i + 1} of {len(members)})" if several else ""))
                if several:  # record numbers restart in each member: the reason says which one
                    chunk.rejects = [Reject(r.record, f"{member.member}: {r.reason}", r.raw) for r in chunk.rejects]
                yield chunk


__all__ = [
    "EARLIEST_TIMESTAMP", "LATEST_TIMESTAMP", "parse_delimiter",
    "DELIMITED_FORMATS", "INPUT_SUFFIXES", "REGISTRY", "Chunk", "ColumnMapping", "Inputs", "LoadOptions", "Loader",
    "Reading", "Reject", "SourcePath", "detect_format", "expand_inputs", "find_inputs", "get_loader", "loader_for", "read_head",
]

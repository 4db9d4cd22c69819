"""Stream JSON documents from an export file, whatever shape the tool wrote.

Graph API exporters write one response object, a JSON array of response
pages, or NDJSON with one page per line. This reader yields the documents one
at a time (an array is walked element by element with ``raw_decode``, never
loaded whole), so memory stays bounded by the largest single document. A
malformed NDJSON line (a truncated last line included) comes back as a
:class:`BadDocument` naming the line, so the loader can reject it and carry
on; a file that is not JSON at all is an :class:`~benchmark.errors.InputError`.
The stdlib ``json`` module is used: orjson is not a dependency.

The second half holds what the Graph API loaders share after parsing:
:class:`WalkedRows` (messages walked out of nested records, column by
column) and :func:`walk_in_batches`, which turns the walk into bounded batches.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol

import polars as pl

from ...errors import InputError
from ..base import Reject, rejects_of
from .normalize import parse_timestamp

__all__ = [
    "BLOCK", "BadDocument", "Document", "NDJSON_SUFFIXES", "RAW_EXCERPT", "ROW_COLUMNS", "TOO_DEEP",
    "WalkedRows", "Walker", "excerpt", "first_json_char", "json_id", "json_text", "json_time",
    "split_on_time", "walk_in_batches",
]

BLOCK = 1 << 20  # characters read at a time when walking a JSON array
RAW_EXCERPT = 200  # characters of a bad record kept for the rejects file
_WS = " \t\r\n"
TOO_DEEP = "JSON nested too deeply to read (thousands of levels: not an API export)"


@dataclass(frozen=True)
class Document:
    """One parsed JSON value; ``line`` is its NDJSON line number (None otherwise)."""

    value: object
    line: int | None = None


@dataclass(frozen=True)
class BadDocument:
    """A part of the file that is not valid JSON; ``line`` as for :class:`Document`."""

    reason: str
    raw: str
    line: int | None = None


def first_json_char(head: bytes) -> str:
    """The first non-blank character of ``head`` after a UTF-8 BOM ('' when blank)."""
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    return chr(text[0]) if text else ""


def _iter_documents(path: Path) -> Iterator[Document | BadDocument]:
    """Yield every JSON document of ``path`` in file order (see the module docstring)."""
    try:
        with path.open("rb") as fh:
            layout = _layout(fh, path)
            fh.seek(0)
            if layout == "ndjson":
                yield from _iter_lines(fh)
            elif layout == "array":
                yield from _iter_array(fh, path)
            else:
                try:
                    value = _load_whole(fh, path)
                except InputError:
                    fh.seek(0)
                    if not _some_line_parses(fh):  # not NDJSON with broken lines either
                        raise
                    fh.seek(0)
                    yield from _iter_lines(fh)
                else:
                    yield Document(value)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None


NDJSON_SUFFIXES = (".ndjson", ".jsonl", ".jsonlines")


def _layout(fh: BinaryIO, path: Path) -> str:
    """'ndjson', 'array' or 'object', from the file name or the first line(s) of the file."""
    first = fh.readline()
    start = first_json_char(first)
    while not start and first:  # leading blank lines
        first = fh.readline()
        start = first_json_char(first)
    if start not in ("{", "["):
        shown = first.lstrip(codecs.BOM_UTF8).strip()[:40].decode("utf-8", "replace")
        raise InputError(path, f"not JSON: it starts with {shown!r}, not '{{' or '['")
    if path.suffix.lower() in NDJSON_SUFFIXES:
        return "ndjson"
    if _parses(first):
        rest = fh.read(RAW_EXCERPT * 8)
        return "ndjson" if rest.strip() else ("array" if start == "[" else "object")
    # A first line that does not parse is either the start of a pretty-printed
    # document or a broken NDJSON line: the next line tells them apart.
    second = fh.readline()
    while second and not second.strip():
        second = fh.readline()
    if start == "{" and second and _parses(second) and second.lstrip().startswith(b"{"):
        return "ndjson"
    return "array" if start == "[" else "object"


def _some_line_parses(fh: BinaryIO) -> bool:
    """True when the file has several lines and one of them is a JSON object: NDJSON with broken lines."""
    lines = 0
    found = False
    for line in fh:
        if line.strip():
            lines += 1
            found = found or (line.startswith((b"{", b"[")) and _parses(line))  # NDJSON lines start at column 0
        if lines > 1 and found:
            return True
    return False


def _parses(line: bytes) -> bool:
    try:
        json.loads(line.lstrip(codecs.BOM_UTF8))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return True


def _iter_lines(fh: BinaryIO) -> Iterator[Document | BadDocument]:
    """NDJSON: one document per non-blank line; bad lines come back as BadDocument."""
    for number, line in enumerate(fh, start=1):
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        try:
            yield Document(json.loads(line), line=number)
        except UnicodeDecodeError as exc:
            yield BadDocument(f"line {number}: not UTF-8 text ({exc.reason} at byte {exc.start})", _excerpt(line), number)
        except json.JSONDecodeError as exc:
            cut = "; the file ends inside this line (truncated?)" if not line.endswith(b"\n") else ""
            yield BadDocument(f"line {number}: malformed JSON ({exc.msg} at column {exc.colno}){cut}", _excerpt(line), number)
        except RecursionError:
            yield BadDocument(f"line {number}: {TOO_DEEP}", _excerpt(line), number)


def _iter_array(fh: BinaryIO, path: Path) -> Iterator[Document | BadDocument]:
    """A top-level JSON array, element by element, without loading it whole."""
    reader = codecs.getreader("utf-8-sig")(fh, errors="strict")
    decoder = json.JSONDecoder()
    buf, eof = _read(reader, BLOCK, path)
    pos = _skip_ws(buf, 0) + 1  # past '['
    index = 0
    want = BLOCK
    while True:
        pos = _skip_ws(buf, pos)
        if pos < len(buf) and buf[pos] == "," and index:
            pos = _skip_ws(buf, pos + 1)
        if pos >= len(buf):
            if eof:
                yield BadDocument(f"truncated: the JSON array ends after element {index} without ']'", "")
                return
            more, eof = _read(reader, want, path)
            buf, pos = buf[pos:] + more, 0
            continue
        if buf[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(buf, pos)
        except RecursionError:  # where the element ends is unknown: the rest of the array cannot be read
            raise InputError(path, f"array element {index + 1}: {TOO_DEEP}") from None
        except json.JSONDecodeError as exc:
            if not eof:  # the element may continue in the next block: read more, twice as much each time
                more, eof = _read(reader, want, path)
                buf, pos, want = buf[pos:] + more, 0, want * 2
                continue
            yield BadDocument(f"array element {index + 1}: malformed or truncated JSON ({exc.msg})", buf[pos : pos + RAW_EXCERPT])
            return
        index += 1
        want = BLOCK
        yield Document(value)
        pos = end
        if pos > BLOCK:
            buf, pos = buf[pos:], 0


def _read(reader: codecs.StreamReader, size: int, path: Path) -> tuple[str, bool]:
    try:
        text = reader.read(size)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} near byte {exc.start})") from None
    return text, text == ""


def _skip_ws(buf: str, pos: int) -> int:
    n = len(buf)
    while pos < n and buf[pos] in _WS:
        pos += 1
    return pos


def _load_whole(fh: BinaryIO, path: Path) -> object:
    """A single JSON document (one API response: small by construction)."""
    data = fh.read()
    try:
        return json.loads(data.removeprefix(codecs.BOM_UTF8))
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise InputError(path, TOO_DEEP) from None
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(data.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        cut = " (the file ends there: truncated?)" if ends else ""
        raise InputError(path, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}){cut}") from None


def _excerpt(line: bytes) -> str:
    return line[:RAW_EXCERPT].decode("utf-8", "replace").rstrip("\r\n")


# ---- rows walked out of nested JSON records ---------------------------------------------


def json_id(value: object) -> str | None:
    """An id as the canonical string: ``"12_34"`` stays, ``1234`` and ``1234.0`` become ``"1234"``."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else None
    if isinstance(value, str):
        return value.strip() or None
    return None


def json_time(value: object) -> str | None:
    """A timestamp field as text; Unix seconds (``date_format=U`` exports) become ISO 8601 UTC."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return str(value)
    return value if isinstance(value, str) else None


def json_text(value: object) -> str | None:
    return value if isinstance(value, str) else (None if value is None else json.dumps(value, ensure_ascii=False))


def excerpt(value: object) -> str:
    """A short JSON excerpt of a record, for the rejects file."""
    return json.dumps(value, ensure_ascii=False, default=str)[:RAW_EXCERPT]


ROW_COLUMNS = ("record", "message_id", "parent_id", "thread_id", "account", "author_id", "author_name", "created", "text", "kind")


class WalkedRows:
    """Messages a loader walks out of nested JSON, held column by column until a chunk is full.

    ``account`` is the brand account the message's thread belongs to (the
    page, or the Instagram account owning the media), as far as the walk
    knows it. Records are numbered by NDJSON line, else by their running
    index in the file.
    """

    def __init__(self) -> None:
        self.columns: dict[str, list[object]] = {c: [] for c in ROW_COLUMNS}
        self.rejects: list[Reject] = []
        self._index = 0

    def __len__(self) -> int:
        return len(self.columns["record"])

    def record_for(self, line: int | None) -> int:
        self._index += 1
        return line if line is not None else self._index

    def add(self, line: int | None, **values: object) -> None:
        values["record"] = self.record_for(line)
        for name, col in self.columns.items():
            col.append(values.get(name))

    def reject(self, line: int | None, reason: str, raw: object = None) -> None:
        self.rejects.append(Reject(record=self.record_for(line), reason=reason, raw=raw if raw is None or isinstance(raw, str) else excerpt(raw)))

    def take(self, time_field: str) -> tuple[pl.DataFrame, list[Reject]]:
        """The rows so far as a frame (``created`` named ``time_field``) and the rejects; then start afresh."""
        schema = {c: (pl.Int64 if c == "record" else pl.String) for c in ROW_COLUMNS}
        frame = pl.DataFrame(self.columns, schema=schema).rename({"created": time_field})
        rejects = self.rejects
        self.columns = {c: [] for c in ROW_COLUMNS}
        self.rejects = []
        return frame, rejects


def split_on_time(frame: pl.DataFrame, time_field: str) -> tuple[pl.DataFrame, list[Reject]]:
    """Parse ``time_field`` into ``created_at`` (UTC); rows whose time is unusable become rejects."""
    created, problem = parse_timestamp(time_field)
    df = frame.with_columns(created.alias("created_at"), problem.alias("_problem"))
    rejects = rejects_of(df, record="record", value="message_id", label="id")
    return df.filter(pl.col("_problem").is_null()).drop("_problem", time_field), rejects


class Walker(Protocol):
    """Turns JSON documents into :class:`WalkedRows`; one per loader format."""

    rows: WalkedRows

    def document(self, doc: Document | BadDocument) -> None: ...


def walk_in_batches(path: Path, walker: Walker, batch_rows: int, time_field: str) -> Iterator[tuple[pl.DataFrame, list[Reject]]]:
    """Feed every document of ``path`` to ``walker``; yield its rows in batches of about ``batch_rows``.

    A batch ends at a document boundary, so it may exceed ``batch_rows`` by one
    API page. At least one (possibly empty) batch is always yielded.
    """
    yielded = False
    for doc in _iter_documents(path):
        walker.document(doc)
        if len(walker.rows) + len(walker.rows.rejects) >= batch_rows:
            yielded = True
            yield walker.rows.take(time_field)
    if not yielded or len(walker.rows) or walker.rows.rejects:
        yield walker.rows.take(time_field)

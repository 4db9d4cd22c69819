"""Read a CSV into all-string columns with errors that name the file.

Polars' reader is used on purpose: it reads bare CR characters inside
unquoted fields the way the exporting tool meant them (DuckDB's strict
reader fails on them and pandas splits the record).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ...errors import InputError
from ..base import Reject
from .sniff import sniff_delimiter

__all__ = [
    "BLOCK_BYTES", "CsvBlock", "CsvStream", "MAX_COLUMNS", "MAX_HEADER_BYTES", "MAX_RECORD_BYTES",
    "choose_separator", "open_csv", "read_csv_strings", "require_columns",
]


def read_csv_strings(
    path: Path, *, encoding: str = "utf-8", separator: str = ",", quote_char: str | None = '"', what: str = "CSV file"
) -> pl.DataFrame:
    """All columns as strings, header kept as written, a ``_record`` column (1-based).

    ``quote_char=None`` reads formats that never quote (Netvizz), where a stray ``"`` is text;
    ``what`` names the format in errors.
    """
    enc = "utf8" if encoding.lower().replace("-", "") in ("utf8", "utf8sig") else None
    compressed = getattr(path, "codec", None) is not None  # a compressed input (see .compressed): its bytes, decompressed
    try:
        if enc is None:
            # Polars reads only UTF-8: decode other encodings in Python first.
            data: bytes | Path = path.read_bytes().decode(encoding).encode("utf-8")
        else:
            data = path.read_bytes() if compressed else path
        df = pl.read_csv(
            data,
            infer_schema=False,
            separator=separator,
            quote_char=quote_char,
            raise_if_empty=False,
        )
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid {encoding} text ({exc.reason} at byte {exc.start}); try --encoding cp1252") from None
    except LookupError:
        raise InputError(path, f"unknown encoding {encoding!r}") from None
    except pl.exceptions.ComputeError as exc:
        msg = str(exc).splitlines()[0]
        if "utf-8" in msg.lower() or "utf8" in msg.lower():
            raise InputError(path, "not valid UTF-8 text; try --encoding cp1252 (or latin-1)") from None
        raise InputError(path, f"not a readable {what}: {msg}") from None
    except (pl.exceptions.PolarsError, OSError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"not a readable {what}: {msg}") from None
    if df.columns and df.columns[0].startswith("\ufeff"):
        df = df.rename({df.columns[0]: df.columns[0].lstrip("\ufeff")})
    return df.with_row_index("_record", offset=1)


def require_columns(path: Path, df: pl.DataFrame | list[str], needed: list[str]) -> None:
    """Raise InputError naming every required column the file lacks (``df``: a frame or its column names)."""
    have = df.columns if isinstance(df, pl.DataFrame) else df
    missing = [c for c in needed if c not in have]
    if missing:
        raise InputError(path, f"missing required column(s): {', '.join(missing)}")


# ---- streaming --------------------------------------------------------------------------

BLOCK_BYTES = 2 << 20  # bytes of CSV parsed at a time: memory stays a small multiple of this
MAX_RECORD_BYTES = 256 << 20  # one record (a long quoted field) may be this long; longer is an unclosed quote
MAX_HEADER_BYTES = 1 << 20  # a header line longer than this is not an export's header
MAX_COLUMNS = 10_000  # exports have tens of columns; a million-column header would need gigabytes
_HEAD_READ = 64 * 1024
_MAX_BACKTRACK_LINES = 10_000

csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))  # the slow path reads long quoted fields too


@dataclass
class CsvBlock:
    """One parsed slice of a CSV: all-string rows (header names, ``_record``) and records that did not parse."""

    rows: pl.DataFrame
    rejects: list[Reject]


class CsvStream:
    """A CSV read block by block, so memory stays bounded whatever the file size.

    Blocks end at a record boundary, so a quoted field with newlines is never cut,
    however long (up to :data:`MAX_RECORD_BYTES`). The cut is found by quote parity
    (fast); when parity finds none (a long field, or a stray quote inside an unquoted
    field), by a regular expression that follows CSV quoting exactly. Each block is
    parsed by Polars; a block Polars refuses (a line with too many fields, a stray
    quote) is parsed again record by record with the stdlib ``csv`` module, and only
    the bad records are rejected, naming their line. A quote that never closes is
    rejected as one bad line and reading resumes at the next one. Records are numbered
    1-based after the header, across blocks. Files whose lines end in a bare CR (Excel's
    "CSV (Macintosh)") are read as if they ended in LF.
    """

    def __init__(self, path: Path, *, encoding: str = "utf-8", separator: str = ",", block_bytes: int = BLOCK_BYTES) -> None:
        self.path = path
        self.separator = separator
        self.block_bytes = max(block_bytes, 1024)
        norm = encoding.lower().replace("-", "").replace("_", "")
        self._utf8 = norm in ("utf8", "utf8sig")
        try:
            self._decoder = codecs.getincrementaldecoder("utf-8" if self._utf8 else encoding)("strict")
        except LookupError:
            raise InputError(path, f"unknown encoding {encoding!r}") from None
        self.encoding = encoding
        self._consumed = 0  # raw bytes read so far, for error positions
        self._pending = b""  # UTF-8 bytes of a character cut by the last read, held back until it is whole
        self._cr_only: bool | None = None  # decided on the first bytes read
        try:
            self._fh = path.open("rb")
        except OSError as exc:
            raise InputError(path, f"cannot be read: {exc.strerror}") from None
        self._carry = b""
        self._eof = False
        self._first = True
        self._records = _records_pattern(separator)
        try:
            header = self._header_line()
        except BaseException:
            self._fh.close()
            raise
        names = _split_record(header.decode("utf-8"), separator) if header.strip() else []
        if len(names) > MAX_COLUMNS:
            self._fh.close()
            raise InputError(path, f"the header has {len(names):,} columns (more than {MAX_COLUMNS:,}): not an export's header")
        self.columns = _unique_names(names)
        self._line = 2 + header.count(b"\n")  # physical line number where the next block starts

    # ---- raw bytes, re-encoded as UTF-8 --------------------------------------------
    def _read_utf8(self, size: int) -> bytes:
        """The next ``size`` raw bytes as whole UTF-8 characters (a cut character waits for the next read)."""
        raw = self._fh.read(size)
        start = self._consumed
        self._consumed += len(raw)
        try:
            text = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            hint = "; try --encoding cp1252 (or latin-1)" if self._utf8 else ""
            where = start - len(self._pending) + exc.start
            raise InputError(self.path, f"not valid {self.encoding} text ({exc.reason} at byte {where}){hint}") from None
        if not raw:
            self._eof = True
        if self._utf8:  # the raw bytes are already UTF-8: pass them on, minus a character cut at the end
            joined = self._pending + raw if self._pending else raw
            held = self._decoder.getstate()[0]
            out = joined[: len(joined) - len(held)] if held else joined
            self._pending = held
        else:
            out = text.encode("utf-8")
        if self._first:
            out = out.removeprefix(codecs.BOM_UTF8)
            self._first = False
        if self._cr_only is None:
            self._cr_only = _ends_lines_with_cr(out)
        return out.replace(b"\r", b"\n") if self._cr_only else out

    def _header_line(self) -> bytes:
        buf = b""
        while True:
            cut = _first_line_end(buf)
            if cut is not None or self._eof:
                cut = len(buf) if cut is None else cut
                self._carry = buf[cut:]
                return buf[:cut].rstrip(b"\r\n")
            if len(buf) > MAX_HEADER_BYTES:
                raise InputError(self.path, f"the header line is longer than {MAX_HEADER_BYTES >> 20} MiB: not an export's header")
            buf += self._read_utf8(_HEAD_READ)

    def close(self) -> None:
        self._fh.close()

    def _record_blocks(self) -> Iterator[tuple[bytes, bool]]:
        """Byte blocks ending at a record boundary; the flag says whether the cut is trusted."""
        parts = [self._carry]
        size = len(self._carry)
        self._carry = b""
        want = self.block_bytes
        while True:
            if not self._eof and size < want:
                more = self._read_utf8(max(want - size, self.block_bytes))
                parts.append(more)
                size += len(more)
                continue
            buf = b"".join(parts) if len(parts) > 1 else parts[0]
            if self._eof:
                if buf:
                    yield buf, self._complete(buf)
                return
            cut = _even_line_end(buf, max(0, len(buf) - self.block_bytes)) or self._last_record_end(buf)
            trusted = cut > 0
            if not trusted and len(buf) < MAX_RECORD_BYTES:  # one record longer than the buffer: read twice as much
                parts, want = [buf], 2 * len(buf)
                continue
            if not trusted:  # a quote open for MAX_RECORD_BYTES: resynchronise at the last line end
                cut = buf.rfind(b"\n") + 1 or len(buf)
            yield buf[:cut], trusted
            parts, size, want = [buf[cut:]], len(buf) - cut, self.block_bytes

    def _last_record_end(self, buf: bytes) -> int:
        """Offset just past the last whole record of ``buf`` (0 when the first one is still open)."""
        match = self._records.match(buf)
        return match.end() if match else 0

    def _complete(self, buf: bytes) -> bool:
        """Whether the last block of the file holds whole records only (every quoted field closed)."""
        if buf.count(b'"') % 2 == 0:
            return True
        data = buf if buf.endswith(b"\n") else buf + b"\n"
        return self._last_record_end(data) == len(data)

    def blocks(self) -> Iterator[CsvBlock]:
        """Parse the file block by block (see the class docstring)."""
        record = 1
        try:
            for data, trusted in self._record_blocks():
                block = self._parse(data, record, trusted)
                record += block.rows.height + len(block.rejects)
                self._line += data.count(b"\n")
                yield block
        finally:
            self.close()

    def _parse(self, data: bytes, first_record: int, trusted: bool) -> CsvBlock:
        schema = {c: pl.String() for c in self.columns}
        if trusted and self.columns:
            try:
                df = pl.read_csv(data, has_header=False, schema=schema, separator=self.separator, raise_if_empty=False)
                # One chunk per column: Polars 2.1 panics ("assertion failed: i < self.len()") in some
                # expressions over the multi-chunk frames its threaded reader returns (seen on a real TWCS slice).
                df = df.rechunk()
                return CsvBlock(df.with_row_index("_record", offset=first_record).with_columns(pl.col("_record").cast(pl.Int64)), [])
            except pl.exceptions.PolarsError:
                pass  # parse it again record by record, rejecting only the bad ones
        return _parse_slowly(data, self.columns, self.separator, first_record, self._line)


def open_csv(path: Path, *, encoding: str = "utf-8", separator: str | None = None, block_bytes: int | None = None) -> CsvStream:
    """A :class:`CsvStream`; an empty file (no header) is an InputError naming the file.

    ``separator=None`` takes the user's ``--delimiter`` (carried by a
    :class:`~benchmark.loaders._read.compressed.SourcePath`), else sniffs it from the header
    (:func:`~.sniff.sniff_delimiter`: ``,`` ``;`` ``\\t`` ``|``).
    """
    if separator is None:
        separator = getattr(path, "delimiter", None) or choose_separator(path, encoding)
    stream = CsvStream(path, encoding=encoding, separator=separator, block_bytes=block_bytes or BLOCK_BYTES)
    if not stream.columns:
        stream.close()
        raise InputError(path, "the file is empty (no header line)")
    return stream


def choose_separator(path: Path, encoding: str = "utf-8") -> str:
    """The delimiter sniffed from the first bytes of ``path`` (``\\t`` preferred for ``.tsv``/``.tab``)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_READ)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    norm = encoding.lower().replace("-", "").replace("_", "")
    if norm not in ("utf8", "utf8sig"):
        try:
            head = head.decode(encoding, "replace").encode("utf-8")
        except LookupError:
            raise InputError(path, f"unknown encoding {encoding!r}") from None
    return sniff_delimiter(head, prefer="\t" if path.suffix.lower() in (".tsv", ".tab") else None)


def _ends_lines_with_cr(head: bytes) -> bool | None:
    """True for a file whose first line ends in a bare CR (old Mac line ends): its CRs are line ends.

    None while ``head`` holds no line end at all (a long header: the next read decides).
    """
    cr, lf = head.find(b"\r"), head.find(b"\n")
    if cr < 0:
        return None if lf < 0 else False
    return (lf < 0 or cr < lf) and cr + 1 < len(head) and head[cr + 1] != 0x0A


def _records_pattern(separator: str) -> re.Pattern[bytes]:
    """Whole CSV records, as RFC 4180 quotes them: a quote opens a field only at its start.

    Possessive quantifiers keep the match linear and stack-free, however long a field is.
    A stray quote inside an unquoted field is text; ``"a"b`` reads as one field.
    """
    sep = re.escape(separator.encode("utf-8"))
    quoted = rb'"(?:[^"]++|"")*+"[^' + sep + rb"\n]*+"
    plain = rb'[^"' + sep + rb"\n][^" + sep + rb"\n]*+"
    field = rb"(?:" + quoted + rb"|" + plain + rb")?+"
    return re.compile(rb"(?:" + field + rb"(?:" + sep + field + rb")*+\n)*+")


def _first_line_end(buf: bytes) -> int | None:
    """Offset just past the first newline of ``buf`` outside quotes, or None."""
    start = quotes = 0
    while (pos := buf.find(b"\n", start)) >= 0:
        quotes += buf.count(b'"', start, pos)
        if quotes % 2 == 0:
            return pos + 1
        start = pos + 1
    return None


def _even_line_end(buf: bytes, floor: int) -> int | None:
    """Offset just past the last newline of ``buf`` (at or after ``floor``) outside quotes, or None."""
    end = len(buf)
    pos = buf.rfind(b"\n", floor, end)
    if pos < 0:
        return None
    quotes = buf.count(b'"', 0, pos)
    for _ in range(_MAX_BACKTRACK_LINES):
        if quotes % 2 == 0:
            return pos + 1
        prev = buf.rfind(b"\n", floor, pos)
        if prev < 0:
            return None
        quotes -= buf.count(b'"', prev, pos)
        pos = prev
    return None


def _split_record(text: str, separator: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    return rows[0] if rows else []


def _one_record(text: str, separator: str) -> list[str] | None:
    """The fields of ``text`` when it is exactly one well-formed record, else None."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True))
    except csv.Error:
        return None
    if len(rows) > 1:
        return None
    return rows[0] if rows else []


def _unique_names(names: list[str]) -> list[str]:
    """Header names made unique the way Polars does (``x``, ``x_duplicated_0``)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            out.append(f"{n}_duplicated_{seen[n]}")
            seen[n] += 1
        else:
            seen[n] = 0
            out.append(n)
    return out


def _parse_slowly(data: bytes, columns: list[str], separator: str, first_record: int, first_line: int) -> CsvBlock:
    """Record by record: good records kept, each bad one rejected with its line and what is wrong.

    Python per record, but only for a block Polars refused (a rare, broken part of a file).
    """
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    width = len(columns)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    rejects: list[Reject] = []
    record = first_record
    i = 0
    while i < len(lines):
        j, quotes = i, lines[i].count('"')
        while quotes % 2 and j + 1 < len(lines):  # a quoted field may span many lines (the block bounds it)
            j += 1
            quotes += lines[j].count('"')
        fields = _one_record("\n".join(lines[i : j + 1]), separator) if quotes % 2 == 0 else None
        if fields is None or len(fields) > width:
            single = _one_record(lines[i], separator) or []
            if (fields is None or j > i) and len(single) == width:  # a stray quote inside a field: the line alone is a record
                fields, j = single, i
            else:
                why = "a quote opened on this line is never closed" if fields is None or j > i else f"{len(fields)} fields where the header has {width}"
                rejects.append(Reject(record, f"line {first_line + i}: {why}", lines[i][:200]))
                record, i = record + 1, i + 1
                continue
        row: list[str | None] = [f if f != "" else None for f in fields] + [None] * (width - len(fields))
        rows.append([v.rstrip("\r") if k == width - 1 and v is not None else v for k, v in enumerate(row)])
        numbers.append(record)
        record, i = record + 1, j + 1
    df = pl.DataFrame(rows, schema={c: pl.String() for c in columns}, orient="row")
    return CsvBlock(df.with_columns(pl.Series("_record", numbers, dtype=pl.Int64)).select("_record", *columns), rejects)

"""Compressed exports read as they are: ``.zip`` (how Kaggle ships TWCS), ``.gz``, ``.bz2``, ``.xz``, ``.zst``.

Nothing is unpacked to disk or into memory: a compressed file is read through a decompressing stream,
block by block, like a plain file. The compression is known from the file's first bytes (its magic
number), not from its name. Loaders receive a :class:`SourcePath`, a :class:`pathlib.Path` whose
``open("rb")`` yields the decompressed bytes and whose name is the inner file's, so every loader reads
compressed input without knowing it, and every message names the inner file: ``twcs.zip!twcs.csv``
for a zip member, ``twcs.csv.gz`` for a single compressed file (its suffix and stem are the inner
file's: ``.csv``, ``twcs``).

A zip holds one export or several of the same format (read one after the other); files beside them
(README, LICENSE, ``__MACOSX/``, hidden files) are skipped by the same rules as in a folder
(:func:`benchmark.loaders.find_inputs`).

The stdlib reads zip, gzip, bzip2 and xz; Zstandard uses the ``zstandard`` package.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import os
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Self

from ...errors import InputError

MAGIC = {
    "zip": b"PK\x03\x04",
    "gzip": b"\x1f\x8b",
    "bzip2": b"BZh",
    "xz": b"\xfd7zXZ\x00",
    "zstd": b"\x28\xb5\x2f\xfd",
}
SUFFIXES = {".zip": "zip", ".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd", ".zstd": "zstd"}
_EMPTY_ZIP = b"PK\x05\x06"  # an archive with no members at all
_SKIP_BLOCK = 1 << 20


def compression_of(head: bytes, path: Path) -> str | None:
    """``zip``, ``gzip``, ``bzip2``, ``xz``, ``zstd`` from the first bytes, or None for a plain file.

    A name that promises compression (``.gz``) on bytes that are not compressed is an InputError:
    the file was renamed or is damaged, and reading it as text would only mislead.
    """
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    if head.startswith(_EMPTY_ZIP):
        raise InputError(path, "an empty zip archive (it holds no files)")
    claimed = SUFFIXES.get(path.suffix.lower())
    if claimed is not None and head:
        raise InputError(path, f"named like a {claimed} file but its bytes are not {claimed}-compressed (renamed, or damaged?)")
    return None


def inner_name(name: str) -> str:
    """The name a single compressed file had before compression: ``twcs.csv.gz`` → ``twcs.csv``."""
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and stem and f".{suffix.lower()}" in SUFFIXES else name


_Base: type[Path] = type(Path())


class SourcePath(_Base):  # type: ignore[valid-type, misc]
    """The file a loader reads, as the user gave it: maybe a compressed file or a zip member.

    ``str()`` names it for messages (``data/twcs.zip!twcs.csv``); ``open("rb")`` streams its
    decompressed bytes; ``stat().st_size`` is the decompressed size. ``delimiter`` carries the
    user's ``--delimiter`` to the CSV reader. Paths derived from it (``parent``, ``with_suffix``)
    are plain paths.
    """

    real: Path
    codec: str | None
    member: str | None
    delimiter: str | None

    def __new__(cls, display: str, **_: Any) -> Self:
        if sys.version_info >= (3, 12):  # pragma: no cover - the project's machines run 3.11
            return super().__new__(cls, display)
        return cls._from_parts.__func__(cls, [display])  # type: ignore[attr-defined, no-any-return]

    def __init__(
        self, display: str, *, real: Path, codec: str | None = None, member: str | None = None, delimiter: str | None = None
    ) -> None:
        if sys.version_info >= (3, 12):  # pragma: no cover
            super().__init__(display)
        self.real, self.codec, self.member, self.delimiter = real, codec, member, delimiter
        self._size: int | None = None

    # Derived paths are plain paths (3.11 builds them with _from_parsed_parts, 3.12+ with with_segments).
    if sys.version_info < (3, 12):

        @classmethod
        def _from_parsed_parts(cls, drv: str, root: str, parts: list[str]) -> Path:  # type: ignore[override]
            return _Base._from_parsed_parts(drv, root, parts)  # type: ignore[attr-defined, no-any-return]

    def with_segments(self, *segments: str | os.PathLike[str]) -> Path:  # pragma: no cover - 3.12+
        return _Base(*segments)

    @property
    def name(self) -> str:  # suffix and stem follow it
        if self.member is not None:
            return self.member.rsplit("/", 1)[-1]
        if self.codec is not None:
            return inner_name(self.real.name)
        return super().name

    def open(self, mode: str = "r", buffering: int = -1, encoding: str | None = None, errors: str | None = None, newline: str | None = None) -> IO[Any]:  # type: ignore[override]
        if "w" in mode or "a" in mode or "+" in mode or "x" in mode:
            raise io.UnsupportedOperation(f"{self}: an input is read only")
        raw: IO[bytes] = self.real.open("rb") if self.codec is None else io.BufferedReader(_Decompressed(self), buffer_size=1 << 16)
        if "b" in mode:
            return raw
        return io.TextIOWrapper(raw, encoding=encoding or "utf-8", errors=errors, newline=newline)

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:  # type: ignore[override]
        st = self.real.stat()
        if self.codec is None:
            return st
        values = list(st)
        values[6] = self.size()  # st_size
        return os.stat_result(values)

    def is_file(self) -> bool:  # the file on disk: never a decompression to count the size
        return self.real.is_file()

    def is_dir(self) -> bool:
        return False

    def exists(self, *, follow_symlinks: bool = True) -> bool:
        return self.real.exists()

    def size(self) -> int:
        """Decompressed bytes: from the zip directory, else counted by streaming once (then remembered)."""
        if self._size is None:
            if self.codec == "zip" and self.member is not None:
                with _open_zip(self.real) as zf:
                    self._size = zf.getinfo(self.member).file_size
            else:
                total = 0
                with self.open("rb") as fh:
                    while block := fh.read(_SKIP_BLOCK):
                        total += len(block)
                self._size = total
        return self._size

    def __reduce__(self) -> Any:
        return (_rebuild, (str(self), self.real, self.codec, self.member, self.delimiter))


def _rebuild(display: str, real: Path, codec: str | None, member: str | None, delimiter: str | None) -> SourcePath:
    return SourcePath(display, real=real, codec=codec, member=member, delimiter=delimiter)


# ---- the decompressing stream -----------------------------------------------------------------

_DAMAGED = (OSError, lzma.LZMAError, zlib.error, zipfile.BadZipFile)


def _zstd_errors() -> tuple[type[BaseException], ...]:
    try:
        import zstandard
    except ImportError:  # pragma: no cover - a dependency
        return ()
    return (zstandard.ZstdError,)


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"not a readable zip archive ({exc}); the download may be incomplete") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None


def _opener(source: SourcePath) -> Callable[[], IO[bytes]]:
    real, codec = source.real, source.codec
    if codec == "gzip":
        return lambda: gzip.open(real, "rb")  # type: ignore[return-value]
    if codec == "bzip2":
        return lambda: bz2.open(real, "rb")  # type: ignore[return-value]
    if codec == "xz":
        return lambda: lzma.open(real, "rb")  # type: ignore[return-value]
    if codec == "zstd":
        def zstd() -> IO[bytes]:
            return _ZstdReader(real.open("rb"))  # type: ignore[return-value]

        return zstd
    if codec == "zip":
        assert source.member is not None

        def member() -> IO[bytes]:
            zf = _open_zip(real)
            try:
                fh = zf.open(source.member)  # type: ignore[arg-type]
            except BaseException:
                zf.close()
                raise
            return _ClosingBoth(fh, zf)  # type: ignore[return-value]

        return member
    raise AssertionError(codec)  # pragma: no cover


class _ZstdReader(io.RawIOBase):
    """Zstandard frames, decompressed as read; a stream cut inside a frame is an EOFError, as in gzip.

    (``zstandard``'s own ``stream_reader`` ends quietly on a truncated file.) Input goes in small
    pieces so that a highly compressed piece never expands to much memory.
    """

    _FEED = 1 << 14

    def __init__(self, fh: IO[bytes]) -> None:
        try:
            import zstandard
        except ImportError:  # pragma: no cover - a dependency
            fh.close()
            raise InputError(fh.name, "is Zstandard-compressed: install the 'zstandard' package to read it") from None
        self._fh = fh
        self._zstd = zstandard.ZstdDecompressor()
        self._frame = self._zstd.decompressobj()
        self._in_frame = False  # bytes of the current frame were fed and its end not yet seen
        self._out = bytearray()
        self._at = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while self._at >= len(self._out) and not self._done:
            self._out, self._at = bytearray(), 0
            piece = self._fh.read(self._FEED)
            if not piece:
                if self._in_frame:
                    raise EOFError("Compressed file ended before the end-of-stream marker was reached")
                self._done = True
            while piece:
                if self._frame.eof:  # a file may hold several frames, one after the other
                    self._frame = self._zstd.decompressobj()
                self._out += self._frame.decompress(piece)
                self._in_frame = not self._frame.eof
                piece = self._frame.unused_data if self._frame.eof else b""
        n = min(len(b), len(self._out) - self._at)
        b[:n] = self._out[self._at : self._at + n]
        self._at += n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


class _ClosingBoth(io.RawIOBase):
    """A zip member that closes its archive with it."""

    def __init__(self, fh: IO[bytes], zf: zipfile.ZipFile) -> None:
        self._fh, self._zf = fh, zf

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._fh.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._fh.close()
        self._zf.close()
        super().close()


class _Decompressed(io.RawIOBase):
    """Decompressed bytes as a seekable raw stream: forward seeks read ahead, backward ones start over.

    Loaders rewind to the start after a first look (JSON layout detection); a compressed stream
    cannot go back, so it is reopened. Damaged or truncated data is an InputError naming the file.
    """

    def __init__(self, source: SourcePath) -> None:
        self._source = source
        self._open = _opener(source)
        self._errors = _DAMAGED + _zstd_errors()
        self._stream = self._guard(self._open)
        self._pos = 0

    def _guard(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except InputError:
            raise
        except EOFError:
            raise InputError(self._source, f"the {self._source.codec} data ends early: the file is truncated (an incomplete download?)") from None
        except RuntimeError as exc:  # zipfile: an encrypted member
            raise InputError(self._source, f"cannot be read from the zip ({exc}); unzip it first") from None
        except NotImplementedError as exc:  # zipfile: deflate64, PPMd, ...
            raise InputError(self._source, f"cannot be read from the zip ({exc}); unzip it first") from None
        except self._errors as exc:
            text = str(exc).strip().splitlines()
            why = text[0] if text else type(exc).__name__
            raise InputError(self._source, f"the {self._source.codec} data is damaged ({why})") from None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def readinto(self, b: Any) -> int:
        data = self._guard(lambda: self._stream.read(len(b)))
        n = len(data)
        b[:n] = data
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence == io.SEEK_END:
            raise io.UnsupportedOperation("a compressed stream cannot seek from its end")
        if offset < self._pos:
            self._stream.close()
            self._stream = self._guard(self._open)
            self._pos = 0
        while self._pos < offset:
            skipped = len(self._guard(lambda: self._stream.read(min(_SKIP_BLOCK, offset - self._pos))))
            if not skipped:
                break
            self._pos += skipped
        return self._pos

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(Exception):
                self._stream.close()
        super().close()


# ---- what a file holds ------------------------------------------------------------------------


def contents(path: Path, head: bytes, delimiter: str | None = None) -> list[SourcePath]:
    """The files ``path`` (whose first bytes are ``head``) holds, as :class:`SourcePath` objects to read.

    A plain or single compressed file holds itself; a zip, its members (folders left out, in
    archive order): the caller decides which of them are exports.
    """
    codec = compression_of(head, path)
    if codec != "zip":
        return [SourcePath(str(path), real=path, codec=codec, delimiter=delimiter)]
    with _open_zip(path) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
    return [SourcePath(f"{path}!{i.filename}", real=path, codec="zip", member=i.filename, delimiter=delimiter) for i in infos]


__all__ = ["MAGIC", "SUFFIXES", "SourcePath", "compression_of", "contents", "inner_name"]

"""Which encoding to read a text export with, when the user did not say.

Exports saved by Excel on Windows or a Mac are cp1252 or mac_roman, not UTF-8. With the default
``--encoding utf-8``, a file that is not valid UTF-8 is decoded as whichever fallback yields more
plausible text, and the user is told. The Facebook scraper CSVs (minimaxir) and Netvizz TSVs use
it; TWCS and generic CSV files read UTF-8 or the encoding given and say ``try --encoding cp1252``
on bad bytes (they are streamed in blocks, so a whole-file guess would cost a second read).
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from ...errors import InputError

__all__ = ["choose_encoding"]

_FALLBACK_ENCODINGS = ("cp1252", "mac_roman")
_PLAUSIBLE_PUNCTUATION = set("’‘“”–—…€£«»°·•¡¿")


def _is_utf8(path: Path) -> bool:
    """True when the whole file decodes as UTF-8 (checked in blocks, not loaded at once)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from None
    return True


def _plausibility(text: str) -> int:
    """How many non-ASCII characters look like real text (lowercase letters, typographic punctuation)."""
    return sum(1 for ch in text if ord(ch) > 127 and (unicodedata.category(ch) == "Ll" or ch in _PLAUSIBLE_PUNCTUATION))


def choose_encoding(path: Path, requested: str) -> tuple[str, list[str]]:
    """The encoding to read ``path`` with, and notes for the user.

    A requested encoding other than UTF-8 is used as given. With UTF-8 (the
    default), a file that is not valid UTF-8 is decoded as whichever of
    cp1252 and mac_roman yields more plausible text.
    """
    if requested.lower().replace("-", "").replace("_", "") not in ("utf8", "utf8sig"):
        return requested, []
    if _is_utf8(path):
        return requested, []
    data = path.read_bytes()
    best, best_score = None, -1
    for enc in _FALLBACK_ENCODINGS:
        try:
            score = _plausibility(data.decode(enc))
        except UnicodeDecodeError:
            continue
        if score > best_score:
            best, best_score = enc, score
    if best is None:  # pragma: no cover - mac_roman decodes any byte
        raise InputError(path, "not valid UTF-8 text; try --encoding cp1252 (or mac_roman, latin-1)")
    return best, [f"not valid UTF-8: read as {best} (detected; pass --encoding to choose another, e.g. --encoding cp1252)"]

"""UTF-16 and UTF-32 exports (Excel's "Unicode Text", some Windows tools): told apart from UTF-8, with the fix.

Read as UTF-8 such a file is "unknown format" or "invalid start byte at byte 0", which says nothing
useful. It is recognised by its byte-order mark or, without one, by the NUL bytes that ASCII
characters carry in those encodings, and refused with a line naming the ``--encoding`` that reads it
(delimited formats) or asking for UTF-8 (JSON exports, read as UTF-8 only, as RFC 8259 requires).
With ``--encoding utf-16`` given, format detection looks at the decoded text.
"""

from __future__ import annotations

import codecs

__all__ = ["as_utf8", "is_wide", "wide_text_problem"]

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 64  # bytes looked at for the NUL pattern of a file without a byte-order mark


def _wide_encoding(head: bytes) -> str | None:
    """The ``--encoding`` that reads ``head`` when it is UTF-16 or UTF-32 text, else None."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    sample = head[:_SAMPLE - _SAMPLE % 4]
    if len(sample) < 16:
        return None
    for width, name in ((4, "utf-32"), (2, "utf-16")):
        for endian, text_at in (("le", 0), ("be", width - 1)):
            units = [sample[i:i + width] for i in range(0, len(sample), width)]
            if all(u[text_at] != 0 and not any(b for k, b in enumerate(u) if k != text_at) for u in units):
                return f"{name}-{endian}"
    return None


def is_wide(encoding: str) -> bool:
    """True for the names of UTF-16 and UTF-32 encodings (``utf-16``, ``UTF_32LE``, ...)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("utf-16", "utf-32"))


def as_utf8(head: bytes, encoding: str) -> bytes:
    """The first bytes of a wide-encoded file as UTF-8, for format detection (a character cut at the end is dropped)."""
    return head.decode(encoding, errors="ignore").encode("utf-8")


def wide_text_problem(head: bytes, encoding: str) -> str | None:
    """Why a file that is UTF-16/32 cannot be read with ``encoding`` (a UTF-8 one), with the fix; None otherwise."""
    if is_wide(encoding):
        return None
    found = _wide_encoding(head)
    if found is None:
        return None
    shown = found.upper().replace("-LE", " little-endian").replace("-BE", " big-endian")
    if as_utf8(head, found).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return f"{shown} text, not UTF-8: JSON exports are read as UTF-8; save the file as UTF-8"
    return f"{shown} text, not {encoding}: pass --encoding {found} (or save the file as UTF-8)"

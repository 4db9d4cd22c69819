"""Write a chart as PNG or SVG, reproducibly (no dates in the file, stable SVG ids)."""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib.figure import Figure

from ..errors import UsageError
from .style import rc

__all__ = ["FORMATS", "PNG_DPI", "save", "to_bytes"]

FORMATS = ("png", "svg")
PNG_DPI = 150  # sharp on phones and in print, still small files
_NO_DATES = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def to_bytes(fig: Figure, fmt: str = "svg") -> bytes:
    """The chart encoded as ``fmt`` (``png`` or ``svg``)."""
    if fmt not in FORMATS:
        raise UsageError(f"cannot write a chart as {fmt!r}; use .png or .svg")
    buf = io.BytesIO()
    with rc():
        fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=_NO_DATES[fmt], facecolor="white")
    return buf.getvalue()


def save(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` to ``path``; the suffix (``.png`` or ``.svg``) picks the format."""
    path = Path(path)
    data = to_bytes(fig, path.suffix.lower().lstrip("."))
    path.parent.mkdir(parents=True, exist_ok=True)
    from ..atomic_files import write_atomically

    write_atomically(path, data)
    return path

"""Terminal tables that fit the terminal: a header is never cut to ``P…``.

Each column needs the width of its longest cell (values never wrap) and of its longest header word (a
header may wrap at its spaces: ``Response`` over ``rate``). A table fits when those widths plus rich's
borders and padding fit the console. Two ways to make a table fit (issue 14, item 12):

- :func:`choose`: the essential columns always, then the others in order of priority while they fit;
  the rest is left out and named (the default ranking: it grows with the width).
- :func:`fold`: every column, packed into as many tables as needed, each repeating the key columns
  (rank, brand, platform), so that a wide figure set reads as a second table instead of being cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..formatting import control_escaped

if TYPE_CHECKING:
    import polars as pl

BRAND_MIN = 20  # a longer brand name is shortened with "…" only when the essential columns cannot fit otherwise
KEYS = ("rank", "period", "sector", "topic", "team", "lang", "brand", "platform")  # repeated in every folded table


def _len(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def header(column: str) -> str:
    """The header a column is shown under (the label, else the column's name)."""
    from .render import HEADERS

    return control_escaped(HEADERS.get(column, column))


def _cells(df: pl.DataFrame, column: str) -> list[str]:
    from .render import human

    return [control_escaped(human(column, v)) for v in df.get_column(column).to_list()]


def needs(df: pl.DataFrame, column: str, *, cut_brand: bool = False) -> tuple[int, int]:
    """(least, natural) content width of ``column``: the least wraps the header at its spaces; ``cut_brand``
    lets a long brand name be shortened to :data:`BRAND_MIN` with "…" (only when nothing else fits)."""
    cells = max((_len(c) for c in _cells(df, column)), default=0)
    head = header(column)
    words = max((_len(w) for w in head.split()), default=0)
    if column == "brand" and cut_brand:
        return max(words, min(cells, BRAND_MIN)), max(_len(head), cells)
    return max(words, cells), max(_len(head), cells)


def fits(df: pl.DataFrame, columns: Sequence[str], width: int) -> bool:
    """Whether ``columns`` fit ``width`` with no header and no cell cut."""
    return widths(df, columns, width, cut_brand=False) is not None


def widths(df: pl.DataFrame, columns: Sequence[str], width: int, *, cut_brand: bool | None = None) -> list[int] | None:
    """Content widths for ``columns`` in a ``width``-wide table, or None when they cannot fit.

    Natural widths when they fit; else every header wrapped at its spaces, with the room left given back
    to the columns in order (so the first headers stay on one line). ``cut_brand`` None: uncut if possible,
    else with a long brand name shortened.
    """
    if cut_brand is None:
        return widths(df, columns, width, cut_brand=False) or widths(df, columns, width, cut_brand=True)
    room = width - (3 * len(columns) + 1)  # rich's box: a border per column and one more, a space each side
    measured = [needs(df, c, cut_brand=cut_brand) for c in columns]
    if sum(n for _, n in measured) <= room:
        return [n for _, n in measured]
    if sum(m for m, _ in measured) > room:
        return None
    left = room - sum(m for m, _ in measured)
    out = []
    for least, natural in measured:
        give = min(natural - least, left)
        out.append(least + give)
        left -= give
    return out


def choose(df: pl.DataFrame, width: int, required: Sequence[str], priority: Sequence[str]) -> tuple[list[str], list[str]]:
    """The columns to show (``required``, then ``priority`` order while they fit; in ``df``'s order) and those left out."""
    shown = [c for c in df.columns if c in required]
    left_out = []
    for column in [*priority, *(c for c in df.columns if c not in priority)]:
        if column not in df.columns or column in shown:
            continue
        if fits(df, [c for c in df.columns if c in (*shown, column)], width):
            shown.append(column)
        else:
            left_out.append(column)
    return [c for c in df.columns if c in shown], left_out


def fold(df: pl.DataFrame, width: int, keys: Sequence[str] = KEYS) -> list[list[str]]:
    """``df``'s columns in as few ``width``-wide tables as they fit, each starting with the key columns."""
    key_cols = [c for c in df.columns if c in keys]
    tables: list[list[str]] = []
    current = list(key_cols)
    for column in df.columns:
        if column in key_cols:
            continue
        if len(current) > len(key_cols) and not fits(df, [*current, column], width):
            tables.append(current)
            current = [*key_cols]
        current.append(column)
    tables.append(current)
    return tables

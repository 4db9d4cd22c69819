"""``--highlight BRAND``: one brand coloured in every chart and table, compared with its peers (issue 15, item 8).

The name is checked against the brands measured (after the brands file merged pages and handles),
so a typo stops with one line and the nearest name instead of a report where nothing stands out.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import get_close_matches

import polars as pl

from ..errors import UsageError
from ..metrics import Measurement
from .data import Picked

__all__ = ["HIGHLIGHT", "keep_highlighted", "others_palette", "resolve_highlight"]

HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion: stands out from the blue and grey of the other brands


def resolve_highlight(m: Measurement, name: str | None, option: str = "--highlight") -> str | None:
    """The measured brand ``name`` names (exactly, else ignoring case); :class:`UsageError` with the nearest name if none."""
    if name is None:
        return None
    brands = sorted({str(b) for b in m.table.get_column("brand").to_list() if b is not None})
    if name in brands:
        return name
    folded = {b.casefold(): b for b in brands}
    if name.casefold() in folded:
        return folded[name.casefold()]
    near = get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    hint = f" (did you mean {folded[near[0]]}?)" if near else ""
    raise UsageError(f"{option} {name!r}: no brand of that name in the data{hint}")


def keep_highlighted(picked: Picked, every: pl.DataFrame, brand: str | None) -> Picked:
    """The brands a chart picked plus the highlighted brand's rows when ``--top`` left them out (the note counts them)."""
    rows = picked.rows
    if brand is None or rows.filter(pl.col("brand") == brand).height:
        return picked
    return replace(picked, rows=pl.concat([rows, every.filter(pl.col("brand") == brand).select(rows.columns)], how="vertical_relaxed"))


def others_palette(palette: tuple[str, ...], brand: str | None) -> tuple[str, ...]:
    """The line colours of the other brands: the palette without the highlight colour when a brand is highlighted."""
    return palette if brand is None else tuple(c for c in palette if c != HIGHLIGHT)

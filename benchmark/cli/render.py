"""Write a ranked table as a rich table, JSON, CSV or Markdown.

JSON and CSV keep raw numbers (seconds, shares from 0 to 1) so scripts can
use them; the table and Markdown show durations and percentages for people.
"""

from __future__ import annotations

import io
import json
import math
from typing import TYPE_CHECKING, Literal

from ..formatting import LABELS, duration, integer, percent

if TYPE_CHECKING:  # Polars and rich tables load when there is something to write, not for --help
    import polars as pl
    from rich.table import Table

OutputFormat = Literal["table", "json", "csv", "markdown"]



def human(column: str, value: object) -> str:
    """One cell as people read it."""
    if value is None:
        return "—"
    if column.endswith("_s"):
        return duration(value)  # type: ignore[arg-type]
    if column == "response_rate" or column.startswith("within_"):
        return percent(value)  # type: ignore[arg-type]
    if isinstance(value, int):
        return integer(value)
    return str(value)


def to_records(df: pl.DataFrame) -> list[dict[str, object]]:
    """Rows as dicts with NaN turned into None (JSON has no NaN)."""
    rows = df.to_dicts()
    for row in rows:
        for k, v in row.items():
            if isinstance(v, float) and math.isnan(v):
                row[k] = None
    return rows


def to_json(df: pl.DataFrame) -> str:
    return json.dumps(to_records(df), indent=2, ensure_ascii=False, default=str) + "\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula


def spreadsheet_safe(df: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would run as a formula, prefixed with ``'`` (OWASP CSV injection).

    Brand names, author ids and excerpts come from exports anyone can write to. Only text
    columns change; numbers stay numbers. This changes values, so it is behind a flag
    (``--spreadsheet-safe``): scripts reading the CSV want the text as written.
    """
    import polars as pl

    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_STARTS) + "]"
    return df.with_columns(
        pl.when(pl.col(c).str.contains(pattern)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, dtype in df.schema.items()
        if dtype == pl.String
    )


def to_csv(df: pl.DataFrame, *, safe: bool = False) -> str:
    """CSV text; ``safe`` neutralises formula injection for spreadsheets (see :func:`spreadsheet_safe`)."""
    buf = io.StringIO()
    (spreadsheet_safe(df) if safe else df).write_csv(buf)
    return buf.getvalue()


def to_markdown(df: pl.DataFrame) -> str:
    cols = df.columns
    lines = ["| " + " | ".join(LABELS.get(c, c) for c in cols) + " |"]
    lines.append("|" + "|".join("---:" if c not in ("brand", "platform") else "---" for c in cols) + "|")
    for row in df.iter_rows(named=True):
        cells = [human(c, row[c]).replace("|", "\\|") for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def rich_table(df: pl.DataFrame, title: str | None = None, caption: str | None = None) -> Table:
    from rich.table import Table

    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for c in df.columns:
        if c == "brand":  # the one column people read first: never squeezed away on a narrow terminal
            longest = max((len(str(v)) for v in df.get_column(c).to_list() if v is not None), default=5)
            table.add_column(LABELS.get(c, c), justify="left", no_wrap=True, min_width=min(max(longest, 5), 28))
        else:  # figures are short; long headers may wrap onto two lines
            table.add_column(LABELS.get(c, c), justify="left" if c == "platform" else "right")
    for row in df.iter_rows(named=True):
        table.add_row(*[human(c, row[c]) for c in df.columns])
    return table

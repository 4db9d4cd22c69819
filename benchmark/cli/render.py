"""Write a ranked table as a rich table, JSON, CSV or Markdown.

JSON and CSV keep raw numbers (seconds, shares from 0 to 1) so scripts can
use them; the table and Markdown show durations and percentages for people.
"""

from __future__ import annotations

import io
import json
import math
from typing import TYPE_CHECKING, Literal

from ..errors import UsageError
from ..formatting import (
    LABELS,
    control_escaped,
    duration,
    integer,
    markdown_cell,
    percent,
    signed,
)

if TYPE_CHECKING:  # Polars and rich tables load when there is something to write, not for --help
    from pathlib import Path

    import polars as pl
    from rich.table import Table
    from rich.text import Text

OutputFormat = Literal["table", "json", "csv", "markdown"]
HEADERS = {
    **LABELS, "open": "Open", "sector_median": "Sector median", "requests_change": "Δ requests",
    "response_rate_change": "Δ response rate", "frt_median_change_s": "Δ median FRT", "frt_mean_change_s": "Δ mean FRT",
}



def human(column: str, value: object) -> str:
    """One cell as people read it (``--period`` changes signed: ``+3``, ``-2.5 pp``, ``+1h 26m``)."""
    if value is None:
        return "—"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if column.endswith("_change_s"):
        return signed(duration(abs(value)), value)  # type: ignore[arg-type]
    if column == "response_rate_change":
        return signed(f"{abs(value) * 100:.1f}".rstrip("0").rstrip(".") + " pp", value)  # type: ignore[arg-type]
    if column == "requests_change":
        return signed(integer(abs(round(value))), value)  # type: ignore[arg-type]
    if column.endswith("_s"):
        return duration(value)  # type: ignore[arg-type]
    if isinstance(value, float) and (column.startswith(("within_", "response_rate")) or column.endswith(("_share", "_rate"))):
        return percent(value)  # type: ignore[arg-type]
    if isinstance(value, int):
        return integer(value)
    return str(value)


def _finite(value: object) -> object:
    """NaN and ±infinity become None, in nested lists and dicts too: JSON has neither."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def to_records(df: pl.DataFrame) -> list[dict[str, object]]:
    """Rows as dicts with NaN and infinities turned into None (JSON has no NaN or Infinity)."""
    return [{k: _finite(v) for k, v in row.items()} for row in df.to_dicts()]


def to_json(df: pl.DataFrame) -> str:
    """Always valid JSON: ``allow_nan=False`` fails loudly rather than print ``NaN`` or ``Infinity``."""
    return json.dumps(to_records(df), indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula


def _formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def spreadsheet_safe(df: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would run as a formula, prefixed with ``'`` (OWASP CSV injection).

    Brand names, author ids and excerpts come from exports anyone can write to. Only text
    columns change; numbers stay numbers. Header cells too (``keywords`` names its columns
    after the terms asked for). This changes values, so it is behind a flag
    (``--spreadsheet-safe``) on every CSV output: scripts reading the CSV want the text as written.
    One implementation for rank, requests, users, topics and keywords.
    """
    import polars as pl

    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_STARTS) + "]"
    text_columns = [c for c, dtype in df.schema.items() if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum))]
    safe = df.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(pattern)).then(pl.lit("'") + pl.col(c).cast(pl.String)).otherwise(pl.col(c).cast(pl.String)).alias(c)
        for c in text_columns
    )
    renamed = {c: "'" + c for c in safe.columns if _formula_like(c) and "'" + c not in safe.columns}
    return safe.rename(renamed) if renamed else safe


def to_csv(df: pl.DataFrame, *, safe: bool = False) -> str:
    """CSV text; ``safe`` neutralises formula injection for spreadsheets (see :func:`spreadsheet_safe`)."""
    buf = io.StringIO()
    (spreadsheet_safe(df) if safe else df).write_csv(buf)
    return buf.getvalue()


def to_markdown(df: pl.DataFrame) -> str:
    """A Markdown table; every cell and header escaped like ``report --format markdown`` (:func:`markdown_cell`)."""
    cols = df.columns
    lines = ["| " + " | ".join(markdown_cell(HEADERS.get(c, c)) for c in cols) + " |"]
    lines.append("|" + "|".join("---:" if c not in ("brand", "platform") else "---" for c in cols) + "|")
    for row in df.iter_rows(named=True):
        cells = [markdown_cell(human(c, row[c])) for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def cell(text: str) -> Text:
    """Data for a terminal table: never read as rich markup or emoji, control characters shown escaped."""
    from rich.text import Text

    return Text(control_escaped(text))


def rich_table(df: pl.DataFrame, title: str | None = None, caption: str | None = None, widths: list[int] | None = None) -> Table:
    """A terminal table. Every header and cell is a plain :class:`~rich.text.Text` (see :func:`cell`):
    a brand called ``[/nope]`` or holding an escape sequence is shown as written, never interpreted.

    ``widths`` (from :func:`benchmark.cli.fit.widths`) fixes each column's width, so rich never squeezes
    a header below its longest word."""
    from rich.table import Table

    table = Table(
        title=None if title is None else cell(title), caption=None if caption is None else cell(caption),
        title_justify="left", caption_justify="left",
    )
    for i, c in enumerate(df.columns):
        header = cell(HEADERS.get(c, c))
        if widths is not None:
            table.add_column(header, justify="left" if c in ("brand", "platform") else "right", width=widths[i], no_wrap=c == "brand", overflow="ellipsis")
        elif c == "brand":  # the one column people read first: never squeezed away on a narrow terminal
            longest = max((len(control_escaped(str(v))) for v in df.get_column(c).to_list() if v is not None), default=5)
            table.add_column(header, justify="left", no_wrap=True, min_width=min(max(longest, 5), 28))
        else:  # figures are short; long headers may wrap onto two lines
            table.add_column(header, justify="left" if c == "platform" else "right")
    for row in df.iter_rows(named=True):
        table.add_row(*[cell(human(c, row[c])) for c in df.columns])
    return table


def check_output(output: Path | None) -> None:
    """``--output DIR`` is a usage mistake: say so with the path before anything is computed."""
    if output is not None and output.is_dir():
        raise UsageError(f"--output {output}: is a directory; give a file name")


SUFFIX_FORMATS = {
    ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
    ".parquet": "parquet", ".html": "html", ".htm": "html", ".png": "png", ".svg": "svg", ".pdf": "pdf",
}
FORMAT_SUFFIX = {"json": ".json", "ndjson": ".ndjson", "csv": ".csv", "markdown": ".md", "parquet": ".parquet"}


def output_target(
    command: str, output: Path | None, fmt: str | None, formats: tuple[str, ...], default: str, *, also: tuple[str, ...] = ()
) -> tuple[str, Path | None]:
    """The format to write and the file to write it to (None: stdout), checked before anything is computed.

    ``-o -`` is stdout. A file's suffix sets the format (``-o r.csv`` writes CSV); a suffix that contradicts
    ``--format``, or that ``command`` cannot write, is refused, as is a file in a folder that does not exist.
    A name without a known suffix takes ``--format`` (or a default that is a file format). ``also``: more
    suffixes the command writes itself (keywords' ``.png`` chart), named in the messages.
    """
    if output is not None and str(output) == "-":
        output = None
    if output is None:
        return fmt or default, None
    check_output(output)
    files = [f for f in formats if f != "table"]
    suffixes = one_of([*(FORMAT_SUFFIX[f] for f in files), *also])
    suffix = output.suffix.lower()
    inferred = SUFFIX_FORMATS.get(suffix)
    if inferred is not None and inferred not in files:
        raise UsageError(f"--output {output}: {command} cannot write {suffix} files; name it {suffixes}")
    if fmt == "table":
        raise UsageError(f"--output {output}: --format table prints to the terminal; drop --format or give --format {one_of(files)}")
    if fmt is not None and inferred is not None and fmt != inferred:
        raise UsageError(f"--output {output}: a {suffix} file is {inferred}, not {fmt}; drop --format {fmt} or name the file {FORMAT_SUFFIX[fmt]}")
    chosen = fmt or inferred or (default if default in files else None)
    if chosen is None:
        raise UsageError(f"--output {output}: cannot tell the format from the name; name it {suffixes}, or give --format {one_of(files)}")
    check_folder(output)
    return chosen, output


def check_folder(output: Path) -> None:
    """A file in a folder that does not exist is a usage mistake: one line, before anything is computed."""
    folder = output.parent
    if not folder.exists():
        raise UsageError(f"--output {output}: folder {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"--output {output}: {folder} is not a folder")


def one_of(items: list[str]) -> str:
    """``a, b or c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def emit_text(text: str, output: Path | None) -> None:
    """Data text to ``output``, or to stdout. A terminal gets control characters escaped (an ESC in a
    brand name never clears the screen); a pipe or a file gets the data exactly as it is."""
    import sys

    import typer

    if output is None:  # color=True: click would strip ANSI sequences from piped data (a silent change)
        typer.echo(control_escaped(text, keep_newlines=True) if sys.stdout.isatty() else text, nl=False, color=True)
        return
    check_output(output)
    from ..atomic_files import write_atomically

    write_atomically(output, text)

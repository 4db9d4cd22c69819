"""One writer for every command's data: a terminal table, JSON, NDJSON, CSV, Markdown or Parquet.

Commands choose the format and the file with :func:`benchmark.cli.render.output_target` (before anything is
computed) and hand the frame here: stdout gets data only, the ``wrote …`` line goes to stderr, a file is
written aside and renamed into place (never half-written). CSV is spreadsheet-safe on request.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from .app import stderr, stdout
from .render import check_output, emit_text, rich_table, spreadsheet_safe, to_json, to_markdown

if TYPE_CHECKING:
    import polars as pl


def frame_text(df: pl.DataFrame, fmt: str, *, safe: bool = False, csv_datetime: str | None = None) -> str:
    """``df`` as ``json``, ``ndjson``, ``csv`` or ``markdown`` text (``safe``: formulas neutralised for spreadsheets)."""
    if fmt == "csv":
        buf = io.StringIO()
        (spreadsheet_safe(df) if safe else df).write_csv(buf, **({"datetime_format": csv_datetime} if csv_datetime else {}))
        return buf.getvalue()
    if fmt == "json":
        return to_json(df)
    if fmt == "ndjson":
        return df.write_ndjson()
    if fmt == "markdown":
        return to_markdown(df)
    raise ValueError(f"no text format {fmt!r}")


def write_frame(
    df: pl.DataFrame,
    fmt: str,
    output: Path | None,
    *,
    title: str | None = None,
    safe: bool = False,
    csv_datetime: str | None = None,
    wrote: str | None = None,
    json_writer: str = "records",
) -> None:
    """Write ``df`` in ``fmt`` to ``output`` (None: stdout); ``wrote`` is the stderr line for a file (default ``wrote FILE``).

    ``json_writer="polars"``: Polars' own JSON (columns typed as Polars writes them), as ``requests`` always wrote it.
    """
    check_output(output)
    if fmt == "table":
        if output is not None:
            raise UsageError("--output needs --format json, csv or markdown")
        stdout().print(rich_table(df, title=title))
        return
    if fmt == "parquet":
        if output is None:
            raise UsageError("--format parquet writes a binary file: give --output FILE")
        from ..atomic_files import replacing

        with replacing(output) as tmp:
            df.write_parquet(tmp)
    else:
        text = df.write_json() if fmt == "json" and json_writer == "polars" else frame_text(df, fmt, safe=safe, csv_datetime=csv_datetime)
        emit_text(text, output)
    if output is not None:
        stderr().print(wrote or f"wrote {output}", markup=False)

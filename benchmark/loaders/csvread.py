"""Read a CSV into all-string columns with errors that name the file.

Polars' reader is used on purpose: it reads bare CR characters inside
unquoted fields the way the exporting tool meant them (DuckDB's strict
reader fails on them and pandas splits the record).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ..errors import InputError


def read_csv_strings(path: Path, *, encoding: str = "utf-8", separator: str = ",") -> pl.DataFrame:
    """All columns as strings, header kept as written, a ``_record`` column (1-based)."""
    enc = "utf8" if encoding.lower().replace("-", "") in ("utf8", "utf8sig") else None
    try:
        if enc is None:
            # Polars reads only UTF-8: decode other encodings in Python first.
            data: bytes | Path = path.read_bytes().decode(encoding).encode("utf-8")
        else:
            data = path
        df = pl.read_csv(
            data,
            infer_schema=False,
            separator=separator,
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
        raise InputError(path, f"not a readable CSV file: {msg}") from None
    except (pl.exceptions.PolarsError, OSError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(path, f"not a readable CSV file: {msg}") from None
    if df.columns and df.columns[0].startswith("\ufeff"):
        df = df.rename({df.columns[0]: df.columns[0].lstrip("\ufeff")})
    return df.with_row_index("_record", offset=1)


def require_columns(path: Path, df: pl.DataFrame, needed: list[str]) -> None:
    """Raise InputError naming every required column the file lacks."""
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise InputError(path, f"missing required column(s): {', '.join(missing)}")

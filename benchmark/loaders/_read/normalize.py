"""Vectorised clean-ups that several loaders need: ids, booleans, handles.

Exports mangle ids (pandas writes ``3.0``, spreadsheets write ``1.2E+17``)
and booleans (``True``, ``TRUE``, ``1``). These helpers return a cleaned
expression plus a reason expression that is non-null when a value cannot be
trusted, so the loader can reject that record with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

__all__ = [
    "EARLIEST_TIMESTAMP", "HANDLE_PATTERN", "LATEST_TIMESTAMP", "clean_id", "facebook_id", "first_problem",
    "parse_bool", "parse_timestamp", "timestamp_out_of_range",
]

_INT_ID = r"^[0-9]+$"
_FLOAT_ID = r"^[0-9]+\.0*$"  # 3.0 -> 3
_ID_DIGITS = r"^([0-9]+)(?:\.0*)?$"  # an integer id, or one a float column wrote as 3.0
_SCI_ID = r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$"
_TRUE = ["true", "t", "yes", "y", "1"]
_FALSE = ["false", "f", "no", "n", "0"]


def clean_id(col: str, *, numeric: bool = True) -> tuple[pl.Expr, pl.Expr]:
    """Return ``(id, problem)`` expressions for column ``col``.

    With ``numeric`` (Twitter ids), ``3.0`` becomes ``3`` and scientific
    notation is refused: a spreadsheet that wrote ``1.23457E+17`` has lost
    digits, and a guessed id would silently join the wrong thread. Empty
    strings become null (no id).
    """
    raw = pl.col(col).cast(pl.String).str.strip_chars()
    raw = pl.when(raw == "").then(None).otherwise(raw)
    if not numeric:
        return raw, pl.lit(None, dtype=pl.String)
    value = raw.str.extract(_ID_DIGITS, 1)  # one regex pass: 3 and 3.0 give 3, anything else null
    problem = (
        pl.when(raw.is_null() | raw.str.contains(_INT_ID) | raw.str.contains(_FLOAT_ID))
        .then(None)
        .when(raw.str.contains(_SCI_ID))
        .then(pl.format("{} {} is in scientific notation (digits lost, e.g. by a spreadsheet)", pl.lit(col), raw))
        .otherwise(pl.format("{} {} is not a numeric id", pl.lit(col), raw.str.slice(0, 40)))
    )
    return value, problem


def parse_bool(col: str) -> tuple[pl.Expr, pl.Expr]:
    """Return ``(bool, problem)`` for a column of True/FALSE/1/0-style strings."""
    low = pl.col(col).cast(pl.String).str.strip_chars().str.to_lowercase()
    value = pl.when(low.is_in(_TRUE)).then(True).when(low.is_in(_FALSE)).then(False).otherwise(None)
    problem = (
        pl.when(value.is_null())
        .then(pl.format("{} {} is not true/false", pl.lit(col), pl.col(col).cast(pl.String).str.slice(0, 20)))
        .otherwise(None)
    )
    return value, problem


def first_problem(*problems: pl.Expr) -> pl.Expr:
    """The first non-null reason among ``problems`` (null when the record is fine)."""
    return pl.coalesce(*problems)


HANDLE_PATTERN = r"@([A-Za-z0-9_]{1,50})"


_AWARE_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z")
_NAIVE_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


def parse_timestamp(col: str, fmt: str | None = None, timezone: str | None = None) -> tuple[pl.Expr, pl.Expr]:
    """Return ``(UTC datetime[us], problem)`` for a column of timestamp strings.

    Without ``fmt``, ISO 8601 with an offset (``Z``, ``+0000``, ``+02:00``) is
    read as written; timestamps without an offset are read in ``timezone``
    and refused when no timezone was given, since guessing UTC would shift
    every response time of a non-UTC export.
    """
    s = pl.col(col).cast(pl.String).str.strip_chars().str.replace(r"[Zz]$", "+00:00")
    utc = pl.Datetime("us", "UTC")
    if fmt is not None:
        aware_parts = [s.str.to_datetime(fmt, strict=False, time_zone="UTC")] if "%z" in fmt else []
        naive_parts = [] if "%z" in fmt else [s.str.to_datetime(fmt, strict=False, time_unit="us")]
    else:
        aware_parts = [s.str.to_datetime(f, strict=False, time_zone="UTC", time_unit="us") for f in _AWARE_FORMATS]
        naive_parts = [s.str.to_datetime(f, strict=False, time_unit="us") for f in _NAIVE_FORMATS]
    aware = pl.coalesce(*[p.cast(utc) for p in aware_parts]) if aware_parts else pl.lit(None, dtype=utc)
    naive = pl.coalesce(*naive_parts) if naive_parts else pl.lit(None, dtype=pl.Datetime("us"))
    localized = (
        naive.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")
        if timezone
        else pl.lit(None, dtype=utc)
    )
    value = pl.coalesce(aware, localized)
    shown = pl.col(col).cast(pl.String).fill_null("").str.slice(0, 40)
    problem = (
        pl.when(value.is_not_null())
        .then(timestamp_out_of_range(value, col))
        .when(pl.col(col).is_null() | (pl.col(col).cast(pl.String).str.strip_chars() == ""))
        .then(pl.format("{} is empty", pl.lit(col)))
        .when(naive.is_not_null())
        .then(pl.format("{} {} has no UTC offset; give the export's timezone", pl.lit(col), shown))
        .otherwise(pl.format("{} {} is not a timestamp{}", pl.lit(col), shown, pl.lit(f" in format {fmt}" if fmt else "")))
    )
    return value, problem


# Social customer care exists since Facebook pages (2007) and brand Twitter accounts (2008); the first
# public chat logs are from the 1990s. Anything before 1990 or from 2100 on is a placeholder
# (0001-01-01, 1900-01-01, 9999-12-31, a Unix 0) or a parsing accident, never a real message; it would
# also make the business-hours calendar span millennia.
EARLIEST_TIMESTAMP = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_TIMESTAMP = datetime(2100, 1, 1, tzinfo=UTC)


def timestamp_out_of_range(value: pl.Expr, col: str = "created_at") -> pl.Expr:
    """A reason (String) when ``value``, a UTC datetime, is outside [1990-01-01, 2100-01-01); else null.

    Use it as one more problem expression: ``first_problem(..., timestamp_out_of_range(pl.col("created_at")))``.
    A null ``value`` gives null (an empty time has its own reason).
    """
    utc = pl.Datetime("us", "UTC")
    v = value.cast(utc)
    shown = v.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        pl.when(v < pl.lit(EARLIEST_TIMESTAMP, dtype=utc))
        .then(pl.format("{} {} is before {} (a placeholder date?)", pl.lit(col), shown, pl.lit(EARLIEST_TIMESTAMP.date().isoformat())))
        .when(v >= pl.lit(LATEST_TIMESTAMP, dtype=utc))
        .then(pl.format("{} {} is after {} (a placeholder date?)", pl.lit(col), shown, pl.lit(LATEST_TIMESTAMP.date().isoformat())))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def facebook_id(col: str) -> tuple[pl.Expr, pl.Expr]:
    """Return ``(id, problem)`` for a Facebook id column (``PAGE_POST`` or a plain number).

    A spreadsheet may write a plain id as ``123.0`` (fixed) or ``1.2E+15``
    (digits lost: refused). Empty strings become null.
    """
    raw = pl.col(col).cast(pl.String).str.strip_chars()
    raw = pl.when(raw == "").then(None).otherwise(raw)
    value = pl.when(raw.str.contains(r"^[0-9]+\.0*$")).then(raw.str.replace(r"\.0*$", "")).otherwise(raw)
    problem = (
        pl.when(raw.str.contains(r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$"))
        .then(pl.format("{} {} is in scientific notation (digits lost, e.g. by a spreadsheet)", pl.lit(col), raw))
        .when(value.is_not_null() & ~value.str.contains(r"^[0-9]+(_[0-9]+)*$"))
        .then(pl.format("{} {} is not a Facebook id", pl.lit(col), raw.str.slice(0, 40)))
    )
    return value, problem

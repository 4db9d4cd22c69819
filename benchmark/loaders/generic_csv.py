"""Any CSV export, given a column mapping (``--map`` flags or a TOML file).

With ``--map``, ``platform=facebook`` (a platform name) fixes the platform for
the file and a single ``--brand NAME`` names the brand of every message. The
mapping names the source columns for ``message_id``, ``created_at`` and
``author_id`` (required) and optionally ``parent_id``, ``thread_id``, ``text``,
``brand``, ``is_brand``, ``kind``, ``platform``. A TOML mapping looks like::

    [columns]
    message_id = "id"
    created_at = "date"
    author_id = "user"
    parent_id = "in_reply_to"
    text = "message"

    [values]
    platform = "facebook"        # fixed for the whole file
    brand = "Acme Telecom"       # fixed brand (one page per file)
    timestamp_format = "%d/%m/%Y %H:%M"
    timezone = "Europe/Rome"     # for timestamps written without an offset

The delimiter (``,`` ``;`` tab ``|``) is sniffed from the header; ``--delimiter`` overrides it.

Who is the brand: an ``is_brand`` column if mapped; otherwise authors listed
with ``--brand`` are the brand's accounts. Which brand a customer message is
for: a ``brand`` column, else the fixed brand, else the thread's responder
(as for TWCS).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import fields
from functools import partial
from pathlib import Path

import polars as pl

from ..errors import InputError, UsageError
from ..schema import PLATFORMS
from .attribution import attribute_by_thread
from .base import Chunk, ColumnMapping, LoadOptions, rejects_of
from ._read.csvread import CsvBlock, choose_separator, open_csv, require_columns
from ._read.normalize import clean_id, first_problem, parse_bool, parse_timestamp
from .pipeline import parsed_ahead

__all__ = ["GenericCsvLoader", "LOADER", "mapping_from_pairs", "mapping_from_toml"]

_COLUMN_KEYS = ("message_id", "created_at", "author_id", "parent_id", "thread_id", "text", "brand", "is_brand", "kind", "platform")
_VALUE_KEYS = {"platform": "platform_value", "brand": "brand_value", "timestamp_format": "timestamp_format", "timezone": "timezone"}


def mapping_from_pairs(pairs: Sequence[str], base: ColumnMapping | None = None) -> ColumnMapping:
    """Build a mapping from ``field=column`` strings (the ``--map`` flag)."""
    values: dict[str, str | None] = {f.name: getattr(base, f.name) for f in fields(ColumnMapping)} if base else {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not value.strip():
            raise UsageError(f"--map {pair!r}: expected FIELD=COLUMN, e.g. --map message_id=id")
        if key == "platform" and value.strip().lower() in PLATFORMS:  # a platform name fixes it for the file
            values["platform_value"] = value.strip().lower()
        elif key in _COLUMN_KEYS:
            values[key] = value.strip()
        elif key in _VALUE_KEYS:
            values[_VALUE_KEYS[key]] = value.strip()
        else:
            known = ", ".join((*_COLUMN_KEYS, *_VALUE_KEYS))
            raise UsageError(f"--map {pair!r}: unknown field {key!r}; known fields: {known}")
    return _build(values, "--map")


def mapping_from_toml(path: Path) -> ColumnMapping:
    """Read a mapping file; unknown keys and bad values are errors naming the key."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: mapping file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    values: dict[str, str | None] = {}
    for section, allowed in (("columns", set(_COLUMN_KEYS)), ("values", set(_VALUE_KEYS))):
        table = doc.pop(section, {})
        if not isinstance(table, dict):
            raise UsageError(f"{path}: [{section}] must be a table")
        for key, value in table.items():
            if key not in allowed:
                raise UsageError(f"{path}: [{section}] unknown key {key!r}; allowed: {', '.join(sorted(allowed))}")
            if not isinstance(value, str) or not value:
                raise UsageError(f"{path}: [{section}] {key} must be a non-empty string")
            values[_VALUE_KEYS.get(key, key) if section == "values" else key] = value
    if doc:
        raise UsageError(f"{path}: unknown section(s) {', '.join(sorted(doc))}; expected [columns] and [values]")
    return _build(values, str(path))


def _build(values: dict[str, str | None], where: str) -> ColumnMapping:
    missing = [k for k in ("message_id", "created_at", "author_id") if not values.get(k)]
    if missing:
        raise UsageError(f"{where}: the mapping needs {', '.join(missing)} (e.g. --map message_id=id)")
    platform = values.get("platform_value") or "other"
    if platform not in PLATFORMS:
        raise UsageError(f"{where}: platform {platform!r} is not one of {', '.join(PLATFORMS)}")
    if tz := values.get("timezone"):
        try:
            import zoneinfo

            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"{where}: unknown timezone {tz!r}") from None
    return ColumnMapping(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]


class GenericCsvLoader:
    name = "csv"
    description = "any CSV, with a column mapping (--map FIELD=COLUMN or --mapping FILE.toml)"

    def sniff(self, head: bytes, path: Path) -> bool:
        return False  # chosen when a mapping is given, never guessed

    def load(self, path: Path, options: LoadOptions) -> Iterator[Chunk]:
        m = options.mapping
        if m is None:
            raise UsageError(f"{path}: the csv format needs a column mapping (--map FIELD=COLUMN or --mapping FILE)")
        if m.is_brand is None and not options.brands and m.brand is None and m.brand_value is None:
            raise UsageError(
                f"{path}: cannot tell brand messages from customers'; map an is_brand column or name the brand accounts with --brand"
            )
        stream = open_csv(path, encoding=options.encoding, separator=options.delimiter)  # None: sniffed (, ; tab |)
        fields = (m.message_id, m.created_at, m.author_id, m.parent_id, m.thread_id, m.text, m.brand, m.is_brand, m.kind, m.platform)
        mapped = list(dict.fromkeys(c for c in fields if c))  # a column mapped twice is named once
        if m.platform and m.platform not in stream.columns:  # --map platform=myspace: a typo'd platform, not a column
            stream.close()
            raise UsageError(f"{path}: platform {m.platform!r} is neither a known platform ({', '.join(PLATFORMS)}) nor a column of the file")
        try:
            require_columns(path, stream.columns, mapped)
        except InputError as exc:
            stream.close()
            if len(stream.columns) == 1 and stream.separator != (other := choose_separator(path, options.encoding)):
                shown = {"\t": "tab"}.get(other, f"'{other}'")
                raise InputError(path, f"{exc.reason}; the header is {shown}-delimited: pass --delimiter {shown}, or leave it out") from None
            raise
        yield from parsed_ahead(stream.blocks(), partial(_block_chunk, m=m, options=options, source=str(path)))  # streamed (csvread.CsvStream)


def _block_chunk(block: CsvBlock, m: ColumnMapping, options: LoadOptions, source: str) -> Chunk:
    chunk = _parse(block.rows, m, options, source)
    return Chunk(messages=chunk.messages, rejects=[*block.rejects, *chunk.rejects])


def _parse(raw: pl.DataFrame, m: ColumnMapping, options: LoadOptions, source: str) -> Chunk:
    mid, mid_problem = clean_id(m.message_id, numeric=False)
    pid, _ = clean_id(m.parent_id, numeric=False) if m.parent_id else (pl.lit(None, dtype=pl.String), None)
    tid, _ = clean_id(m.thread_id, numeric=False) if m.thread_id else (pl.lit(None, dtype=pl.String), None)
    created, created_problem = parse_timestamp(m.created_at, m.timestamp_format, m.timezone)
    author = pl.col(m.author_id).str.strip_chars()
    problems: list[pl.Expr] = [
        pl.when(mid.is_null()).then(pl.format("{} is empty", pl.lit(m.message_id))),
        created_problem,
    ]
    if m.is_brand:
        is_brand, brand_problem = parse_bool(m.is_brand)
        problems.append(brand_problem)
    else:
        accounts = [a.lstrip("@").lower() for a in options.brands]
        is_brand = author.str.strip_prefix("@").str.to_lowercase().is_in(accounts).fill_null(False)
        if m.brand is None and m.brand_value is None:
            problems.append(pl.when(author.is_null()).then(pl.format("{} is empty", pl.lit(m.author_id))))
    platform = pl.col(m.platform).str.strip_chars().str.to_lowercase() if m.platform else pl.lit(m.platform_value)
    if m.platform:
        problems.append(pl.when(~platform.is_in(list(PLATFORMS))).then(pl.format("platform {} is not one of " + ", ".join(PLATFORMS), platform)))
    df = raw.select(
        "_record",
        platform.alias("platform"),
        mid.alias("message_id"),
        pid.alias("parent_id"),
        tid.alias("thread_id"),
        author.alias("author_id"),
        is_brand.alias("is_brand"),
        created.alias("created_at"),
        (pl.col(m.text) if m.text else pl.lit(None, dtype=pl.String)).alias("text"),
        (pl.col(m.brand).str.strip_chars() if m.brand else pl.lit(m.brand_value, dtype=pl.String)).alias("brand"),
        (pl.col(m.kind).str.strip_chars().str.to_lowercase() if m.kind else pl.lit(None, dtype=pl.String)).alias("kind"),
        first_problem(*problems).alias("_problem"),
    )
    rejects = rejects_of(df)
    good = df.filter(pl.col("_problem").is_null()).drop("_problem", "_record")
    good = good.with_columns(
        pl.coalesce("kind", pl.when(pl.col("parent_id").is_null()).then(pl.lit("post")).otherwise(pl.lit("comment"))).alias("kind")
    )
    if m.brand is None and m.brand_value is None and len(options.brands) == 1:
        good = good.with_columns(pl.lit(options.brands[0].lstrip("@")).alias("brand"))
    elif m.brand is None and m.brand_value is None:
        given = good.rename({"thread_id": "_given_thread"}).drop("brand")
        good = attribute_by_thread(given, platform=m.platform_value).with_columns(
            pl.coalesce("_given_thread", "thread_id").alias("thread_id")
        ).drop("_given_thread")
    return Chunk(messages=good.with_columns(pl.lit(source).alias("source_file")), rejects=rejects)


LOADER = GenericCsvLoader()

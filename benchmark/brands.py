"""The brands file (``brands.toml``): who a brand is, where it answers, and when its desk is open.

Stores keep account-level ``brand`` values (a Twitter handle, a Facebook page
name or id). A benchmark compares *brands*: a brand may answer from a main
page and a help-desk handle, and is judged against its own opening hours in
its own time zone. This module parses and validates the file; the metrics
use :class:`BrandBook` to merge accounts and build business-hours calendars.

Errors name the file and line: ``tomllib`` reports lines only for syntax
errors, so for bad values we find the key's line in the text ourselves.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from .defaults import DEFAULT_TIMEZONE  # UTC: for brands the file gives no zone, unless --timezone says otherwise
from .errors import UsageError
from .schema import PLATFORMS

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_SLA_MINUTES = 525_600  # 365 days: a longer response target is a typo (or 1e308), never a service level
BRAND_KEYS = {"name", "sector", "timezone", "accounts", "holidays", "sla_minutes", "hours"}
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Ranges = tuple[tuple[int, int], ...]  # opening ranges in minutes after local midnight, [start, end)


@dataclass(frozen=True)
class Brand:
    """One brand as configured. ``hours`` is None for a desk open 24/7; ``timezone`` None when the file gives
    none (the measurement's ``timezone`` then applies: ``--timezone``, else UTC)."""

    name: str
    sector: str | None = None
    timezone: str | None = None
    accounts: tuple[tuple[str, str], ...] = ()  # (platform, account lower-cased, without @)
    holidays: tuple[date, ...] = ()
    sla_minutes: float | None = None
    hours: tuple[Ranges, ...] | None = None  # one entry per weekday, Monday first
    spelled: tuple[str, ...] = ()  # the accounts as written (without @), for loaders

    @property
    def always_open(self) -> bool:
        return self.hours is None and not self.holidays


@dataclass(frozen=True)
class BrandBook:
    """Every brand of one brands file, with lookups the metrics need."""

    path: str
    brands: tuple[Brand, ...]

    def accounts_frame(self) -> pl.DataFrame:
        """``platform, account, brand_name``: one row per configured account (account lower-cased)."""
        rows = [(p, a, b.name) for b in self.brands for p, a in b.accounts]
        return pl.DataFrame(rows, schema={"platform": pl.String, "account": pl.String, "brand_name": pl.String}, orient="row")

    def get(self, name: str) -> Brand | None:
        for b in self.brands:
            if b.name == name:
                return b
        return None

    def account_ids(self) -> tuple[str, ...]:
        """Every account as loaders want it (``LoadOptions.brands``): handles/ids, no platform prefix."""
        return tuple(dict.fromkeys(a for b in self.brands for a in b.spelled))


def load_brands(path: str | Path) -> BrandBook:
    """Parse and validate a brands file; raises UsageError naming the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: brands file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the brands file ({exc})") from None
    return parse_brands(text, str(path))


def parse_brands(text: str, source: str = "brands.toml") -> BrandBook:
    """Parse brands-file ``text``; ``source`` names it in errors."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{source}: not valid TOML: {exc}") from None
    where = _Locator(text, source)
    unknown = sorted(set(doc) - {"brand"})
    if unknown:
        raise UsageError(f"{where.top(unknown[0])}: unknown key {unknown[0]!r}; the file holds [[brand]] tables")
    tables = doc.get("brand", [])
    if not isinstance(tables, list) or not tables:
        raise UsageError(f"{source}: no [[brand]] table")
    brands: list[Brand] = []
    seen_accounts: dict[tuple[str, str], str] = {}
    for i, table in enumerate(tables):
        brand = _parse_brand(table, i, where)
        if any(b.name == brand.name for b in brands):
            raise UsageError(f"{where.key(i, 'name')}: brand name {brand.name!r} is used twice")
        for acc in brand.accounts:
            if acc in seen_accounts:
                raise UsageError(f"{where.key(i, 'accounts')}: account '{acc[0]}:{acc[1]}' also belongs to {seen_accounts[acc]!r}")
            seen_accounts[acc] = brand.name
        brands.append(brand)
    return BrandBook(path=source, brands=tuple(brands))


def _parse_brand(table: dict[str, object], i: int, where: _Locator) -> Brand:
    unknown = sorted(set(table) - BRAND_KEYS)
    if unknown:
        raise UsageError(f"{where.key(i, unknown[0])}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(BRAND_KEYS))}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"{where.key(i, 'name') if 'name' in table else where.table(i)}: every [[brand]] needs a non-empty name")
    sector = table.get("sector")
    if sector is not None and (not isinstance(sector, str) or not sector.strip()):
        raise UsageError(f"{where.key(i, 'sector')}: sector must be a non-empty string")
    tz = table.get("timezone")
    if tz is not None and (not isinstance(tz, str) or not valid_timezone(tz)):
        raise UsageError(f"{where.key(i, 'timezone')}: {tz!r} is not an IANA time zone (e.g. Europe/Rome)")
    accounts = _parse_accounts(table.get("accounts"), i, where)
    sla = table.get("sla_minutes")
    if sla is not None and (isinstance(sla, bool) or not isinstance(sla, (int, float)) or not math.isfinite(sla) or sla <= 0):
        raise UsageError(
            f"{where.key(i, 'sla_minutes')}: brand {name.strip()!r}: sla_minutes must be a positive number of minutes, not {_toml_value(sla)}"
        )
    if sla is not None and sla > MAX_SLA_MINUTES:  # 1e308 is finite, but no SLA: and in microseconds it overflows
        raise UsageError(
            f"{where.key(i, 'sla_minutes')}: brand {name.strip()!r}: sla_minutes must be at most {MAX_SLA_MINUTES} (365 days), not {_toml_value(sla)}"
        )
    return Brand(
        name=name.strip(),
        sector=sector.strip() if isinstance(sector, str) else None,
        timezone=tz,
        accounts=tuple((p, a.lower()) for p, a in accounts),
        spelled=tuple(dict.fromkeys(a for _p, a in accounts)),
        holidays=_parse_holidays(table.get("holidays", []), i, where, name.strip()),
        sla_minutes=float(sla) if sla is not None else None,
        hours=_parse_hours(table["hours"], i, where) if "hours" in table else None,
    )


def _parse_accounts(value: object, i: int, where: _Locator) -> tuple[tuple[str, str], ...]:
    """``(platform, account as written)`` pairs; matching lower-cases them later."""
    if not isinstance(value, list) or not value:
        raise UsageError(f"{where.key(i, 'accounts') if value is not None else where.table(i)}: accounts must be a non-empty list of \"platform:account\"")
    out: list[tuple[str, str]] = []
    for item in value:
        platform, sep, account = item.partition(":") if isinstance(item, str) else ("", "", "")
        platform, account = platform.strip().lower(), account.strip().removeprefix("@").strip()
        if not sep or platform not in PLATFORMS or not account:
            raise UsageError(
                f"{where.key(i, 'accounts')}: {item!r} is not \"platform:account\" with platform one of {', '.join(PLATFORMS)}"
            )
        if (platform, account.lower()) not in [(p, a.lower()) for p, a in out]:
            out.append((platform, account))
    return tuple(out)


def _parse_holidays(value: object, i: int, where: _Locator, brand: str) -> tuple[date, ...]:
    if not isinstance(value, list):
        raise UsageError(f"{where.key(i, 'holidays')}: brand {brand!r}: holidays must be a list of dates like \"2024-01-01\"")
    out: list[date] = []
    for item in value:
        if isinstance(item, (datetime, time)):  # TOML date-times and times: a holiday is a whole day
            raise UsageError(
                f"{where.key(i, 'holidays')}: brand {brand!r}: holiday {item.isoformat()} is a "
                f"{'date-time' if isinstance(item, datetime) else 'time'}; give the date alone, like 2024-12-25"
            )
        if isinstance(item, date):  # TOML's bare local dates
            out.append(item)
            continue
        try:
            out.append(date.fromisoformat(str(item)))
        except ValueError:
            raise UsageError(f"{where.key(i, 'holidays')}: brand {brand!r}: {item!r} is not a date (YYYY-MM-DD)") from None
    return tuple(sorted(set(out)))


def _parse_hours(value: object, i: int, where: _Locator) -> tuple[Ranges, ...]:
    if not isinstance(value, dict):
        raise UsageError(f"{where.key(i, 'hours')}: hours must be a table like [brand.hours] mon = \"08:00-20:00\"")
    unknown = sorted(set(value) - set(WEEKDAYS))
    if unknown:
        raise UsageError(f"{where.hours_key(i, unknown[0])}: unknown weekday {unknown[0]!r}; use {', '.join(WEEKDAYS)}")
    days: list[Ranges] = []
    for day in WEEKDAYS:
        spec = value.get(day, "closed")
        try:
            days.append(parse_day_hours(spec))
        except ValueError as exc:
            raise UsageError(f"{where.hours_key(i, day)}: {day} = {spec!r}: {exc}") from None
    return tuple(days)


def parse_day_hours(spec: object) -> Ranges:
    """``"08:00-13:00, 14:00-18:00"`` → ((480, 780), (840, 1080)); ``"closed"`` → ()."""
    if not isinstance(spec, str):
        raise ValueError('expected a string like "08:00-20:00" or "closed"')
    if spec.strip().lower() == "closed":
        return ()
    ranges: list[tuple[int, int]] = []
    for part in spec.split(","):
        m = _RANGE.match(part)
        if not m:
            raise ValueError('expected "HH:MM-HH:MM" (several separated by commas) or "closed"')
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise ValueError(f"{part.strip()!r} is not a valid time range")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            raise ValueError(f"{part.strip()!r} ends before it starts (ranges cannot cross midnight: split them)")
        ranges.append((start, end))
    ranges.sort()
    for (_s1, e1), (s2, _e2) in zip(ranges, ranges[1:], strict=False):
        if s2 < e1:
            raise ValueError("ranges overlap")
    return tuple(ranges)


def _toml_value(value: object) -> str:
    """A number as the file spells it (``nan``, ``inf``, ``-5``), anything else as its repr."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return repr(value)


def valid_timezone(name: str) -> bool:
    """An IANA zone name the system knows (``UTC``, ``Europe/Rome``)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


class _Locator:
    """Find the line a key sits on, for error messages (``file:line``)."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = text.splitlines()
        self.starts = [n for n, line in enumerate(self.lines) if re.match(r"^\s*\[\[\s*brand\s*\]\]", line)]

    def _span(self, i: int) -> tuple[int, int]:
        if i >= len(self.starts):
            return 0, len(self.lines)
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.lines)
        return self.starts[i], end

    def _find(self, lo: int, hi: int, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=")
        for n in range(lo, hi):
            if pattern.match(self.lines[n]):
                return n
        return None

    def table(self, i: int) -> str:
        lo, _hi = self._span(i)
        return f"{self.source}:{lo + 1}" if i < len(self.starts) else self.source

    def top(self, key: str) -> str:
        hi = self.starts[0] if self.starts else len(self.lines)
        n = self._find(0, hi, key)
        if n is None:
            n = next((k for k, line in enumerate(self.lines) if re.match(rf"^\s*\[+\s*{re.escape(key)}\b", line)), None)
        return f"{self.source}:{n + 1}" if n is not None else self.source

    def key(self, i: int, key: str) -> str:
        lo, hi = self._span(i)
        n = self._find(lo, hi, key)
        if n is None and key == "hours":
            n = next((k for k in range(lo, hi) if re.match(r"^\s*\[\s*brand\.hours\s*\]", self.lines[k])), None)
        return f"{self.source}:{n + 1}" if n is not None else self.table(i)

    def hours_key(self, i: int, day: str) -> str:
        lo, hi = self._span(i)
        header = next((k for k in range(lo, hi) if re.match(r"^\s*\[\s*brand\.hours\s*\]", self.lines[k])), None)
        n = self._find(header if header is not None else lo, hi, day)
        if n is None:  # inline table: hours = { mon = ... }
            n = next((k for k in range(lo, hi) if re.search(rf"\b{day}\s*=", self.lines[k])), None)
        return f"{self.source}:{n + 1}" if n is not None else self.table(i)


__all__ = ["DEFAULT_TIMEZONE", "WEEKDAYS", "Brand", "BrandBook", "load_brands", "parse_brands", "parse_day_hours"]

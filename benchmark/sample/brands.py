"""The 20 fictional Italian brands of the synthetic sample, and their brands.toml.

Each brand has a care *profile* chosen so that the sample shows what a real
benchmark shows: devoted brands answering nearly everything in minutes, slow
ones taking hours or days, desks silent at night and at weekends, and a few
brands below the 100-request volume threshold. All names are invented.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter

__all__ = ["BRANDS", "BrandSpec", "LONG_WEEK", "OFFICE", "brands_toml", "daily", "italian_holidays"]

OFFICE = {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}
LONG_WEEK = {**{d: "08:00-20:00" for d in ("mon", "tue", "wed", "thu", "fri")}, "sat": "09:00-13:00", "sun": "closed"}


def daily(span: str) -> dict[str, str]:
    return {d: span for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@dataclass(frozen=True)
class BrandSpec:
    """How one fictional brand behaves; rates are requests per month at ``--scale 1``."""

    name: str
    sector: str
    profile: str  # a word for the README: devoted, fast, steady, slow, very slow, office hours, small
    care_handle: str  # Twitter account that answers customers
    main_handle: str | None  # Twitter account for the brand's own announcements, if separate
    fb_per_month: float
    tw_per_month: float
    answer_rate: float
    median_minutes: float  # median first-reply delay, in open desk minutes
    sigma: float = 1.0  # spread of the log-normal delay
    hours: dict[str, str] | None = None  # None = open 24/7
    english_share: float = 0.12
    deflect_share: float = 0.3  # replies that only ask the customer to write privately
    sla_minutes: int | None = None

    @property
    def handles(self) -> tuple[str, ...]:
        return (self.care_handle,) + ((self.main_handle,) if self.main_handle else ())

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-").replace("'", "")

    @property
    def page_id(self) -> str:
        """A stable 15-digit Facebook page id (independent of the seed)."""
        return str(100_000_000_000_000 + zlib.crc32(self.name.encode()) * 1000 % 900_000_000_000_000)

    def user_id(self, handle: str) -> str:
        """A stable numeric Twitter user id for one of the brand's handles."""
        return str(900_000_000 + zlib.crc32(handle.encode()) % 99_000_000)


BRANDS: tuple[BrandSpec, ...] = (
    BrandSpec("Telco Nova", "telco", "devoted", "TelcoNova_Help", "TelcoNova", 44, 30, 0.96, 6, 0.9, sla_minutes=30),
    BrandSpec("Onda Mobile", "telco", "steady", "OndaMobile_Care", None, 36, 24, 0.82, 45, 1.1, daily("08:00-22:00"), sla_minutes=60),
    BrandSpec("Linea Chiara", "telco", "office hours", "LineaChiara", None, 28, 16, 0.78, 70, 1.0, OFFICE, deflect_share=0.45),
    BrandSpec("Poste Celeri", "post", "slow", "PosteCeleri_Aiuta", "PosteCeleri", 36, 20, 0.72, 300, 1.1, {**daily("08:00-20:00"), "sun": "closed"}),
    BrandSpec("Banca Ponente", "banking", "office hours", "BancaPonente", None, 26, 15, 0.88, 50, 1.0, {d: "08:30-19:00" for d in ("mon", "tue", "wed", "thu", "fri")}, deflect_share=0.6),
    BrandSpec("Credito Lagunare", "banking", "small", "CreditoLagunare", None, 10, 6, 0.9, 35, 1.0, OFFICE, deflect_share=0.6),
    BrandSpec("Pagamenti Lampo", "banking", "fast", "PagaLampo_Help", "PagaLampo", 28, 24, 0.93, 12, 1.0, english_share=0.25, sla_minutes=30),
    BrandSpec("Aquila Voli", "airline", "devoted", "AquilaVoli", None, 40, 28, 0.95, 9, 0.9, english_share=0.35, sla_minutes=30),
    BrandSpec("Rondine Air", "airline", "slow", "RondineAir", None, 30, 20, 0.6, 600, 1.2, daily("07:00-23:00"), english_share=0.35),
    BrandSpec("TeleAurora", "tv", "steady", "TeleAurora_Help", "TeleAurora", 26, 20, 0.85, 40, 1.0, daily("09:00-21:00")),
    BrandSpec("Schermo Stellare", "tv", "small", "SchermoStellare", None, 9, 7, 0.7, 120, 1.0, OFFICE),
    BrandSpec("Mercato Fresco", "retail", "fast", "MercatoFresco", None, 30, 14, 0.9, 25, 1.0, {**daily("08:00-21:00"), "sun": "09:00-13:00"}),
    BrandSpec("Bottega Moda", "retail", "office hours", "BottegaModa", None, 24, 16, 0.8, 180, 1.0, OFFICE, english_share=0.2),
    BrandSpec("Elettronica Faro", "retail", "slow", "ElettronicaFaro", None, 28, 18, 0.65, 900, 1.1, OFFICE),
    BrandSpec("Luce Alpina", "energy", "steady", "LuceAlpina_Clienti", "LuceAlpina", 30, 16, 0.9, 35, 1.0, LONG_WEEK, sla_minutes=120),
    BrandSpec("Gas Mediterraneo", "energy", "very slow", "GasMediterraneo", None, 26, 16, 0.55, 2400, 0.9, {d: "09:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")}),
    BrandSpec("Assicurazioni Quercia", "insurance", "office hours", "QuerciaAssicura", None, 25, 10, 0.85, 120, 1.0, {d: "08:30-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}, deflect_share=0.55),
    BrandSpec("Tutela Viva", "insurance", "small", "TutelaViva", None, 8, 5, 0.6, 400, 1.0, {d: "09:00-13:00" for d in ("mon", "tue", "wed", "thu", "fri")}),
    BrandSpec("Binario Nord", "transport", "fast", "BinarioNord_Info", "BinarioNord", 34, 28, 0.9, 15, 1.0, daily("06:00-23:00"), english_share=0.2, sla_minutes=30),
    BrandSpec("Acqua Serena", "utilities", "office hours", "AcquaSerena", None, 24, 14, 0.8, 240, 1.0, {d: "08:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")}),
)


def italian_holidays(start: date, end: date) -> tuple[date, ...]:
    """National public holidays in Italy between ``start`` and ``end`` (inclusive)."""
    fixed = ((1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26))
    days: set[date] = set()
    for year in range(start.year, end.year + 1):
        days.update(date(year, m, d) for m, d in fixed)
        days.add(easter(year) + timedelta(days=1))  # Easter Monday; Easter Sunday is a Sunday anyway
        days.add(easter(year))
    return tuple(sorted(d for d in days if start <= d <= end))


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string here


def brands_toml(brands: tuple[BrandSpec, ...], holidays: tuple[date, ...], seed: int) -> str:
    """brands.toml for the sample, in the project's brand configuration format."""
    lines = [
        "# Brand configuration of the synthetic sample (fictional brands).",
        f"# Generated by `benchmark sample --seed {seed}`; see README.md in this folder.",
        "# Profiles are documented in README.md; they are not keys of the format.",
    ]
    for b in brands:
        accounts = [f"facebook:{b.name}"] + [f"twitter:{h}" for h in b.handles]
        lines += [
            "",
            "[[brand]]",
            f"name = {_q(b.name)}",
            f"sector = {_q(b.sector)}",
            'timezone = "Europe/Rome"',
            "accounts = [" + ", ".join(_q(a) for a in accounts) + "]",
        ]
        if b.hours is not None:
            lines.append("holidays = [" + ", ".join(_q(d.isoformat()) for d in holidays) + "]")
        if b.sla_minutes is not None:
            lines.append(f"sla_minutes = {b.sla_minutes}")
        if b.hours is not None:
            lines += ["", "[brand.hours]"]
            lines += [f"{day} = {_q(b.hours.get(day, 'closed'))}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    return "\n".join(lines) + "\n"

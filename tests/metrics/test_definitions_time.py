"""Definitions without gaps (issue 16), the time rules: Kaplan–Meier median, bootstrap interval, business hours
across DST gaps and folds, night and weekend slots in local time. Hand-worked, fictional brands."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest
from test_metrics_builders import messages

from benchmark.brands import parse_brands
from benchmark.engine import DuckDBEngine, PolarsEngine
from benchmark.metrics import MetricOptions, measure
from benchmark.metrics.options import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED
from benchmark.metrics.survival import km_median
from benchmark.metrics.uncertainty import bootstrap_median_ci

ROME = ZoneInfo("Europe/Rome")
ENGINES = [PolarsEngine(), DuckDBEngine()]


def _utc(y: int, mo: int, d: int, h: int, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


def _local(tz: ZoneInfo, y: int, mo: int, d: int, h: int, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=tz).astimezone(UTC)


def _km(answered: list[bool], frt: list[float | None], followup: list[float]) -> float | None:
    facts = pl.DataFrame({"b": ["x"] * len(answered), "answered": answered, "frt_s": frt, "followup_s": followup})
    return km_median(facts, ["b"]).item(0, "km_median_s")


# --- Kaplan–Meier median ----------------------------------------------------------------------------------------------


def test_km_median_when_survival_stays_at_one_half_with_no_later_answer_is_that_answer_time():
    # Answered at 10 s and 20 s; two still waiting at 30 s and 40 s (censored).
    # t=10: 4 at risk → S = 3/4; t=20: 3 at risk → S = 3/4 · 2/3 = 1/2 exactly; no later answer.
    # The median is 20 s (the first t with S ≤ 1/2). R's quantile.survfit would give (20 + 40) / 2 = 30 s here.
    assert _km([True, True, False, False], [10.0, 20.0, None, None], [99.0, 99.0, 30.0, 40.0]) == 20.0


def test_km_median_takes_the_midpoint_to_the_next_answer_when_survival_is_one_half_over_an_interval():
    # Answered at 10, 20 and 40 s; one wait censored at 25 s.
    # t=10: 4 at risk → S = 3/4; t=20: 3 at risk → S = 1/2 exactly; t=25 censored; t=40: 1 at risk → S = 0.
    # S is 1/2 on [20, 40) → the median is (20 + 40) / 2 = 30 s (the next *answer*, not the censored 25 s).
    assert _km([True, True, False, True], [10.0, 20.0, None, 40.0], [99.0, 99.0, 25.0, 99.0]) == 30.0


def test_km_median_a_wait_censored_at_the_time_of_an_answer_is_still_at_risk_then():
    # Answered at 10 s, censored at 10 s, answered at 20 s. Answers come first at a tie:
    # t=10: 3 at risk (the censored wait included), 1 answer → S = 2/3; t=20: 1 at risk → S = 0 → median 20 s.
    # (Censoring first would give S(10) = 1 − 1/2 = 1/2 and a median of (10 + 20) / 2 = 15 s.)
    assert _km([True, False, True], [10.0, None, 20.0], [99.0, 10.0, 99.0]) == 20.0


def test_km_median_counts_open_requests_as_censored_at_their_wait():
    # Through measure(): LumeBank answers one request after 60 s; a second request is open (written 1 h before the
    # end of the data, unanswered): censored at 3,600 s. S(60) = 1/2 with no later answer → 60 s.
    t0 = _utc(2024, 5, 6, 9)
    rows = [
        ("a", None, "c1", False, "LumeBank", t0),
        ("a1", "a", "LumeBank", True, "LumeBank", t0 + timedelta(seconds=60)),
        ("b", None, "c2", False, "LumeBank", t0 + timedelta(hours=1)),
        ("z", None, "c3", False, "NovaTel", t0 + timedelta(hours=2)),  # the end of the data
    ]
    m = measure(messages(rows), engine=PolarsEngine())
    assert dict(m.facts.select("request_id", "status").rows())["b"] == "open"
    assert dict(m.facts.select("request_id", "followup_s").rows())["b"] == 3_600.0
    assert dict(m.table.select("brand", "km_median_s").rows()) == {"LumeBank": 60.0, "NovaTel": None}


# --- bootstrap interval of the median FRT -----------------------------------------------------------------------------


def test_bootstrap_is_monte_carlo_with_a_seed_made_of_the_fixed_seed_and_the_group_key():
    x = np.arange(1.0, 102.0)  # 1..101, median 51
    key = ("twitter", "NovaTel")
    lo, hi = bootstrap_median_ci(x, key)
    assert (BOOTSTRAP_SEED, BOOTSTRAP_RESAMPLES) == (20_240_601, 2_000)
    # Recomputed from the documented recipe: generator seeded with [20240601, crc32("twitter\x1fNovaTel")],
    # 2,000 draws of the median's order statistic U(51) ~ Beta(51, 51), value x[floor(101·U)], then the 2.5% and
    # 97.5% quantiles (linear interpolation).
    rng = np.random.default_rng([BOOTSTRAP_SEED, zlib.crc32(b"twitter\x1fNovaTel")])
    medians = x[np.minimum((rng.beta(51, 51, size=2_000) * 101).astype(np.int64), 100)]
    assert (lo, hi) == tuple(float(v) for v in np.quantile(medians, [0.025, 0.975]))
    # Any row order gives the same interval; another key is another stream (seen with a single resample of
    # [1, 2, 3]: the key ("0",) draws 3, the key ("1",) draws 2).
    assert bootstrap_median_ci(x[::-1].copy(), key) == (lo, hi)
    three = np.array([1.0, 2.0, 3.0])
    assert bootstrap_median_ci(three, ("0",), resamples=1) != bootstrap_median_ci(three, ("1",), resamples=1)


def test_bootstrap_interval_is_clamped_to_contain_the_median():
    # With a single resample the "interval" is one resampled median; for the key ("0",) that draw of [1, 2, 3] is 3,
    # and the clamp [min(lo, median), max(hi, median)] stretches it down to the sample median 2.
    assert bootstrap_median_ci(np.array([1.0, 2.0, 3.0]), ("0",), resamples=1) == (2.0, 3.0)


def test_measured_interval_uses_platform_and_brand_as_the_key():
    t0 = _utc(2024, 5, 6, 9)
    frts = [10.0, 20.0, 40.0, 80.0, 160.0]
    rows = []
    for i, f in enumerate(frts):
        t = t0 + timedelta(hours=i)
        rows += [(f"r{i}", None, f"c{i}", False, "NovaTel", t), (f"r{i}a", f"r{i}", "NovaTel", True, "NovaTel", t + timedelta(seconds=f))]
    row = measure(messages(rows), engine=PolarsEngine()).table.row(0, named=True)
    assert (row["frt_median_ci_low_s"], row["frt_median_ci_high_s"]) == bootstrap_median_ci(np.array(frts), ("twitter", "NovaTel"))
    assert row["frt_median_ci_low_s"] <= row["frt_median_s"] == 40.0 <= row["frt_median_ci_high_s"]


# --- business hours across a DST gap and a DST fold (Europe/Rome) -----------------------------------------------------

DST_BRANDS = parse_brands(
    """
[[brand]]
name = "Alba Energia"
accounts = ["twitter:AlbaEnergia"]
[brand.hours]
mon = "02:30-18:00"
tue = "02:30-18:00"
wed = "02:30-18:00"
thu = "02:30-18:00"
fri = "02:30-18:00"
sat = "02:30-18:00"
sun = "02:30-18:00"

[[brand]]
name = "Brina Servizi"
accounts = ["twitter:BrinaServizi"]
[brand.hours]
mon = "00:00-02:30"
tue = "00:00-02:30"
wed = "00:00-02:30"
thu = "00:00-02:30"
fri = "00:00-02:30"
sat = "00:00-02:30"
sun = "00:00-02:30"
""",
    "dst-brands.toml",
)
A, B = "AlbaEnergia", "BrinaServizi"
DST_ROWS = [
    # gap: Sun 31 Mar 2024, 02:00 CET jumps to 03:00 CEST (01:00 UTC). Alba opens at 02:30, which does not exist:
    # the desk opens when the wall clock first shows a time in range, 03:00 CEST.
    # 01:45 CET (00:45 UTC) → 03:30 CEST (01:30 UTC): calendar 45 min; open 03:00–03:30 = 30 min.
    ("g", None, "c1", False, A, _utc(2024, 3, 31, 0, 45)),
    ("g1", "g", A, True, A, _utc(2024, 3, 31, 1, 30)),
    # Brina closes at 02:30, which does not exist that night: it closes at 02:00 CET (= 03:00 CEST).
    # 01:30 CET (00:30 UTC) → 03:15 CEST (01:15 UTC): calendar 45 min; open 01:30–02:00 CET = 30 min.
    ("k", None, "c4", False, B, _utc(2024, 3, 31, 0, 30)),
    ("k1", "k", B, True, B, _utc(2024, 3, 31, 1, 15)),
    # fold: Sun 27 Oct 2024, 03:00 CEST goes back to 02:00 CET (01:00 UTC): 02:00–03:00 happens twice.
    # Alba, 02:10 CEST (00:10 UTC) → 02:50 CET (01:50 UTC), calendar 100 min. Open on the wall clock 02:30–03:00
    # CEST (30 min), closed again 02:00–02:30 CET, open 02:30–02:50 CET (20 min): 50 min.
    ("f", None, "c2", False, A, _utc(2024, 10, 27, 0, 10)),
    ("f1", "f", A, True, A, _utc(2024, 10, 27, 1, 50)),
    # Brina closes at 02:30, on both passes: 01:00 CEST (Sat 23:00 UTC) → 02:45 CET (01:45 UTC), calendar 165 min.
    # Open 01:00–02:30 CEST (90 min), closed 02:30–03:00 CEST, open again 02:00–02:30 CET (30 min): 120 min.
    ("h", None, "c3", False, B, _utc(2024, 10, 26, 23, 0)),
    ("h1", "h", B, True, B, _utc(2024, 10, 27, 1, 45)),
]


@pytest.mark.parametrize("eng", ENGINES, ids=lambda e: e.name)
def test_business_hours_across_a_dst_gap_and_both_passes_of_a_fold(eng):
    facts = measure(messages(DST_ROWS), engine=eng, options=MetricOptions(brands=DST_BRANDS, timezone="Europe/Rome")).facts
    got = {r["request_id"]: (r["frt_s"], r["bh_frt_s"], r["in_hours"]) for r in facts.to_dicts()}
    assert got == {
        "g": (2_700.0, 1_800.0, False),  # 01:45 CET: before opening
        "k": (2_700.0, 1_800.0, True),  # 01:30 CET: open
        "f": (6_000.0, 3_000.0, False),  # 02:10 CEST: before the (first) 02:30
        "h": (9_900.0, 7_200.0, True),  # 01:00 CEST: open
    }


# --- night, office and weekend slots in the brand's local time -------------------------------------------------------

NY = ZoneInfo("America/New_York")
SLOT_ROWS = [
    # NovaTel is not in the brands file: its local time is the measurement's zone, Europe/Rome here (CEST in May;
    # UTC unless given, issue 14). Monday 6 May 2024.
    ("o1", None, "c1", False, "NovaTel", _local(ROME, 2024, 5, 6, 21, 59, 59)),  # office (last second)
    ("n1", None, "c2", False, "NovaTel", _local(ROME, 2024, 5, 6, 22, 0, 0)),  # night (22:00 is night)
    ("n2", None, "c3", False, "NovaTel", _local(ROME, 2024, 5, 7, 7, 59, 59)),  # night (last second)
    ("o2", None, "c4", False, "NovaTel", _local(ROME, 2024, 5, 7, 8, 0, 0)),  # office (08:00 is office)
    # Friday 22:30 UTC = Saturday 00:30 in Rome: weekend (weekend wins over night).
    ("w1", None, "c5", False, "NovaTel", _utc(2024, 5, 10, 22, 30)),
    # Sunday 22:30 UTC = Monday 00:30 in Rome: night, not weekend.
    ("n3", None, "c6", False, "NovaTel", _utc(2024, 5, 12, 22, 30)),
    # LumeBank is in New York (brands file): Monday 03:00 UTC = Sunday 23:00 EDT → weekend.
    ("w2", None, "c7", False, "LumeBank", _utc(2024, 5, 6, 3, 0)),
    # Monday 12:30 UTC = 08:30 EDT → office (in Rome it would be 14:30 either way).
    ("o3", None, "c8", False, "LumeBank", _utc(2024, 5, 6, 12, 30)),
]
NY_BRANDS = parse_brands('[[brand]]\nname = "LumeBank"\ntimezone = "America/New_York"\naccounts = ["twitter:LumeBank"]\n', "ny.toml")


@pytest.mark.parametrize("eng", ENGINES, ids=lambda e: e.name)
def test_night_and_weekend_edges_in_the_brands_local_time(eng):
    facts = measure(messages(SLOT_ROWS), engine=eng, options=MetricOptions(brands=NY_BRANDS, timezone="Europe/Rome")).facts
    got = {r["request_id"]: (r["slot"], r["night"], r["weekend"]) for r in facts.to_dicts()}
    assert got == {
        "o1": ("office", False, False),
        "n1": ("night", True, False),
        "n2": ("night", True, False),
        "o2": ("office", False, False),
        "w1": ("weekend", True, True),
        "n3": ("night", True, False),
        "w2": ("weekend", True, True),
        "o3": ("office", False, False),
    }
    # The slot columns count the same rows (open_window 0: none is open; open requests are left out of *_requests).
    table = {r["brand"]: r for r in measure(messages(SLOT_ROWS), engine=eng, options=MetricOptions(brands=NY_BRANDS, open_window_s=0, timezone="Europe/Rome")).table.to_dicts()}
    nova = table["NovaTel"]
    assert (nova["office_requests"], nova["night_requests"], nova["weekend_requests"]) == (2, 3, 1)

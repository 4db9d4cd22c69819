"""Business-hours FRT, local-time flags and off-hours slots (synthetic data, fictional brands).

Two brands, both in Europe/Rome (the brands file gives no zone; the measurement's ``timezone`` does):

* "Posta Lume": Mon–Fri 08:00–20:00, Sat 09:00–13:00, Sun closed; holiday 2024-04-01 (Easter Monday).
* "Volo Chiaro": 08:00–20:00 every day (to see both DST changes on a Sunday).
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_metrics_builders import messages, rome

from benchmark.brands import parse_brands
from benchmark.engine import PolarsEngine
from benchmark.metrics import MetricOptions, measure

BRANDS = parse_brands(
    """
[[brand]]
name = "Posta Lume"
sector = "post"
accounts = ["twitter:PostaLume"]
holidays = ["2024-04-01"]
[brand.hours]
mon = "08:00-20:00"
tue = "08:00-20:00"
wed = "08:00-20:00"
thu = "08:00-20:00"
fri = "08:00-20:00"
sat = "09:00-13:00"
sun = "closed"

[[brand]]
name = "Volo Chiaro"
sector = "airline"
accounts = ["twitter:VoloChiaro"]
[brand.hours]
mon = "08:00-20:00"
tue = "08:00-20:00"
wed = "08:00-20:00"
thu = "08:00-20:00"
fri = "08:00-20:00"
sat = "08:00-20:00"
sun = "08:00-20:00"
""",
    "test-brands.toml",
)

P, V = "PostaLume", "VoloChiaro"
ROWS = [
    # A. Friday 23:59 → Monday 08:30. Open meanwhile: Sat 09–13 (4 h) + Mon 08:00–08:30 → 16,200 s.
    #    Calendar: Fri 22:59 UTC → Mon 07:30 UTC = 2 d 8 h 31 m = 203,460 s.
    ("a", None, "c1", False, P, rome(2024, 3, 8, 23, 59)),
    ("a1", "a", P, True, P, rome(2024, 3, 11, 8, 30)),
    # B. Sat 12:00 → Tue 09:00 across the spring DST change and the Easter Monday holiday:
    #    Sat 12–13 (1 h) + Sun closed + Mon holiday + Tue 08–09 (1 h) = 7,200 s.
    #    Calendar: Sat 11:00 UTC → Tue 07:00 UTC = 68 h = 244,800 s.
    ("b", None, "c2", False, P, rome(2024, 3, 30, 12)),
    ("b1", "b", P, True, P, rome(2024, 4, 2, 9)),
    # C. Wednesday 10:00 → 10:45 inside office hours: 2,700 s both ways.
    ("c", None, "c3", False, P, rome(2024, 3, 6, 10)),
    ("c1", "c", P, True, P, rome(2024, 3, 6, 10, 45)),
    # D. Unanswered Wednesday 21:00 (a night request): no FRT either way.
    ("d", None, "c4", False, P, rome(2024, 3, 6, 21)),
    # E. Spring DST day (Sun 31 Mar): Sat 19:00 CET → Sun 09:00 CEST. Open Sat 19–20 + Sun 08–09 = 7,200 s.
    #    Calendar: Sat 18:00 UTC → Sun 07:00 UTC = 13 h = 46,800 s. (A fixed +1 h offset would give 3,600 s.)
    ("e", None, "c5", False, V, rome(2024, 3, 30, 19)),
    ("e1", "e", V, True, V, rome(2024, 3, 31, 9)),
    # F. Autumn DST day (Sun 27 Oct): Sat 19:00 CEST → Sun 09:00 CET. Open 1 h + 1 h = 7,200 s.
    #    Calendar: Sat 17:00 UTC → Sun 08:00 UTC = 15 h = 54,000 s.
    ("f", None, "c6", False, V, rome(2024, 10, 26, 19)),
    ("f1", "f", V, True, V, rome(2024, 10, 27, 9)),
]

EXPECTED = {  # request id: (calendar FRT, business-hours FRT, night, weekend, slot)
    "a": (203_460.0, 16_200.0, True, False, "night"),
    "b": (244_800.0, 7_200.0, False, True, "weekend"),
    "c": (2_700.0, 2_700.0, False, False, "office"),
    "d": (None, None, False, False, "office"),
    "e": (46_800.0, 7_200.0, False, True, "weekend"),
    "f": (54_000.0, 7_200.0, False, True, "weekend"),
}


@pytest.fixture
def measured(engine):
    return measure(messages(ROWS), engine=engine, options=MetricOptions(brands=BRANDS, timezone="Europe/Rome"))


def test_business_hours_frt_per_request(measured):
    facts = {r["request_id"]: r for r in measured.facts.to_dicts()}
    assert set(facts) == set(EXPECTED)
    for rid, (frt, bh, night, weekend, slot) in EXPECTED.items():
        r = facts[rid]
        assert r["frt_s"] == (pytest.approx(frt) if frt is not None else None), rid
        assert r["bh_frt_s"] == (pytest.approx(bh) if bh is not None else None), rid
        assert (r["night"], r["weekend"], r["slot"]) == (night, weekend, slot), rid
    d = facts["d"]
    assert d["in_hours"] is False and facts["c"]["in_hours"] is True  # 21:00 is after closing; 10:00 is open


def test_business_hours_brand_figures_and_slots(measured):
    rows = {r["brand"]: r for r in measured.table.to_dicts()}
    posta = rows["Posta Lume"]
    # Business-hours FRTs [16,200; 7,200; 2,700]: median 7,200, mean 26,100 / 3 = 8,700.
    assert posta["bh_frt_median_s"] == pytest.approx(7_200.0)
    assert posta["bh_frt_mean_s"] == pytest.approx(8_700.0)
    assert posta["sector"] == "post"
    # Slots: night = {a} answered; weekend = {b} answered; office = {c answered, d unanswered}.
    assert (posta["night_requests"], posta["night_answered"], posta["night_frt_median_s"]) == (1, 1, pytest.approx(203_460.0))
    assert (posta["weekend_requests"], posta["weekend_response_rate"]) == (1, 1.0)
    assert (posta["office_requests"], posta["office_answered"], posta["office_response_rate"]) == (2, 1, 0.5)
    volo = rows["Volo Chiaro"]
    assert volo["bh_frt_median_s"] == pytest.approx(7_200.0) and volo["frt_median_s"] == pytest.approx(50_400.0)


def test_brands_without_hours_are_open_all_the_time():
    # No brands file: every brand is open 24/7, so business-hours FRT equals calendar FRT.
    m = measure(messages(ROWS), engine=PolarsEngine())
    f = m.facts.filter(pl.col("answered"))
    assert f["bh_frt_s"].to_list() == pytest.approx(f["frt_s"].to_list())


HOURS = st.sampled_from(["08:00-20:00", "09:00-13:00, 14:30-18:00", "closed", "00:00-24:00", "07:15-07:45"])


@settings(max_examples=25, deadline=None)
@given(
    hours=st.lists(HOURS, min_size=7, max_size=7),
    tz=st.sampled_from(["Europe/Rome", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]),
    starts=st.lists(st.integers(0, 400 * 24 * 60), min_size=1, max_size=8),
    waits=st.lists(st.integers(0, 20 * 24 * 60), min_size=8, max_size=8),
)
def test_business_time_never_exceeds_calendar_time(hours, tz, starts, waits):
    from datetime import UTC, datetime, timedelta

    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    table = "\n".join(f'{d} = "{h}"' for d, h in zip(days, hours, strict=True))
    book = parse_brands(f'[[brand]]\nname = "Prop"\ntimezone = "{tz}"\naccounts = ["twitter:Prop"]\n[brand.hours]\n{table}\n')
    t0 = datetime(2023, 1, 1, tzinfo=UTC)
    rows = []
    for i, (s, w) in enumerate(zip(starts, waits, strict=False)):
        req = t0 + timedelta(minutes=s)
        rows += [(f"r{i}", None, f"c{i}", False, "Prop", req), (f"r{i}a", f"r{i}", "Prop", True, "Prop", req + timedelta(minutes=w))]
    f = measure(messages(rows), engine=PolarsEngine(), options=MetricOptions(brands=book)).facts
    assert (f["bh_frt_s"] >= 0).all()
    assert (f["bh_frt_s"] <= f["frt_s"] + 1e-6).all()
    if all(h == "00:00-24:00" for h in hours):
        assert f["bh_frt_s"].to_list() == pytest.approx(f["frt_s"].to_list())
    if all(h == "closed" for h in hours):
        assert (f["bh_frt_s"] == 0).all()

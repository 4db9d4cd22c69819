"""Wilson and bootstrap intervals, Kaplan–Meier median, fastest-90% mean, rank intervals (synthetic data)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_metrics_builders import messages

from benchmark.engine import DuckDBEngine, PolarsEngine
from benchmark.metrics import MetricOptions, measure
from benchmark.metrics.survival import km_median
from benchmark.metrics.uncertainty import bootstrap_median_ci, wilson_interval
from benchmark.rank import rank_table, with_rank_intervals

T0 = datetime(2024, 5, 6, 9, tzinfo=UTC)


def test_wilson_hand_worked():
    # 8 of 10, z = 1.96: centre (0.8 + 3.8415/20) / 1.38415 = 0.71674; half-width
    # 1.95996 / 1.38415 · √(0.016 + 0.0096037) = 0.22658 → [0.4902, 0.9433] (textbook value).
    lo, hi = wilson_interval(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-4) and hi == pytest.approx(0.9433, abs=1e-4)
    assert wilson_interval(0, 0) == (None, None)
    lo, hi = wilson_interval(0, 5)
    assert lo == 0.0 and 0 < hi < 1


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 10_000), data=st.data())
def test_wilson_contains_the_rate(n, data):
    k = data.draw(st.integers(0, n))
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_km_median_with_a_censored_request():
    # Answered at 10, 20, 30 s; unanswered requests waited 15 s and 40 s when the data ended (censored).
    # t=10: 5 at risk, S = 4/5; t=15 censored; t=20: 3 at risk, S = 0.8·2/3 = 0.533; t=30: 2 at risk, S = 0.267 ≤ 0.5.
    # KM median 30 s, while the plain median of answered ones is 20 s: dropping the unanswered flatters.
    facts = pl.DataFrame(
        {"b": ["x"] * 5, "answered": [True, True, True, False, False], "frt_s": [10.0, 20.0, 30.0, None, None],
         "followup_s": [99.0, 99.0, 99.0, 15.0, 40.0]}
    )
    assert km_median(facts, ["b"]).item(0, "km_median_s") == 30.0


def test_km_median_is_null_when_under_half_are_answered():
    # One answered at 10 s, three still waiting at 100 s: S(10) = 3/4 never reaches 0.5.
    facts = pl.DataFrame({"b": ["x"] * 4, "answered": [True, False, False, False], "frt_s": [10.0, None, None, None],
                          "followup_s": [100.0] * 4})
    assert km_median(facts, ["b"]).item(0, "km_median_s") is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 50).map(float), min_size=1, max_size=40))
def test_km_median_equals_the_median_when_all_are_answered(values):
    facts = pl.DataFrame({"b": ["x"] * len(values), "answered": [True] * len(values), "frt_s": values,
                          "followup_s": [1e9] * len(values)})
    assert km_median(facts, ["b"]).item(0, "km_median_s") == pytest.approx(float(np.median(values)))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=300), st.randoms())
def test_bootstrap_ci_contains_the_median_and_ignores_order(values, rnd):
    lo, hi = bootstrap_median_ci(np.array(values), key=("twitter", "Prop"))
    assert lo <= float(np.median(values)) <= hi
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert bootstrap_median_ci(np.array(shuffled), key=("twitter", "Prop")) == (lo, hi)  # fixed seed per brand


def test_bootstrap_ci_is_sensible_for_a_known_sample():
    # 1..101: the median is 51; a 95% interval for it spans roughly ±1.96·√101/2 ≈ ±10 ranks.
    lo, hi = bootstrap_median_ci(np.arange(1, 102, dtype=float), key=("k",))
    assert 38 <= lo <= 48 and 54 <= hi <= 64
    assert bootstrap_median_ci(np.array([7.0]), key=("k",)) == (7.0, 7.0)


def _brand_rows(brand: str, frts: list[float | None]) -> list[tuple]:
    rows = []
    for i, f in enumerate(frts):
        t = T0 + timedelta(hours=i)
        rows.append((f"{brand}{i}", None, f"c{brand}{i}", False, brand, t))
        if f is not None:
            rows.append((f"{brand}{i}r", f"{brand}{i}", brand, True, brand, t + timedelta(seconds=f)))
    return rows


def test_fast90_mean_and_figures_agree_across_engines():
    # Nova: FRTs 10, 20, ..., 100 s: the fastest ⌈0.9·10⌉ = 9 average (10+…+90)/9 = 50 s.
    # Lume: 11 FRTs 10..110: keeps ⌈9.9⌉ = 10 → mean 55 s. Solo: one FRT of 7 s → 7 s.
    rows = _brand_rows("Nova", [float(10 * k) for k in range(1, 11)])
    rows += _brand_rows("Lume", [float(10 * k) for k in range(1, 12)]) + _brand_rows("Solo", [7.0, None])
    df = messages(rows)
    polars = measure(df, engine=PolarsEngine()).table.sort("brand")
    duck = measure(df, engine=DuckDBEngine()).table.sort("brand")
    fast = dict(polars.select("brand", "frt_fast90_mean_s").rows())
    assert fast == {"Lume": pytest.approx(55.0), "Nova": pytest.approx(50.0), "Solo": pytest.approx(7.0)}
    for col in polars.columns:
        a, b = polars[col].to_list(), duck[col].to_list()
        if polars[col].dtype == pl.Float64:
            assert a == pytest.approx(b, nan_ok=True), col
        else:
            assert a == b, col


def test_rank_intervals_and_ties():
    # A [90, 110] and B [95, 120] overlap: both may be 1st or 2nd. C [250, 350] is surely 3rd.
    table = pl.DataFrame({
        "brand": ["A", "B", "C"], "platform": ["twitter"] * 3, "rank": [1, 2, 3],
        "frt_median_s": [100.0, 105.0, 300.0],
        "frt_median_ci_low_s": [90.0, 95.0, 250.0], "frt_median_ci_high_s": [110.0, 120.0, 350.0],
    })
    out = with_rank_intervals(table, "frt_median_s")
    assert out.select("brand", "rank_low", "rank_high", "tie").rows() == [
        ("A", 1, 2, True), ("B", 1, 2, True), ("C", 3, 3, False)
    ]


def test_figures_all_and_thresholds_on_a_measured_table():
    rows = _brand_rows("Nova", [60.0] * 6) + _brand_rows("Lume", [600.0] * 5 + [None]) + _brand_rows("Solo", [5.0])
    m = measure(messages(rows), engine=PolarsEngine(), options=MetricOptions(open_window_s=None))
    default = rank_table(m.table, min_requests=1)
    assert "rank_low" not in default.columns  # extra columns only when asked
    ranked = rank_table(m.table, min_requests=2, min_answered=5, figures="all")
    got = ranked.select("brand", "rank", "rank_low", "rank_high", "tie").rows()
    # Solo is under --min-requests 2: unranked. Lume (5 answered) passes --min-answered 5.
    # Nova's FRTs are all 60 s (CI [60, 60]), Lume's all 600 s: surely apart, no tie.
    assert got == [("Nova", 1, 1, 1, False), ("Lume", 2, 2, 2, False), ("Solo", None, None, None, None)]
    lume = ranked.row(1, named=True)
    assert lume["response_rate"] == pytest.approx(5 / 6)
    assert lume["response_rate_ci_low"] < 5 / 6 < lume["response_rate_ci_high"]
    # Devoted: ≥ 65% answered but fewer than 50 requests per quarter → not devoted.
    assert ranked["devoted"].to_list() == [False, False, False]
    lenient = measure(messages(rows), engine=PolarsEngine(), options=MetricOptions(devoted_min_per_quarter=5, open_window_s=None)).table
    assert dict(lenient.select("brand", "devoted").rows()) == {"Lume": True, "Nova": True, "Solo": False}

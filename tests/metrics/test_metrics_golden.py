"""Hand-worked expected figures for tests/fixtures/twcs/golden.csv (see its README)."""

from __future__ import annotations

import pytest

import benchmark as bm
from benchmark.api import metric_options
from benchmark.metrics import measure
from benchmark.rank import rank_table

ACME = {
    "requests": 3,
    "answered": 2,
    "unanswered": 1,
    "response_rate": 2 / 3,
    "frt_median_s": 1950.0,
    "frt_mean_s": 1950.0,
    "frt_p90_s": 3270.0,
    "within_30m": 1 / 3,
    "within_1h": 2 / 3,
    "within_24h": 2 / 3,
}
BETA = {
    "requests": 3,
    "answered": 3,
    "unanswered": 0,
    "response_rate": 1.0,
    "frt_median_s": 1200.0,
    "frt_mean_s": 29210.0,
    "frt_p90_s": 69360.0,
    "within_30m": 2 / 3,
    "within_1h": 2 / 3,
    "within_24h": 1.0,
}


def _row(table, brand: str) -> dict[str, object]:
    rows = table.filter(table["brand"] == brand).to_dicts()
    assert len(rows) == 1, f"expected one row for {brand}"
    return rows[0]


@pytest.mark.parametrize(("brand", "expected"), [("AcmeTel", ACME), ("BetaBank", BETA)])
def test_brand_figures_match_hand_computation(golden_store, engine, brand, expected):
    table = measure(golden_store, engine=engine).table
    row = _row(table, brand)
    assert row["platform"] == "twitter"
    for key, value in expected.items():
        assert row[key] == pytest.approx(value), key


def test_only_attributed_brands_are_in_the_table(golden_store, engine):
    m = measure(golden_store, engine=engine)
    assert sorted(m.table["brand"].to_list()) == ["AcmeTel", "BetaBank"]
    assert m.diagnostics.unattributed_requests == 1
    assert m.diagnostics.missing_parents == 1
    assert m.diagnostics.in_cycles == 0
    assert m.diagnostics.messages == 19


def test_facts_name_the_first_response(golden_store):
    facts = bm.requests(golden_store)
    by_request = {r["request_id"]: r for r in facts.to_dicts()}
    assert set(by_request) == {"100", "200", "300", "600", "700", "900"}
    assert by_request["200"]["response_id"] == "202"  # the reply under the follow-up counts
    assert by_request["900"]["response_id"] == "902"  # 901 is dated before the request
    assert by_request["300"]["response_id"] is None and by_request["300"]["frt_s"] is None
    assert by_request["300"]["answered"] is False
    assert by_request["700"]["frt_s"] == 30.0
    assert str(by_request["100"]["request_at"].tzinfo) == "UTC"


def test_ranking_by_median_frt(golden_store):
    ranked = bm.rank(golden_store, min_requests=1)
    assert ranked.select("rank", "brand").rows() == [(1, "BetaBank"), (2, "AcmeTel")]


def test_ranking_by_response_rate_puts_higher_first(golden_store):
    ranked = bm.rank(golden_store, by="response_rate", min_requests=1)
    assert ranked.select("rank", "brand").rows() == [(1, "BetaBank"), (2, "AcmeTel")]


def test_brands_below_threshold_are_kept_unranked(golden_store):
    ranked = bm.rank(golden_store, min_requests=100)
    assert ranked.height == 2
    assert ranked["rank"].null_count() == 2


def test_since_until_filter_requests_by_time(golden_store):
    # Only requests at or after 11:00 on 2 Oct: AcmeTel 200, BetaBank 700 and 900.
    m = bm.measurement(golden_store, since="2017-10-02T11:00:00+00:00", until="2017-10-02")
    counts = dict(m.table.select("brand", "requests").rows())
    assert counts == {"AcmeTel": 1, "BetaBank": 2}
    # An end date is inclusive of the whole day; a window with no requests gives an empty table.
    assert bm.measurement(golden_store, since="2017-10-03").table.height == 0


def test_ties_share_a_rank():
    import polars as pl

    table = pl.DataFrame(
        {
            "platform": ["twitter"] * 4,
            "brand": ["A", "B", "C", "D"],
            **{k: [10, 10, 10, 10] for k in ("requests", "answered")},
            "unanswered": [0, 0, 0, 0],
            "response_rate": [1.0, 1.0, 1.0, 1.0],
            "frt_median_s": [60.0, 120.0, 60.0, None],
            "frt_mean_s": [60.0] * 4,
            "frt_p90_s": [60.0] * 4,
            "within_30m": [1.0] * 4,
            "within_1h": [1.0] * 4,
            "within_24h": [1.0] * 4,
        }
    )
    ranked = rank_table(table, by="frt_median_s", min_requests=1)
    assert ranked.select("brand", "rank").rows() == [("A", 1), ("C", 1), ("B", 3), ("D", None)]


def test_open_window_keeps_young_unanswered_requests_out_of_the_rate(golden_store, engine):
    # End of data: 10 Oct 09:00. Request 300 (2 Oct 09:00) is 8 days old: unanswered with the default 72 h,
    # open with a 30-day window, so AcmeTel's rate becomes 2 answered / 2 that count.
    default = _row(measure(golden_store, engine=engine).table, "AcmeTel")
    assert (default["requests"], default["answered"], default["response_rate"]) == (3, 2, pytest.approx(2 / 3))
    wide = measure(golden_store, engine=engine, options=metric_options(open_window="30d"))
    acme = _row(wide.table, "AcmeTel")
    assert acme["answered"] == 2 and acme["response_rate"] == 1.0
    assert wide.diagnostics.open_requests == 1
    off = _row(measure(golden_store, options=metric_options(open_window=0)).table, "AcmeTel")
    assert off["response_rate"] == pytest.approx(2 / 3)

"""Property tests for the metric maths against numpy, on random request/response data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.metrics import measure
from benchmark.metrics.options import MetricOptions
from benchmark.schema import conform

T0 = datetime(2024, 1, 1, tzinfo=UTC)

# One brand's requests: each is None (unanswered) or a response delay in seconds.
delays = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10 * 86_400)), min_size=1, max_size=40)


def messages_for(brands: dict[str, list[int | None]]) -> pl.DataFrame:
    rows = []
    for b, ds in brands.items():
        for i, d in enumerate(ds):
            rid = f"{b}-r{i}"
            at = T0 + timedelta(minutes=7 * i)
            rows.append(dict(platform="twitter", brand=b, message_id=rid, parent_id=None, thread_id=None, author_id=f"u{i}", is_brand=False, kind="tweet", created_at=at, text="?"))
            if d is not None:
                rows.append(dict(platform="twitter", brand=b, message_id=f"{b}-a{i}", parent_id=rid, thread_id=None, author_id=b, is_brand=True, kind="reply", created_at=at + timedelta(seconds=d), text="!"))
    return conform(pl.DataFrame(rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["Alfa", "Beta", "Gamma"]), delays, min_size=1))
def test_figures_agree_with_numpy(brands):
    table = measure(messages_for(brands), options=MetricOptions(open_window_s=None)).table  # every unanswered one counts
    assert sorted(table["brand"].to_list()) == sorted(brands)
    for row in table.to_dicts():
        ds = brands[row["brand"]]
        answered = np.array([d for d in ds if d is not None], dtype=float)
        assert row["requests"] == len(ds)
        assert row["answered"] == len(answered) <= row["requests"]
        assert row["unanswered"] == row["requests"] - row["answered"]
        assert row["response_rate"] == len(answered) / len(ds)
        if len(answered) == 0:
            assert row["frt_median_s"] is None and row["frt_mean_s"] is None and row["frt_p90_s"] is None
        else:
            assert np.isclose(row["frt_median_s"], np.median(answered))
            assert np.isclose(row["frt_mean_s"], answered.mean())
            assert np.isclose(row["frt_p90_s"], np.percentile(answered, 90))  # linear interpolation
            assert answered.min() <= row["frt_median_s"] <= row["frt_p90_s"] <= answered.max()
        for key, limit in (("within_30m", 1800), ("within_1h", 3600), ("within_24h", 86400)):
            assert np.isclose(row[key], (answered <= limit).sum() / len(ds))
        assert row["within_30m"] <= row["within_1h"] <= row["within_24h"] <= row["response_rate"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=30))
def test_first_response_is_the_earliest_brand_message_in_thread(reply_minutes):
    """Brand replies at several depths: FRT is the earliest one, wherever it sits in the thread."""
    rows = [dict(platform="twitter", brand="Alfa", message_id="r", parent_id=None, thread_id=None, author_id="u", is_brand=False, kind="tweet", created_at=T0, text="?")]
    parent = "r"
    for i, minutes in enumerate(reply_minutes):
        mid = f"m{i}"
        rows.append(dict(platform="twitter", brand="Alfa", message_id=mid, parent_id=parent, thread_id=None, author_id="Alfa" if i % 2 else "u", is_brand=bool(i % 2), kind="reply", created_at=T0 + timedelta(minutes=minutes), text="."))
        parent = mid
    facts = measure(conform(pl.DataFrame(rows))).facts
    brand_minutes = [m for i, m in enumerate(reply_minutes) if i % 2]
    expected = min(brand_minutes) * 60.0 if brand_minutes else None
    assert facts.height == 1
    assert facts["frt_s"][0] == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["twitter", "facebook"]),
            st.one_of(st.none(), st.sampled_from(["Acme", "Bolt", "acme", "Zeta Care"])),
            st.one_of(st.none(), st.integers(0, 5)),  # few distinct times: many ties to order by id
            st.one_of(st.none(), st.sampled_from(["1", "10", "2", "a", "B", "20"])),
        ),
        max_size=40,
    )
)
def test_request_order_is_arg_sort_by_the_four_keys(rows: list[tuple[str, str | None, int | None, str | None]]) -> None:
    """The facts' order (platform, brand, request time, id) computed the cheap way equals the plain sort."""
    from benchmark.metrics import request_order

    facts = pl.DataFrame(
        [(p, b, None if t is None else datetime(2017, 10, 1, t, tzinfo=UTC), i) for p, b, t, i in rows],
        schema={"platform": pl.String, "brand": pl.String, "request_at": pl.Datetime("us", "UTC"), "request_id": pl.String},
        orient="row",
    )
    keys = ["platform", "brand", "request_at", "request_id"]
    expected = facts[facts.select(pl.arg_sort_by(*keys)).to_series()]
    assert facts[request_order(facts)].equals(expected)

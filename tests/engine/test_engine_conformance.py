"""The same data through every engine gives identical facts and brand tables.

Uses a few thousand generated messages (ties, unanswered requests, deep replies,
brands replying before requests, clock skew) rather than a hand-made fixture,
so that grouping, interpolation and join differences between engines show.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from benchmark.engine import PolarsEngine
from benchmark.metrics import measure
from benchmark.schema import conform


@pytest.fixture(scope="module")
def synthetic_messages() -> pl.DataFrame:
    rng = np.random.default_rng(7)
    t0 = datetime(2024, 3, 1, tzinfo=UTC)
    rows = []
    for b in ("Alfa", "Beta", "Gamma", "Delta"):
        for i in range(300):
            rid = f"{b}{i}"
            at = t0 + timedelta(seconds=int(rng.integers(0, 90 * 86400)))
            rows.append(("twitter", b, rid, None, "u%d" % i, False, at))
            kind = rng.integers(0, 5)
            if i % 10 == 0:  # an automated acknowledgement: one template to 30 customers within 3 s (no extra draws)
                rows.append(("twitter", b, rid + "q", rid, b, True, at + timedelta(seconds=3), f"@u{i} Thanks, we got it https://t.co/{i}"))
            if kind == 0:
                continue  # unanswered
            parent = rid
            if kind == 1:  # customer follow-up, brand answers under it
                rows.append(("twitter", b, rid + "f", rid, "u%d" % i, False, at + timedelta(minutes=3)))
                parent = rid + "f"
            if kind == 2:  # a skewed reply dated before the request, then a real one
                rows.append(("twitter", b, rid + "s", rid, b, True, at - timedelta(seconds=30)))
            delay = int(rng.choice([60, 60, 600, 3600, 86400, int(rng.integers(1, 400000))]))  # ties on purpose
            sig = ("^AB", "-Marco", "")[i % 3]  # two agents sign, some replies are unsigned (issue 16: agents)
            rows.append(("twitter", b, rid + "a", parent, b, True, at + timedelta(seconds=delay), f"@u{i} We're on it. {sig}"))
            if kind == 3:
                rows.append(("twitter", b, rid + "b", rid + "a", b, True, at + timedelta(seconds=delay)))  # same instant
            if kind == 4:  # the customer writes again after the answer (next-reply waits; no extra random draws)
                rows.append(("twitter", b, rid + "c", rid + "a", "u%d" % i, False, at + timedelta(seconds=delay + 120)))
                if i % 3:  # two customer messages: one wait
                    rows.append(("twitter", b, rid + "d", rid + "c", "u%d" % i, False, at + timedelta(seconds=delay + 180)))
                if i % 4:  # the brand answers again (else the wait stays unanswered)
                    rows.append(("twitter", b, rid + "e", rid + "c", b, True, at + timedelta(seconds=delay + 120 + 60 * (i % 7))))
    rows = [(*r, None) if len(r) == 7 else r for r in rows]
    df = pl.DataFrame(rows, schema=["platform", "brand", "message_id", "parent_id", "author_id", "is_brand", "created_at", "text"], orient="row")
    return conform(df.with_columns(pl.lit("tweet").alias("kind")))


def test_engines_agree(engine, synthetic_messages):
    reference = measure(synthetic_messages, engine=PolarsEngine())
    other = measure(synthetic_messages, engine=engine)
    assert reference.table.height == 4
    assert reference.table["waits"].sum() > reference.table["waits_unanswered"].sum() > 0  # next-reply time (issue 16)
    assert_frame_equal(other.table, reference.table, check_exact=False, rel_tol=1e-12)
    assert_frame_equal(other.facts, reference.facts)
    assert other.diagnostics == reference.diagnostics


BRANDS_TOML = """
[[brand]]
name = "Alfa"
sector = "telco"
accounts = ["twitter:Alfa"]
holidays = ["2024-04-01"]
[brand.hours]
mon = "08:00-20:00"
tue = "08:00-20:00"
wed = "08:00-20:00"
thu = "08:00-20:00"
fri = "08:00-20:00"
sat = "09:00-13:00"

[[brand]]
name = "Beta"
sector = "banking"
timezone = "America/New_York"
accounts = ["twitter:Beta"]
[brand.hours]
mon = "09:00-17:30"
wed = "09:00-17:30"
fri = "09:00-17:30"
"""


@pytest.mark.parametrize(
    "variant",
    ["brands-and-hours", "all-inbound", "comments", "monthly", "direct", "direct-comments", "direct-all-inbound", "skip-automated", "skip-automated-all-inbound"],
)
def test_engines_agree_on_every_option(engine, synthetic_messages, variant, tmp_path):
    from benchmark.api import metric_options

    brands = tmp_path / "brands.toml"
    brands.write_text(BRANDS_TOML)
    options = {
        "brands-and-hours": metric_options(brands=brands, open_window="72h"),
        "all-inbound": metric_options(requests="all-inbound", min_reply_seconds=30),
        "comments": metric_options(requests="comments"),
        "monthly": metric_options(brands=brands, period="month"),
        "direct": metric_options(brands=brands, first_response="direct", min_reply_seconds=30),
        "direct-comments": metric_options(requests="comments", first_response="direct"),
        "direct-all-inbound": metric_options(requests="all-inbound", first_response="direct", period="week"),
        "skip-automated": metric_options(brands=brands, skip_automated=True, period="month"),
        "skip-automated-all-inbound": metric_options(requests="all-inbound", skip_automated=True, first_response="direct"),
    }[variant]
    reference = measure(synthetic_messages, engine=PolarsEngine(), options=options)
    other = measure(synthetic_messages, engine=engine, options=options)
    assert reference.facts.height > 0
    assert reference.table["replies"].sum() > 0  # reply time (issue 16) is in the extended figures
    assert reference.table["agents"].max() == 2  # ^AB and -Marco
    assert reference.table["waits"].sum() > reference.table["waits_unanswered"].sum() > 0  # next-reply time (issue 16)
    assert_frame_equal(other.table, reference.table, check_exact=False, rel_tol=1e-9)
    assert_frame_equal(other.facts, reference.facts, check_exact=False, rel_tol=1e-9)
    assert other.diagnostics == reference.diagnostics
    if options.skip_automated:
        assert reference.diagnostics.automated_replies == 4 * 30  # the acknowledgements
        assert reference.diagnostics.automated_first_responses > 0

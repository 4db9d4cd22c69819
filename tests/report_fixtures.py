"""Synthetic data for the chart and report tests (fictional brands, made-up customers).

Written in the TWCS layout so the tests go through the real loader and store.
One brand is named ``<script>alert(1)</script>`` to prove every output escapes it.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import benchmark as bm

XSS = "<script>alert(1)</script>"
START = datetime(2017, 9, 4, 8, 0, tzinfo=UTC)  # a Monday
TWCS_TIME = "%a %b %d %H:%M:%S +0000 %Y"

# brand: (requests, answered, FRT in seconds of the answered ones); synthetic.
BRANDS: dict[str, tuple[int, int, int]] = {
    "AcmeTel": (12, 12, 600),  # ranked with min_requests=5
    "BetaBank": (10, 8, 7200),  # ranked
    XSS: (3, 3, 300),  # under the threshold: greyed
    "GammaAir": (2, 1, 90_000),  # under the threshold; one request unanswered (attributed by @mention)
}


def write_twcs(path: Path) -> Path:
    """Requests spread over ~2 months and several hours of the week."""
    rows = []
    next_id = 1000
    for b, (brand, (n, answered, frt)) in enumerate(BRANDS.items()):
        for i in range(n):
            at = START + timedelta(days=5 * i + b, hours=3 * i + b)
            req_id, next_id = next_id, next_id + 1
            rows.append([req_id, f"cust{b}{i}", "True", at.strftime(TWCS_TIME), f"@{brand} help with order {i}", "", ""])
            if i < answered:
                rows.append([next_id, brand, "False", (at + timedelta(seconds=frt)).strftime(TWCS_TIME), f"@cust{b}{i} on it", "", req_id])
                next_id += 1
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"])
        w.writerows(rows)
    return path


def synthetic_store(tmp: Path) -> bm.Store:
    store = bm.create_store(tmp / "store")
    bm.ingest([write_twcs(tmp / "synthetic_twcs.csv")], store=store)
    return store


GOLDEN_TWCS = Path(__file__).parent / "fixtures" / "twcs" / "golden.csv"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> bm.Store:
    """The synthetic report store, once per test module (import this fixture into the module)."""
    return synthetic_store(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> bm.Store:
    """A store of the hand-worked golden TWCS fixture, once per test module."""
    st = bm.create_store(tmp_path_factory.mktemp("golden") / "store")
    bm.ingest([GOLDEN_TWCS], store=st)
    return st

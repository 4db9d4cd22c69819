"""Hand-worked golden tests for the first-response rule (``--first-response``) and reply time (issue 16).

One small store, every engine. Times are seconds after T0; ``c`` marks customer messages, ``B``
brand ones (brand Acme unless said otherwise), ``->`` the parent::

    R1  c  t=0        request
    F1  c  t=60   ->R1  customer follow-up
    A1  B  t=120  ->F1  brand answers the follow-up       (thread: R1's first response, FRT 120)
    A2  B  t=300  ->R1  brand answers the request itself  (direct: R1's first response, FRT 300)
    A4  B  t=400  ->A2  brand replies to itself           (no reply pair: its parent is a brand message)

    R2  c  t=1000       request
    F2  c  t=1050 ->R2
    A3  B  t=1100 ->F2                                    (thread: FRT 100; direct: unanswered)

    R3  c  t=2000       request
    S3  B  t=1990 ->R3  dated before its parent (clock skew: never a response, no reply pair)
    A5  B  t=2000 ->R3  same instant as the request       (both rules: FRT 0)

    R4  c  t=3000       request (brand Zeta)
    Z1  B  t=3600 ->R4  Zeta, direct                      (both rules: FRT 600)

Reply pairs (a brand message whose parent is a customer message of the same platform, timed
from that customer message): Acme A1 60, A2 300, A3 50, A5 0 (S3 is skewed: excluded);
Zeta Z1 600.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from benchmark.api import metric_options
from benchmark.metrics import MetricOptions, measure
from benchmark.schema import conform

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)

ROWS = [
    # id, parent, brand, author, is_brand, t
    ("R1", None, "Acme", "u1", False, 0),
    ("F1", "R1", "Acme", "u1", False, 60),
    ("A1", "F1", "Acme", "Acme", True, 120),
    ("A2", "R1", "Acme", "Acme", True, 300),
    ("A4", "A2", "Acme", "Acme", True, 400),
    ("R2", None, "Acme", "u2", False, 1000),
    ("F2", "R2", "Acme", "u2", False, 1050),
    ("A3", "F2", "Acme", "Acme", True, 1100),
    ("R3", None, "Acme", "u3", False, 2000),
    ("S3", "R3", "Acme", "Acme", True, 1990),
    ("A5", "R3", "Acme", "Acme", True, 2000),
    ("R4", None, "Zeta", "u4", False, 3000),
    ("Z1", "R4", "Zeta", "Zeta", True, 3600),
]


@pytest.fixture(scope="module")
def thread_messages() -> pl.DataFrame:
    rows = [("twitter", b, i, p, a, ib, T0 + timedelta(seconds=t)) for i, p, b, a, ib, t in ROWS]
    df = pl.DataFrame(
        rows, schema=["platform", "brand", "message_id", "parent_id", "author_id", "is_brand", "created_at"], orient="row"
    )
    return conform(df.with_columns(pl.lit("tweet").alias("kind")))


def _responses(m) -> dict[str, tuple[str | None, float | None]]:
    return {r["request_id"]: (r["response_id"], r["frt_s"]) for r in m.facts.iter_rows(named=True)}


def test_first_response_thread_is_the_earliest_anywhere_in_the_thread(thread_messages, engine):
    m = measure(thread_messages, engine=engine, options=MetricOptions(open_window_s=None))
    assert _responses(m) == {"R1": ("A1", 120.0), "R2": ("A3", 100.0), "R3": ("A5", 0.0), "R4": ("Z1", 600.0)}
    assert m.diagnostics.first_response == "thread"


def test_first_response_direct_counts_only_replies_to_the_request(thread_messages, engine):
    m = measure(thread_messages, engine=engine, options=MetricOptions(open_window_s=None, first_response="direct"))
    assert _responses(m) == {"R1": ("A2", 300.0), "R2": (None, None), "R3": ("A5", 0.0), "R4": ("Z1", 600.0)}
    assert m.diagnostics.first_response == "direct"
    acme = m.table.filter(pl.col("brand") == "Acme").to_dicts()[0]
    assert (acme["requests"], acme["answered"], acme["unanswered"]) == (3, 2, 1)  # the same requests, attributed alike
    assert acme["frt_median_s"] == pytest.approx(150.0)
    assert acme["frt_mean_s"] == pytest.approx(150.0)


def test_direct_with_min_reply_seconds_skips_the_instant_reply(thread_messages, engine):
    options = metric_options(open_window=None, min_reply_seconds=1, first_response="direct")
    assert _responses(measure(thread_messages, engine=engine, options=options))["R3"] == (None, None)


def test_first_response_rule_is_validated():
    from benchmark.errors import UsageError

    with pytest.raises(UsageError, match="^first_response 'nearest'"):  # the parameter's name; the CLI says --first-response
        MetricOptions(first_response="nearest")  # type: ignore[arg-type]


def test_first_response_rule_is_part_of_the_cache_key(tmp_path):
    from benchmark.metrics.cache import FactsCache

    files = [tmp_path / "ingest-1" / "part.parquet"]
    thread = FactsCache(tmp_path, files, "polars", MetricOptions())
    direct = FactsCache(tmp_path, files, "polars", MetricOptions(first_response="direct"))
    assert thread.folder != direct.folder


def _reply_row(m, brand: str) -> dict[str, object]:
    rows = m.table.filter(pl.col("brand") == brand).select("replies", "reply_median_s", "reply_mean_s", "reply_p90_s").to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_reply_time_hand_worked(thread_messages, engine):
    m = measure(thread_messages, engine=engine, options=MetricOptions(open_window_s=None))
    acme = _reply_row(m, "Acme")  # pairs 0, 50, 60, 300 s
    assert acme["replies"] == 4
    assert acme["reply_median_s"] == pytest.approx(55.0)
    assert acme["reply_mean_s"] == pytest.approx(102.5)
    assert acme["reply_p90_s"] == pytest.approx(228.0)  # (n−1)·0.9 = 2.7: 60 + 0.7 · (300 − 60)
    assert _reply_row(m, "Zeta") == {"replies": 1, "reply_median_s": 600.0, "reply_mean_s": 600.0, "reply_p90_s": 600.0}
    assert m.diagnostics.replies_before_parent == 1  # S3: left out of the pairs, counted here


def test_reply_time_ignores_the_first_response_rule_and_honours_min_reply_seconds(thread_messages, engine):
    direct = measure(thread_messages, engine=engine, options=MetricOptions(open_window_s=None, first_response="direct"))
    assert _reply_row(direct, "Acme")["replies"] == 4
    slow = measure(thread_messages, engine=engine, options=metric_options(open_window=None, min_reply_seconds=55))
    acme = _reply_row(slow, "Acme")  # 0 and 50 s are automated: 60, 300 remain
    assert acme["replies"] == 2
    assert acme["reply_median_s"] == pytest.approx(180.0)


def test_reply_time_follows_the_filters_by_the_customer_message_time(thread_messages, engine):
    from benchmark.api import filters

    since = (T0 + timedelta(seconds=1000)).isoformat()
    m = measure(thread_messages, filters(since=since), engine=engine, options=MetricOptions(open_window_s=None))
    acme = _reply_row(m, "Acme")  # F2→A3 (50 s) and R3→A5 (0 s); R1 and F1 are before --since
    assert (acme["replies"], acme["reply_mean_s"]) == (2, pytest.approx(25.0))


def test_reply_time_is_computed_only_for_the_extended_figures(thread_messages):
    m = measure(thread_messages, options=MetricOptions(extended=False))
    assert "replies" not in m.table.columns


def test_reply_time_per_period(thread_messages, engine):
    m = measure(thread_messages, engine=engine, options=MetricOptions(open_window_s=None, period="month"))
    acme = m.table.filter(pl.col("brand") == "Acme").select("period", "replies", "reply_median_s").to_dicts()
    assert acme == [{"period": "2024-05", "replies": 4, "reply_median_s": 55.0}]


@pytest.mark.parametrize("engine_name", ["polars", "duckdb"])
def test_reply_time_through_the_cache(tmp_path, engine_name):
    """Fresh, from a cached default ranking, from the extended entry, from an entry without pairs: one table."""
    import shutil
    from pathlib import Path

    import benchmark as bm

    golden = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
    bm.ingest([golden], store=tmp_path / "s")
    st = bm.open_store(tmp_path / "s")
    fresh = measure(st, engine=engine_name).table
    assert fresh["replies"].sum() > 0
    shutil.rmtree(tmp_path / "s" / "derived")
    measure(st, engine=engine_name, options=MetricOptions(extended=False))  # the default entry
    tables = [measure(st, engine=engine_name).table]  # extended from the default entry (deflection and pairs added)
    tables.append(measure(st, engine=engine_name).table)  # the extended entry
    for pairs in (tmp_path / "s" / "derived").rglob("replies.parquet"):
        pairs.unlink()  # an entry written before pairs were kept
    tables.append(measure(st, engine=engine_name).table)
    tables.append(measure(st, engine=engine_name).table)  # pairs added to that entry
    for t in tables:
        assert t.equals(fresh)
    assert list((tmp_path / "s" / "derived").rglob("replies.parquet"))


# tests/fixtures/twcs/golden.csv, by hand. AcmeTel: 101←100 300 s, 202←201 3000 s (a reply to the follow-up),
# 501←500 60 s (500's parent is missing: not a request, but a customer message); 401→400 is a customer reply to
# the brand. BetaBank: 601←600 86400 s, 701←700 30 s, 902←900 1200 s; 901←900 is dated before 900: left out.
GOLDEN_REPLIES = {
    "AcmeTel": {"replies": 3, "reply_median_s": 300.0, "reply_mean_s": 1120.0, "reply_p90_s": 2460.0},
    "BetaBank": {"replies": 3, "reply_median_s": 1200.0, "reply_mean_s": 29210.0, "reply_p90_s": 69360.0},
}


@pytest.mark.parametrize("brand", sorted(GOLDEN_REPLIES))
def test_reply_time_on_the_golden_twcs_store(golden_store, engine, brand):
    row = _reply_row(measure(golden_store, engine=engine), brand)
    assert row == pytest.approx(GOLDEN_REPLIES[brand])


def test_first_response_direct_on_the_golden_twcs_store(golden_store, engine):
    m = measure(golden_store, engine=engine, options=MetricOptions(first_response="direct"))
    acme = m.table.filter(pl.col("brand") == "AcmeTel").to_dicts()[0]
    # 100 → 101 (300 s) is direct; 200 is answered only under its follow-up 201; 300 is never answered
    assert (acme["requests"], acme["answered"], acme["frt_median_s"]) == (3, 1, 300.0)
    beta = m.table.filter(pl.col("brand") == "BetaBank").to_dicts()[0]
    assert (beta["answered"], beta["frt_median_s"], beta["frt_mean_s"]) == (3, 1200.0, 29210.0)  # all direct already


def test_cli_first_response_option(tmp_path):
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from benchmark.cli import app

    runner = CliRunner()
    golden = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(golden), "--store", str(store)]).exit_code == 0
    ranked = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--format", "json", "--first-response", "direct"])
    assert ranked.exit_code == 0, ranked.stderr
    assert "first response: direct (only a brand reply directly to the request counts)" in ranked.stderr.splitlines()
    acme = next(r for r in json.loads(ranked.stdout) if r["brand"] == "AcmeTel")
    assert (acme["answered"], acme["frt_median_s"]) == (1, 300.0)
    default = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--format", "json"])
    assert "first response:" not in default.stderr
    assert next(r for r in json.loads(default.stdout) if r["brand"] == "AcmeTel")["answered"] == 2
    every = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--format", "json", "--figures", "all"])
    assert next(r for r in json.loads(every.stdout) if r["brand"] == "AcmeTel")["reply_median_s"] == 300.0
    rows = runner.invoke(app, ["requests", "--store", str(store), "--format", "json", "--first-response", "direct"])
    assert rows.exit_code == 0, rows.stderr
    by_id = {r["request_id"]: r["response_id"] for r in json.loads(rows.stdout)}
    assert by_id["100"] == "101" and by_id["200"] is None
    bad = runner.invoke(app, ["rank", "--store", str(store), "--first-response", "nearest"])
    assert bad.exit_code == 2


def test_rank_by_reply_median_puts_the_quicker_replier_first(golden_store):
    """AcmeTel's replies take a median 300 s, BetaBank's 1,200 s (GOLDEN_REPLIES): lower is better."""
    import benchmark as bm

    table = bm.rank(golden_store, by="reply_median_s", min_requests=1)
    assert table.select("rank", "brand").rows()[:2] == [(1, "AcmeTel"), (2, "BetaBank")]

"""Next-reply time (issue 16 item 2): a hand-worked golden store on every engine, and a property test
against a plain-Python reading of docs/metrics.md ("Next-reply time").

Times are seconds after T0; ``c`` marks customer messages, ``B`` brand ones, ``->`` the parent::

    T1  R1  c u1  t=0              request
        F1  c u1  t=30   ->R1      before the brand's first response: no wait
        A1  B Acme t=100 ->F1      Acme's first response in T1
        C1  c u1  t=200  ->A1      wait 1 starts
        C2  c u1  t=260  ->C1      still wait 1 (the brand has not spoken again)
        A2  B Acme t=500 ->C2      ends wait 1: 300 s
        C3  c u9  t=600  ->A2      another customer: wait 2
        A3  B Acme t=660 ->C3      ends wait 2: 60 s
        C4  c u1  t=700  ->A3      wait 3: never ended (unanswered)
    T2  R2  c u2  t=1000           request
        A4  B Acme t=1000 ->R2     first response, the request's instant
        C5  c u2  t=1000 ->R2      the same instant as the first response: not after it, no wait
        C6  c u2  t=1100 ->A4      wait 4
        A5  B Acme t=1220 ->A4     the brand's next message in the thread (a reply to itself): 120 s
    T3  R3  c u3  t=2000           request
        S3  B Acme t=1990 ->R3     dated before the thread's first customer message: not a first response
        C7  c u3  t=2010 ->R3      before the first response (A6): no wait
        A6  B Acme t=2050 ->R3     first response
    T4  R4  c u4  t=3000           request (Zeta)
        Z1  B Zeta t=3600 ->R4     Zeta's first response
        K1  B Acme t=3650 ->R4     Acme's first response in the same thread
        C8  c u4  t=3700 ->Z1      wait for Zeta (5) and for Acme (6)
        C9  c u4  t=3750 ->C8      joins both
        Z2  B Zeta t=4000 ->C9     ends Zeta's wait: 300 s; Acme's stays unanswered
    T5  P5  B Acme t=5000          the brand's own post (starts the thread: never a response)
        C10 c u5  t=5100 ->P5      the thread's first customer message
        A7  B Acme t=5200 ->C10    first response
        C11 c u5  t=5300 ->A7      wait 7
        A8  B Acme t=5900 ->C11    600 s

Acme: 6 waits (from 200, 600, 700, 1100, 3700, 5300), 2 unanswered; answered 60, 120, 300, 600 s:
median 210, mean 270, p90 = 300 + 0.7 · (600 − 300) = 510 ((n − 1) · 0.9 = 2.7). Zeta: 1 wait, 300 s.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.engine import PolarsEngine
from benchmark.metrics import MetricOptions, measure
from benchmark.metrics.facts import with_threads
from benchmark.metrics.next_reply import NRT_COLUMNS, next_reply_waits, nrt_table
from benchmark.schema import conform

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)

ROWS = [
    # id, parent, brand, author, is_brand, t
    ("R1", None, "Acme", "u1", False, 0),
    ("F1", "R1", "Acme", "u1", False, 30),
    ("A1", "F1", "Acme", "Acme", True, 100),
    ("C1", "A1", "Acme", "u1", False, 200),
    ("C2", "C1", "Acme", "u1", False, 260),
    ("A2", "C2", "Acme", "Acme", True, 500),
    ("C3", "A2", "Acme", "u9", False, 600),
    ("A3", "C3", "Acme", "Acme", True, 660),
    ("C4", "A3", "Acme", "u1", False, 700),
    ("R2", None, "Acme", "u2", False, 1000),
    ("A4", "R2", "Acme", "Acme", True, 1000),
    ("C5", "R2", "Acme", "u2", False, 1000),
    ("C6", "A4", "Acme", "u2", False, 1100),
    ("A5", "A4", "Acme", "Acme", True, 1220),
    ("R3", None, "Acme", "u3", False, 2000),
    ("S3", "R3", "Acme", "Acme", True, 1990),
    ("C7", "R3", "Acme", "u3", False, 2010),
    ("A6", "R3", "Acme", "Acme", True, 2050),
    ("R4", None, "Zeta", "u4", False, 3000),
    ("Z1", "R4", "Zeta", "Zeta", True, 3600),
    ("K1", "R4", "Acme", "Acme", True, 3650),
    ("C8", "Z1", "Zeta", "u4", False, 3700),
    ("C9", "C8", "Zeta", "u4", False, 3750),
    ("Z2", "C9", "Zeta", "Zeta", True, 4000),
    ("P5", None, "Acme", "Acme", True, 5000),
    ("C10", "P5", "Acme", "u5", False, 5100),
    ("A7", "C10", "Acme", "Acme", True, 5200),
    ("C11", "A7", "Acme", "u5", False, 5300),
    ("A8", "C11", "Acme", "Acme", True, 5900),
]

GOLDEN = {
    "Acme": {"waits": 6, "nrt_median_s": 210.0, "nrt_mean_s": 270.0, "nrt_p90_s": 510.0, "waits_unanswered": 2},
    "Zeta": {"waits": 1, "nrt_median_s": 300.0, "nrt_mean_s": 300.0, "nrt_p90_s": 300.0, "waits_unanswered": 0},
}


def frame(rows, platform: str = "twitter") -> pl.DataFrame:
    data = [(platform, b, i, p, a, ib, T0 + timedelta(seconds=t)) for i, p, b, a, ib, t in rows]
    df = pl.DataFrame(data, schema=["platform", "brand", "message_id", "parent_id", "author_id", "is_brand", "created_at"], orient="row")
    return conform(df.with_columns(pl.lit("tweet").alias("kind")))


@pytest.fixture(scope="module")
def nrt_messages() -> pl.DataFrame:
    return frame(ROWS)


def _nrt(m, brand: str) -> dict[str, object]:
    rows = m.table.filter(pl.col("brand") == brand).select(*NRT_COLUMNS).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_next_reply_time_hand_worked(nrt_messages, engine):
    m = measure(nrt_messages, engine=engine, options=MetricOptions(open_window_s=None))
    for brand, expected in GOLDEN.items():
        assert _nrt(m, brand) == pytest.approx(expected)


def test_next_reply_time_is_dated_by_the_start_of_the_wait(nrt_messages, engine):
    from benchmark.api import filters

    since = (T0 + timedelta(seconds=1000)).isoformat()
    until = (T0 + timedelta(seconds=5300)).isoformat()  # exclusive: the wait from 5300 is left out
    m = measure(nrt_messages, filters(since=since, until=until), engine=engine, options=MetricOptions(open_window_s=None))
    # Acme's waits from 1100 (120 s) and 3700 (unanswered)
    assert _nrt(m, "Acme") == {"waits": 2, "nrt_median_s": 120.0, "nrt_mean_s": 120.0, "nrt_p90_s": 120.0, "waits_unanswered": 1}


def test_next_reply_time_per_period(nrt_messages, engine):
    m = measure(nrt_messages, engine=engine, options=MetricOptions(open_window_s=None, period="month"))
    acme = m.table.filter(pl.col("brand") == "Acme").select("period", "waits", "nrt_median_s").to_dicts()
    assert acme == [{"period": "2024-05", "waits": 6, "nrt_median_s": 210.0}]


def test_a_brand_without_waits_has_zero_waits_and_null_times(engine):
    m = measure(frame(ROWS[14:18]), engine=engine, options=MetricOptions(open_window_s=None))  # thread T3 only
    assert _nrt(m, "Acme") == {"waits": 0, "nrt_median_s": None, "nrt_mean_s": None, "nrt_p90_s": None, "waits_unanswered": 0}


def test_next_reply_time_is_computed_only_for_the_extended_figures(nrt_messages):
    assert "waits" not in measure(nrt_messages, options=MetricOptions(extended=False)).table.columns


def test_next_reply_time_through_the_cache(tmp_path):
    """Fresh, from the extended entry, and from an entry written before waits were kept: one table."""
    import shutil

    import benchmark as bm

    src = canonical_csv(tmp_path, frame(ROWS))
    bm.ingest([src], store=tmp_path / "s", format="csv", mapping=bm.ColumnMapping(**{c: c for c in MAPPED}))
    st_ = bm.open_store(tmp_path / "s")
    fresh = measure(st_).table
    assert fresh.filter(pl.col("brand") == "Acme")["waits"].item() == 6
    assert measure(st_).table.equals(fresh)  # from the extended entry
    from benchmark.metrics.cache import _read_reply_rows

    for kept in (tmp_path / "s" / "derived").rglob("replies.parquet"):  # as written before waits were kept
        pairs, waits = _read_reply_rows(kept)
        assert pairs is not None and waits is not None
        pairs.write_parquet(kept)
        assert _read_reply_rows(kept)[1] is None
    assert measure(st_).table.equals(fresh)
    assert [_read_reply_rows(kept)[1] is not None for kept in (tmp_path / "s" / "derived").rglob("replies.parquet")] == [True]  # added back
    shutil.rmtree(tmp_path / "s" / "derived")
    measure(st_, options=MetricOptions(extended=False))
    assert measure(st_).table.equals(fresh)  # extended from the default entry


MAPPED = ("message_id", "created_at", "author_id", "parent_id", "brand", "is_brand", "platform", "text")


def canonical_csv(folder: Path, messages: pl.DataFrame) -> Path:
    """``messages`` as a CSV with the canonical column names (the generic CSV loader reads it as is)."""
    src = folder / "nrt.csv"
    messages.select(
        "platform", "brand", "message_id", "parent_id", "author_id", "is_brand",
        pl.col("created_at").dt.strftime("%Y-%m-%dT%H:%M:%SZ"), pl.lit("hello").alias("text"),
    ).write_csv(src)
    return src


def test_rank_by_nrt_median_through_the_cli(tmp_path, nrt_messages):
    from typer.testing import CliRunner

    from benchmark.cli import app

    src = canonical_csv(tmp_path, nrt_messages)
    runner = CliRunner()
    mapping = [arg for c in MAPPED for arg in ("--map", f"{c}={c}")]
    ingested = runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "s"), "--format", "csv", *mapping])
    assert ingested.exit_code == 0, ingested.stderr
    ranked = runner.invoke(app, ["rank", "--store", str(tmp_path / "s"), "--min-requests", "1", "--by", "nrt_median_s", "--figures", "all", "--format", "json"])
    assert ranked.exit_code == 0, ranked.stderr
    rows = json.loads(ranked.stdout)
    assert [(r["rank"], r["brand"], r["nrt_median_s"]) for r in rows] == [(1, "Acme", 210.0), (2, "Zeta", 300.0)]
    assert {k: rows[0][k] for k in NRT_COLUMNS} == pytest.approx(GOLDEN["Acme"])
    table = runner.invoke(app, ["rank", "--store", str(tmp_path / "s"), "--min-requests", "1", "--by", "nrt_median_s", "--figures", "all"])
    assert table.exit_code == 0, table.stderr
    rows = _table_rows(table.stdout, "Ranking by")
    # The curated table shows the median reply time. Acme's reply pairs: A1←F1 70 s, A2←C2 240 s, A3←C3 60 s,
    # A4←R2 0 s, A6←R3 50 s, K1←R4 650 s, A7←C10 100 s, A8←C11 600 s (S3 is dated before R3): median (60 + 70) / 2
    # = 65 s, shown as 1m. Zeta: Z1←R4 600 s, Z2←C9 250 s: median 425 s (7m).
    assert [(r["#"], r["Brand"], r["Reply"]) for r in rows] == [("1", "Acme", "1m"), ("2", "Zeta", "7m")]


def _table_rows(out: str, title: str) -> list[dict[str, str]]:
    """The rows of the rich table whose title starts with ``title``, keyed by the header (wrapped lines joined)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    top = next(i for i in range(start, len(lines)) if lines[i].startswith("┏"))
    rule = next(i for i in range(top, len(lines)) if lines[i].startswith("┡"))
    split = lambda line, bar: [c.strip() for c in line.split(bar)[1:-1]]  # noqa: E731
    parts = [split(line, "┃") for line in lines[top + 1:rule]]
    names = [" ".join(p[i] for p in parts if p[i]) for i in range(len(parts[0]))]
    rows = []
    for line in lines[rule + 1:]:
        if not line.startswith("│"):
            break
        cells = split(line, "│")
        if cells[names.index("Brand")]:  # a wrapped continuation line has no brand
            rows.append(dict(zip(names, cells, strict=True)))
    return rows


# --- the property test -------------------------------------------------------------------------------

def reference_waits(messages: list[dict]) -> dict[str, list[float | None]]:
    """docs/metrics.md "Next-reply time", read literally, thread by thread (no joins)."""
    threads: dict[str, list[dict]] = defaultdict(list)
    for m in messages:
        threads[m["thread"]].append(m)
    out: dict[str, list[float | None]] = defaultdict(list)
    for thread in threads.values():
        customers = [m for m in thread if not m["is_brand"]]
        if not customers:
            continue
        opened = min(m["t"] for m in customers)
        for brand in sorted({m["brand"] for m in thread if m["is_brand"] and m["parent"] is not None}):
            replies = sorted(m["t"] for m in thread if m["is_brand"] and m["brand"] == brand and m["parent"] is not None)
            after_open = [t for t in replies if t >= opened]
            if not after_open:
                continue
            first = after_open[0]
            starts: dict[int | None, int] = {}
            for c in sorted(m["t"] for m in customers if m["t"] > first):
                end = next((t for t in replies if t >= c), None)
                starts.setdefault(end, c)  # sorted: the first customer message seen is the oldest of its wait
            for end, start in starts.items():
                out[brand].append(None if end is None else (end - start) / 1_000_000)
    return out


@st.composite
def conversations(draw) -> list[dict]:
    """A few threads of customer and brand messages (two brands), with tied and skewed timestamps."""
    messages = []
    for k in range(draw(st.integers(1, 4))):
        root_brand = draw(st.booleans())
        root = {"id": f"t{k}m0", "parent": None, "thread": f"t{k}", "t": draw(st.integers(0, 20)) * 1_000_000,
                "is_brand": root_brand, "brand": draw(st.sampled_from(["Alfa", "Beta"])) if root_brand else "Alfa"}
        messages.append(root)
        ids = [root["id"]]
        for j in range(1, draw(st.integers(1, 10))):
            is_brand = draw(st.booleans())
            messages.append({
                "id": f"t{k}m{j}", "parent": draw(st.sampled_from(ids)), "thread": f"t{k}",
                "t": draw(st.integers(0, 20)) * 1_000_000, "is_brand": is_brand,
                "brand": draw(st.sampled_from(["Alfa", "Beta"])) if is_brand else "Alfa",
            })
            ids.append(f"t{k}m{j}")
    return messages


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conversations())
def test_next_reply_time_agrees_with_a_plain_python_reference(messages):
    df = conform(pl.DataFrame([
        {"platform": "twitter", "brand": m["brand"], "message_id": m["id"], "parent_id": m["parent"],
         "author_id": m["brand"] if m["is_brand"] else "u", "is_brand": m["is_brand"], "kind": "tweet",
         "created_at": T0 + timedelta(microseconds=m["t"])}
        for m in messages
    ]))
    eng = PolarsEngine()
    threaded, _ = with_threads(eng.from_polars(df), eng)
    waits = eng.collect(next_reply_waits(threaded))
    got = defaultdict(list)
    for row in waits.iter_rows(named=True):
        got[row["brand"]].append(row["nrt_s"])
    expected = reference_waits(messages)
    assert {b: sorted(v, key=lambda x: (x is None, x)) for b, v in got.items()} == {
        b: sorted(v, key=lambda x: (x is None, x)) for b, v in expected.items()
    }
    table = eng.collect(nrt_table(eng.from_polars(waits), ["brand"])).to_dicts()
    for row in table:
        answered = np.array([x for x in expected[row["brand"]] if x is not None])
        assert row["waits"] == len(expected[row["brand"]])
        assert row["waits_unanswered"] == len(expected[row["brand"]]) - len(answered)
        if len(answered):
            assert row["nrt_median_s"] == pytest.approx(np.median(answered))
            assert row["nrt_mean_s"] == pytest.approx(answered.mean())
            assert row["nrt_p90_s"] == pytest.approx(np.percentile(answered, 90))
        else:
            assert row["nrt_median_s"] is None and row["nrt_p90_s"] is None

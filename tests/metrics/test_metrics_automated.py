"""Automated replies (issue 16 item 5): a hand-worked golden store on every engine, the CLI and API option.

Times in seconds after T0. Acme gets requests R1..R6 from customers u1..u6 at t = 1000·i:

* Q1..Q5 answer R1..R5 **2 s** later with one template ("@u1 Thanks! We received your message. https://t.co/x1";
  Q4 in other case and spacing): the same normalised text to 5 distinct customers within 10 s → automated;
* Q6 sends the same template to R6 **30 s** later: too slow to be marked (a person may paste a template);
* H1 answers R1 after 600 s, H3 answers R3 after 1,200 s (people).

Zeta gets S1..S5 from v1, v2, v3, v4, v4 (v4 twice) and answers each "Got it!" 1 s later: only 4 distinct
customers, so nothing is marked.

Without --skip-automated: Acme answers all 6 (FRTs 2, 2, 2, 2, 2, 30 → median 2), 8 reply pairs.
With it: R1 → H1 600 s, R3 → H3 1,200 s, R6 → Q6 30 s; R2, R4, R5 unanswered: 3 answered, median 600 s,
reply pairs 30, 600, 1,200 s. 5 replies marked; 5 requests (R1..R5) had one as their first response.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from benchmark.api import metric_options
from benchmark.cli import app
from benchmark.metrics import measure
from benchmark.schema import conform

T0 = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
TEMPLATE = "@{u} Thanks! We received your message. https://t.co/x{i}"


def _rows() -> list[tuple]:
    rows = []  # id, parent, brand, author, is_brand, t, text
    for i in range(1, 7):
        t = 1000 * i
        rows.append((f"R{i}", None, "Acme", f"u{i}", False, t, "@Acme my router is down"))
        text = "@u4  THANKS! We received   your message.  https://t.co/zz" if i == 4 else TEMPLATE.format(u=f"u{i}", i=i)
        rows.append((f"Q{i}", f"R{i}", "Acme", "Acme", True, t + (30 if i == 6 else 2), text))
    rows.append(("H1", "R1", "Acme", "Acme", True, 1000 + 600, "@u1 Hi, restart the router please"))
    rows.append(("H3", "R3", "Acme", "Acme", True, 3000 + 1200, "@u3 Which model is it?"))
    for i, who in enumerate(["v1", "v2", "v3", "v4", "v4"], start=1):
        t = 10_000 + 1000 * i
        rows.append((f"S{i}", None, "Zeta", who, False, t, "@Zeta hello"))
        rows.append((f"Z{i}", f"S{i}", "Zeta", "Zeta", True, t + 1, f"@{who} Got it!"))
    return rows


@pytest.fixture(scope="module")
def messages() -> pl.DataFrame:
    data = [("twitter", b, i, p, a, ib, T0 + timedelta(seconds=t), x) for i, p, b, a, ib, t, x in _rows()]
    df = pl.DataFrame(data, schema=["platform", "brand", "message_id", "parent_id", "author_id", "is_brand", "created_at", "text"], orient="row")
    return conform(df.with_columns(pl.lit("tweet").alias("kind")))


def _row(m, brand: str) -> dict:
    return m.table.filter(pl.col("brand") == brand).to_dicts()[0]


def test_automated_replies_are_kept_by_default(messages, engine):
    m = measure(messages, engine=engine, options=metric_options(open_window=None))
    acme = _row(m, "Acme")
    assert (acme["answered"], acme["frt_median_s"], acme["replies"]) == (6, 2.0, 8)
    assert (m.diagnostics.skip_automated, m.diagnostics.automated_replies) == (False, 0)


def test_skip_automated_measures_the_first_human_response(messages, engine):
    m = measure(messages, engine=engine, options=metric_options(open_window=None, skip_automated=True))
    responses = {r["request_id"]: (r["response_id"], r["frt_s"]) for r in m.facts.iter_rows(named=True)}
    assert {k: v for k, v in responses.items() if k.startswith("R")} == {
        "R1": ("H1", 600.0), "R2": (None, None), "R3": ("H3", 1200.0), "R4": (None, None), "R5": (None, None), "R6": ("Q6", 30.0),
    }
    acme = _row(m, "Acme")
    assert (acme["requests"], acme["answered"], acme["frt_median_s"]) == (6, 3, 600.0)
    assert (acme["replies"], acme["reply_median_s"]) == (3, 600.0)
    zeta = _row(m, "Zeta")  # 4 distinct customers only: nothing marked
    assert (zeta["answered"], zeta["frt_median_s"], zeta["replies"]) == (5, 1.0, 5)
    d = m.diagnostics
    assert (d.skip_automated, d.automated_replies, d.automated_first_responses) == (True, 5, 5)


def test_skip_automated_is_part_of_the_cache_key(tmp_path):
    from benchmark.metrics.cache import FactsCache

    files = [tmp_path / "ingest-1" / "part.parquet"]
    assert FactsCache(tmp_path, files, "polars", metric_options()).folder != FactsCache(tmp_path, files, "polars", metric_options(skip_automated=True)).folder


MAPPED = ("message_id", "created_at", "author_id", "parent_id", "brand", "is_brand", "platform", "text")


@pytest.fixture
def store(tmp_path: Path, messages: pl.DataFrame) -> Path:
    src = tmp_path / "m.csv"
    messages.select(*MAPPED).with_columns(pl.col("created_at").dt.strftime("%Y-%m-%dT%H:%M:%SZ")).write_csv(src)
    mapping = [arg for c in MAPPED for arg in ("--map", f"{c}={c}")]
    done = CliRunner().invoke(app, ["ingest", str(src), "--store", str(tmp_path / "s"), "--format", "csv", *mapping])
    assert done.exit_code == 0, done.stderr
    return tmp_path / "s"


def test_cli_skip_automated(store):
    runner = CliRunner()
    ranked = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--format", "json", "--open-window", "0", "--skip-automated"])
    assert ranked.exit_code == 0, ranked.stderr
    assert (
        "automated replies skipped: 5 brand replies marked automated (the same text to 5 or more customers, each within 10 s); "
        "5 requests had one as their first response"
    ) in ranked.stderr.splitlines()
    acme = next(r for r in json.loads(ranked.stdout) if r["brand"] == "Acme")
    assert (acme["answered"], acme["frt_median_s"]) == (3, 600.0)
    default = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--format", "json"])
    assert "automated replies" not in default.stderr
    assert next(r for r in json.loads(default.stdout) if r["brand"] == "Acme")["frt_median_s"] == 2.0
    rows = runner.invoke(app, ["requests", "--store", str(store), "--format", "json", "--skip-automated"])
    assert rows.exit_code == 0, rows.stderr
    assert {r["request_id"]: r["response_id"] for r in json.loads(rows.stdout)}["R1"] == "H1"


def test_api_skip_automated(store):
    import benchmark as bm

    ranked = bm.rank(store, min_requests=1, skip_automated=True, open_window=None)
    assert ranked.filter(pl.col("brand") == "Acme")["answered"].item() == 3
    facts = bm.requests(store, skip_automated=True)
    assert facts.filter(pl.col("request_id") == "R3")["response_id"].item() == "H3"


def test_docs_state_the_thresholds():
    from benchmark.defaults import AUTOMATED_MAX_SECONDS, AUTOMATED_MIN_CUSTOMERS

    docs = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert f"sent **at most {AUTOMATED_MAX_SECONDS} seconds** after that customer message" in docs
    assert f"**at least {AUTOMATED_MIN_CUSTOMERS} distinct customers**" in docs
    assert f"`AUTOMATED_MAX_SECONDS = {AUTOMATED_MAX_SECONDS}` and `AUTOMATED_MIN_CUSTOMERS = {AUTOMATED_MIN_CUSTOMERS}`" in docs

"""Agents (issue 16 item 4): the signature detector on a labelled set, distinct agents per brand, and
``rank --by-agent`` (the ``--group-by agent`` of the issue), hand-worked on every engine.

Golden store (seconds after T0; ``->`` the parent):

    R1 u1 t=0                  A1 Acme t=60   ->R1  "... ^JK"      first response 60 s, pair 60 s, agent JK
    R2 u2 t=1000               A2 Acme t=1300 ->R2  "... ^jk"      first response 300 s, pair 300 s, JK (case folded)
    R3 u3 t=2000               A3 Acme t=2600 ->R3  "... -Marco"   first response 600 s, pair 600 s, MARCO
       F3 u3 t=2700 ->A3       A6 Acme t=2760 ->F3  "... ^JK"      pair 60 s, JK (not a first response)
    R4 u4 t=3000               A4 Acme t=3100 ->R4  unsigned       first response 100 s, pair 100 s
    R5 u5 t=4000               unanswered
    P5 Acme t=5000             the brand's own post "... ^JK": not a reply, no agent counted
    R6 u6 t=6000 (Zeta)        Z1 Zeta t=6030 ->R6  "... /JK"      Zeta's JK: another agent than Acme's

Acme: 4 signed replies, 2 agents. Per agent: JK replies 60, 300, 60 (median 60, mean 140, p90 60 + 0.8 · 240 =
252), first responses 60, 300 (median 180); MARCO 600 / 600; unsigned 100 / 100. Zeta JK 30 / 30.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import narwhals as nw
import polars as pl
import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.api import metric_options, rank_agents
from benchmark.cli import app
from benchmark.metrics import measure, measure_agents
from benchmark.metrics.agents import agent_of
from benchmark.schema import conform

T0 = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)
LABELLED = Path(__file__).parents[1] / "fixtures" / "agents" / "labelled.csv"

ROWS = [
    ("R1", None, "Acme", "u1", False, 0, "@Acme no signal"),
    ("A1", "R1", "Acme", "Acme", True, 60, "@u1 Sorry about that, we're on it! ^JK"),
    ("R2", None, "Acme", "u2", False, 1000, "@Acme bill wrong"),
    ("A2", "R2", "Acme", "Acme", True, 1300, "@u2 Let's check it. ^jk"),
    ("R3", None, "Acme", "u3", False, 2000, "@Acme router"),
    ("A3", "R3", "Acme", "Acme", True, 2600, "@u3 Fixed now, restart it please -Marco"),
    ("F3", "A3", "Acme", "u3", False, 2700, "@Acme thanks"),
    ("A6", "F3", "Acme", "Acme", True, 2760, "@u3 Anytime! ^JK"),
    ("R4", None, "Acme", "u4", False, 3000, "@Acme help"),
    ("A4", "R4", "Acme", "Acme", True, 3100, "@u4 Please send us a DM."),
    ("R5", None, "Acme", "u5", False, 4000, "@Acme hello?"),
    ("P5", None, "Acme", "Acme", True, 5000, "New offers this week! ^JK"),
    ("R6", None, "Zeta", "u6", False, 6000, "@Zeta card blocked"),
    ("Z1", "R6", "Zeta", "Zeta", True, 6030, "@u6 Unblocked it for you /JK"),
]


@pytest.fixture(scope="module")
def messages() -> pl.DataFrame:
    data = [("twitter", b, i, p, a, ib, T0 + timedelta(seconds=t), x) for i, p, b, a, ib, t, x in ROWS]
    df = pl.DataFrame(data, schema=["platform", "brand", "message_id", "parent_id", "author_id", "is_brand", "created_at", "text"], orient="row")
    return conform(df.with_columns(pl.lit("tweet").alias("kind")))


def test_distinct_agents_per_brand(messages, engine):
    m = measure(messages, engine=engine, options=metric_options(open_window=None))
    got = {r["brand"]: (r["signed_replies"], r["agents"]) for r in m.table.to_dicts()}
    assert got == {"Acme": (4, 2), "Zeta": (1, 1)}


def test_agent_table_hand_worked(messages, engine):
    table = measure_agents(messages, engine=engine, options=metric_options(open_window=None))
    rows = {(r["brand"], r["agent"]): {k: v for k, v in r.items() if k not in ("platform", "brand", "agent")} for r in table.to_dicts()}
    assert rows == {
        ("Acme", "JK"): {"replies": 3, "reply_median_s": 60.0, "reply_mean_s": 140.0, "reply_p90_s": pytest.approx(252.0),
                         "first_responses": 2, "frt_median_s": 180.0, "frt_mean_s": 180.0},
        ("Acme", "MARCO"): {"replies": 1, "reply_median_s": 600.0, "reply_mean_s": 600.0, "reply_p90_s": 600.0,
                            "first_responses": 1, "frt_median_s": 600.0, "frt_mean_s": 600.0},
        ("Acme", None): {"replies": 1, "reply_median_s": 100.0, "reply_mean_s": 100.0, "reply_p90_s": 100.0,
                         "first_responses": 1, "frt_median_s": 100.0, "frt_mean_s": 100.0},
        ("Zeta", "JK"): {"replies": 1, "reply_median_s": 30.0, "reply_mean_s": 30.0, "reply_p90_s": 30.0,
                         "first_responses": 1, "frt_median_s": 30.0, "frt_mean_s": 30.0},
    }
    ranked = rank_agents(table, by="frt_median_s", min_n=1)
    assert ranked.select("rank", "brand", "agent").rows() == [(1, "Acme", "JK"), (2, "Acme", "MARCO"), (None, "Acme", None), (1, "Zeta", "JK")]
    assert rank_agents(table, by="frt_median_s", min_n=2).select("rank", "agent").rows()[:2] == [(1, "JK"), (None, "MARCO")]


def test_agent_table_follows_the_filters(messages):
    from benchmark.api import filters

    table = measure_agents(messages, filters(until=(T0 + timedelta(seconds=2000)).isoformat()), options=metric_options(open_window=None))
    assert table.select("brand", "agent", "replies", "first_responses").rows() == [("Acme", "JK", 2, 2)]


def test_rank_agents_refuses_other_figures():
    from benchmark.errors import UsageError

    with pytest.raises(UsageError, match="--by-agent ranks by frt_median_s, frt_mean_s, reply_median_s, reply_mean_s or reply_p90_s, not response_rate"):
        rank_agents(pl.DataFrame(), by="response_rate")


def test_cli_group_by_agent(tmp_path, messages):
    mapped = ("message_id", "created_at", "author_id", "parent_id", "brand", "is_brand", "platform", "text")
    src = tmp_path / "m.csv"
    messages.select(*mapped).with_columns(pl.col("created_at").dt.strftime("%Y-%m-%dT%H:%M:%SZ")).write_csv(src)
    runner = CliRunner()
    args = [a for c in mapped for a in ("--map", f"{c}={c}")]
    assert runner.invoke(app, ["ingest", str(src), "--store", str(tmp_path / "s"), "--format", "csv", *args]).exit_code == 0
    out = runner.invoke(app, ["rank", "--store", str(tmp_path / "s"), "--by-agent", "--by", "reply_median_s", "--min-requests", "1", "--format", "json"])
    assert out.exit_code == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["rank"], r["brand"], r["agent"], r["replies"]) for r in rows] == [
        (1, "Acme", "JK", 3), (2, "Acme", "MARCO", 1), (None, "Acme", None, 1), (1, "Zeta", "JK", 1)
    ]
    assert "4 agent rows (3 signed agents); ranked within each brand by reply_median_s, agents with at least 1 replies" in out.stderr
    table = runner.invoke(app, ["rank", "--store", str(tmp_path / "s"), "--by-agent", "--min-requests", "1"])
    assert table.exit_code == 0 and "(unsigned)" in table.stdout and "MARCO" in table.stdout
    bad = runner.invoke(app, ["rank", "--store", str(tmp_path / "s"), "--by-agent", "--figures", "all"])
    assert bad.exit_code == 2
    assert "--by-agent ranks its own figures: drop --figures, --period, --group-by and --by-topic" in bad.stderr
    grouped = runner.invoke(app, ["rank", "--store", str(tmp_path / "s"), "--group-by", "agent", "--by", "reply_median_s", "--min-requests", "1", "--format", "json"])
    assert grouped.exit_code == 0, grouped.stderr
    assert json.loads(grouped.stdout) == rows  # --group-by agent is --by-agent
    api_rows = bm.rank(tmp_path / "s", group_by="agent", by="reply_median_s", min_requests=1)
    assert [(r["rank"], r["brand"], r["agent"], r["replies"]) for r in api_rows.iter_rows(named=True)] == [
        (1, "Acme", "JK", 3), (2, "Acme", "MARCO", 1), (None, "Acme", None, 1), (1, "Zeta", "JK", 1)
    ]
    bad_group = runner.invoke(app, ["rank", "--store", str(tmp_path / "s"), "--group-by", "agent", "--period", "month"])
    assert bad_group.exit_code == 2
    assert "--group-by agent ranks its own figures: drop --figures, --period and --by-topic" in bad_group.stderr


# --- the detector on the labelled set (docs/metrics.md "Agents": precision and recall) -----------------------


def evaluate(labels: list[str | None], predicted: list[str | None]) -> dict[str, int]:
    """A signed reply is a hit only when the detector names the same agent."""
    tp = sum(1 for want, got in zip(labels, predicted, strict=True) if want and got == want)
    fp = sum(1 for want, got in zip(labels, predicted, strict=True) if got and got != want)
    fn = sum(1 for want, got in zip(labels, predicted, strict=True) if want and got != want)
    return {"labelled": sum(1 for x in labels if x), "predicted": sum(1 for x in predicted if x), "tp": tp, "fp": fp, "fn": fn}


def test_signature_detector_precision_and_recall(engine):
    raw = pl.read_csv(LABELLED).with_row_index("i").with_columns(pl.col("i").cast(pl.String))
    frame = conform(raw.select(pl.col("i").alias("message_id"), "text", pl.lit("twitter").alias("platform")))
    lf = engine.from_polars(frame).select("message_id", agent_of(nw.col("text")).alias("agent"))
    got = dict(engine.collect(lf).select("message_id", "agent").rows())
    labels = [a or None for a in raw["agent"].to_list()]
    predicted = [got[i] for i in raw["i"].to_list()]
    counts = evaluate(labels, predicted)
    assert counts == {"labelled": 35, "predicted": 34, "tp": 30, "fp": 4, "fn": 5}  # docs/metrics.md: precision 0.88, recall 0.86


def test_docs_state_the_signature_regex_exactly():
    from benchmark.metrics.agents import SIGNATURE_REGEX

    docs = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert f"\n{SIGNATURE_REGEX}\n" in docs

"""Topics, users, keywords and the listening rank options through the CLI, on a hand-worked synthetic dump.

tests/fixtures/listening/care.csv (TWCS format, fictional brand AcmeTel), with --open-window 0:

  request  author  text (short)                          topic    lang  question  first response  FRT
  1        c1      "bolletta ... sbagliata, perché?"      billing  it    yes       2 at +10m       600 s
  3        c1      "la FATTURA è sbagliata"               billing  it    no        4 at +60m       3600 s
  5        c2      "broadband down ..., any update?"      network  en    yes       6 at +30m       1800 s
  8        c3      "grazie mille, ... risolto"            praise   it    no        none            -
  9        c4      "how do I change the password ...?"    account  en    yes       10 at +2m       120 s
  (7 is c2's follow-up inside thread 5: a customer message, not a request; it says "Fibra".)

So: 5 requests, 4 answered (rate 4/5 = 0.8); billing median FRT (600 + 3600) / 2 = 2100 s;
questions only: requests 1, 5, 9, FRTs 600, 1800, 120 → median 600 s, rate 3/3;
it: 3 requests (1, 3, 8), 2 answered; en: 2 requests (5, 9), 2 answered.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app

CARE = Path(__file__).parents[1] / "fixtures" / "listening" / "care.csv"
runner = CliRunner()


@pytest.fixture
def care_store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    bm.ingest(CARE, store=store)
    return store


def _json(args: list[str]) -> list[dict[str, object]]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_topics_volumes_and_teams(care_store: Path) -> None:
    rows = _json(["topics", "--store", str(care_store), "--open-window", "0", "--format", "json"])
    by = {r["topic"]: r for r in rows}
    assert [r["topic"] for r in rows] == ["account", "billing", "network", "praise"]  # taxonomy order, empty topics left out
    assert by["billing"]["requests"] == 2 and by["billing"]["share"] == pytest.approx(2 / 5)
    assert by["billing"]["frt_median_s"] == pytest.approx(2100.0)
    assert by["billing"]["questions"] == 1 and by["billing"]["team"] == "billing"
    assert by["praise"]["answered"] == 0 and by["praise"]["response_rate"] == 0.0
    assert by["network"]["team"] == "technical" and by["account"]["team"] == "technical"


def test_topics_table_goes_to_stdout_and_the_summary_to_stderr(care_store: Path) -> None:
    result = runner.invoke(app, ["topics", "--store", str(care_store)])
    assert result.exit_code == 0
    assert "billing" in result.stdout and "40.0%" in result.stdout
    assert "5 requests classified" in result.stderr and "5 requests classified" not in result.stdout


def test_rank_by_topic_and_by_language(care_store: Path) -> None:
    rows = _json(["rank", "--store", str(care_store), "--by-topic", "--min-requests", "1", "--open-window", "0", "--format", "json"])
    billing = next(r for r in rows if r["topic"] == "billing")
    assert billing["rank"] == 1 and billing["frt_median_s"] == pytest.approx(2100.0)
    praise = next(r for r in rows if r["topic"] == "praise")
    assert praise["rank"] is None  # no answered request: no median, listed apart
    langs = _json(["rank", "--store", str(care_store), "--group-by", "lang", "--min-requests", "1", "--open-window", "0", "--format", "json"])
    assert {r["lang"]: (r["requests"], r["answered"]) for r in langs} == {"it": (3, 2), "en": (2, 2)}
    teams = _json(["rank", "--store", str(care_store), "--group-by", "team", "--min-requests", "1", "--open-window", "0", "--format", "json"])
    assert {r["team"]: r["requests"] for r in teams} == {"billing": 2, "technical": 2, "community": 1}


def test_rank_on_questions_only(care_store: Path) -> None:
    rows = _json(["rank", "--store", str(care_store), "--requests", "questions", "--min-requests", "1", "--open-window", "0", "--format", "json"])
    assert rows[0]["requests"] == 3 and rows[0]["answered"] == 3
    assert rows[0]["frt_median_s"] == pytest.approx(600.0)


def test_rank_listening_groups_refuse_bad_combinations(care_store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(care_store), "--by-topic", "--group-by", "sector"])
    assert result.exit_code == 2 and "exclusive" in result.stderr
    result = runner.invoke(app, ["rank", "--store", str(care_store), "--group-by", "team", "--figures", "all"])
    assert result.exit_code == 2 and "default figures" in result.stderr


def test_users_top_and_per_week(care_store: Path) -> None:
    rows = _json(["users", "--store", str(care_store), "--top", "2", "--open-window", "0", "--format", "json"])
    # c1 and c2 both wrote 2 messages; c1 made 2 requests, c2 one: c1 first.
    assert [(r["author_id"], r["messages"], r["requests"], r["answered"]) for r in rows] == [("c1", 2, 2, 2), ("c2", 2, 1, 1)]
    assert [r["rank"] for r in rows] == [1, 1]
    weekly = _json(["users", "--store", str(care_store), "--per", "week", "--open-window", "0", "--format", "json"])
    assert [(r["period"][:10], r["author_id"]) for r in weekly] == [("2017-10-02", "c1"), ("2017-10-02", "c2"), ("2017-10-09", "c3"), ("2017-10-09", "c4")]
    c3 = next(r for r in weekly if r["author_id"] == "c3")
    assert c3["share_answered"] == 0.0
    brand = _json(["users", "--store", str(care_store), "--brand", "NoSuchBrand", "--format", "json"])
    assert brand == []


def test_users_bad_period_is_a_usage_error(care_store: Path) -> None:
    result = runner.invoke(app, ["users", "--store", str(care_store), "--per", "year"])
    assert result.exit_code == 2 and "day, week or month" in result.stderr


def test_keywords_table_json_and_chart(care_store: Path, tmp_path: Path) -> None:
    rows = _json(["keywords", "bolletta", "fibra", "fattura", "--store", str(care_store), "--format", "json"])
    days = sorted({r["period"][:10] for r in rows})
    assert days[0] == "2017-10-02" and days[-1] == "2017-10-09" and len(days) == 8  # empty days are 0, not missing
    got = {(r["period"][:10], r["keyword"]): r["mentions"] for r in rows if r["mentions"]}
    assert got == {("2017-10-02", "bolletta"): 1, ("2017-10-02", "fattura"): 1, ("2017-10-03", "fibra"): 1}
    everyone = _json(["keywords", "bolletta", "--store", str(care_store), "--all-authors", "--by", "week", "--format", "json"])
    assert [r["mentions"] for r in everyone] == [2, 0]  # the brand's reply 2 says "bolletta" too
    png = tmp_path / "kw.png"
    result = runner.invoke(app, ["keywords", "bolletta", "fibra", "--store", str(care_store), "--by", "day", "--output", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = runner.invoke(app, ["keywords", "bolletta", "fibra", "--store", str(care_store)])
    assert table.exit_code == 0 and "2017-10-02" in table.stdout and "bolletta: 1 messages" in table.stderr


@pytest.mark.parametrize("args", [["a", "b", "c", "d", "e", "f"], ["x", "X"], [" "]])
def test_keywords_usage_errors(care_store: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["keywords", *args, "--store", str(care_store)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_bad_taxonomy_file_is_one_line_and_exit_1(care_store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "tax.toml"
    bad.write_text("[[topic]]\nname = 'x'\n", encoding="utf-8")
    result = runner.invoke(app, ["topics", "--store", str(care_store), "--taxonomy", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {bad}: topic 'x': team must be a non-empty string"


def test_python_api_returns_dataframes(care_store: Path) -> None:
    assert isinstance(bm.listening.topics(care_store), pl.DataFrame)
    assert bm.listening.users(care_store, top=1).get_column("author_id").to_list() == ["c1"]
    kw = bm.listening.keywords(care_store, ["Bollètta"], by="month")
    assert kw.to_dicts()[0]["mentions"] == 1  # accents folded on both sides
    assert set(bm.listening.breakdown(care_store, "topic").get_column("topic")) == {"account", "billing", "network", "praise"}

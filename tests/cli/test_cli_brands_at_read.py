"""Brand accounts are a property of the analysis (issue 14 item 6): applied when the store is read, never
silently ignored; raw-file options refused with --store; a re-ingest with --brand is not "different content"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app

V2 = Path(__file__).parents[1] / "fixtures" / "twitter_v2" / "flat.jsonl"  # synthetic: @TelcoNova_Help answers giulia_r
runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(V2), "--store", str(path)])  # no --brand: nobody is a brand yet
    assert result.exit_code == 0, result.stderr
    return path


def test_brand_given_to_rank_is_applied_to_the_store(store: Path) -> None:
    plain = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "0", "--format", "json"])
    assert plain.exit_code == 0 and json.loads(plain.stdout) == []
    result = runner.invoke(app, ["rank", "--store", str(store), "--brand", "@telconova_help", "--min-requests", "0", "--open-window", "0", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["brand"], r["requests"], r["answered"], r["frt_median_s"]) for r in rows] == [("TelcoNova_Help", 1, 1, 720.0)]
    api = bm.rank(store, accounts=["TelcoNova_Help"], min_requests=0, open_window=0)
    assert api.select("brand", "requests", "frt_median_s").rows() == [("TelcoNova_Help", 1, 720.0)]


def test_cached_figures_without_the_brand_are_not_reused_with_it(store: Path) -> None:
    bm.rank(store, min_requests=0)  # caches the figures without brand accounts
    assert bm.rank(store, accounts=["TelcoNova_Help"], min_requests=0).height == 1


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--map", "message_id=id"], "--map applies"),
        (["--input-format", "twcs"], "--input-format applies"),
        (["--encoding", "cp1252", "--map", "a=b"], "--map, --encoding apply"),
    ],
)
def test_raw_file_options_with_a_store_are_refused(store: Path, extra: list[str], named: str) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), *extra])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {named} to raw export files (rank FILE ...), not to --store: its messages are read already"


def test_reingesting_with_a_brand_is_not_different_content(store: Path) -> None:
    result = runner.invoke(app, ["ingest", str(V2), "--store", str(store), "--brand", "TelcoNova_Help"])
    assert result.exit_code == 0, result.stderr
    assert "different content" not in result.stderr
    assert f"{V2}: already ingested: nothing new" in result.stderr
    assert "details kept with the first ingest of this file" in result.stderr

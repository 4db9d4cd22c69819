"""Issue 14, item 15: one meaning per flag; the old spellings work with one deprecation line on stderr.

``--brand``/``-b`` names a brand account (ingest, rank); ``--only-brand`` keeps one brand (requests, topics,
users, keywords, chart, report); ``--period`` is the time bucket everywhere (users' ``--per`` and keywords'
``--by`` are its old names). Golden TWCS fixture (fictional brands AcmeTel, BetaBank).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli import app

GOLDEN = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
runner = CliRunner()
BRAND_NOTE = "note: --brand/-b is deprecated: use --only-brand (--brand names a brand account, as in ingest and rank)"
PER_NOTE = "note: --per is deprecated: use --period (one name for the time bucket in every command)"
BY_NOTE = "note: --by is deprecated: use --period (--by names the figure to rank by)"


@pytest.fixture(scope="module")
def store(golden_cli_store: Path) -> Path:
    return golden_cli_store


def _run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result


@pytest.mark.parametrize("command", [["requests"], ["topics", "--format", "json"], ["users", "--format", "json"], ["keywords", "help", "--format", "json"], ["report", "--format", "markdown"]])
def test_only_brand_filters_and_the_old_brand_flag_still_does_with_a_note(store: Path, command: list[str]) -> None:
    new = _run(*command, "--store", str(store), "--only-brand", "AcmeTel")
    assert "deprecated" not in new.stderr
    for old in ("--brand", "-b"):
        result = _run(*command, "--store", str(store), old, "AcmeTel")
        if command[0] == "report":  # stamped with the time it was generated: compare what it is about
            assert "AcmeTel" in result.stdout and "BetaBank" not in result.stdout
        else:
            assert result.stdout == new.stdout
        assert result.stderr.splitlines()[0] == BRAND_NOTE
    assert "BetaBank" not in new.stdout
    if command[0] == "requests":
        assert [line.split(",")[0] for line in new.stdout.splitlines()[1:]] == ["AcmeTel"] * 3


def test_period_is_the_time_bucket_and_the_old_names_still_work(store: Path) -> None:
    new = _run("users", "--store", str(store), "--period", "week", "--format", "json")
    old = _run("users", "--store", str(store), "--per", "week", "--format", "json")
    assert old.stdout == new.stdout and '"period"' in new.stdout
    assert PER_NOTE in old.stderr.splitlines() and "deprecated" not in new.stderr
    new = _run("keywords", "help", "--store", str(store), "--period", "week", "--format", "csv")
    old = _run("keywords", "help", "--store", str(store), "--by", "week", "--format", "csv")
    assert old.stdout == new.stdout and new.stdout.splitlines()[0] == "period,help"
    assert old.stderr.splitlines()[0] == BY_NOTE


def test_new_and_old_spelling_together_is_refused(store: Path) -> None:
    result = runner.invoke(app, ["users", "--store", str(store), "--period", "week", "--per", "day"])
    assert result.exit_code == 2 and result.stderr.splitlines()[-1] == "error: give --period only (--per is its old name)"
    bad = runner.invoke(app, ["keywords", "help", "--store", str(store), "--by", "dya"])
    assert bad.exit_code == 2 and bad.stderr == "error: --by 'dya': choose day, week or month\n"  # checked first, no note


def test_brand_keeps_its_meaning_in_ingest_and_rank(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rank", str(GOLDEN), "-b", "AcmeTel", "--min-requests", "1", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "deprecated" not in result.stderr
    ingest = runner.invoke(app, ["ingest", str(GOLDEN), "--store", str(tmp_path / "s"), "--brand", "AcmeTel"])
    assert ingest.exit_code == 0 and "deprecated" not in ingest.stderr


def test_help_shows_the_new_names_and_marks_the_old(store: Path) -> None:
    users = runner.invoke(app, ["users", "--help"], env={"COLUMNS": "250"}).stdout
    assert "--period [day|week|month]" in users and "--only-brand BRAND" in users
    assert "Deprecated: the old name of --period." in users and "Deprecated: the old name of --only-brand here." in users

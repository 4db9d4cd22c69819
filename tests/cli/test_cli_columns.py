"""Issue 14, item 12: the rank table fits the terminal, ``--columns`` picks columns, wide sets fold (never a cut header)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli import app
from benchmark.cli.options import RANK_COLUMNS

GOLDEN = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
runner = CliRunner()
ALL = ["#", "Brand", "Platform", "Requests", "Answered", "Unanswered", "Open", "Response rate", "Median FRT", "Mean FRT", "P90 FRT", "≤30m", "≤1h", "≤24h"]


@pytest.fixture(scope="module")
def store(golden_cli_store: Path) -> Path:
    return golden_cli_store


def headers(text: str) -> list[list[str]]:
    """The headers of every table in ``text``, a header wrapped over several lines joined with spaces."""
    tables: list[list[str]] = []
    lines: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("┃"):
            lines.append([c.strip() for c in line.strip().strip("┃").split("┃")])
        elif lines:
            tables.append([" ".join(w for w in words if w) for words in zip(*lines, strict=True)])
            lines = []
    return tables


def rank(store: Path, width: int, *args: str):
    result = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", *args], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    assert "…" not in result.stdout
    assert all(len(line) <= width for line in result.stdout.splitlines())
    return result


def test_80_columns_show_the_essentials_and_name_what_is_left_out(store: Path) -> None:
    result = rank(store, 80)
    assert headers(result.stdout) == [["#", "Brand", "Platform", "Requests", "Answered", "Open", "Response rate", "Median FRT"]]
    assert "note: 6 column(s) left out to fit 80 columns: unanswered, within_1h, frt_mean_s, frt_p90_s, within_30m, within_24h (a wider terminal, --columns or --format csv shows them)" in result.stderr
    beta = next(line for line in result.stdout.splitlines() if "BetaBank" in line)
    assert [c.strip() for c in beta.strip("│").split("│")] == ["1", "BetaBank", "twitter", "3", "3", "0", "100%", "20m"]


def test_the_table_grows_with_the_width(store: Path) -> None:
    wider = rank(store, 120)
    assert headers(wider.stdout) == [[*ALL[:11], "≤1h"]]
    assert "2 column(s) left out to fit 120 columns: within_30m, within_24h" in wider.stderr
    widest = rank(store, 200)
    assert headers(widest.stdout) == [ALL]
    assert "left out" not in widest.stderr


def test_the_figure_ranked_by_is_always_shown(store: Path) -> None:
    result = rank(store, 80, "--by", "frt_p90_s")
    assert "P90 FRT" in headers(result.stdout)[0]


def test_figures_all_fold_into_more_tables_at_80_columns(store: Path) -> None:
    result = rank(store, 80, "--figures", "all")
    assert headers(result.stdout) == [
        ["#", "Brand", "Platform", "Rank range", "Requests", "Answered", "Open"],
        ["#", "Brand", "Platform", "Response rate (95% CI)", "Median FRT (95% CI)", "KM median"],
        ["#", "Brand", "Platform", "Fastest-90% mean", "Business-hours median", "Reply", "To DM"],
        ["#", "Brand", "Platform", "Devoted"],
        ["Brand", "Platform", "Office n", "Office answered", "Office median", "Night n", "Night answered", "Night median"],
        ["Brand", "Platform", "Weekend n", "Weekend answered", "Weekend median"],
    ]
    assert "Ranking by frt_median_s (brands with at least 1 requests) (2 of 4)" in result.stdout
    wide = rank(store, 200, "--figures", "all")
    assert [len(h) for h in headers(wide.stdout)] == [15, 11]


def test_columns_pick_columns_in_every_format(store: Path) -> None:
    result = rank(store, 80, "--columns", "Brand,frt_median_s,km_median_s,deflected_share")
    assert headers(result.stdout) == [["Brand", "Median FRT", "km_median_s", "deflected_share"]]
    assert [c.strip() for c in next(l for l in result.stdout.splitlines() if "AcmeTel" in l).strip("│").split("│")] == ["AcmeTel", "33m", "1h", "50%"]
    rows = json.loads(rank(store, 80, "--columns", "rank,brand,km_median_s", "--format", "json").stdout)
    assert rows == [{"rank": 1, "brand": "BetaBank", "km_median_s": 1200.0}, {"rank": 2, "brand": "AcmeTel", "km_median_s": 3600.0}]
    csv = rank(store, 80, "--columns", "brand,open", "--format", "csv").stdout
    assert csv.splitlines() == ["brand,open", "BetaBank,0", "AcmeTel,0"]


def test_columns_that_do_not_fit_fold_instead_of_being_cut(store: Path) -> None:
    picked = "rank,brand,requests,answered,unanswered,open,response_rate,frt_median_s,frt_mean_s,frt_p90_s,within_30m,within_1h,within_24h"
    result = rank(store, 80, "--columns", picked)
    assert headers(result.stdout) == [
        ["#", "Brand", "Requests", "Answered", "Unanswered", "Open", "Response rate", "Median FRT"],
        ["#", "Brand", "Mean FRT", "P90 FRT", "≤30m", "≤1h", "≤24h"],
    ]
    assert "Ranking by frt_median_s (brands with at least 1 requests) (2 of 2)\n" in result.stdout
    assert "left out" not in result.stderr


def test_unknown_column_is_refused_with_the_nearest_name(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--columns", "brand,respnse_rate"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --columns: no column 'respnse_rate' (did you mean response_rate?); the table's columns are rank, brand, "
        "platform, requests, answered, unanswered, open, response_rate, frt_median_s, frt_mean_s, frt_p90_s, within_30m, "
        "within_1h, within_24h (more with --figures all: see --format csv)\n"
    )
    empty = runner.invoke(app, ["rank", "--store", str(store), "--columns", "brand,,open"])
    assert empty.exit_code == 2 and empty.stderr == "error: --columns 'brand,,open': an empty column name (two commas, or one at an end)\n"


def test_a_column_this_ranking_lacks_says_what_brings_it(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--columns", "brand,requests_change"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "error: --columns requests_change: this ranking has no such column (it comes with --period)"


@pytest.mark.parametrize("extra", [["--figures", "all"], ["--period", "month"], ["--figures", "all", "--period", "week"], ["--group-by", "topic"], ["--group-by", "lang"]])
def test_every_column_a_ranking_has_can_be_picked(store: Path, extra: list[str]) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--format", "csv", "--min-requests", "1", *extra])
    assert result.exit_code == 0, result.stderr
    assert set(result.stdout.splitlines()[0].split(",")) <= set(RANK_COLUMNS)


def test_a_real_process_honours_columns_from_the_environment(store: Path) -> None:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmark", "rank", "--store", str(store), "--min-requests", "1"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert headers(proc.stdout) == [["#", "Brand", "Platform", "Requests", "Answered", "Open", "Response rate", "Median FRT"]]
    assert max(len(line) for line in proc.stdout.splitlines()) == 80


LONG = "ServizioClientiTelcoNovaUfficiale"  # 33 characters, fictional


def test_a_long_brand_name_is_shortened_only_when_the_essentials_need_it(tmp_path: Path) -> None:
    src = tmp_path / "long.csv"
    src.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        f"1,c1,True,Mon Oct 02 10:00:00 +0000 2017,@{LONG} help,2,\n"
        f"2,{LONG},False,Mon Oct 02 10:05:00 +0000 2017,@c1 on it,,1\n", encoding="utf-8",
    )
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(src), "--store", str(store)]).exit_code == 0
    wide = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1"], env={"COLUMNS": "120"})
    assert f"│ {LONG} │" in wide.stdout and "…" not in wide.stdout  # optional columns give way to the whole name
    assert headers(wide.stdout) == [["#", "Brand", "Platform", "Requests", "Answered", "Unanswered", "Open", "Response rate", "Median FRT", "P90 FRT"]]
    narrow = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1"], env={"COLUMNS": "80"})
    assert headers(narrow.stdout) == [["#", "Brand", "Platform", "Requests", "Response rate", "Median FRT"]]
    row = next(line for line in narrow.stdout.splitlines() if line.startswith("│ 1"))
    assert "│ ServizioClientiTelcoNovaUffic… │" in row and max(len(line) for line in narrow.stdout.splitlines()) <= 80

"""Issue 14, items 11, 13 and 16: `-o` honours its suffix or refuses, open requests are shown, sector and period
figures read like the rest of the table. Through typer's CliRunner and a real subprocess, with exact messages."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from benchmark.cli import app

runner = CliRunner()


@pytest.fixture
def store(golden_store) -> Path:
    """The golden TWCS fixture's store (tests/conftest.py), as the path the CLI takes."""
    return golden_store.path


def _twcs_time(when: datetime) -> str:
    return when.strftime("%a %b %d %H:%M:%S +0000 %Y")


@pytest.fixture
def monthly(tmp_path: Path) -> tuple[Path, Path]:
    """Two fictional telcos over January and February 2024, every request answered; and their brands file."""
    rows = ["tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"]
    waits = {
        "NimbusTel": [((1, 10), 10), ((1, 11), 20), ((2, 7), 5), ((2, 8), 5), ((2, 9), 5)],
        "OrbitMobile": [((1, 10), 60), ((1, 12), 90), ((2, 10), 30)],
    }
    n = 1000
    for brand, requests in waits.items():
        for (month, day), minutes in requests:
            when = datetime(2024, month, day, 10, tzinfo=UTC)
            rows.append(f"{n},cust{n},True,{_twcs_time(when)},@{brand} my bill is wrong,{n + 1},")
            rows.append(f"{n + 1},{brand},False,{_twcs_time(when + timedelta(minutes=minutes))},@cust{n} sorry,,{n}.0")
            n += 2
    (tmp_path / "care.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    brands = tmp_path / "brands.toml"
    brands.write_text(
        '[[brand]]\nname = "NimbusTel"\nsector = "telco"\naccounts = ["twitter:NimbusTel"]\n'
        '[[brand]]\nname = "OrbitMobile"\nsector = "telco"\naccounts = ["twitter:OrbitMobile"]\n', encoding="utf-8",
    )
    path = tmp_path / "monthly"
    result = runner.invoke(app, ["ingest", str(tmp_path / "care.csv"), "--store", str(path)])
    assert result.exit_code == 0, result.stderr
    return path, brands


# Item 11: the suffix sets the format --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "name", "check"),
    [
        (["rank", "--min-requests", "1"], "r.csv", lambda t: t.startswith("rank,brand,platform,requests,answered,unanswered,open,")),
        (["rank", "--min-requests", "1"], "r.json", lambda t: json.loads(t)[0]["brand"] == "BetaBank"),
        (["rank", "--min-requests", "1"], "r.md", lambda t: t.startswith("| # | Brand | Platform | Requests |")),
        (["requests"], "q.json", lambda t: isinstance(json.loads(t), list) and len(json.loads(t)) == 6),
        (["requests"], "q.ndjson", lambda t: len(t.splitlines()) == 6 and json.loads(t.splitlines()[0])["brand"]),
        (["requests"], "q.CSV", lambda t: t.startswith("brand,sector,platform,request_id")),
        (["users"], "u.json", lambda t: json.loads(t)[0]["rank"] == 1),
        (["topics"], "t.csv", lambda t: t.startswith("topic,")),
        (["keywords", "bill"], "k.md", lambda t: t.startswith("| period | bill |\n")),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_output_suffix_sets_the_format(store: Path, tmp_path: Path, command: list[str], name: str, check) -> None:
    target = tmp_path / name
    result = runner.invoke(app, [*command, "--store", str(store), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert check(target.read_text(encoding="utf-8")), target.read_text(encoding="utf-8")[:200]


def test_requests_parquet_suffix(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "q.parquet"
    result = runner.invoke(app, ["requests", "--store", str(store), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert pl.read_parquet(target).height == 6
    assert result.stderr.splitlines()[-1] == f"wrote 6 requests to {target}"


def test_explicit_format_that_agrees_with_the_suffix_is_fine(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    result = runner.invoke(app, ["rank", "--store", str(store), "--format", "JSON", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 2


def test_unknown_suffix_takes_the_explicit_format(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "ranking.txt"
    result = runner.invoke(app, ["rank", "--store", str(store), "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("rank,brand,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rank", "-o", "{d}/r.json", "--format", "csv"], "error: --output {d}/r.json: a .json file is json, not csv; drop --format csv or name the file .csv"),
        (["rank", "-o", "{d}/r.ndjson"], "error: --output {d}/r.ndjson: rank cannot write .ndjson files; name it .json, .csv or .md"),
        (["rank", "-o", "{d}/r.pdf"], "error: --output {d}/r.pdf: rank cannot write .pdf files; name it .json, .csv or .md"),
        (["rank", "-o", "{d}/r.txt"], "error: --output {d}/r.txt: cannot tell the format from the name; name it .json, .csv or .md, or give --format json, csv or markdown"),
        (["rank", "-o", "{d}/r.json", "--format", "table"], "error: --output {d}/r.json: --format table prints to the terminal; drop --format or give --format json, csv or markdown"),
        (["requests", "-o", "{d}/q.md"], "error: --output {d}/q.md: requests cannot write .md files; name it .csv, .json, .ndjson or .parquet"),
        (["requests", "-o", "{d}/q.json", "--format", "csv"], "error: --output {d}/q.json: a .json file is json, not csv; drop --format csv or name the file .csv"),
        (["users", "-o", "{d}/u.parquet"], "error: --output {d}/u.parquet: users cannot write .parquet files; name it .json, .csv or .md"),
        (["topics", "-o", "{d}/t.html"], "error: --output {d}/t.html: topics cannot write .html files; name it .json, .csv or .md"),
        (["keywords", "bill", "-o", "{d}/k.pdf"], "error: --output {d}/k.pdf: keywords cannot write .pdf files; name it .json, .csv, .md, .png or .svg"),
        (["keywords", "bill", "-o", "{d}/k.png", "--format", "csv"], "error: a chart file takes no --format; give --output FILE.png (or .svg) alone"),
        (["rank", "-o", "{d}/missing/r.json"], "error: --output {d}/missing/r.json: folder {d}/missing does not exist"),
        (["requests", "-o", "{d}/missing/q.csv"], "error: --output {d}/missing/q.csv: folder {d}/missing does not exist"),
        (["keywords", "bill", "-o", "{d}/missing/k.png"], "error: --output {d}/missing/k.png: folder {d}/missing does not exist"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_output_mistakes_are_one_line_and_exit_2(store: Path, tmp_path: Path, args: list[str], message: str) -> None:
    d = str(tmp_path)
    result = runner.invoke(app, [*(a.format(d=d) for a in args), "--store", str(store)])
    assert result.exit_code == 2
    assert result.stderr == message.format(d=d) + "\n"
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # nothing written


def test_dash_is_stdout(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "-o", "-", "--format", "csv", "--min-requests", "1"])
    assert result.exit_code == 0, result.stderr
    assert next(csv.reader(io.StringIO(result.stdout)))[:7] == ["rank", "brand", "platform", "requests", "answered", "unanswered", "open"]
    parquet = runner.invoke(app, ["requests", "--store", str(store), "-o", "-", "--format", "parquet"])
    assert parquet.exit_code == 2 and parquet.stderr == "error: --format parquet writes a binary file: give --output FILE\n"


def test_suffix_through_a_real_subprocess(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "req.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmark", "requests", "--store", str(store), "-o", str(target)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [r["request_id"] for r in json.loads(target.read_text(encoding="utf-8"))][:1] == ["300"]
    bad = subprocess.run(
        [sys.executable, "-m", "benchmark", "rank", "--store", str(store), "-o", str(tmp_path / "nope" / "r.csv")],
        capture_output=True, text=True, check=False,
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == f"error: --output {tmp_path / 'nope' / 'r.csv'}: folder {tmp_path / 'nope'} does not exist\n"


# Item 13: open requests are visible --------------------------------------------------------------------------


def test_rank_json_adds_open_and_the_counts_add_up(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--format", "json", "--min-requests", "1", "--open-window", "30d"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert list(rows[0])[3:8] == ["requests", "answered", "unanswered", "open", "response_rate"]
    assert {r["brand"]: (r["requests"], r["answered"], r["unanswered"], r["open"]) for r in rows} == {
        "BetaBank": (3, 3, 0, 0), "AcmeTel": (3, 2, 0, 1),
    }
    assert all(r["requests"] == r["answered"] + r["unanswered"] + r["open"] for r in rows)


def test_rank_table_shows_open(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", "--open-window", "30d"])
    assert result.exit_code == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "Brand" in line)
    assert [c.strip() for c in header.strip("┃").split("┃")][3:7] == ["Requests", "Answered", "Unanswered", "Open"]
    acme = next(line for line in result.stdout.splitlines() if "AcmeTel" in line)
    assert [c.strip() for c in acme.strip("│").split("│")][3:7] == ["3", "2", "0", "1"]


# Item 16: sector and period figures read like the table ------------------------------------------------------


def _cells(stdout: str, brand: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("│").split("│")] for line in stdout.splitlines() if f" {brand} " in line]


def test_sector_median_and_period_changes_are_human_in_tables(monthly: tuple[Path, Path]) -> None:
    path, brands = monthly
    args = ["rank", "--store", str(path), "--brands", str(brands), "--group-by", "sector", "--period", "month", "--min-requests", "1"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.stderr
    assert "Sector" in table.stdout and "sector_median" not in table.stdout  # the label, wrapped over two lines
    jan, feb = _cells(table.stdout, "NimbusTel")
    assert jan[:6] == ["1", "2024-01", "telco", "NimbusTel", "twitter", "45m"]  # sector median of 15m and 1h 15m
    assert jan[-4:] == ["—", "—", "—", "—"]
    assert feb[5] == "18m" and feb[-4:] == ["+1", "0 pp", "-10m", "-10m"]
    assert _cells(table.stdout, "OrbitMobile")[1][-4:] == ["-1", "0 pp", "-45m", "-45m"]
    md = runner.invoke(app, [*args, "--format", "markdown"])
    assert md.exit_code == 0, md.stderr
    assert md.stdout.splitlines()[4] == "| 1 | 2024-02 | telco | NimbusTel | twitter | 18m | 3 | 3 | 0 | 0 | 100% | 5m | 5m | 5m | 100% | 100% | 100% | +1 | 0 pp | -10m | -10m |"
    rows = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    feb_json = next(r for r in rows if r["brand"] == "NimbusTel" and r["period"] == "2024-02")
    assert (feb_json["sector_median"], feb_json["requests_change"], feb_json["frt_median_change_s"]) == (1050.0, 1.0, -600.0)


def test_sector_median_of_a_rate_is_a_percentage(monthly: tuple[Path, Path]) -> None:
    path, brands = monthly
    result = runner.invoke(app, ["rank", "--store", str(path), "--brands", str(brands), "--group-by", "sector", "--by", "within_30m", "--min-requests", "1"])
    assert result.exit_code == 0, result.stderr
    assert _cells(result.stdout, "NimbusTel")[0][4] == "66.7%"  # median of 100% and 33.3% (30m waits count)


def test_empty_ranking_per_period_says_the_threshold_applies_per_period(monthly: tuple[Path, Path]) -> None:
    path, brands = monthly
    result = runner.invoke(app, ["rank", "--store", str(path), "--brands", str(brands), "--period", "month", "--min-requests", "4"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "No brand has at least 4 requests with a value for frt_median_s in any one period: "
        "the threshold applies to each period (lower it with --min-requests)."
    )


def test_group_by_sector_needs_a_brands_file(store: Path) -> None:
    result = runner.invoke(app, ["rank", "--store", str(store), "--group-by", "sector"])
    assert result.exit_code == 2
    assert result.stderr == "error: --group-by sector needs sectors: give a brands file (--brands)\n"
    assert result.stdout == ""

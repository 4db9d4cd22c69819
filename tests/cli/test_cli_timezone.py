"""Issue 14, item 10: local time is UTC unless the user names a zone, and every output that uses it says which.

The golden TWCS fixture's requests are on Monday 2 October 2017 between 09:00 and 15:00 UTC: office hours in UTC
(and in Rome, UTC+2); in Tokyo (UTC+9) the 15:00 UTC request is Tuesday 00:00, a night request.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app

GOLDEN = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
runner = CliRunner()
NOTE_UTC = "local time (business hours, night/weekend, periods): UTC for every brand (set another with --timezone or in the brands file)"


@pytest.fixture(scope="module")
def store(golden_cli_store: Path) -> Path:
    return golden_cli_store


def _rank(store: Path, *args: str):
    result = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "1", *args])
    assert result.exit_code == 0, result.stderr
    return result


def test_without_a_brands_file_local_time_is_utc_and_said(store: Path) -> None:
    result = _rank(store, "--figures", "all", "--format", "json")
    rows = json.loads(result.stdout)
    assert {(r["brand"], r["timezone"]) for r in rows} == {("AcmeTel", "UTC"), ("BetaBank", "UTC")}
    assert NOTE_UTC in result.stderr.splitlines()
    table = _rank(store, "--figures", "all")
    assert "Off-hours in local time (UTC): office (Mon–Fri 08–22), night (22–08), weekend\n" in table.stdout
    md = _rank(store, "--figures", "all", "--format", "markdown").stdout.splitlines()
    assert "Time zone" in md[0].split(" | ") and md[2].split(" | ")[md[0].split(" | ").index("Time zone")] == "UTC"
    picked = _rank(store, "--period", "month", "--columns", "period,brand,timezone", "--format", "markdown")
    assert picked.stdout.splitlines()[2] == "| 2017-10 | BetaBank | UTC |"
    lacking = runner.invoke(app, ["rank", "--store", str(store), "--columns", "brand,timezone"])
    assert lacking.exit_code == 2 and lacking.stderr.splitlines()[-1] == "error: --columns timezone: this ranking has no such column (it comes with --figures all or --period)"


def test_timezone_moves_local_time(store: Path) -> None:
    result = _rank(store, "--figures", "all", "--format", "json", "--timezone", "Asia/Tokyo")
    beta = next(r for r in json.loads(result.stdout) if r["brand"] == "BetaBank")
    assert (beta["timezone"], beta["office_requests"], beta["night_requests"]) == ("Asia/Tokyo", 2, 1)
    assert "local time (business hours, night/weekend, periods): Asia/Tokyo for every brand" in result.stderr.splitlines()
    utc = next(r for r in json.loads(_rank(store, "--figures", "all", "--format", "json").stdout) if r["brand"] == "BetaBank")
    assert (utc["office_requests"], utc["night_requests"]) == (3, 0)


def test_tz_is_the_same_option_and_a_bad_zone_is_refused(store: Path) -> None:
    same = _rank(store, "--figures", "all", "--format", "csv", "--tz", "Asia/Tokyo")
    assert {r["timezone"] for r in csv.DictReader(io.StringIO(same.stdout))} == {"Asia/Tokyo"}
    bad = runner.invoke(app, ["rank", "--store", str(store), "--timezone", "Mars/Base"])
    assert bad.exit_code == 2
    assert bad.stderr == "error: --timezone 'Mars/Base' is not a time zone name like Europe/Rome, America/New_York or UTC\n"


def test_brands_file_zones_win_and_the_others_get_the_default(store: Path, tmp_path: Path) -> None:
    brands = tmp_path / "brands.toml"
    brands.write_text('# synthetic\n[[brand]]\nname = "AcmeTel"\ntimezone = "Europe/Rome"\naccounts = ["twitter:AcmeTel"]\n'
                      '[[brand]]\nname = "BetaBank"\naccounts = ["twitter:BetaBank"]\n')
    result = _rank(store, "--brands", str(brands), "--period", "month", "--format", "json", "--timezone", "Asia/Tokyo")
    assert {(r["brand"], r["timezone"]) for r in json.loads(result.stdout)} == {("AcmeTel", "Europe/Rome"), ("BetaBank", "Asia/Tokyo")}
    assert "local time (business hours, night/weekend, periods): Europe/Rome for 1 brand of the brands file; Asia/Tokyo for the others" in result.stderr.splitlines()
    default = _rank(store, "--brands", str(brands), "--period", "month")
    assert "local time (business hours, night/weekend, periods): Europe/Rome for 1 brand of the brands file; UTC for the others (set another with --timezone or in the brands file)" in default.stderr.splitlines()


def test_the_default_ranking_uses_no_local_time_and_says_nothing_about_it(store: Path) -> None:
    result = _rank(store, "--format", "json")
    assert "timezone" not in json.loads(result.stdout)[0]
    assert "local time" not in result.stderr


def test_requests_export_says_its_zone_and_follows_timezone(store: Path) -> None:
    result = runner.invoke(app, ["requests", "--store", str(store), "--timezone", "Asia/Tokyo"])
    assert result.exit_code == 0, result.stderr
    assert "local time (bh_frt_s, in_hours, night, weekend, slot, period): Asia/Tokyo for every brand" in result.stderr.splitlines()
    rows = {r["request_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["900"]["night"], rows["900"]["slot"], rows["700"]["slot"]) == ("true", "night", "office")
    utc = runner.invoke(app, ["requests", "--store", str(store)])
    assert "local time (bh_frt_s, in_hours, night, weekend, slot, period): UTC for every brand (set another with --timezone or in the brands file)" in utc.stderr
    assert {r["slot"] for r in csv.DictReader(io.StringIO(utc.stdout))} == {"office"}


def test_python_api_takes_the_same_zone(store: Path) -> None:
    table = bm.rank(store, min_requests=1, figures="all")
    assert set(table.get_column("timezone")) == {"UTC"}
    tokyo = bm.rank(store, min_requests=1, figures="all", timezone="Asia/Tokyo")
    assert tokyo.filter(tokyo["brand"] == "BetaBank").get_column("night_requests").to_list() == [1]
    assert bm.requests(store, timezone="Asia/Tokyo").filter(bm.requests(store)["request_id"] == "900").get_column("slot").to_list() == ["night"]


def test_report_and_charts_default_to_utc(store: Path) -> None:
    from benchmark.report.content import gather

    content = gather(store, charts=False)
    assert content.tz == "UTC"
    assert any("the hour-of-week heatmap and trends use the UTC time zone" in line for line in content.methodology)
    help_text = runner.invoke(app, ["chart", "--help"], env={"COLUMNS": "250"}).stdout
    assert "--timezone,--tz ZONE" in help_text.replace(", ", ",") and "Default: UTC." in help_text


def test_users_periods_say_they_are_utc(store: Path) -> None:
    result = runner.invoke(app, ["users", "--store", str(store), "--period", "week"])
    assert result.exit_code == 0, result.stderr
    assert "Most active customer accounts (top 10 per week, UTC)" in result.stdout

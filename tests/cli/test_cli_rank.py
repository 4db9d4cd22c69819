"""`benchmark rank` and `benchmark ingest` through typer's CliRunner and a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from benchmark.cli import app

GOLDEN = Path(__file__).parents[1] / "fixtures" / "twcs" / "golden.csv"
KEYS = [
    "rank", "brand", "platform", "requests", "answered", "unanswered", "open", "response_rate",
    "frt_median_s", "frt_mean_s", "frt_p90_s", "within_30m", "within_1h", "within_24h",
]
runner = CliRunner()


def _ingest(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(GOLDEN), "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    return store


def test_ingest_prints_counts_on_stderr_only(tmp_path):
    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(GOLDEN), "--store", str(store)])
    assert result.exit_code == 0
    assert result.stdout == ""
    line = next(l for l in result.stderr.splitlines() if "golden.csv" in l)
    assert line.split("│")[2:7] == [" twcs   ", "   19 ", "     19 ", "          0 ", "        0 "]
    again = runner.invoke(app, ["ingest", str(GOLDEN), "--store", str(store)])
    assert "already ingested: nothing new" in again.stderr


def test_rank_json_has_exactly_the_documented_keys(tmp_path):
    store = _ingest(tmp_path)
    result = runner.invoke(app, ["rank", "--store", str(store), "--format", "json", "--min-requests", "3"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [list(r) for r in rows] == [KEYS, KEYS]
    assert [(r["rank"], r["brand"], r["frt_median_s"]) for r in rows] == [(1, "BetaBank", 1200.0), (2, "AcmeTel", 1950.0)]
    assert rows[1]["within_1h"] == 2 / 3
    assert "1 requests not attributed to any brand" in result.stderr


def test_rank_json_keeps_brands_below_threshold_with_null_rank(tmp_path):
    store = _ingest(tmp_path)
    rows = json.loads(runner.invoke(app, ["rank", "--store", str(store), "--format", "json"]).stdout)
    assert {r["brand"]: r["rank"] for r in rows} == {"BetaBank": None, "AcmeTel": None}


def test_rank_table_shows_human_durations_and_lists_small_brands_apart(tmp_path):
    store = _ingest(tmp_path)
    result = runner.invoke(app, ["rank", "--store", str(store), "--min-requests", "3", "--by", "frt_mean_s"])
    assert result.exit_code == 0
    out = result.stdout
    assert "Ranking by frt_mean_s" in out
    acme = next(l for l in out.splitlines() if "AcmeTel" in l)
    assert "33m" in acme and "55m" in acme and "66.7%" in acme  # median 1,950 s = 32.5 m; p90 3,270 s = 54.5 m; 2/3
    beta = next(l for l in out.splitlines() if "BetaBank" in l)
    assert "8h 7m" in beta and "30s" not in beta  # mean 29,210 s = 8 h 6.8 m
    small = runner.invoke(app, ["rank", "--store", str(store)]).stdout
    assert "Not ranked (2): fewer than 100 requests" in small


def test_rank_csv_and_markdown(tmp_path):
    store = _ingest(tmp_path)
    out = runner.invoke(app, ["rank", "--store", str(store), "--format", "csv", "--min-requests", "1"]).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == KEYS and rows[0]["brand"] == "BetaBank" and rows[0]["frt_p90_s"] == "69360.0"
    md = runner.invoke(app, ["rank", "--store", str(store), "--format", "markdown", "--min-requests", "1"]).stdout
    assert md.splitlines()[2] == "| 1 | BetaBank | twitter | 3 | 3 | 0 | 0 | 100% | 20m | 8h 7m | 19h 16m | 66.7% | 66.7% | 100% |"


def test_rank_writes_output_file(tmp_path):
    store = _ingest(tmp_path)
    target = tmp_path / "out.json"
    result = runner.invoke(app, ["rank", "--store", str(store), "--format", "json", "--output", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    assert len(json.loads(target.read_text())) == 2


def test_rank_raw_files_without_a_store(tmp_path):
    result = runner.invoke(app, ["rank", str(GOLDEN), "--format", "json", "--min-requests", "1"])
    assert result.exit_code == 0, result.stderr
    assert [r["brand"] for r in json.loads(result.stdout)] == ["BetaBank", "AcmeTel"]
    assert "golden.csv" in result.stderr  # the ingest counts are shown


def test_since_until_options(tmp_path):
    store = _ingest(tmp_path)
    result = runner.invoke(app, ["rank", "--store", str(store), "--format", "json", "--min-requests", "0", "--since", "2017-10-02T11:00:00Z"])
    assert {r["brand"]: r["requests"] for r in json.loads(result.stdout)} == {"AcmeTel": 1, "BetaBank": 2}


def test_exit_codes_and_one_line_errors(tmp_path):
    store = _ingest(tmp_path)
    missing = runner.invoke(app, ["rank", "--store", str(tmp_path / "nope")])
    assert missing.exit_code == 1
    assert missing.stderr.strip().startswith("error: ") and len(missing.stderr.strip().splitlines()) == 1
    assert "not a benchmark store" in missing.stderr
    bad_by = runner.invoke(app, ["rank", "--store", str(store), "--by", "speed"])
    assert bad_by.exit_code == 2 and "cannot rank by 'speed'" in bad_by.stderr
    bad_date = runner.invoke(app, ["rank", "--store", str(store), "--since", "last week"])
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.stderr
    unknown_option = runner.invoke(app, ["rank", "--bogus"])
    assert unknown_option.exit_code == 2
    unknown_format = tmp_path / "notes.txt"
    unknown_format.write_text("hello\n")
    res = runner.invoke(app, ["ingest", str(unknown_format), "--store", str(store)])
    assert res.exit_code == 1 and f"error: {unknown_format}: unknown format" in res.stderr
    assert "Traceback" not in res.stderr + res.stdout


def test_internal_errors_show_a_traceback_only_with_verbose(tmp_path, monkeypatch):
    import benchmark.api

    store = _ingest(tmp_path)

    def broken(*args, **kwargs):
        secret = "customer phone 555-0100"  # noqa: F841 - must never be printed
        raise RuntimeError("boom")

    monkeypatch.setattr(benchmark.api, "measurement", broken)
    quiet = runner.invoke(app, ["rank", "--store", str(store)])
    assert quiet.exit_code == 1
    assert quiet.stderr.strip() == "internal error: RuntimeError: boom (run with --verbose for a traceback)"
    loud = runner.invoke(app, ["rank", "--store", str(store), "--verbose"])
    assert "Traceback" in loud.stderr and "555-0100" not in loud.stderr


def test_installed_command_pipes_json(tmp_path):
    store = _ingest(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "benchmark", "rank", "--store", str(store), "--format", "json", "--min-requests", "1"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["brand"] == "BetaBank"


def test_ctrl_c_that_python_wrapped_in_a_runtime_error_is_still_an_interrupt(tmp_path, monkeypatch):
    """Ctrl-C while a class is being created (a dataclass's ``__set_name__``, as a module imports) reaches the
    command as ``RuntimeError: Error calling __set_name__ ...`` caused by the KeyboardInterrupt: it is an
    interrupt (one line, exit 130), not an internal error (seen once in CI, in the Ctrl-C-at-any-moment test)."""
    import benchmark.api

    store = _ingest(tmp_path)

    def interrupted(*args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance 'by_handle' in 'BrandAccounts'") from exc

    monkeypatch.setattr(benchmark.api, "measurement", interrupted)
    result = runner.invoke(app, ["rank", "--store", str(store)])
    assert result.exit_code == 130
    assert result.stderr.strip() == "interrupted: nothing half-written was kept"

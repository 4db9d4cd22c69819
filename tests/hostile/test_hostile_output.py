"""Issue 6, output safety: HTML escapes hostile brand names and texts, loads nothing from the network,
carries a CSP; CSV for spreadsheets neutralises formula injection behind --spreadsheet-safe.
Synthetic brands (see tests/hostile/test_hostile_store.py HOSTILE_NAMES)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from test_hostile_store import HOSTILE_NAMES, MAPPING, write_generic
from typer.testing import CliRunner

from benchmark.cli import app

runner = CliRunner()
IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["ingest", str(write_generic(tmp / "brands.csv")), *MAPPING, "--store", str(tmp / "st")])
    assert result.exit_code == 0, result.output
    return tmp / "st"


def test_html_report_escapes_hostile_names_and_loads_nothing(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert runner.invoke(app, ["report", "--store", str(store), "--output", str(out), "--min-requests", "1"]).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert IMG not in html and "<img src=x" not in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html or "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert len(re.findall(r"<script\b", html)) == 1  # the report's own sorting script only
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html, re.I)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert policy and "default-src 'none'" in policy.group(1) and "unsafe-inline" not in policy.group(1)


def csv_cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_rank_csv_is_spreadsheet_safe_only_when_asked(store: Path) -> None:
    args = ["rank", "--store", str(store), "--format", "csv", "--min-requests", "1"]
    plain = runner.invoke(app, args)
    safe = runner.invoke(app, [*args, "--spreadsheet-safe"])
    assert plain.exit_code == safe.exit_code == 0
    plain_brands = {r["brand"] for r in csv_cells(plain.stdout)}
    safe_brands = {r["brand"] for r in csv_cells(safe.stdout)}
    assert '=HYPERLINK("http://x")' in plain_brands  # as written: scripts get the real value
    assert "'=HYPERLINK(\"http://x\")" in safe_brands and '=HYPERLINK("http://x")' not in safe_brands
    assert all(not b.startswith(("=", "+", "-", "@")) for b in safe_brands)
    assert safe_brands - {"'=HYPERLINK(\"http://x\")"} == plain_brands - {'=HYPERLINK("http://x")'}  # nothing else changed
    assert [r["requests"] for r in csv_cells(safe.stdout)] == [r["requests"] for r in csv_cells(plain.stdout)]


def test_requests_csv_is_spreadsheet_safe(store: Path) -> None:
    result = runner.invoke(app, ["requests", "--store", str(store), "--format", "csv", "--spreadsheet-safe"])
    assert result.exit_code == 0, result.output
    rows = csv_cells(result.stdout)
    assert len(rows) == len(HOSTILE_NAMES)
    for r in rows:
        assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for k, v in r.items() if k != "frt_s"), r
    assert any(r["brand"] == "'=HYPERLINK(\"http://x\")" for r in rows)


def test_spreadsheet_safe_flag_is_documented() -> None:
    for command in ("rank", "requests"):
        help_text = runner.invoke(app, [command, "--help"]).output
        assert "--spreadsheet-safe" in help_text

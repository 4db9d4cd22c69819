"""The report's methodology names the first-response rule it measured with (issue 16, item 3)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app

THREAD_EN = (
    "Its first response is the earliest message by the same brand anywhere in that thread, "
    "sent at or after the request (first-response rule: thread)."
)
DIRECT_EN = (
    "Its first response is the earliest message by the same brand that replies directly to the request, "
    "sent at or after the request; a brand answer elsewhere in the thread does not count (first-response rule: direct)."
)
DIRECT_IT = (
    "La sua prima risposta è il primo messaggio dello stesso brand che risponde direttamente alla richiesta, "
    "inviato dopo la richiesta o nello stesso istante; una risposta del brand altrove nella conversazione non conta "
    "(regola della prima risposta: direct)."
)


@pytest.mark.parametrize(
    ("rule", "lang", "line"), [("thread", "en", THREAD_EN), ("direct", "en", DIRECT_EN), ("direct", "it", DIRECT_IT)]
)
def test_methodology_names_the_first_response_rule(golden_store, rule, lang, line):
    c = bm.report.gather(golden_store, min_requests=1, lang=lang, first_response=rule, charts=False)
    assert c.methodology[1] == line
    assert len(c.methodology) == 6


def test_markdown_report_says_direct(golden_store, tmp_path):
    out = tmp_path / "r.md"
    result = CliRunner().invoke(
        app, ["report", "--store", str(golden_store.path), "--format", "markdown", "--first-response", "direct", "-o", str(out), "--min-requests", "1"]
    )
    assert result.exit_code == 0, result.stderr
    assert f"2. {DIRECT_EN}" in out.read_text(encoding="utf-8").splitlines()


def test_methodology_says_when_automated_replies_were_left_out(golden_store):
    c = bm.report.gather(golden_store, min_requests=1, skip_automated=True, charts=False)
    assert c.methodology[2] == (
        "Automated replies were left out (the same text sent to 5 or more customers, each within 10 seconds of their "
        "message): response times measure the first human response."
    )
    assert len(c.methodology) == 7
    assert not any("Automated" in line for line in bm.report.gather(golden_store, min_requests=1, charts=False).methodology)


def test_cli_report_skip_automated(golden_store, tmp_path):
    out = tmp_path / "r.md"
    result = CliRunner().invoke(
        app, ["report", "--store", str(golden_store.path), "--format", "markdown", "--skip-automated", "-o", str(out), "--min-requests", "1"]
    )
    assert result.exit_code == 0, result.stderr
    assert any(line.startswith("3. Automated replies were left out") for line in out.read_text(encoding="utf-8").splitlines())

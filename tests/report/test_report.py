"""HTML report and Markdown summary: hand-worked figures, escaping, no network, strict CSP, CLI contract."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from report_fixtures import GOLDEN_TWCS, XSS, golden, store, synthetic_store  # noqa: F401  (fixtures)
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.report.html import csp_hash




@pytest.fixture(scope="module")
def html(store: bm.Store) -> str:
    return bm.report.html(store, min_requests=5, title="Care <b>check</b> " + XSS)


def test_markdown_golden_figures(golden: bm.Store) -> None:
    md = bm.report.markdown(golden, min_requests=3)
    # tests/fixtures/twcs/README.md: BetaBank FRTs [30, 1200, 86400] → median 1,200 s = 20m,
    # p90 = 1,200 + 0.8 × 85,200 = 69,360 s = 1,156 min = 19h 16m; within 1h 2/3 = 66.7%.
    assert "| 1 | BetaBank | 3 | 100% | 20m | 19h 16m | 66.7% |" in md
    # AcmeTel FRTs [300, 3600] → median 1,950 s = 32.5 min, shown as 33m (halves round up);
    # p90 = 300 + 0.9 × 3,300 = 3,270 s = 54.5 min → 55m; 2 of 3 answered = 66.7%; within 1h 2/3.
    # One platform only, so no Platform column.
    assert "| 2 | AcmeTel | 3 | 66.7% | 33m | 55m | 66.7% |" in md
    assert "- Requests not attributed to any brand (not ranked): 1" in md
    assert "- Messages replying to a message not in the data: 1" in md
    assert "6 requests between October 2, 2017 and" in md  # 3 + 3 attributed requests


def test_markdown_in_italian_formats_numbers_the_italian_way(golden: bm.Store) -> None:
    md = bm.report.markdown(golden, min_requests=3, lang="it")
    assert "| 2 | AcmeTel | 3 | 66,7% | 33m | 55m | 66,7% |" in md
    assert "## Metodologia" in md


def test_markdown_escapes_brand_markup(store: bm.Store) -> None:
    md = bm.report.markdown(store, min_requests=5)
    assert XSS not in md
    assert "\\<script\\>alert(1)\\</script\\>" in md


def test_html_escapes_user_text(html: str) -> None:
    assert XSS not in html
    assert "<b>check</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Care &lt;b&gt;check&lt;/b&gt;" in html
    assert len(re.findall(r"<script\b", html)) == 1  # only our own sorting script


def test_html_has_no_network_references(html: str) -> None:
    assert not re.search(r"https?://", html, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?//", html, re.I)  # protocol-relative URLs
    assert "@import" not in html and "url(" not in html
    for src in re.findall(r'src="([^"]+)"', html):
        assert src.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        assert "<script" not in svg and not re.search(r'(xlink:)?href="https?:', svg)


def test_html_csp_allows_only_its_own_inline_style_and_script(html: str) -> None:
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy and "img-src data:" in policy and "base-uri 'none'" in policy
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)  # type: ignore[union-attr]
    assert f"style-src {csp_hash(style)}" in policy
    assert f"script-src {csp_hash(script)}" in policy
    assert "unsafe-inline" not in policy
    assert " style=" not in html  # inline style attributes would be blocked by the policy


def test_html_content(html: str) -> None:
    assert html.count("<figure") == 5 and html.count('<img src="data:image/svg+xml;base64,') == 5
    assert 'class="sortable ranking"' in html  # issue 15 item 10: the ranking table becomes cards on a phone
    # ranked table: AcmeTel (median 600 s = 10m) before BetaBank (7,200 s = 2h)
    assert html.index(">AcmeTel<") < html.index(">BetaBank<")
    assert '<td class="c-frt_median_s card" data-label="Median FRT" data-v="600.0">10m</td>' in html
    assert "Files ingested" in html and "synthetic_twcs.csv" in html
    assert "Methodology" in html and "First-response time (FRT)" in html


def test_cli_report_html_and_markdown(store: bm.Store, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "reports" / "r.html"
    result = runner.invoke(app, ["report", "--store", str(store.path), "--output", str(out), "--lang", "it", "--min-requests", "5"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert '<html lang="it">' in text and "Classifica" in text
    result = runner.invoke(app, ["report", "--store", str(store.path), "--format", "markdown", "--min-requests", "5"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Social customer care benchmark")


@pytest.mark.parametrize(
    "extra, code, message",
    [
        (["--format", "pdf"], 2, "--format 'pdf'"),
        (["--lang", "fr"], 2, "--lang 'fr'"),
        (["--tz", "Nowhere/Land"], 2, "not a time zone"),
        (["--since", "yesterday"], 2, "is not a date"),
    ],
)
def test_cli_report_usage_errors(store: bm.Store, extra: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(app, ["report", "--store", str(store.path), *extra])
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.stderr


def test_report_of_an_empty_selection_still_renders(store: bm.Store) -> None:
    page = bm.report.html(store, since="2030-01-01")
    assert "Not enough data for this chart." in page and "<img" not in page

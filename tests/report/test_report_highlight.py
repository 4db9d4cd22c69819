"""``--highlight BRAND`` (issue 15, item 8): coloured in every table and chart, a comparison card, unknown names refused.

Figures from tests/report_fixtures.py with min_requests=5: ranked 1 AcmeTel (10m, 100%, ≤1h 100%) and
2 BetaBank (2h, 80%, ≤1h 0%). The peers' median over the 2 ranked brands: median FRT (600 + 7,200) / 2
= 3,900 s = 1h 5m, response rate (100% + 80%) / 2 = 90%, ≤1h (100% + 0%) / 2 = 50%.
"""

from __future__ import annotations

import html
import re

import pytest
from report_fixtures import XSS, store  # noqa: F401  (fixture)
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.errors import UsageError


def _text(part: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)))


def test_comparison_card(store: bm.Store) -> None:
    c = bm.report.gather(store, min_requests=5, charts=False, highlight="betabank")  # case does not matter
    assert c.highlight == "BetaBank"
    [card] = c.comparison
    assert (card.rank, card.peers, card.basis) == ("rank 2 of 2", "median of the 2 ranked brands", "n = 8 answered of 10 requests")
    assert [f[1:] for f in card.figures] == [("Median FRT", "2h", "1h 5m"), ("Response rate", "80%", "90%"), ("≤1h", "0%", "50%")]


def test_unranked_brand_card_says_why(store: bm.Store) -> None:
    [card] = bm.report.gather(store, min_requests=5, charts=False, highlight="GammaAir").comparison
    assert card.rank == "not ranked (fewer than 5 requests or none answered)"
    assert card.figures[0][1:] == ("Median FRT", "1d 1h", "1h 5m")


def test_page_marks_the_brand_everywhere(store: bm.Store) -> None:
    page = bm.report.html(store, min_requests=5, highlight="BetaBank")
    card = page[page.index('<div class="compare" id="highlight">'):page.index('<h3 id="changes">')]
    assert _text(card).split() == "BetaBank against its peers rank 2 of 2 Its figure Peers' median Median FRT 2h 1h 5m Response rate 80% 90% ≤1h 0% 50% n = 8 answered of 10 requests; peers' median: median of the 2 ranked brands".split()
    ranking = page[page.index('<section id="ranking">'):page.index('<section id="hours">')]
    assert ranking.count('<tr class="highlight">') == 1 and '<tr class="highlight">\n<td class="c-rank card" data-label="#" data-v="2">2</td>\n<td class="c-brand card text" data-label="Brand">BetaBank</td>' in ranking
    changes = page[page.index('<h3 id="changes">'):page.index('<section id="ranking">')]
    assert '<tr class="highlight">\n<td class="text" data-label="Brand">BetaBank</td>' in changes
    assert page.count('<article class="brand highlight">') == 1
    hours = page[page.index('<section id="hours">'):page.index('<section id="charts">')]
    assert hours.count('<tr class="highlight"><td class="text">BetaBank</td>') == 4  # all hours, office, nights, weekends
    assert "highlight" not in bm.report.html(store, min_requests=5, charts=False).split("<body>")[1].split("<script>")[0].replace("--highlight", "")


def test_highlighting_a_markup_name_escapes_it(store: bm.Store) -> None:
    page = bm.report.html(store, min_requests=3, highlight=XSS)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; against its peers" in page and XSS not in page


def test_charts_draw_the_highlight(store: bm.Store) -> None:
    plain = bm.report.gather(store, min_requests=5).charts
    marked = bm.report.gather(store, min_requests=5, highlight="BetaBank").charts
    differs = {a.key for a, b in zip(plain, marked, strict=True) if a.data_uri != b.data_uri}
    assert differs == {"ranking", "map", "distribution", "trend"}  # the heatmap sums every brand


def test_unknown_brand_is_refused_with_the_nearest_name(store: bm.Store) -> None:
    with pytest.raises(UsageError, match=r"^--highlight 'BetaBnk': no brand of that name in the data \(did you mean BetaBank\?\)$"):
        bm.report.gather(store, charts=False, highlight="BetaBnk")
    with pytest.raises(UsageError, match=r"^--highlight 'Zzz': no brand of that name in the data$"):
        bm.chart.ranking(store, highlight="Zzz")


@pytest.mark.parametrize("command", [["report", "-o", "{tmp}/r.html"], ["chart", "ranking", "-o", "{tmp}/r.png"], ["chart", "map", "-o", "{tmp}/m.png"]])
def test_cli_refuses_an_unknown_brand(store: bm.Store, tmp_path, command: list[str]) -> None:
    args = [a.format(tmp=tmp_path) for a in command] + ["--store", str(store.path), "--highlight", "acme tel"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == "error: --highlight 'acme tel': no brand of that name in the data (did you mean AcmeTel?)\n"
    assert list(tmp_path.iterdir()) == []


def test_cli_highlight_writes_report_and_chart(store: bm.Store, tmp_path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--store", str(store.path), "-o", str(out), "--min-requests", "5", "--highlight", "BetaBank"])
    assert result.exit_code == 0, result.stderr
    assert '<div class="compare" id="highlight">' in out.read_text()
    result = CliRunner().invoke(app, ["chart", "trend", "--store", str(store.path), "-o", str(tmp_path / "t.png"), "--highlight", "AcmeTel"])
    assert result.exit_code == 0, result.stderr


def test_cli_heatmap_refuses_highlight(store: bm.Store, tmp_path) -> None:
    result = CliRunner().invoke(app, ["chart", "heatmap", "--store", str(store.path), "-o", str(tmp_path / "h.png"), "--highlight", "AcmeTel"])
    assert result.exit_code == 2
    assert result.stderr == "error: --highlight: the heatmap chart shows every brand's requests together; highlight a brand on ranking, map, distribution or trend\n"

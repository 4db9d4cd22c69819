"""Jupyter display of a ranking and a measurement (issue 15, item 13): human units, the n, the rank, escaped.

Figures from tests/report_fixtures.py (see tests/report/test_report_page.py for the hand-worked numbers).
"""

from __future__ import annotations

import re

import polars as pl
from report_fixtures import XSS, store  # noqa: F401  (fixture)

import benchmark as bm
from benchmark.display import Ranking, human


def _rows(html: str) -> list[list[str]]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [re.findall(r"<td[^>]*>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", body)]


def _headers(html: str) -> list[str]:
    return re.findall(r"<th style=[^>]*>(.*?)</th>", html)


def test_ranking_shows_rank_n_and_human_figures(store: bm.Store) -> None:
    r = bm.rank(store, min_requests=5)
    assert isinstance(r, Ranking) and isinstance(r, pl.DataFrame)
    html = r._repr_html_()
    assert _headers(html) == ["Rank", "Brand", "Platform", "Requests (n)", "Answered", "Response rate", "Median FRT", "≤1h"]
    assert _rows(html) == [
        ["1", "AcmeTel", "twitter", "12", "12", "100%", "10m", "100%"],
        ["2", "BetaBank", "twitter", "10", "8", "80%", "2h", "0%"],
        ["—", "&lt;script&gt;alert(1)&lt;/script&gt;", "twitter", "3", "3", "100%", "5m", "100%"],
        ["—", "GammaAir", "twitter", "2", "1", "50%", "1d 1h", "0%"],
    ]
    assert XSS not in html
    assert "2 of 4 rows ranked" in html and "5 more columns in the frame (unanswered, frt_mean_s, frt_p90_s, within_30m, within_24h)" in html


def test_ranking_with_every_figure_stays_a_short_table(store: bm.Store) -> None:
    r = bm.rank(store, min_requests=5, figures="all")
    html = r._repr_html_()
    assert len(_headers(html)) == 8  # the sector column is left out: no brands file, all empty
    assert f"{len(r.columns) - 8} more columns in the frame (" in html


def test_period_changes_are_signed(store: bm.Store) -> None:
    r = bm.rank(store, min_requests=5, period="month")
    html = r._repr_html_()
    assert _headers(html)[:2] == ["Rank", "Period"] and _headers(html)[-3:] == ["Δ requests", "Δ response rate", "Δ median FRT"]
    beta_october = [row for row in _rows(html) if row[1] == "2017-10" and row[2] == "BetaBank"]
    assert beta_october == [["2", "2017-10", "BetaBank", "twitter", "5", "3", "60%", "2h", "0%", "0", "-40 pp", "0s"]]


def test_measurement_display(store: bm.Store) -> None:
    html = bm.measurement(store)._repr_html_()
    assert html.startswith("<p>Measurement (polars): 27 requests to 4 brand pages, 2017-09-04 to 2017-10-30 (UTC)</p>")
    assert "0 of 4 rows ranked" in html and "ranked by median FRT with at least 100 requests" in html
    assert ["—", "GammaAir", "twitter", "2", "1", "50%", "1d 1h", "0%"] in _rows(html)
    assert XSS not in html


def test_human_cells() -> None:
    assert human("frt_median_change_s", -5160.0) == "-1h 26m"
    assert human("response_rate_change", 0.025) == "+2.5 pp"
    assert human("requests_change", -1234.0) == "-1,234"
    assert human("frt_p90_s", None) == "—"
    assert human("brand", "<b>") == "<b>"  # escaping is the table's job: see the tests above

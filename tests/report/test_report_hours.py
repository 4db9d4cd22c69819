"""All hours, office hours, nights and weekends in the report (issue 15, item 7).

The slot figures must be those of ``rank --figures all``; quickest and slowest reply are worked by hand
from tests/fixtures/twcs/README.md: AcmeTel's FRTs [300, 3600], BetaBank's [30, 1200, 86400].
"""

from __future__ import annotations

import html
import re

import polars as pl
from report_fixtures import golden, store  # noqa: F401  (fixtures)

import benchmark as bm


def _text(part: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)))


def test_quickest_and_slowest_reply_of_the_golden_store(golden: bm.Store) -> None:
    c = bm.report.gather(golden, min_requests=3, charts=False)
    every = {r["brand"]: (r["quickest"], r["slowest"], r["frt_median_s"]) for r in c.hours[0].rows}
    assert c.hours[0].key == "all"
    assert every == {"BetaBank": ("30s", "1d", "20m"), "AcmeTel": ("5m", "1h", "33m")}


def test_slots_are_the_figures_of_rank_figures_all(store: bm.Store) -> None:
    c = bm.report.gather(store, min_requests=5, charts=False)
    assert [h.key for h in c.hours] == ["all", "office", "night", "weekend"]
    ranked = bm.rank(store, min_requests=5, figures="all")
    for h in c.hours[1:]:
        want = {
            r["brand"]: (str(r[f"{h.key}_requests"]), str(r[f"{h.key}_answered"]))
            for r in ranked.filter(pl.col(f"{h.key}_requests") > 0).iter_rows(named=True)
        }
        assert {r["brand"]: (r["requests"], r["answered"]) for r in h.rows} == want
    # Hand check (report_fixtures, UTC): BetaBank's request i is at 4 Sep 08:00 + (5i + 1) d + (3i + 1) h, so
    # i = 1 (Sun 10 Sep), 5 (Sun 1 Oct 00:00) and 9 (Sat 21 Oct) are weekend ones; i < 8 are answered: 2 of 3.
    # Nights: i = 6 (Fri 03:00) and 7 (Wed 06:00), both answered.
    weekend = {r["brand"]: r for r in c.hours[3].rows}
    assert (weekend["BetaBank"]["requests"], weekend["BetaBank"]["response_rate"]) == ("3", "66.7%")
    night = {r["brand"]: r for r in c.hours[2].rows}
    assert (night["BetaBank"]["requests"], night["BetaBank"]["answered"]) == ("2", "2")


def test_page_shows_the_four_tables(store: bm.Store) -> None:
    page = bm.report.html(store, min_requests=5)
    section = page[page.index('<section id="hours">'):page.index('<section id="charts">')]
    assert '<li><a href="#hours">Hours</a></li>' in page
    text = _text(section)
    assert " All hours Brand Requests (n) Response rate Median FRT Median FRT in business hours Quickest reply Slowest reply AcmeTel 12 100% 10m 10m 10m 10m BetaBank 10 80% 2h 2h 2h 2h " in text
    assert " Weekends Brand Requests (n) Response rate Median FRT Quickest reply Slowest reply AcmeTel 3 100% 10m 10m 10m BetaBank 3 66.7% 2h 2h 2h " in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "<script>alert" not in section


def test_hours_in_italian(store: bm.Store) -> None:
    text = _text(bm.report.html(store, min_requests=5, lang="it"))
    assert " Fine settimana Brand Richieste (n) Tasso di risposta FRT mediano Risposta più rapida Risposta più lenta AcmeTel 3 100% 10m " in text

"""Each brand's change versus the previous month in the report (issue 15, item 6, rest).

Worked out by hand from tests/report_fixtures.py: request i of brand b is at 2017-09-04 08:00 UTC
+ (5i + b) days + (3i + b) hours. AcmeTel (b=0): i=0..5 fall in September (i=5: 29 Sep 23:00),
i=6..11 in October: 6 and 6, all answered in 10m. BetaBank (b=1): i=0..4 in September, i=5 lands
on 1 Oct 00:00, so 5 and 5; i < 8 are answered (2h), so September 5/5 = 100%, October 3/5 = 60%
(-40 pp). The XSS brand and GammaAir have requests in September only: no previous month, no row.
The data ends on 30 Oct, so October is partial.
"""

from __future__ import annotations

import re

from report_fixtures import store  # noqa: F401  (fixture)

import benchmark as bm
from benchmark import api
from benchmark.rank import rank_table


def _section(page: str) -> str:
    part = page[page.index('<h3 id="changes">'):page.index('<section id="ranking">')]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def test_changes_are_the_ranks_period_changes(store: bm.Store) -> None:
    c = bm.report.gather(store, min_requests=5, charts=False)
    got = [(x.brand, x.period, x.previous, x.partial, x.requests, x.previous_requests, x.requests_change,
            x.response_rate, x.response_rate_change, x.answered, x.frt_median, x.frt_median_change) for x in c.changes]
    assert got == [
        ("AcmeTel", "October 2017", "September 2017", True, "6", "6", "0", "100%", "0 pp", "6", "10m", "0s"),
        ("BetaBank", "October 2017", "September 2017", True, "5", "5", "0", "60%", "-40 pp", "3", "2h", "0s"),
    ]
    # The same numbers rank --period month computes.
    m = api.measurement(store, options=api.metric_options(period="month", extended=False))
    beta = rank_table(m.table, min_requests=5).filter(brand="BetaBank", period="2017-10").row(0, named=True)
    assert beta["response_rate_change"] == -0.4 and beta["requests"] == 5


def test_report_shows_changes_with_their_n(store: bm.Store) -> None:
    page = bm.report.html(store, min_requests=5)
    text = _section(page)
    assert text.startswith(" Change versus the previous month ")
    assert " BetaBank October 2017 (partial) vs September 2017 0 n = 5 (previous 5) 60% -40 pp n = 3 answered of 5 2h 0s " in text
    assert page.index('<h3 id="changes">') < page.index('<section id="ranking">')


def test_changes_in_italian(store: bm.Store) -> None:
    text = _section(bm.report.html(store, min_requests=5, lang="it"))
    assert text.startswith(" Variazione rispetto al mese precedente ")
    assert " BetaBank ottobre 2017 (parziale) rispetto a settembre 2017 0 n = 5 (prima 5) 60% -40 pp n = 3 con risposta su 5 2h 0s " in text


def test_change_cells_are_signed_in_the_reports_language() -> None:
    from benchmark.report.i18n import change

    assert change("response_rate_change", -0.025, "en") == "-2.5 pp"
    assert change("response_rate_change", -0.025, "it") == "-2,5 pp"
    assert change("requests_change", 1234.0, "it") == "+1.234"
    assert change("frt_median_change_s", -5160.0, "en") == "-1h 26m"
    assert change("frt_median_change_s", None, "en") == "—"


def test_markdown_has_the_changes_table(store: bm.Store) -> None:
    md = bm.report.markdown(store, min_requests=5)
    assert "| BetaBank | October 2017 (partial) vs September 2017 | 0 (n = 5 (previous 5)) | 60% -40 pp (n = 3 answered of 5) | 2h 0s |" in md
    assert md.index("**Change versus the previous month**") < md.index("## Ranking")

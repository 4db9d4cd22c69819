"""The report page (issue 15, items 6, 9, 10, 12): headline figures, grouped coverage, phone layout, PDF.

Figures are worked out by hand from tests/report_fixtures.py and tests/fixtures/twcs/README.md.
The browser tests drive Debian's ``chromium`` the way tests/report/test_report_browser.py does; the
screenshots are kept next to the test's temporary files (and copied to ``$REPORT_SCREENSHOT_DIR``
when set) for a person to look at.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from report_fixtures import GOLDEN_TWCS, XSS, golden, store, synthetic_store  # noqa: F401  (fixtures)
from test_report_browser import CHROMIUM, visit
from typer.testing import CliRunner

import benchmark as bm
from benchmark import api
from benchmark.cli import app
from benchmark.loaders.generic_csv import mapping_from_pairs
from benchmark.report.content import overall

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")



def _headline(content: bm.report.ReportContent) -> dict[str, tuple[str | None, str, str]]:
    return {h.key: (h.brand, h.value, h.basis) for h in content.headline}


def _text(html: str, start: str, end: str) -> str:
    part = html[html.index(start):html.index(end)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


# --- 6: headline figures -------------------------------------------------------------------------------


def test_headline_figures_of_the_synthetic_store(store: bm.Store) -> None:
    # report_fixtures.BRANDS: AcmeTel 12 requests, all answered in 600 s; BetaBank 10, 8 answered in 7,200 s;
    # XSS brand 3, all in 300 s; GammaAir 2, 1 answered in 90,000 s. No request is open (the data ends
    # 30 Oct 17:10; the last unanswered request is from 20 Oct, older than 72 h).
    # Requests 12 + 10 + 3 + 2 = 27; answered 12 + 8 + 3 + 1 = 24 → 24/27 = 88.9%.
    # Answered FRTs sorted: 3 × 300, 12 × 600, 8 × 7,200, 1 × 90,000; the 12th and 13th of 24 are both 600 → 10m.
    # Within 1 h: 3 + 12 = 15 of 27 = 55.6%.
    # Ranked (≥ 5 requests): 1 AcmeTel (10m), 2 BetaBank (2h); the XSS brand is fastest overall but not ranked.
    c = bm.report.gather(store, min_requests=5, charts=False)
    h = _headline(c)
    assert h["requests"] == (None, "27", "n = every request to 4 brands")
    assert h["response_rate"] == (None, "88.9%", "n = 24 answered of 27 requests")
    assert h["frt_median_s"] == (None, "10m", "n = 24 answered requests")
    assert h["within_1h"] == (None, "55.6%", "n = 15 of 27 requests")
    assert h["fastest"] == ("AcmeTel", "10m", "median FRT · rank 1 of 2 · n = 12 answered of 12 requests (100%)")
    assert h["slowest"] == ("BetaBank", "2h", "median FRT · rank 2 of 2 · n = 8 answered of 10 requests (80%)")
    assert c.period == "September 4, 2017 to October 30, 2017"  # dates in the locale (item 11), from CLDR


def test_headline_agrees_with_the_measurement(store: bm.Store) -> None:
    m = api.measurement(store, options=api.metric_options())
    o = overall(m)
    t = m.table
    assert o["requests"] == m.diagnostics.requests == t.get_column("requests").sum() == 27
    assert o["answered"] == t.get_column("answered").sum() == 24
    assert o["frt_median_s"] == m.facts.get_column("frt_s").median() == 600.0
    assert o["response_rate"] == pytest.approx(24 / 27)
    assert o["within_1h"] == pytest.approx(15 / 27) and o["n_within_1h"] == 15


def test_headline_of_the_golden_store(golden: bm.Store) -> None:
    # tests/fixtures/twcs/README.md: AcmeTel FRTs [300, 3600] of 3 requests, BetaBank [30, 1200, 86400] of 3.
    # All 5 FRTs sorted [30, 300, 1200, 3600, 86400] → median 1,200 s = 20m; 5/6 = 83.3%; within 1 h
    # (3,600 counts) 4 of 6 = 66.7%. Ranked with min_requests=3: 1 BetaBank 20m, 2 AcmeTel 33m.
    # The unattributed request (800) is in no brand's figures, so not in the headline either.
    h = _headline(bm.report.gather(golden, min_requests=3, charts=False))
    assert h["requests"][1:] == ("6", "n = every request to 2 brands")
    assert h["response_rate"][1:] == ("83.3%", "n = 5 answered of 6 requests")
    assert h["frt_median_s"][1:] == ("20m", "n = 5 answered requests")
    assert h["within_1h"][1:] == ("66.7%", "n = 4 of 6 requests")
    assert h["fastest"][:2] == ("BetaBank", "20m") and h["slowest"][:2] == ("AcmeTel", "33m")


def test_open_requests_leave_the_shares_and_are_named(golden: bm.Store) -> None:
    # With a 30-day open window, AcmeTel's request 300 (8 days old at the end of the data) is open:
    # the shares divide by 5 requests, not 6 (README: AcmeTel's response rate becomes 2/2).
    m = api.measurement(golden, options=api.metric_options(open_window="30d"))
    o = overall(m)
    assert (o["requests"], o["open"], o["closed"], o["answered"]) == (6, 1, 5, 5)
    assert o["response_rate"] == 1.0 and o["within_1h"] == pytest.approx(4 / 5)


def test_headline_comes_first_with_the_period_in_the_title(store: bm.Store) -> None:
    page = bm.report.html(store, min_requests=5)
    assert "<title>Social customer care benchmark · September 4, 2017 to October 30, 2017</title>" in page
    assert '<h1>Social customer care benchmark<span class="period">September 4, 2017 to October 30, 2017</span></h1>' in page
    assert page.index('<section id="headline">') < page.index('<section id="ranking">')
    text = _text(page, '<section id="headline">', '<section id="ranking">')
    assert " Response rate 88.9% n = 24 answered of 27 requests " in text
    assert " Fastest ranked brand AcmeTel 10m median FRT · rank 1 of 2 " in text
    assert " Slowest ranked brand BetaBank 2h " in text


def test_headline_in_italian(store: bm.Store) -> None:
    c = bm.report.gather(store, min_requests=5, lang="it", charts=False)
    h = _headline(c)
    assert c.period == "dal 4 settembre 2017 al 30 ottobre 2017"
    assert h["response_rate"] == (None, "88,9%", "n = 24 con risposta su 27 richieste")
    assert h["within_1h"] == (None, "55,6%", "n = 15 su 27 richieste")
    assert h["fastest"] == ("AcmeTel", "10m", "FRT mediano · posizione 1 su 2 · n = 12 con risposta su 12 richieste (100%)")
    assert [x.label for x in c.headline][-2:] == ["Brand in classifica più veloce", "Brand in classifica più lento"]


def test_headline_without_ranked_brands_says_so(store: bm.Store) -> None:
    h = _headline(bm.report.gather(store, min_requests=100, charts=False))
    assert "fastest" not in h and "slowest" not in h
    assert h["no_ranked"][2] == "No brand has at least 100 requests, so none is ranked; all figures are listed below."
    assert h["requests"][1] == "27"  # the overall figures do not depend on the ranking


def test_headline_escapes_brand_names(tmp_path: Path) -> None:
    # A brand named like markup that is the fastest ranked brand appears escaped in the headline card.
    st = synthetic_store(tmp_path)
    page = bm.report.html(st, min_requests=3)
    text = page[page.index('<section id="headline">'):page.index('<section id="ranking">')]
    assert '<div class="kpi-name">&lt;script&gt;alert(1)&lt;/script&gt;</div>' in text and XSS not in page


def test_markdown_leads_with_the_headline(store: bm.Store) -> None:
    md = bm.report.markdown(store, min_requests=5)
    assert md.startswith("# Social customer care benchmark · September 4, 2017 to October 30, 2017\n")
    assert "- **Median first response**: 10m (n = 24 answered requests)" in md
    assert "- **Slowest ranked brand**: BetaBank, 2h (median FRT · rank 2 of 2 · n = 8 answered of 10 requests (80%))" in md
    assert md.index("**Requests**") < md.index("## Ranking")


def test_empty_selection_has_no_headline(store: bm.Store) -> None:
    c = bm.report.gather(store, since="2030-01-01", charts=False)
    assert c.headline == [] and c.period == ""
    assert "<title>Social customer care benchmark</title>" in bm.report.render_html(c)


# --- 9: coverage grouped by brand and platform --------------------------------------------------------


def _two_platform_store(tmp_path: Path) -> bm.Store:
    """The synthetic TWCS file (twitter) plus two Facebook CSV exports of AcmeTel (3 + 2 requests)."""
    st = synthetic_store(tmp_path)
    mapping = mapping_from_pairs(["message_id=id", "created_at=date", "author_id=user", "parent_id=reply_to", "text=body", "platform=facebook"])
    for name, ids in (("acme_fb_jan.csv", (1, 2, 3)), ("acme_fb_feb.csv", (4, 5))):
        rows = [f"p{i},2017-10-0{i}T09:00:00+00:00,fan{i},,Help please {i}" for i in ids]
        rows += [f"r{i},2017-10-0{i}T09:30:00+00:00,AcmeTel,p{i},On it" for i in ids]
        (tmp_path / name).write_text("id,date,user,reply_to,body\n" + "\n".join(rows) + "\n", encoding="utf-8")
        bm.ingest(tmp_path / name, store=st, mapping=mapping, brands=["AcmeTel"], detect_language=False)
    return st


def test_coverage_groups_pages_by_brand_and_files_by_format(tmp_path: Path) -> None:
    st = _two_platform_store(tmp_path)
    c = bm.report.gather(st, min_requests=5, charts=False)
    acme = [b for b in c.coverage_brands if b.brand == "AcmeTel"]
    assert len(acme) == 1  # one entry per brand, its platforms side by side
    assert acme[0].platforms == [("facebook", "5"), ("twitter", "12")] and acme[0].requests == "17"
    assert [b.brand for b in c.coverage_brands] == ["AcmeTel", "BetaBank", XSS, "GammaAir"]  # busiest first
    formats = {g.format: (g.files, g.read, g.stored) for g in c.ingest_groups}
    assert len(c.ingest_groups) == 2 and formats["twcs"] == ("1", "51", "51")
    assert [g.files for g in c.ingest_groups if g.format != "twcs"] == ["2"]  # both CSV exports on one line
    assert dict(c.coverage)["Pages and handles measured"] == "5 pages and handles of 4 brands (by brand below)"

    page = bm.report.render_html(c)
    cov = page[page.index('<section id="coverage">'):page.index('<section id="methodology">')]
    assert cov.count(">AcmeTel<") == 1
    assert '<span class="platform">facebook 5</span>, <span class="platform">twitter 12</span>' in cov
    ingests = cov[cov.index("Files ingested"):cov.index("</table>", cov.index("Files ingested"))]
    assert ingests.count("<tr>") == 3  # the header and one row per format, not one per file
    assert "<details>" in cov and "File names (3)" in cov
    for name in ("synthetic_twcs.csv", "acme_fb_jan.csv", "acme_fb_feb.csv"):
        assert f"<span>{name}</span>" in cov
    assert str(tmp_path) not in page  # file names only, never the local path


# --- 12: PDF and the output suffix ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "r.docx"], "error: --output r.docx: report cannot write .docx files; name it .html, .md or .pdf\n"),
        (["-o", "r.csv"], "error: --output r.csv: report cannot write .csv files; name it .html, .md or .pdf\n"),
        (["-o", "report"], "error: --output report: cannot tell the format from the name; name it .html, .md or .pdf, or give --format html or markdown\n"),
        (["-o", "r.pdf", "--format", "markdown"], "error: --output r.pdf: a .pdf file is pdf, not markdown; drop --format markdown or name the file .md\n"),
        (["-o", "r.md", "--format", "html"], "error: --output r.md: a .md file is markdown, not html; drop --format html or name the file .html\n"),
        (["--format", "pdf"], "error: --format 'pdf': choose html or markdown (for a PDF, write to --output FILE.pdf)\n"),
    ],
)
def test_cli_refuses_unsupported_outputs(store: bm.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", "--store", str(store.path), *args])
    assert result.exit_code == 2
    assert result.stderr == message
    assert list(tmp_path.iterdir()) == []


def test_cli_output_suffix_chooses_the_format(store: bm.Store, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "summary.md"
    result = runner.invoke(app, ["report", "--store", str(store.path), "-o", str(out), "--min-requests", "5"])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("# Social customer care benchmark")
    plain = tmp_path / "report"  # no suffix: --format decides
    result = runner.invoke(app, ["report", "--store", str(store.path), "-o", str(plain), "--format", "html", "--min-requests", "5"])
    assert result.exit_code == 0 and plain.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = runner.invoke(app, ["report", "--store", str(store.path), "-o", "-", "--format", "markdown", "--min-requests", "5"])
    assert result.exit_code == 0 and result.stdout.startswith("# Social customer care benchmark")


def test_cli_pdf_without_chromium_names_what_to_install(store: bm.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCHMARK_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "r.pdf"
    result = CliRunner().invoke(app, ["report", "--store", str(store.path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: a PDF report needs Chromium, which was not found: install Chromium (Debian/Ubuntu: "
        "apt-get install chromium) or set BENCHMARK_CHROMIUM to its path\n"
    )
    assert not out.exists()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@needs_chromium
def test_cli_writes_a_paginated_pdf(store: bm.Store, tmp_path: Path) -> None:
    out = tmp_path / "out" / "benchmark.pdf"
    result = CliRunner().invoke(app, ["report", "--store", str(store.path), "-o", str(out), "--min-requests", "5"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == f"wrote {out}\n"
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    count = re.search(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", pdf, re.DOTALL)
    assert count is not None and int(count.group(1)) == _pages(pdf) > 1  # five charts, tables, methodology
    assert [p.name for p in out.parent.iterdir()] == ["benchmark.pdf"]  # no temporary file left behind


@needs_chromium
def test_printable_html_opens_every_collapsed_part(store: bm.Store) -> None:
    c = bm.report.gather(store, min_requests=5, charts=False)
    printable = bm.report.render_html(c, printable=True)
    assert "<details>" not in printable and printable.count("<details open>") == 3  # 2 × not ranked, file names
    assert "<details>" in bm.report.render_html(c)


# --- 10: the page at phone width, in headless Chromium ---------------------------------------------------

PROBE = """
(function () {
  var d = document.documentElement, out = {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth};
  var tr = document.querySelector("table.ranking tbody tr");
  out.rowDisplay = getComputedStyle(tr).display;
  out.theadDisplay = getComputedStyle(document.querySelector("table.ranking thead")).display;
  out.cardCells = Array.prototype.filter.call(tr.cells, function (td) { return getComputedStyle(td).display !== "none"; })
    .map(function (td) { return td.className.split(" ")[0] + "=" + td.textContent.trim(); });
  out.smallestCardText = Math.min.apply(null, Array.prototype.map.call(document.querySelectorAll("table.ranking td.card"),
    function (td) { return parseFloat(getComputedStyle(td).fontSize); }));
  out.charts = Array.prototype.map.call(document.querySelectorAll("figure img"), function (img) {
    var frame = img.parentElement.getBoundingClientRect();
    return {img: img.getBoundingClientRect().width, natural: img.naturalWidth, frameRight: frame.right};
  });
  out.widest = Math.max.apply(null, Array.prototype.map.call(document.querySelectorAll("body *"), function (e) {
    var inner = e.closest(".chart-frame, .table-wrap");  // scrolls inside its own frame, not the page
    return inner && inner !== e ? 0 : e.getBoundingClientRect().right;
  }));
  return JSON.stringify(out);
})()
"""


class _Pipe:
    """Chromium's DevTools protocol over ``--remote-debugging-pipe`` (fd 3 in, fd 4 out): no driver needed.

    The window-size flag cannot go below 500 px in ``--dump-dom`` mode, so the phone viewport is set with
    ``Emulation.setDeviceMetricsOverride``, and the measurement runs through ``Runtime.evaluate``: the page
    itself is not changed (no script added, its CSP untouched).
    """

    def __init__(self, tmp: Path) -> None:
        r_in, w_in = os.pipe()
        r_out, w_out = os.pipe()

        def wire() -> None:  # in the child: its fd 3 reads our commands, fd 4 writes the replies
            high_in, high_out = fcntl.fcntl(r_in, fcntl.F_DUPFD, 10), fcntl.fcntl(w_out, fcntl.F_DUPFD, 10)
            os.dup2(high_in, 3)  # inheritable: survives exec (os.pipe's own ends do not)
            os.dup2(high_out, 4)

        self.proc = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tempfile.mkdtemp(prefix='cdp-profile-', dir=tmp)}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False,  # noqa: PLW1509  (the child needs fds 3 and 4)
        )
        os.close(r_in)
        os.close(w_out)
        self._w, self._r, self._buf, self._id = w_in, r_out, b"", 0
        self.events: list[dict[str, object]] = []

    def send(self, method: str, session: str | None = None, **params: object) -> dict[str, object]:
        self._id += 1
        msg: dict[str, object] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._next()
            if reply.get("id") == self._id:
                assert "error" not in reply, reply
                return reply["result"]  # type: ignore[return-value]
            self.events.append(reply)

    def wait_for(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._next())

    def _next(self) -> dict[str, object]:
        while b"\0" not in self._buf:
            chunk = os.read(self._r, 1 << 16)
            assert chunk, "chromium closed the DevTools pipe"
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def close(self) -> None:
        os.close(self._w)
        os.close(self._r)
        self.proc.kill()
        self.proc.wait(timeout=30)


def _probe(page: Path, tmp: Path, width: int) -> dict[str, object]:
    """Layout facts from ``page`` in a ``width`` px wide viewport (a phone's when ``width`` < 600)."""
    cdp = _Pipe(tmp)
    try:
        target = cdp.send("Target.createTarget", url="about:blank")["targetId"]
        session = str(cdp.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"])
        cdp.send("Emulation.setDeviceMetricsOverride", session, width=width, height=900, deviceScaleFactor=1, mobile=width < 600)
        cdp.send("Page.enable", session)
        cdp.send("Page.navigate", session, url=page.resolve().as_uri())
        cdp.wait_for("Page.loadEventFired")
        value = cdp.send("Runtime.evaluate", session, expression=PROBE, returnByValue=True)["result"]["value"]  # type: ignore[index]
        return json.loads(value)  # type: ignore[arg-type]
    finally:
        cdp.close()


def _keep(shot: Path) -> None:
    keep = os.environ.get("REPORT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


@needs_chromium
@pytest.mark.parametrize("width", [390, 1400])
def test_page_renders_cleanly_at_phone_and_desktop_width(tmp_path: Path, width: int) -> None:
    st = _two_platform_store(tmp_path)  # two platforms: the two AcmeTel rows differ only by platform
    page = tmp_path / f"report-{width}px.html"
    page.write_text(bm.report.html(st, min_requests=5), encoding="utf-8")
    seen = visit(page, tmp_path, width, 4000)
    assert seen.console == [] and seen.page_requests == []
    assert seen.screenshot.stat().st_size > 20_000
    _keep(seen.screenshot)
    probe = _probe(page, tmp_path, width)
    assert probe["scrollWidth"] <= width and probe["widest"] <= width  # no horizontal scroll of the page
    if width == 1400:
        assert probe["rowDisplay"] == "table-row" and probe["theadDisplay"] != "none"
        return
    # Phone: each ranking row is a card with rank, brand, platform, median FRT, response rate and requests.
    assert probe["rowDisplay"] == "grid" and probe["theadDisplay"] == "none"
    assert probe["cardCells"] == ["c-rank=1", "c-brand=AcmeTel", "c-frt_median_s=10m", "c-response_rate=100%", "c-requests=12", "c-platform=twitter"]
    assert probe["smallestCardText"] >= 11
    # Charts keep at least 1.1 × their natural width (the smallest chart text, 7.5 pt = 10 px, stays ≥ 11 px)
    # and pan inside their frame, which ends within the screen.
    for ch in probe["charts"]:  # type: ignore[attr-defined]
        assert ch["img"] >= 1.1 * ch["natural"] and ch["frameRight"] <= width


@needs_chromium
def test_phone_cards_name_the_platform_even_with_one_platform(store: bm.Store, tmp_path: Path) -> None:
    page = tmp_path / "one-platform.html"
    page.write_text(bm.report.html(store, min_requests=5), encoding="utf-8")
    wide, phone = _probe(page, tmp_path, 1400), _probe(page, tmp_path, 390)
    assert "c-platform=twitter" in phone["cardCells"]  # type: ignore[operator]
    assert not any(c.startswith("c-platform") for c in wide["cardCells"])  # type: ignore[attr-defined]  # same for every row: no column

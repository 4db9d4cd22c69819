"""The report as a paginated PDF: the HTML report printed by headless Chromium.

Chromium is the renderer the HTML is already checked in (tests/test_report_browser.py), so the PDF
shows exactly the page people open, with its print stylesheet (A4, no navigation, collapsed parts
opened). It runs on a private copy of the page in a temporary folder with a throw-away profile and
its background services off; the page's Content-Security-Policy forbids every network source, so
printing loads nothing. Debian: ``apt-get install chromium``; elsewhere set ``BENCHMARK_CHROMIUM``
to the browser's path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import BenchmarkError

CHROMIUM_ENV = "BENCHMARK_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "install Chromium (Debian/Ubuntu: apt-get install chromium) or set BENCHMARK_CHROMIUM to its path"
TIMEOUT_S = 180


class PdfError(BenchmarkError):
    """No browser to print with, or the browser did not write a PDF."""


def find_chromium() -> str:
    """The Chromium to print with: ``$BENCHMARK_CHROMIUM``, else the first one on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise PdfError(f"{CHROMIUM_ENV}={configured}: no such program; {INSTALL_HINT}")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(f"a PDF report needs Chromium, which was not found: {INSTALL_HINT}")


def html_to_pdf(html: str, output: Path, *, chromium: str | None = None, timeout: float = TIMEOUT_S) -> Path:
    """Print ``html`` (a self-contained page) to ``output`` as a PDF; the file appears only when complete."""
    browser = chromium or find_chromium()
    with tempfile.TemporaryDirectory(prefix="benchmark-pdf-") as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",  # containers and root have no sandbox; the page is our own, CSP-locked, offline
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"{browser} did not finish printing the PDF within {timeout:.0f} s") from None
        if not pdf.exists() or pdf.read_bytes()[:5] != b"%PDF-":
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise PdfError(f"{browser} wrote no PDF (exit {done.returncode}): {last}")
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp_out = output.with_name(f".{output.name}.tmp")
        shutil.copyfile(pdf, tmp_out)
        tmp_out.replace(output)
    return output

"""Open the HTML report in headless Chromium: it renders, logs nothing to the console, requests nothing.

Uses Debian's ``chromium`` directly (no Python browser driver): console
messages come from ``--enable-logging=stderr`` and network requests from
Chromium's own NetLog (``--log-net-log``), where a request made by the page
carries the ``file://`` network-isolation key. A control page with a
console error and a remote image proves both checks can fail. The
screenshot is kept next to the test's temporary files (and copied to
``$REPORT_SCREENSHOT_DIR`` when set) for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from report_fixtures import synthetic_store

import benchmark as bm

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium; .ci/run installs it)")


@dataclass
class Visit:
    console: list[str]
    page_requests: list[str]
    screenshot: Path


def visit(page: Path, tmp: Path, width: int = 1100, height: int = 3000) -> Visit:
    """Load ``page`` once in a fresh profile, with logging and a NetLog, and take a screenshot."""
    shot, netlog = tmp / f"{page.stem}.png", tmp / f"{page.stem}.netlog.json"
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tmp / ('profile-' + page.stem)}",
        "--enable-logging=stderr",
        "--v=0",
        f"--log-net-log={netlog}",
        f"--window-size={width},{height}",
        f"--screenshot={shot}",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert shot.exists(), done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Visit(console=console, page_requests=_page_requests(netlog), screenshot=shot)


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked the network for (Chromium's own update/sync pings are excluded)."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] == start_job and str(params.get("network_isolation_key", "")).startswith("file://"):
            urls.append(params["url"])
    return urls


def test_control_page_shows_the_checks_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "control.html"
    bad.write_text('<!DOCTYPE html><p>control</p><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>', encoding="utf-8")
    seen = visit(bad, tmp_path, 400, 300)
    assert any("boom" in line for line in seen.console)
    assert "http://127.0.0.1:9/x.png" in seen.page_requests


@pytest.mark.parametrize("lang", ["en", "it"])
def test_report_renders_without_console_errors_or_network(tmp_path: Path, lang: str) -> None:
    store = synthetic_store(tmp_path)
    page = tmp_path / f"report-{lang}.html"
    page.write_text(bm.report.html(store, lang=lang, min_requests=5), encoding="utf-8")
    seen = visit(page, tmp_path)
    assert seen.console == []  # no errors, no CSP violations (they are logged to the console)
    assert seen.page_requests == []
    assert seen.screenshot.stat().st_size > 20_000  # a rendered page, not a blank one
    keep = os.environ.get("REPORT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(seen.screenshot, Path(keep) / seen.screenshot.name)

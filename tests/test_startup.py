"""`import benchmark` and `benchmark --help` stay light: heavy parts load on first use."""

from __future__ import annotations

import subprocess
import sys


def test_import_and_cli_do_not_load_matplotlib_or_the_language_detector():
    code = (
        "import sys, benchmark, benchmark.cli\n"
        "heavy = [m for m in ('matplotlib', 'lingua', 'benchmark.chart', 'benchmark.report') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_lazy_parts_load_on_first_use_and_the_cli_knows_every_chart():
    import benchmark as bm
    from benchmark.cli.chart_cmd import CHART_KINDS

    assert list(bm.chart.KINDS) == list(CHART_KINDS)
    assert callable(bm.report.html) and callable(bm.listening.topics)

"""Figures are written in one place (:mod:`benchmark.formatting`), in English and Italian, for the terminal,
the charts and the report alike (issue 11)."""

from __future__ import annotations

import math

import pytest

from benchmark import formatting as f
from benchmark.chart import style
from benchmark.report import i18n


@pytest.mark.parametrize(
    ("value", "en", "it"),
    [(45, "45s", "45s"), (12 * 60, "12m", "12m"), (3600 + 56 * 60, "1h 56m", "1h 56m"), (2 * 86_400 + 3 * 3600, "2d 3h", "2g 3h"),
     (2 * 86_400, "2d", "2g"), (None, "—", "—"), (math.nan, "—", "—")],
)
def test_durations(value: float | None, en: str, it: str) -> None:
    assert (f.duration(value), f.duration(value, "it")) == (en, it)
    assert (style.human_duration(value), style.human_duration(value, "it")) == (en, it)  # the charts
    assert (i18n.duration(value, "en"), i18n.duration(value, "it")) == (en, it)  # the report


def test_shares_counts_and_changes() -> None:
    assert (f.percent(0.875), f.percent(0.875, "it"), f.percent(1.0), f.percent(None)) == ("87.5%", "87,5%", "100%", "—")
    assert (f.integer(1234), f.integer(1234, "it"), f.integer(None)) == ("1,234", "1.234", "—")
    assert (f.signed("1h 26m", -5160.0), f.signed("3", 3.0), f.signed("0s", 0.0), f.signed("—", 1.0)) == ("-1h 26m", "+3", "0s", "—")
    assert i18n.change("response_rate_change", -0.025, "it") == "-2,5 pp"
    assert (f.tick_duration(90), f.tick_duration(2 * 86_400, "it")) == ("1m 30s", "2g")
    assert i18n.percent is f.percent and i18n.integer is f.integer and style.tick_duration is f.tick_duration

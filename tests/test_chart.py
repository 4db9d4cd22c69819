"""Charts: the right artists and labels, files written, clear errors (synthetic data, fictional brands)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.colors as mcolors
import pytest
from matplotlib.figure import Figure
from report_fixtures import XSS, synthetic_store
from typer.testing import CliRunner

import benchmark as bm
from benchmark.chart.heatmap import hour_of_week
from benchmark.chart.style import BLUE, GREY, DurationLocator, human_duration
from benchmark.cli import app


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> bm.Store:
    return synthetic_store(tmp_path_factory.mktemp("charts"))


@pytest.fixture(scope="module")
def measured(store: bm.Store) -> object:
    return bm.measurement(store)


def _hex(colour: object) -> str:
    return mcolors.to_hex(colour).upper()  # type: ignore[arg-type]


def test_ranking_bars_rank_first_and_grey_brands_under_the_threshold(measured: object) -> None:
    fig = bm.chart.ranking(measured, min_requests=5, top=None)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 4  # every brand has an answered request
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # ranked first by median (AcmeTel 10m < BetaBank 2h), then unranked by volume (XSS brand 3, GammaAir 2)
    assert labels == ["1. AcmeTel", "2. BetaBank", XSS, "GammaAir"]
    assert [_hex(b.get_facecolor()) for b in bars] == [BLUE, BLUE, GREY, GREY]
    assert [round(b.get_width()) for b in bars] == [600, 7200, 300, 90_000]
    assert ax.get_xscale() == "log"
    assert "fewer than 5 requests" in fig.get_supxlabel()


def test_ranking_top_keeps_ranked_brands_first(measured: object) -> None:
    ax = bm.chart.ranking(measured, min_requests=5, top=3).axes[0]
    assert len(ax.patches) == 3
    assert ax.get_yticklabels()[-1].get_text() == XSS


def test_ranking_without_grey_brands_has_no_grey_note(measured: object) -> None:
    fig = bm.chart.ranking(measured, min_requests=1)
    assert all(_hex(b.get_facecolor()) == BLUE for b in fig.axes[0].patches)
    assert fig.get_supxlabel() is None or "fewer" not in fig.get_supxlabel()


def test_caring_map_bubbles_labels_and_expectation_lines(measured: object) -> None:
    fig = bm.chart.caring_map(measured, min_requests=5, lang="it")
    ax = fig.axes[0]
    scatter = ax.collections[0]
    assert len(scatter.get_offsets()) == 4
    sizes = list(scatter.get_sizes())
    assert sizes[0] == max(sizes)  # AcmeTel answered most (12): the biggest bubble
    texts = {t.get_text() for t in ax.texts}
    assert {"AcmeTel", "BetaBank", XSS, "GammaAir"} <= texts
    assert {" 30m", " 1h", " 24h"} <= texts
    assert ax.get_ylabel() == "Tasso di risposta"
    assert max(t for t in ax.get_yticks()) <= 1.0  # no "104%" tick: a rate cannot exceed 100%


def test_distribution_one_ecdf_per_top_brand(measured: object) -> None:
    fig = bm.chart.distribution(measured, min_requests=5, top=2)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["AcmeTel", "BetaBank"]
    assert ax.get_xscale() == "log"


def test_heatmap_counts_requests_in_local_time(measured: object) -> None:
    fig = bm.chart.heatmap(measured, tz="Europe/Rome")
    counts = fig.axes[0].images[0].get_array()
    assert counts.shape == (7, 24)
    assert counts.sum() == 27  # 12 + 10 + 3 + 2 requests, each in one cell
    # the first AcmeTel request: Monday 2017-09-04 08:00 UTC = 10:00 in Rome (CEST, UTC+2)
    cells = hour_of_week(measured.facts, "Europe/Rome")  # type: ignore[attr-defined]
    monday_10 = cells.filter((cells["weekday"] == 1) & (cells["hour"] == 10))
    assert monday_10["requests"].item() == 1
    assert monday_10["frt_median_s"].item() == 600  # AcmeTel's answer after 10 minutes
    utc = hour_of_week(measured.facts, "UTC")  # type: ignore[attr-defined]
    assert utc.filter((utc["weekday"] == 1) & (utc["hour"] == 8))["requests"].item() == 1


def test_trend_has_a_line_per_brand_in_both_panels(measured: object) -> None:
    fig = bm.chart.trend(measured, min_requests=5, top=2, period="month", tz="UTC")
    frt_ax, rate_ax = fig.axes[:2]
    assert len(frt_ax.get_lines()) == 2 and len(rate_ax.get_lines()) == 2
    assert frt_ax.get_yscale() == "log"
    acme = rate_ax.get_lines()[0]
    assert list(acme.get_ydata()) == [1.0] * len(acme.get_ydata())  # AcmeTel answers everything


def test_human_durations_on_axes() -> None:
    # 100 s..~1d: coarse + middle tiers give 7 ticks; adding the fine tier (2m, 2h) gives 9, still <= 10
    assert DurationLocator().tick_values(100, 100_000) == [120, 300, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400]
    # 1m..30d: coarse + middle = 11 ticks > 10, so only the coarse tier
    assert DurationLocator().tick_values(60, 30 * 86_400) == [60, 3600, 86_400, 7 * 86_400, 30 * 86_400]
    assert DurationLocator().tick_values(200, 1000) == [300, 900]
    assert human_duration(2 * 86_400 + 3 * 3600, "it") == "2g 3h"
    assert human_duration(5400, "en") == "1h 30m"


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_save_writes_png_and_svg(measured: object, tmp_path: Path, suffix: str, magic: bytes) -> None:
    out = bm.chart.save(bm.chart.ranking(measured, min_requests=5), tmp_path / f"r{suffix}")
    assert out.read_bytes().startswith(magic)


def test_filters_and_empty_results(store: bm.Store) -> None:
    with pytest.raises(bm.chart.NoDataError):
        bm.chart.ranking(store, since="2030-01-01")
    fig = bm.chart.ranking(store, brands=["BetaBank"], min_requests=5)
    assert isinstance(fig, Figure) and len(fig.axes[0].patches) == 1


def test_cli_chart_writes_each_kind(store: bm.Store, tmp_path: Path) -> None:
    runner = CliRunner()
    for kind in bm.chart.KINDS:
        out = tmp_path / f"{kind}.svg"
        result = runner.invoke(app, ["chart", kind, "--store", str(store.path), "--output", str(out), "--min-requests", "5", "--top", "3"])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(b"<?xml")
        assert result.stdout == ""  # messages go to stderr


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["chart", "pie", "--output", "x.png"], 2, "unknown chart 'pie'"),
        (["chart", "ranking", "--output", "x.gif"], 2, "must end in .png or .svg"),
        (["chart", "heatmap", "--output", "x.png", "--tz", "Mars/Olympus"], 2, "not a time zone"),
        (["chart", "trend", "--output", "x.png", "--period", "year"], 2, "--period 'year'"),
        (["chart", "ranking", "--output", "x.png", "--since", "2030-01-01"], 1, "nothing to chart"),
    ],
)
def test_cli_chart_errors_are_one_line(store: bm.Store, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    args = [a if a not in ("x.png", "x.gif") else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(app, [*args[:2], "--store", str(store.path), *args[2:]])
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_chart_on_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["chart", "ranking", "--store", str(tmp_path / "nope"), "--output", str(tmp_path / "r.png")])
    assert result.exit_code == 1 and "not a benchmark store" in result.stderr

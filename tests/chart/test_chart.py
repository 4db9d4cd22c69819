"""Charts: the right artists and labels, files written, clear errors (synthetic data, fictional brands)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.colors as mcolors
import polars as pl
import pytest
from matplotlib.figure import Figure
from report_fixtures import XSS, synthetic_store
from typer.testing import CliRunner

import benchmark as bm
from benchmark.chart.heatmap import hour_of_week
from benchmark.chart.style import BLUE, GREY, DurationLocator, human_duration, tick_duration
from benchmark.cli import app


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> bm.Store:
    return synthetic_store(tmp_path_factory.mktemp("charts"))


@pytest.fixture(scope="module")
def measured(store: bm.Store) -> object:
    return bm.measurement(store)


def _hex(colour: object) -> str:
    return mcolors.to_hex(colour).upper()  # type: ignore[arg-type]


def _dots(ax: object) -> tuple[list[float], list[str]]:
    """The ranking's dots: x positions (seconds) and face colours, top row first."""
    dots = ax.collections[-1]  # type: ignore[attr-defined]
    return [float(x) for x, _ in dots.get_offsets()], [_hex(c) for c in dots.get_facecolors()]


def test_ranking_dots_rank_first_and_grey_brands_under_the_threshold(measured: object) -> None:
    fig = bm.chart.ranking(measured, min_requests=5, top=None)
    ax = fig.axes[0]
    assert len(ax.patches) == 0  # no bars: on a log axis a bar's length misleads
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # ranked first by median (AcmeTel 10m < BetaBank 2h), then unranked by volume (XSS brand 3, GammaAir 2)
    assert labels == ["1. AcmeTel", "2. BetaBank", XSS, "GammaAir"]
    xs, colours = _dots(ax)
    assert [round(x) for x in xs] == [600, 7200, 300, 90_000]
    assert colours == [BLUE, BLUE, GREY, GREY]
    assert ax.get_xscale() == "log"
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # first rank on top
    assert "fewer than 5 requests" in fig.get_supxlabel()
    assert "brands shown" not in fig.get_supxlabel()  # every brand is drawn: no "n of m shown" note


def test_ranking_whiskers_are_the_median_confidence_intervals() -> None:
    from test_chart_images import synthetic_measurement

    m = synthetic_measurement(8, seed=5, unranked=0)
    ax = bm.chart.ranking(m).axes[0]
    whiskers = [x for seg in ax.collections[0].get_segments() for x in (seg[0][0], seg[1][0])]
    table = bm.chart.data.ranked_brands(m)
    expected = [x for row in table.select("frt_median_ci_low_s", "frt_median_ci_high_s").iter_rows() for x in row]
    assert whiskers == pytest.approx(expected)
    assert all(lo < hi for lo, hi in zip(expected[::2], expected[1::2], strict=True))  # real intervals, not points
    xs, _ = _dots(ax)
    assert xs == pytest.approx(table.get_column("frt_median_s").to_list())


def test_ranking_top_keeps_ranked_brands_first_and_says_how_many_are_shown(measured: object) -> None:
    fig = bm.chart.ranking(measured, min_requests=5, top=3)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 3
    assert ax.get_yticklabels()[-1].get_text() == XSS
    assert "3 of 4 brands shown (--top to change)" in fig.get_supxlabel()
    it = bm.chart.ranking(measured, min_requests=5, top=3, lang="it")
    assert "3 brand su 4 mostrati" in it.get_supxlabel()


def test_ranking_without_grey_brands_has_no_grey_note(measured: object) -> None:
    fig = bm.chart.ranking(measured, min_requests=1)
    assert set(_dots(fig.axes[0])[1]) == {BLUE}
    assert "fewer" not in fig.get_supxlabel()


def test_ranking_and_map_show_every_brand_by_default_up_to_sixty() -> None:
    from test_chart_images import synthetic_measurement

    many = synthetic_measurement(64, seed=2, unranked=0)
    fig = bm.chart.ranking(many)
    assert len(fig.axes[0].get_yticklabels()) == 60
    assert "60 of 64 brands shown" in fig.get_supxlabel()
    few = synthetic_measurement(24, seed=2, unranked=0)
    assert len(bm.chart.ranking(few).axes[0].get_yticklabels()) == 24
    assert len(bm.chart.caring_map(few).axes[0].collections[-1].get_offsets()) == 24


def _label_boxes(fig: Figure) -> list[object]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering()
    return [t.get_window_extent(renderer) for t in fig.axes[0].texts if t.get_bbox_patch() is not None]


def test_caring_map_bubbles_labels_and_expectation_lines(measured: object) -> None:
    fig = bm.chart.caring_map(measured, min_requests=5, lang="it")
    ax = fig.axes[0]
    scatter = ax.collections[-1]
    assert len(scatter.get_offsets()) == 4
    sizes = list(scatter.get_sizes())
    assert sizes[0] == max(sizes)  # AcmeTel answered most (12): the biggest bubble
    texts = {t.get_text() for t in ax.texts}
    assert {"AcmeTel", "BetaBank", XSS, "GammaAir"} <= texts
    assert {" 30m", " 1h", " 24h"} <= texts
    assert "veloce e reattivo" in texts  # the shaded corner: within 1h, at least the median rate
    assert ax.get_ylabel() == "Tasso di risposta"
    assert max(t for t in ax.get_yticks()) <= 1.0  # no "104%" tick: a rate cannot exceed 100%


def test_caring_map_labels_do_not_pile_up_at_top_40_and_have_leader_lines() -> None:
    from test_chart_images import synthetic_measurement

    fig = bm.chart.caring_map(synthetic_measurement(44, seed=40, unranked=6), top=40)
    boxes = _label_boxes(fig)
    assert len(boxes) == 40
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]  # type: ignore[attr-defined]
    assert overlaps == []
    from matplotlib.patches import FancyArrowPatch

    leaders = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(leaders) >= 20  # labels pushed off their bubble are joined to it
    assert "40 of 44 brands shown" in fig.get_supxlabel()


def test_caring_map_notes_a_store_where_every_brand_answers_everything(store: bm.Store) -> None:
    every = bm.measurement(store, brands=["AcmeTel", XSS])  # both answer 12/12 and 3/3
    fig = bm.chart.caring_map(every, min_requests=5)
    assert "seems to hold only answered threads" in fig.get_supxlabel()
    assert "fast & responsive" not in {t.get_text() for t in fig.axes[0].texts}  # no corner above a 100% median
    mixed = bm.chart.caring_map(bm.measurement(store), min_requests=5)
    assert "answered threads" not in mixed.get_supxlabel()


def _share_at(line: object, t: float) -> float:
    xs, ys = line.get_xdata(), line.get_ydata()  # type: ignore[attr-defined]
    return float(max((y for x, y in zip(xs, ys, strict=True) if x <= t), default=0.0))


def test_distribution_plots_the_share_of_requests_and_agrees_with_the_table(measured: object) -> None:
    fig = bm.chart.distribution(measured, min_requests=5, top=None)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_ylabel() == "Share of requests answered within t"
    lines = {line.get_label().split(":")[0]: line for line in ax.get_lines() if not line.get_label().startswith("_")}
    table = {r["brand"]: r for r in measured.table.iter_rows(named=True)}  # type: ignore[attr-defined]
    assert set(lines) == {"AcmeTel", "BetaBank", XSS, "GammaAir"}
    for brand, line in lines.items():
        for column, seconds in (("within_30m", 1800), ("within_1h", 3600), ("within_24h", 86_400)):
            assert _share_at(line, seconds) == pytest.approx(table[brand][column]), (brand, column)
        assert line.get_ydata()[-1] == pytest.approx(table[brand]["response_rate"])  # unanswered never reach 100%
    assert lines["BetaBank"].get_ydata()[-1] == pytest.approx(0.8)  # 8 of 10 answered
    assert "BetaBank: 80% answered" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_distribution_leaves_open_requests_out_like_the_table() -> None:
    from datetime import UTC, datetime

    from benchmark.chart.distribution import answered_within, share_within

    at = datetime(2024, 1, 1, tzinfo=UTC)
    facts = pl.DataFrame({
        "label": ["A"] * 5,
        "request_at": [at] * 5,
        "answered": [True, True, False, False, False],
        "frt_s": [60.0, 7200.0, None, None, None],
        "status": ["answered", "answered", "unanswered", "open", "open"],
    })
    (label, judged, frts), = answered_within(facts).iter_rows()
    assert (label, judged, frts) == ("A", 3, [60.0, 7200.0])  # two open requests are not judged yet
    assert share_within(judged, frts, 1800) == pytest.approx(1 / 3)
    assert share_within(judged, frts, 86_400) == pytest.approx(2 / 3)  # never 100%: one request went unanswered


def test_distribution_top_brands_and_note(measured: object) -> None:
    fig = bm.chart.distribution(measured, min_requests=5, top=2)
    ax = fig.axes[0]
    assert [t.get_text().split(":")[0] for t in ax.get_legend().get_texts()] == ["AcmeTel", "BetaBank"]
    assert "2 of 4 brands shown" in fig.get_supxlabel()


def test_brand_names_are_never_parsed_as_mathtext_or_markup() -> None:
    from test_chart_images import HOSTILE, synthetic_measurement

    m = synthetic_measurement(6, seed=1, unranked=0)
    for fig in (bm.chart.ranking(m), bm.chart.caring_map(m), bm.chart.distribution(m), bm.chart.trend(m, top=6)):
        texts = [t for ax in fig.axes for t in (*ax.texts, *ax.get_yticklabels(), *(ax.get_legend().get_texts() if ax.get_legend() else []))]
        hostile = [t for t in texts if HOSTILE in t.get_text()]
        assert hostile, "the brand is drawn"
        assert all(t._preprocess_math(t.get_text()) == (t.get_text(), False) for t in hostile)  # plain text, "$" kept


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


def _legend(ax: object) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]  # type: ignore[attr-defined]


def test_trend_has_a_line_per_brand_in_both_panels(measured: object) -> None:
    fig = bm.chart.trend(measured, min_requests=5, top=2, period="month", tz="UTC")
    frt_ax, rate_ax = fig.axes[:2]
    assert _legend(frt_ax) == ["AcmeTel", "BetaBank"]
    assert {line.get_label() for line in rate_ax.get_lines()} >= {"AcmeTel", "BetaBank"}
    assert frt_ax.get_yscale() == "log"
    acme = [line for line in rate_ax.get_lines() if line.get_color() == bm.chart.style.PALETTE[0] and len(line.get_ydata())]
    assert acme
    assert all(set(line.get_ydata()) == {1.0} for line in acme)  # AcmeTel answers everything
    assert len(frt_ax.get_yticks()) >= 3  # readable duration ticks, not just two
    assert "2 of 4 brands shown" in fig.get_supxlabel()


def test_trend_marks_partial_periods_instead_of_drawing_a_drop(measured: object) -> None:
    # the data runs 4 September to 30 October 2017: both months are partial, and so is a month cut by --until
    fig = bm.chart.trend(measured, min_requests=5, top=1, period="month", tz="UTC")
    frt_ax = fig.axes[0]
    assert [t.get_text() for t in frt_ax.texts].count("partial") == 2
    assert "Shaded: partial month" in fig.get_supxlabel()
    hollow = [line for line in frt_ax.get_lines() if line.get_linestyle() == "None" and line.get_markerfacecolor() == "white"]
    assert hollow and len(hollow[0].get_xdata()) == 2
    weekly = bm.chart.trend(measured, min_requests=5, top=1, period="week", tz="UTC")
    # the first week (data from Monday 08:00) and the last (up to Monday 17:00) only: the weeks between are whole
    assert [t.get_text() for t in weekly.axes[0].texts].count("partial") == 2
    hollow = [line for line in weekly.axes[0].get_lines() if line.get_linestyle() == "None" and line.get_markerfacecolor() == "white"]
    solid = [line for line in weekly.axes[0].get_lines() if line.get_linestyle() == "-"]
    assert len(hollow[0].get_xdata()) == 2 and sum(len(line.get_xdata()) for line in solid) >= 5


def test_partial_periods() -> None:
    from datetime import datetime

    from benchmark.chart.periods import partial_periods, period_end

    jan, feb, mar = datetime(2024, 1, 1), datetime(2024, 2, 1), datetime(2024, 3, 1)
    assert period_end(datetime(2024, 12, 1), "1mo") == datetime(2025, 1, 1)
    assert partial_periods([jan, feb, mar], "1mo", jan, datetime(2024, 3, 10)) == {mar}
    assert partial_periods([jan, feb, mar], "1mo", datetime(2024, 1, 15), datetime(2024, 3, 31, 20)) == {jan}  # 31 March 20:00 is whole enough
    assert partial_periods([jan], "1d", jan, datetime(2024, 1, 1, 12)) == {jan}


def test_human_durations_on_axes() -> None:
    # 100 s..~1d: coarse + middle tiers give 7 ticks; adding the fine tier (2m, 2h) gives 9, still <= 10
    assert DurationLocator().tick_values(100, 100_000) == [120, 300, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400]
    # 1m..30d: coarse + middle = 11 ticks > 10, so only the coarse tier
    assert DurationLocator().tick_values(60, 30 * 86_400) == [60, 3600, 86_400, 7 * 86_400, 30 * 86_400]
    assert DurationLocator().tick_values(200, 1000) == [300, 600, 900]  # a narrow range gets the narrow tier
    # too narrow for any tier: evenly spaced round durations, at least three
    assert [tick_duration(t) for t in DurationLocator().tick_values(330, 840)] == ["6m", "8m", "10m", "12m", "14m"]
    assert [tick_duration(t) for t in DurationLocator().tick_values(4800, 6600)] == ["1h 20m", "1h 30m", "1h 40m", "1h 50m"]
    assert human_duration(2 * 86_400 + 3 * 3600, "it") == "2g 3h"
    assert human_duration(5400, "en") == "1h 30m"
    assert tick_duration(90) == "1m 30s" and tick_duration(2 * 86_400, "it") == "2g"


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_save_writes_png_and_svg(measured: object, tmp_path: Path, suffix: str, magic: bytes) -> None:
    out = bm.chart.save(bm.chart.ranking(measured, min_requests=5), tmp_path / f"r{suffix}")
    assert out.read_bytes().startswith(magic)


def test_filters_and_empty_results(store: bm.Store) -> None:
    with pytest.raises(bm.chart.NoDataError):
        bm.chart.ranking(store, since="2030-01-01")
    fig = bm.chart.ranking(store, brands=["BetaBank"], min_requests=5)
    assert isinstance(fig, Figure) and len(fig.axes[0].get_yticklabels()) == 1


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


def test_partial_counts_are_not_joined_to_the_line() -> None:
    from datetime import datetime

    from benchmark.chart.periods import plot_series

    weeks = [datetime(2024, 1, d) for d in (1, 8, 15)]
    fig = Figure()
    ax = fig.add_subplot()
    plot_series(ax, weeks, [10, 12, 3], {weeks[-1]}, connect_partial=False, color="k", marker="o", label="fibra")
    solid, hollow = ax.get_lines()
    assert list(solid.get_xdata()) == weeks[:2]  # the partial week's 3 is not drawn as a fall from 12
    assert list(hollow.get_xdata()) == weeks[2:] and hollow.get_linestyle() == "None"

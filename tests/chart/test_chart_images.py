"""Rendered charts compared with committed baseline PNGs (tests/chart/chart_baselines/), within a tolerance.

All data here is synthetic: fictional brands with made-up names, random but
seeded first-response times. The measurement is built by hand (not through
the loaders or metrics), so these images change only when a chart does.

Rendering is pinned: Agg backend, DejaVu Sans (shipped with matplotlib),
FreeType hinting off, the charts' own fixed DPI. Regenerate every baseline,
after checking the new images by eye, with::

    CHART_BASELINES=regenerate .venv/bin/python -m pytest tests/chart/test_chart_images.py
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import numpy as np
import polars as pl
import pytest
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images

import benchmark as bm
from benchmark.metrics import Diagnostics, Measurement

BASELINES = Path(__file__).parent / "chart_baselines"
REGENERATE = os.environ.get("CHART_BASELINES") == "regenerate"
TOLERANCE = 2.0  # RMS of the pixel difference (0-255); a moved label or a changed line is far above it
PINNED = {"font.family": ["DejaVu Sans"], "text.hinting": "none", "text.antialiased": True}

START = datetime(2024, 1, 1, tzinfo=UTC)
END = datetime(2024, 3, 20, tzinfo=UTC)  # data stop on 20 March: March is a partial month
_FIRST = ("Alba", "Brezza", "Corallo", "Delfo", "Fenice", "Girasole", "Lumio", "Mirto", "Nebbia", "Orsa", "Pietra", "Quarzo", "Rovo", "Salvia", "Tarassaco", "Vela", "Zolfo")
_SECOND = ("Tel", "Banca", "Voli", "Energia", "Moda", "Assicura", "Poste", "Treni")
HOSTILE = "$Promo_2$ <b>Deals</b>"  # fictional: must render literally, never as mathtext or markup


def brand_names(n: int) -> list[str]:
    """``n`` fictional brand names (synthetic; any likeness to a real company is a coincidence)."""
    names = [f"{a} {b}" for b in _SECOND for a in _FIRST]
    return [HOSTILE, *names[: n - 1]]


def synthetic_measurement(n_brands: int = 28, *, seed: int = 15, all_answered: bool = False, unranked: int = 4, spread: float = 1.0) -> Measurement:
    """A measurement of ``n_brands`` fictional brands; the last ``unranked`` have under 100 requests.

    Each brand has a typical FRT from a few minutes to a couple of days
    (log-normal per request), a response rate from 55% to 99%, and requests
    spread over 1 January to 20 March 2024; unanswered requests from the last
    72 hours are *open*. ``all_answered`` makes every request answered (as in
    TWCS exports); ``spread`` < 1 narrows the FRTs (a narrow trend axis).
    """
    rng = np.random.default_rng(seed)
    span = (END - START).total_seconds()
    frames = []
    for i, brand in enumerate(brand_names(n_brands)):
        n = int(rng.integers(20, 80)) if i >= n_brands - unranked else int(rng.integers(120, 400))
        typical = math.exp(rng.uniform(math.log(240), math.log(180_000))) if spread >= 1 else rng.uniform(420, 700)
        rate = 1.0 if all_answered else rng.uniform(0.55, 0.99)
        at = np.sort(rng.uniform(0, span, n))
        frt = np.round(typical * rng.lognormal(0, 0.9 * spread, n))
        answered = rng.uniform(0, 1, n) < rate
        request_at = [START + timedelta(seconds=float(s)) for s in at]
        followup = span - at
        if not all_answered:
            answered &= followup > frt  # no answer after the data ends
        status = np.where(answered, "answered", np.where(followup < 72 * 3600, "open", "unanswered"))
        frames.append(pl.DataFrame({
            "platform": "twitter",
            "brand": brand,
            "request_at": pl.Series(request_at, dtype=pl.Datetime("us", "UTC")),
            "answered": answered,
            "frt_s": pl.Series(np.where(answered, frt, np.nan)).fill_nan(None),
            "status": status,
            "followup_s": followup,
        }))
    facts = pl.concat(frames)
    return Measurement(table=brand_table(facts), facts=facts, diagnostics=_diagnostics(facts), engine="polars")


def brand_table(facts: pl.DataFrame) -> pl.DataFrame:
    """The per-brand figures the charts read, by the README's definitions (open requests left out of shares)."""
    judged = (pl.col("status") != "open").sum()
    frt = pl.col("frt_s").drop_nulls().sort()
    n = pl.col("frt_s").count()
    half = 1.96 * n.sqrt() / 2  # distribution-free 95% interval of the median: order statistics n/2 ± 1.96√n/2
    within = {f"within_{k}": s for k, s in (("30m", 1800), ("1h", 3600), ("24h", 86_400))}
    return (
        facts.group_by("platform", "brand", maintain_order=True)
        .agg(
            pl.len().alias("requests"),
            pl.col("answered").sum().alias("answered"),
            (pl.col("status") == "open").sum().alias("open"),
            (pl.col("answered").sum() / judged).alias("response_rate"),
            pl.col("frt_s").median().alias("frt_median_s"),
            pl.col("frt_s").mean().alias("frt_mean_s"),
            pl.col("frt_s").quantile(0.9, interpolation="linear").alias("frt_p90_s"),
            *[((pl.col("frt_s") <= s).fill_null(False).sum() / judged).alias(name) for name, s in within.items()],
            frt.gather((n / 2 - half).floor().clip(0, None).cast(pl.Int64)).first().alias("frt_median_ci_low_s"),
            frt.gather(pl.min_horizontal((n / 2 + half).ceil(), n - 1).cast(pl.Int64)).first().alias("frt_median_ci_high_s"),
        )
        .with_columns((pl.col("requests") - pl.col("answered") - pl.col("open")).alias("unanswered"))
    )


def _diagnostics(facts: pl.DataFrame) -> Diagnostics:
    first, last = facts.get_column("request_at").min(), facts.get_column("request_at").max()
    return Diagnostics(messages=facts.height * 2, requests=facts.height, unattributed_requests=0, missing_parents=0, in_cycles=0,
                       first_request_at=first, last_request_at=last, open_requests=int((facts["status"] == "open").sum()), end_of_data=END)  # type: ignore[arg-type]


M = synthetic_measurement()
CHARTS: dict[str, Callable[[], Figure]] = {
    "ranking": lambda: bm.chart.ranking(M),
    "ranking_top10": lambda: bm.chart.ranking(M, top=10),
    "map": lambda: bm.chart.caring_map(M),
    "map_top40": lambda: bm.chart.caring_map(synthetic_measurement(44, seed=40, unranked=6), top=40),
    "map_all_answered": lambda: bm.chart.caring_map(synthetic_measurement(12, seed=7, all_answered=True, unranked=0)),
    "distribution": lambda: bm.chart.distribution(M),
    "trend_partial_month": lambda: bm.chart.trend(M, top=4, tz="Europe/Rome"),
    "trend_narrow_it": lambda: bm.chart.trend(synthetic_measurement(5, seed=3, unranked=0, spread=0.3), period="week", top=3, lang="it", tz="Europe/Rome"),
    "heatmap": lambda: bm.chart.heatmap(M, tz="Europe/Rome"),
    # --highlight (issue 15, item 8): Fenice Banca, ranked 14th, in vermillion; kept when --top leaves it out.
    "ranking_highlight_top10": lambda: bm.chart.ranking(M, top=10, highlight="Fenice Banca"),
    "map_highlight": lambda: bm.chart.caring_map(M, highlight="Fenice Banca"),
    "distribution_highlight": lambda: bm.chart.distribution(M, highlight="Fenice Banca"),
    "scorecard": lambda: bm.chart.scorecard(M, "Fenice Banca", tz="Europe/Rome"),
    "trend_highlight": lambda: bm.chart.trend(M, top=4, tz="Europe/Rome", highlight="Fenice Banca"),
}


@pytest.fixture(autouse=True)
def pinned_rendering() -> Iterator[None]:
    with mpl.rc_context(PINNED):
        yield


def versions() -> str:
    """What the pixels depend on besides our code; kept beside the baselines."""
    import adjustText
    import matplotlib.ft2font

    return f"matplotlib {matplotlib.__version__}, freetype {matplotlib.ft2font.__freetype_version__}, adjustText {adjustText.__version__}\n"


def render(name: str, out_dir: Path) -> Path:
    fig = CHARTS[name]()
    return bm.chart.save(fig, out_dir / f"{name}.png")


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_matches_its_baseline(name: str, tmp_path: Path) -> None:
    actual = render(name, tmp_path)
    baseline = BASELINES / f"{name}.png"
    if REGENERATE:
        BASELINES.mkdir(exist_ok=True)
        baseline.write_bytes(actual.read_bytes())
        (BASELINES / "VERSIONS.txt").write_text(versions())
        pytest.skip(f"regenerated {baseline.name}: look at it before committing")
    assert baseline.exists(), f"no baseline {baseline}; make it with CHART_BASELINES=regenerate .venv/bin/python -m pytest {Path(__file__).name}"
    diff = compare_images(str(baseline), str(actual), tol=TOLERANCE)
    made_with = (BASELINES / "VERSIONS.txt").read_text() if (BASELINES / "VERSIONS.txt").exists() else "unknown"
    hint = "" if made_with == versions() else f"; baselines made with {made_with.strip()}, this run has {versions().strip()}: if only that changed, regenerate"
    assert diff is None, f"{name}: {diff} (images kept in {tmp_path}){hint}"


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    first = render("map", tmp_path / "a").read_bytes()
    second = render("map", tmp_path / "b").read_bytes()
    assert first == second  # label placement included


def test_the_comparison_catches_a_changed_chart(tmp_path: Path) -> None:
    """The tolerance is tight enough: one brand fewer on the ranking is a failure."""
    if not (BASELINES / "ranking_top10.png").exists():
        pytest.skip("no baseline yet")
    fig = bm.chart.ranking(M, top=9)
    fig.set_size_inches(*bm.chart.ranking(M, top=10).get_size_inches())  # same size: compare content, not shape
    actual = bm.chart.save(fig, tmp_path / "ranking_top9.png")
    assert compare_images(str(BASELINES / "ranking_top10.png"), str(actual), tol=TOLERANCE) is not None


def test_synthetic_table_agrees_with_its_facts() -> None:
    """The hand-built table obeys the README's definitions (so the charts are drawn from coherent data)."""
    row = M.table.row(0, named=True)
    facts = M.facts.filter(pl.col("brand") == row["brand"])
    judged = facts.filter(pl.col("status") != "open")
    assert row["response_rate"] == pytest.approx(judged["answered"].mean())
    assert row["within_1h"] == pytest.approx(((judged["frt_s"] <= 3600).fill_null(False)).mean())
    assert row["frt_median_ci_low_s"] <= row["frt_median_s"] <= row["frt_median_ci_high_s"]

"""``benchmark scorecard BRAND`` and ``bm.chart.scorecard`` (issue 15, item 12); the image itself is a baseline
in tests/chart/test_chart_images.py. Figures from tests/report_fixtures.py (see tests/report/test_report_highlight.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_fixtures import store  # noqa: F401  (fixture)
from typer.testing import CliRunner

import benchmark as bm
from benchmark.cli import app
from benchmark.errors import UsageError


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


def test_scorecard_figures_rank_and_peers(store: bm.Store) -> None:
    texts = _texts(bm.chart.scorecard(store, "betabank", min_requests=5))
    assert texts[:2] == ["BetaBank", "Rank 2 of 2"]
    assert ["Median first response", "2h", "median of ranked brands: 1h 5m"] == texts[2:5]
    assert ["Response rate", "80%", "median of ranked brands: 90%"] == texts[5:8]
    assert ["Answered within 1 h", "0%", "median of ranked brands: 50%"] == texts[8:11]
    assert texts[11] == "n = 8 answered of 10 requests"


def test_scorecard_in_italian(store: bm.Store) -> None:
    texts = _texts(bm.chart.scorecard(store, "GammaAir", min_requests=5, lang="it"))
    assert texts[:4] == ["GammaAir", "Fuori classifica (meno di 5 richieste)", "Prima risposta mediana", "1g 1h"]


def test_unknown_brand_is_refused(store: bm.Store) -> None:
    with pytest.raises(UsageError, match=r"^scorecard BRAND 'Betabnk': no brand of that name in the data \(did you mean BetaBank\?\)$"):
        bm.chart.scorecard(store, "Betabnk")


def test_cli_writes_the_card(store: bm.Store, tmp_path: Path) -> None:
    out = tmp_path / "card.png"
    result = CliRunner().invoke(app, ["scorecard", "BetaBank", "--store", str(store.path), "-o", str(out), "--min-requests", "5"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {out}\n" and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("name", "brand", "message"), [
    ("card.pdf", "BetaBank", "error: --output {out}: a scorecard is written as .png or .svg\n"),
    ("card", "BetaBank", "error: --output {out}: a scorecard is written as .png or .svg\n"),
    ("card.png", "Zeta", "error: scorecard BRAND 'Zeta': no brand of that name in the data\n"),
])
def test_cli_refusals(store: bm.Store, tmp_path: Path, name: str, brand: str, message: str) -> None:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["scorecard", brand, "--store", str(store.path), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == message.format(out=out)
    assert not out.exists()

"""Shared fixtures: the hand-worked golden store and engines to run it on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import benchmark as bm
from benchmark.engine import DuckDBEngine, Engine, PolarsEngine, SparkEngine

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN_TWCS = FIXTURES / "twcs" / "golden.csv"


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich output that does not depend on the terminal the tests run in."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def golden_store(tmp_path: Path) -> bm.Store:
    store = bm.create_store(tmp_path / "store")
    bm.ingest([GOLDEN_TWCS], store=store)
    return store


@pytest.fixture(scope="module")
def golden_cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden TWCS file ingested through the CLI, once per test module (the CLI tests read it only)."""
    from typer.testing import CliRunner

    from benchmark.cli import app

    path = tmp_path_factory.mktemp("golden_cli") / "store"
    result = CliRunner().invoke(app, ["ingest", str(GOLDEN_TWCS), "--store", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def spark_session() -> Iterator[object]:
    from pyspark.sql import SparkSession

    # tests/engine/test_spark_cluster.py reruns the spark tests with SPARK_TEST_MASTER=spark://... (a real cluster)
    master = os.environ.get("SPARK_TEST_MASTER", "local[1]")
    session = (
        SparkSession.builder.master(master)
        .appName("social-care-benchmark-tests")
        .config("spark.executor.memory", "512m")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(params=["polars", "duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Every engine the metrics must agree on."""
    if request.param == "polars":
        return PolarsEngine()
    if request.param == "duckdb":
        return DuckDBEngine()
    return SparkEngine(request.getfixturevalue("spark_session"))

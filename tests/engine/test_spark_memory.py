"""The local master's JVM heap: a quarter of the memory (1 to 8 GiB) unless the user chose one."""

from __future__ import annotations

import sys

import pytest

from benchmark.engine import spark_engine
from benchmark.engine.spark_engine import local_driver_memory

GIB = 2**30


@pytest.fixture
def no_user_choice(monkeypatch, tmp_path):
    for name in ("PYSPARK_SUBMIT_ARGS", "SPARK_DRIVER_MEMORY", "SPARK_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))  # an empty configuration folder
    return tmp_path


@pytest.mark.parametrize(
    ("memory", "heap"),
    [(16 * GIB, "4096m"), (2 * GIB, "1024m"), (256 * GIB, "8192m"), (10 * GIB, "2560m")],
)
def test_a_quarter_of_the_memory_between_one_and_eight_gib(no_user_choice, monkeypatch, memory, heap):
    monkeypatch.setattr(spark_engine, "_memory_bytes", lambda: memory)
    assert local_driver_memory() == heap


def test_unknown_memory_leaves_sparks_default(no_user_choice, monkeypatch):
    monkeypatch.setattr(spark_engine, "_memory_bytes", lambda: None)
    assert local_driver_memory() is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PYSPARK_SUBMIT_ARGS", "--driver-memory 3g pyspark-shell"),
        ("PYSPARK_SUBMIT_ARGS", "--conf spark.driver.memory=3g pyspark-shell"),
        ("SPARK_DRIVER_MEMORY", "3g"),
    ],
)
def test_the_users_choice_wins(no_user_choice, monkeypatch, variable, value):
    monkeypatch.setattr(spark_engine, "_memory_bytes", lambda: 16 * GIB)
    monkeypatch.setenv(variable, value)
    assert local_driver_memory() is None


def test_spark_defaults_conf_wins(no_user_choice, monkeypatch):
    monkeypatch.setattr(spark_engine, "_memory_bytes", lambda: 16 * GIB)
    (no_user_choice / "spark-defaults.conf").write_text("spark.driver.memory 3g\n")
    assert local_driver_memory() is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sysconf and cgroups as on Linux")
def test_the_memory_is_read_on_linux():
    total = spark_engine._memory_bytes()
    assert total is not None and 2**28 <= total < 2**50  # neither zero nor cgroup v1's "no limit" (~2**63)

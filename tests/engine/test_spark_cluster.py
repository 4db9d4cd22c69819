"""The Spark engine on a real standalone cluster: one master and two workers on localhost.

The cluster is started with the launchers that ship inside pyspark (``spark-class``
with the Master and Worker classes), once per test session, each process in its own
process group so that stopping the group also stops the executors a worker started,
whatever happened in the tests. The engine conformance tests then run again, in a
fresh interpreter (one SparkContext per process), against that master, and the CLI
ranks the golden store through it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2


@dataclass(frozen=True)
class Cluster:
    url: str  # spark://127.0.0.1:PORT
    ui: str  # the master's web UI, whose /json/ says what it runs
    logs: Path

    def state(self) -> dict:
        with urllib.request.urlopen(f"{self.ui}/json/", timeout=5) as r:
            return json.load(r)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spark_class() -> str:
    from pyspark.find_spark_home import _find_spark_home

    return str(Path(_find_spark_home()) / "bin" / "spark-class")


def _cluster_env(logs: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SPARK_LOCAL_IP="127.0.0.1",  # no "hostname resolves to a loopback address" and no outside interface
        SPARK_LOG_DIR=str(logs),
        SPARK_WORKER_DIR=str(logs / "work"),
        PYSPARK_PYTHON=sys.executable,  # executors start Python workers from this interpreter
        SPARK_DAEMON_MEMORY="256m",
    )
    env.pop("SPARK_TEST_MASTER", None)
    return env


def _wait(what: str, ready, procs: list[subprocess.Popen], logs: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"{what}: a cluster process exited ({p.args[2]}); see {logs}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what}: not ready after {timeout:.0f}s; see {logs}")


def _stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM each process group, then SIGKILL what is left: nothing of the cluster outlives the session."""
    for p in procs:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(p.pid, signal.SIGKILL)  # executors in the group too, even if the worker is gone
        except ProcessLookupError:
            pass
        p.wait()


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    logs = tmp_path_factory.mktemp("spark-cluster")
    env = _cluster_env(logs)
    port, ui_port = _free_port(), _free_port()
    cluster = Cluster(url=f"spark://127.0.0.1:{port}", ui=f"http://127.0.0.1:{ui_port}", logs=logs)
    procs: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> None:
        with open(logs / f"{name}.log", "wb") as out:
            procs.append(
                subprocess.Popen(
                    [_spark_class(), *args], env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True,  # its own process group: killpg stops it and its children
                )
            )

    try:
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui_port))
        _wait("master", lambda: cluster.state().get("status") == "ALIVE", procs, logs)
        for i in range(WORKERS):
            start(
                f"worker{i}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                "--memory", "1g", "--webui-port", str(_free_port()), "--work-dir", str(logs / f"work{i}"), cluster.url,
            )
        _wait("workers", lambda: cluster.state().get("aliveworkers") == WORKERS, procs, logs)
        yield cluster
    finally:
        _stop(procs)


def test_conformance_suite_runs_on_the_cluster(spark_cluster: Cluster):
    env = dict(os.environ, SPARK_TEST_MASTER=spark_cluster.url, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable)
    tests = ["tests/engine/test_engine_conformance.py", "tests/metrics/test_threads.py", "tests/engine/test_engine_threads.py"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "spark", "-p", "no:cacheprovider", "-W", "ignore::FutureWarning", *tests],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "deselected" in run.stdout
    apps = spark_cluster.state()["completedapps"]
    assert any(a["name"] == "social-care-benchmark-tests" for a in apps)  # it really ran there


def test_cli_ranks_a_store_on_the_cluster_quietly(spark_cluster: Cluster, golden_store, tmp_path):
    bench = Path(sys.executable).with_name("benchmark")
    base = [str(bench), "rank", "--store", str(golden_store.path), "--format", "json", "--min-requests", "0"]
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable)
    env.pop("SPARK_MASTER", None)
    polars = subprocess.run(base, env=env, capture_output=True, text=True, timeout=300, check=True)
    spark = subprocess.run(
        [*base, "--engine", "spark", "--spark-master", spark_cluster.url],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert spark.returncode == 0, spark.stderr[-3000:]
    got, want = json.loads(spark.stdout), json.loads(polars.stdout)
    assert [(r["brand"], r["requests"], r["answered"], r["frt_median_s"]) for r in got] == [
        (r["brand"], r["requests"], r["answered"], r["frt_median_s"]) for r in want
    ]
    for g, w in zip(got, want, strict=True):
        assert g.keys() == w.keys()
        for k, v in w.items():
            assert g[k] == pytest.approx(v, rel=1e-9) if isinstance(v, float) else g[k] == v, k
    # quiet by default: our one summary line, none of Spark's progress bars, log lines or JVM notices
    assert "[Stage" not in spark.stderr and " WARN " not in spark.stderr and "log4j" not in spark.stderr
    assert "incubator" not in spark.stderr and "setLogLevel" not in spark.stderr
    assert spark.stderr.strip().splitlines()[0] == polars.stderr.strip().splitlines()[0]
    assert any(a["name"] == "social-care-benchmark" for a in spark_cluster.state()["completedapps"])

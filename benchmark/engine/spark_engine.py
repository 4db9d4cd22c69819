"""PySpark: the same metrics on a Spark session (local or a cluster).

The master comes from ``--spark-master`` (see :func:`configure`), else the
``SPARK_MASTER`` environment variable, else ``local[*]``. Spark is quiet unless
``--verbose``: no stage progress bars, log level ERROR, and the JVM's start-up
chatter dropped from stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import narwhals as nw
import polars as pl

from ..errors import UsageError
from .base import KEY, TS_COLUMN, Engine

__all__ = ["DEFAULT_MASTER", "SparkEngine", "configure", "local_driver_memory", "master_url", "new_session"]

if TYPE_CHECKING:
    from ..threads import ThreadStats

DEFAULT_MASTER = "local[*]"
_settings: dict[str, Any] = {"master": None, "verbose": False}

# Lines the JVM prints at start-up whatever the log level (log4j's are silenced by its own configuration).
_JVM_NOISE = (
    "WARNING: Using incubator modules",
    'Setting default log level to "',  # the shell-style notice: printed whenever the level is not WARN
    "To adjust logging level use sc.setLogLevel",
)
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.waiting.name = org.apache.spark.scheduler.TaskSchedulerImpl
logger.waiting.level = warn
"""
# (TaskSchedulerImpl at WARN: "Initial job has not accepted any resources" explains a cluster that seems to hang.)
_PANDAS_WARNING = "PySpark does not yet fully support pandas"  # PySpark 4 with pandas >= 3 (the spark extra pins pandas < 3)


def configure(master: str | None = None, verbose: bool | None = None) -> None:
    """Defaults for sessions created later in this process (the CLI's ``--spark-master`` and ``--verbose``)."""
    if master is not None:
        _settings["master"] = master
    if verbose is not None:
        _settings["verbose"] = verbose


def master_url(master: str | None = None) -> str:
    """The master to use: explicit, configured, ``SPARK_MASTER``, else ``local[*]``."""
    return master or _settings["master"] or os.environ.get("SPARK_MASTER") or DEFAULT_MASTER


def _log4j_file() -> str:
    """A log4j2 configuration at level ERROR, written once per user (Spark's default says WARN and announces itself)."""
    import tempfile

    path = Path(tempfile.gettempdir()) / f"social-care-benchmark-log4j2-{os.getuid() if hasattr(os, 'getuid') else 0}.properties"
    if not path.exists() or path.read_text() != _LOG4J:
        path.write_text(_LOG4J)
    return str(path)


def _filter_stderr(stream: Any) -> None:
    """Copy the JVM's stderr to ours, without its start-up warnings."""
    for line in iter(stream.readline, b""):
        if not line.decode(errors="replace").startswith(_JVM_NOISE):
            sys.stderr.buffer.write(line)
            sys.stderr.buffer.flush()


def _quiet_context(conf: Any) -> Any:
    """A SparkContext whose JVM is started with its stderr filtered."""
    from pyspark import SparkContext
    from pyspark.java_gateway import launch_gateway

    if SparkContext._active_spark_context is not None:  # a session exists already: reuse it as it is
        return SparkContext.getOrCreate(conf)
    gateway = launch_gateway(conf, popen_kwargs={"stderr": subprocess.PIPE})
    proc = getattr(gateway, "proc", None)
    if proc is not None and proc.stderr is not None:
        threading.Thread(target=_filter_stderr, args=(proc.stderr,), daemon=True).start()
    return SparkContext(conf=conf, gateway=gateway)


def _memory_bytes() -> int | None:
    """The memory this process may use: the machine's, or its container's (cgroup) limit when lower; None if unknown."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not on Windows
        return None
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total if total > 0 else None


def local_driver_memory() -> str | None:
    """The JVM heap for a local master, unless the user chose one: a quarter of the memory, 1 to 8 GiB.

    In local mode the driver JVM does all the work, and Spark's own default (1 GiB) makes every join of a few
    million messages spill its sort to disk: on the 3.55 M-message store that was 0.7 GB of spills and a
    quarter of the CPU time. The user's choice wins: ``spark.driver.memory`` or ``--driver-memory`` in
    ``PYSPARK_SUBMIT_ARGS``, ``SPARK_DRIVER_MEMORY``, or ``spark.driver.memory`` in ``spark-defaults.conf``.
    """
    submit_args = os.environ.get("PYSPARK_SUBMIT_ARGS", "")
    if "--driver-memory" in submit_args or "spark.driver.memory" in submit_args or os.environ.get("SPARK_DRIVER_MEMORY"):
        return None
    conf_dir = os.environ.get("SPARK_CONF_DIR") or (os.path.join(os.environ["SPARK_HOME"], "conf") if os.environ.get("SPARK_HOME") else None)
    if conf_dir is not None:
        try:
            if "spark.driver.memory" in Path(conf_dir, "spark-defaults.conf").read_text(errors="replace"):
                return None
        except OSError:
            pass
    total = _memory_bytes()
    if total is None:
        return None
    mib = min(max(total // 4 // 2**20, 1024), 8192)
    return f"{mib}m"


def new_session(master: str | None = None, verbose: bool | None = None) -> Any:
    """A Spark session for the metrics: UTC, small shuffles when local, quiet unless ``verbose``."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:  # a notebook's or a spark-submit script's own session
        return active
    chosen = master or _settings["master"] or os.environ.get("SPARK_MASTER")
    submitted = chosen is None and "PYSPARK_GATEWAY_PORT" in os.environ  # under spark-submit: its --master
    url = master_url(chosen)
    loud = _settings["verbose"] if verbose is None else verbose
    conf = SparkConf()
    if not submitted:
        conf.setMaster(url)
    conf = (
        conf.setAppName("social-care-benchmark")
        .set("spark.sql.session.timeZone", "UTC")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "true" if loud else "false")
    )
    if url.startswith("local") and not submitted:
        conf.set("spark.sql.shuffle.partitions", "4")
        memory = local_driver_memory()
        if memory is not None and not conf.contains("spark.driver.memory"):  # (a JVM running already keeps its heap)
            conf.set("spark.driver.memory", memory)
    if not (loud or submitted):  # (a submitted driver's JVM is running already)
        conf.set("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile=file:{_log4j_file()}")
    try:
        with warnings.catch_warnings():
            if not loud:
                warnings.filterwarnings("ignore", message=_PANDAS_WARNING, category=FutureWarning)
            sc = _quiet_context(conf) if not (loud or submitted) else None
            session = SparkSession(sc) if sc is not None else SparkSession.builder.config(conf=conf).getOrCreate()
    except Exception as exc:  # Java missing, master unreachable, bad URL: the user's to fix
        java = getattr(exc, "java_exception", None)  # py4j's own text is "An error occurred while calling ..."
        text = str(java.toString()) if java is not None else str(exc)
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        raise UsageError(f"cannot start Spark on {url}: {first}") from exc
    if not loud:
        session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine(Engine):
    name = "spark"
    keys_unique_across_platforms = True  # with_threads keys messages and threads by monotonically_increasing_id

    def __init__(self, session: Any | None = None, master: str | None = None, verbose: bool | None = None) -> None:
        try:
            import pyspark  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise UsageError(
                "the spark engine needs PySpark: pip install 'social-care-benchmark[spark]'"
            ) from exc
        self.spark = session or new_session(master, verbose)
        self._quiet = not (_settings["verbose"] if verbose is None else verbose)

    def _with_ts(self, sdf: Any) -> nw.LazyFrame:
        from pyspark.sql import functions as F

        if "created_at" in sdf.columns:
            sdf = sdf.withColumn(TS_COLUMN, F.unix_micros(F.col("created_at")))
        return nw.from_native(sdf)

    def scan_parquet(self, paths: Sequence[Path | str]) -> nw.LazyFrame:
        # Local paths become absolute file:// URIs (executors do not share our working directory);
        # strings are given to Spark as they are, so hdfs://, s3a://... go through its filesystem layer.
        uris = [f"file://{p.resolve()}" if isinstance(p, Path) else p for p in paths]  # not as_uri(): Hadoop does not unquote
        return self._with_ts(self.spark.read.option("mergeSchema", "true").parquet(*uris))  # older files lack newer columns

    def from_polars(self, df: pl.DataFrame) -> nw.LazyFrame:
        with warnings.catch_warnings():
            if self._quiet:  # PySpark 4 warns about pandas >= 3 on every conversion
                warnings.filterwarnings("ignore", message=_PANDAS_WARNING, category=FutureWarning)
            return self._with_ts(self.spark.createDataFrame(df.to_pandas()))

    def materialize(self, lf: nw.LazyFrame) -> nw.LazyFrame:
        return nw.from_native(lf.to_native().localCheckpoint(eager=True))

    def resolve_roots(self, edges: nw.LazyFrame) -> tuple[nw.LazyFrame, ThreadStats]:
        from .spark_threads import jump, link

        numbered, linked = link(edges.to_native().select("platform", "message_id", "parent_id"))
        resolved, stats = jump(linked)
        out = numbered.join(resolved, KEY).select("platform", "message_id", "root_id", "thread_status")
        return nw.from_native(out), stats

    def with_threads(self, messages: nw.LazyFrame) -> tuple[nw.LazyFrame, ThreadStats]:
        # Integer message and thread keys (:func:`.spark_threads.thread_key`): no string is carried through the
        # pointer-jumping rounds, the message columns meet the resolved keys in one join, and the facts join
        # on one integer column.
        from .spark_threads import jump, link, thread_key

        numbered, linked = link(messages.to_native(), ids=False)
        resolved, stats = jump(linked, root_ids=False)
        threaded = thread_key(numbered.join(resolved, KEY), broken=bool(stats.missing_parents or stats.in_cycles))
        return nw.from_native(threaded), stats

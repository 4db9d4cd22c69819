"""Issue 12 item 8: staging directories belong to the ingest that made them.

Real processes: a long ingest (a synthetic 400 k-tweet TWCS file, fictional brand AcmeTel), paused by
SIGSTOP once it has made its staging directory, while its ``.lock`` is deleted and a second ingest
starts, or a cleaner runs; resumed, it must commit its file whole. A staging directory is removed only when its owner is dead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_hostile_store import BENCHMARK, ENV, message_ids, write_twcs

HOLD_STAGING = """
import sys, time
from pathlib import Path
from benchmark.store.staging import owned_staging
with owned_staging(Path(sys.argv[1])) as d:
    print(d, flush=True)
    time.sleep(600)
"""


def _start_long_ingest(tmp_path: Path) -> tuple[Path, subprocess.Popen[str], Path, set[str]]:
    """A store with a small ingest, and a running ingest of a big file that has made its staging directory."""
    store = tmp_path / "st"
    subprocess.run([*BENCHMARK, "ingest", str(write_twcs(tmp_path / "old.csv", 10)), "--store", str(store)], env=ENV, check=True, capture_output=True)
    big = write_twcs(tmp_path / "big.csv", 400_000, first_id=1_000)
    whole = message_ids(store) | {str(i) for i in range(1_000, 401_000)}
    proc = subprocess.Popen([*BENCHMARK, "ingest", str(big), "--store", str(store)], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list((store / "ingests").glob(".staging-*")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the ingest never made a staging directory"
        time.sleep(0.02)
    (staging,) = (store / "ingests").glob(".staging-*")
    return store, proc, staging, whole


def test_second_ingest_after_the_lock_file_was_deleted_is_refused(tmp_path: Path) -> None:
    store, first, staging, whole = _start_long_ingest(tmp_path)
    first.send_signal(signal.SIGSTOP)  # frozen mid-ingest, its locks held: however quick the machine, the second one meets it
    (store / ".lock").unlink()
    try:
        second = subprocess.run([*BENCHMARK, "ingest", str(write_twcs(tmp_path / "more.csv", 4, first_id=900_000)), "--store", str(store)],
                                env=ENV, capture_output=True, text=True)
    finally:
        first.send_signal(signal.SIGCONT)
    _, err = first.communicate(timeout=300)
    assert second.returncode == 1
    assert second.stderr.strip().splitlines() == [f"error: {store}: another ingest is writing to this store; try again when it ends"]
    assert first.returncode == 0, err
    assert message_ids(store) == whole
    assert not staging.exists() and not list((store / "ingests").glob(".staging-*"))


def test_cleaner_never_removes_a_live_ingests_staging(tmp_path: Path) -> None:
    """Even bypassing every lock (as an older version with its ``.lock`` deleted would), a live staging directory stays."""
    store, first, staging, whole = _start_long_ingest(tmp_path)
    first.send_signal(signal.SIGSTOP)
    try:
        cleaner = subprocess.run([sys.executable, "-c", "import sys; from benchmark.store import open_store; open_store(sys.argv[1])._clean_staging()", str(store)],
                                 env=ENV, capture_output=True, text=True)
        still_there = staging.exists()
    finally:
        first.send_signal(signal.SIGCONT)
    assert cleaner.returncode == 0, cleaner.stderr
    _, err = first.communicate(timeout=300)
    assert still_there
    assert first.returncode == 0, err
    assert message_ids(store) == whole


def test_staging_is_removed_only_once_its_owner_is_dead(tmp_path: Path) -> None:
    store = tmp_path / "st"
    subprocess.run([*BENCHMARK, "ingest", str(write_twcs(tmp_path / "a.csv", 10)), "--store", str(store)], env=ENV, check=True, capture_output=True)
    owner = subprocess.Popen([sys.executable, "-c", HOLD_STAGING, str(store / "ingests")], env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        staging = Path(owner.stdout.readline().strip())  # type: ignore[union-attr]
        assert staging.name.startswith(f".staging-{owner.pid}-")
        (store / ".lock").unlink()  # the store lock is not what protects it
        ingest = [*BENCHMARK, "ingest", str(write_twcs(tmp_path / "b.csv", 10, first_id=100)), "--store", str(store)]
        subprocess.run(ingest, env=ENV, check=True, capture_output=True)
        assert staging.is_dir(), "a live owner's staging directory was removed"
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait()
    ingest = [*BENCHMARK, "ingest", str(write_twcs(tmp_path / "c.csv", 10, first_id=200)), "--store", str(store)]
    subprocess.run(ingest, env=ENV, check=True, capture_output=True)
    assert not staging.exists(), "a dead owner's staging directory was left"
    assert len(message_ids(store)) == 30


def test_staging_of_a_reused_pid_is_judged_by_its_lock(tmp_path: Path) -> None:
    """A leftover named after a pid that now belongs to another process (with another start time) is dead when its lock is free."""
    ingests = tmp_path / "st" / "ingests"
    subprocess.run([*BENCHMARK, "ingest", str(write_twcs(tmp_path / "a.csv", 10)), "--store", str(tmp_path / "st")], env=ENV, check=True, capture_output=True)
    reused = ingests / f".staging-{os.getpid()}-1-0123abcd"  # this test's pid, but not its start time
    reused.mkdir()
    (reused / ".owner").write_text("")
    subprocess.run([*BENCHMARK, "ingest", str(write_twcs(tmp_path / "b.csv", 10, first_id=100)), "--store", str(tmp_path / "st")],
                   env=ENV, check=True, capture_output=True)
    assert not reused.exists()

"""Issue 12 item 15: Ctrl-C (SIGINT) at any moment is one line, exit 130, and says what was committed.

Real processes, as a user runs them; SIGINT is sent while modules import, while an ingest loads a big
synthetic TWCS file (fictional brand AcmeTel) after a small one was committed, and at a spread of
moments. No Python traceback, no "Exception ignored", ever.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_hostile_store import BENCHMARK, ENV, message_ids, write_twcs

NOISE = ("Traceback", "Exception ignored", "KeyboardInterrupt", "Aborted")


def _quiet(stderr: str) -> None:
    for word in NOISE:
        assert word not in stderr, stderr


def _wait_for(condition, proc: subprocess.Popen, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"the command ended before {what}: {proc.communicate()}"
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("interrupt")
    return write_twcs(d / "small.csv", 10), write_twcs(d / "big.csv", 600_000, first_id=1_000)


def test_ctrl_c_while_modules_import_is_one_line(tmp_path: Path) -> None:
    """``-X importtime`` tells when the entry module is loaded: the interrupt lands in typer's and rich's imports."""
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "benchmark", "rank", "--store", str(tmp_path)],
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    for line in proc.stderr:  # type: ignore[union-attr]
        seen.append(line)
        if line.rstrip().endswith("benchmark.console"):
            proc.send_signal(signal.SIGINT)
            break
    rest = proc.stderr.read()  # type: ignore[union-attr]
    proc.wait(timeout=60)
    ours = [ln for ln in rest.splitlines() if not ln.startswith("import time:")]
    assert proc.returncode == 130, rest
    assert ours == ["interrupted: the command had not started, nothing was changed"]


def test_ctrl_c_during_ingest_names_the_files_committed(tmp_path: Path, files: tuple[Path, Path]) -> None:
    small, big = files
    store = tmp_path / "st"
    proc = subprocess.Popen([*BENCHMARK, "ingest", str(small), str(big), "--store", str(store)],
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ingests = store / "ingests"
    _wait_for(lambda: ingests.is_dir() and any(p.name.startswith("ingest=") for p in ingests.iterdir())
              and any(p.name.startswith(".staging-") for p in ingests.iterdir()), proc, "the second file staged")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    _quiet(err)
    assert out == ""
    assert err.splitlines() == [f"interrupted: committed {small} (10 stored); not committed: {big} (ingest it again)"]
    assert message_ids(store) == {str(i) for i in range(1, 11)}
    assert not list(ingests.glob(".staging-*"))


def test_ctrl_c_before_anything_is_committed_leaves_no_new_store(tmp_path: Path, files: tuple[Path, Path]) -> None:
    _, big = files
    store = tmp_path / "st"
    proc = subprocess.Popen([*BENCHMARK, "ingest", str(big), "--store", str(store)], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: (store / "ingests").is_dir() and any((store / "ingests").glob(".staging-*")), proc, "staging")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err.splitlines() == [f"interrupted: nothing was committed; {store} is as it was"]
    assert not store.exists()  # the new store it created is removed again


def _started(args: list[str]) -> tuple[subprocess.Popen[str], list[str], threading.Thread]:
    """``benchmark ARGS`` run with ``-X importtime``, returned once ``benchmark.console`` is loaded (Python's own
    start-up, which no program can guard, is over); a thread keeps reading its stderr, so it never blocks."""
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "benchmark", *args], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    for line in proc.stderr:  # type: ignore[union-attr]
        if line.rstrip().endswith("benchmark.console"):
            break
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    return proc, lines, reader


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.3, 0.6, 1.0, 1.5, 2.0, 3.0])  # after the entry module loaded
def test_ctrl_c_at_any_moment_is_one_line_and_true(tmp_path: Path, files: tuple[Path, Path], delay: float) -> None:
    small, big = files
    store = tmp_path / "st"
    proc, lines, reader = _started(["ingest", str(small), str(big), "--store", str(store)])
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=120)
    reader.join(timeout=60)
    err = "".join(line for line in lines if not line.startswith("import time:"))
    _quiet(err)
    if proc.returncode == 0:
        return  # it finished first
    assert proc.returncode == 130, err
    (line,) = [ln for ln in err.splitlines() if ln.startswith("interrupted")]
    assert err.splitlines()[-1] == line
    stored = message_ids(store) if (store / "benchmark-store.json").exists() else set()
    if line.startswith("interrupted: committed "):  # the small file, or both when the big one committed just before
        small_ids, big_ids = {str(i) for i in range(1, 11)}, {str(i) for i in range(1_000, 601_000)}
        assert line in (f"interrupted: committed {small} (10 stored); not committed: {big} (ingest it again)",
                        f"interrupted: committed {small} (10 stored), {big} (600,000 stored)")
        assert stored == (small_ids if "not committed" in line else small_ids | big_ids)
    else:
        assert re.fullmatch(r"interrupted: (nothing was committed; .* is as it was|the command had not started, nothing was changed)", line), line
        assert stored == set()


CLOSE_INTERRUPTED = """
import sys, time
from pathlib import Path
from benchmark import console
from benchmark.loaders._read import csvread

def close(self):  # a Ctrl-C landing while the stream closes, as the generator is collected
    raise KeyboardInterrupt

csvread.CsvStream.close = close
console.started = True  # as main() sets it when the command runs
try:
    blocks = csvread.open_csv(Path(sys.argv[1])).blocks()
    next(blocks)
    del blocks  # finalised here: Python cannot raise from a finalizer
    time.sleep(30)
    print("the interrupt was lost")
except KeyboardInterrupt:
    print("the interrupt reached the command")
"""


def test_interrupt_inside_the_csv_generators_clean_up_is_not_lost(files: tuple[Path, Path]) -> None:
    small, _ = files
    done = subprocess.run([sys.executable, "-c", CLOSE_INTERRUPTED, str(small)], env=ENV, capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["the interrupt reached the command"]
    assert "Exception ignored" not in done.stderr, done.stderr


def test_rank_interrupted_says_nothing_half_written(tmp_path: Path, files: tuple[Path, Path]) -> None:
    small, big = files
    proc = subprocess.Popen([*BENCHMARK, "rank", str(small), str(big)], env={**ENV, "TMPDIR": str(tmp_path)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: any(tmp_path.rglob(".staging-*")), proc, "the quick look's staging")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert out == ""
    assert err.splitlines() == ["interrupted: nothing half-written was kept; the temporary store was removed"]
    assert list(tmp_path.iterdir()) == []


def test_cli_main_entry_point_is_the_console_module() -> None:
    """The installed ``benchmark`` script starts in benchmark.console, before typer and rich import."""
    text = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'benchmark = "benchmark.console:main"' in text
    assert os.path.exists(Path(__file__).parents[2] / "benchmark" / "console.py")


def _quick_look_running(tmp_path: Path, files: tuple[Path, Path]) -> subprocess.Popen[str]:
    small, big = files
    proc = subprocess.Popen([*BENCHMARK, "rank", str(small), str(big)], env={**ENV, "TMPDIR": str(tmp_path)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(lambda: any(tmp_path.rglob(".staging-*")), proc, "the quick look's staging")
    return proc


def test_rank_quick_look_removes_its_store_on_sigterm(tmp_path: Path, files: tuple[Path, Path]) -> None:
    proc = _quick_look_running(tmp_path, files)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143
    assert out == ""
    assert err.splitlines() == ["terminated: nothing half-written was kept; the temporary store was removed"]
    assert list(tmp_path.iterdir()) == []


def test_rank_quick_look_killed_is_cleaned_by_the_next_one(tmp_path: Path, files: tuple[Path, Path]) -> None:
    proc = _quick_look_running(tmp_path, files)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    (orphan,) = tmp_path.iterdir()
    assert orphan.name.startswith(f"benchmark-rank-{proc.pid}-")
    done = subprocess.run([*BENCHMARK, "rank", str(files[0])], env={**ENV, "TMPDIR": str(tmp_path)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "AcmeTel" in done.stdout
    assert list(tmp_path.iterdir()) == []
